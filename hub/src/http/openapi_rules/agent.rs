//! Rules of the agent routes: their headers, and the rules of sync batches and job reports
//! that [`agora_schemas`]' own checks hold (`Validate`) and the derive macros do not state.

use agora_schemas::sync::MAX_BATCH_ITEMS;
use serde_json::{Value, json};

use super::component;

/// `Agora-Protocol` is required on every route that declares it, and names a protocol this
/// hub serves, as [`crate::http::agent_auth::check_protocol`] reads it (digits, between
/// optional blanks); so is `Agora-Lease-Token` where a route takes one.
pub(super) fn headers(doc: &mut Value) {
    use crate::http::agent_auth::OLDEST_PROTOCOL;
    use agora_schemas::sync::PROTOCOL_VERSION;
    let served: Vec<String> = (OLDEST_PROTOCOL..=PROTOCOL_VERSION)
        .map(|v| v.to_string())
        .collect();
    let pattern = format!("^[ \\t]*0*(?:{})[ \\t]*$", served.join("|"));
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for op in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
    {
        let params = op.get_mut("parameters").and_then(Value::as_array_mut);
        for param in params.into_iter().flatten() {
            let is_protocol = param["in"] == "header"
                && param["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case("agora-protocol"));
            if is_protocol {
                param["required"] = json!(true);
                param["schema"] = json!({"type": "string", "pattern": pattern});
            }
            let is_lease = param["in"] == "header"
                && param["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case("agora-lease-token"));
            if param["in"] == "path" && param["name"] == "epoch" {
                let mut schema = token();
                schema["type"] = json!("string");
                param["schema"] = schema;
            }
            if is_lease {
                param["required"] = json!(true);
                param["schema"] =
                    json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"});
            }
        }
    }
}

/// A token chosen by the agent (a batch id, an epoch, a commit): letters, digits, `-`, `_`,
/// `.` and `:`.
fn token() -> Value {
    json!({"minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$"})
}

/// Adds `rules` to the schema of a component's field (keeping its type and nullability).
fn constrain(doc: &mut Value, name: &str, field: &str, rules: Value) {
    let Some(property) = component(doc, name)
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut(field))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if let Value::Object(rules) = rules {
        property.extend(rules);
    }
}

pub(super) fn bodies(doc: &mut Value) {
    let token = token();
    let key = json!({"type": "string", "minLength": 1, "maxLength": 512, "pattern": "\\S"});
    constrain(doc, "SyncBatch", "batch_id", token.clone());
    constrain(doc, "SyncBatch", "epoch", token.clone());
    constrain(
        doc,
        "SyncBatch",
        "items",
        json!({"maxItems": MAX_BATCH_ITEMS}),
    );
    constrain(doc, "SyncItem", "key", key.clone());
    constrain(
        doc,
        "SyncItem",
        "hash",
        json!({"pattern": "^[0-9A-Fa-f]{64}$"}),
    );
    constrain(doc, "SyncItem", "commit", token);
    constrain(
        doc,
        "EpochCompletion",
        "keys",
        json!({"maxItems": 1_000_000, "items": key}),
    );
    constrain(
        doc,
        "EpochCompletion",
        "rejected",
        json!({"maxItems": 10_000}),
    );
    constrain(
        doc,
        "ItemResult",
        "key",
        json!({"minLength": 1, "maxLength": 512, "pattern": "\\S"}),
    );
    constrain(doc, "ItemResult", "field", json!({"maxLength": 512}));
    constrain(doc, "ItemResult", "reason", json!({"maxLength": 2000}));
    constrain(
        doc,
        "JobReport",
        "lease_token",
        json!({"minLength": 1, "maxLength": 200, "pattern": "\\S"}),
    );
    constrain(
        doc,
        "Capabilities",
        "executors",
        json!({"minItems": 1, "maxItems": 4, "uniqueItems": true}),
    );
    constrain(
        doc,
        "Capabilities",
        "gpu_types",
        json!({"maxItems": 20, "uniqueItems": true,
               "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"}}),
    );
    // Any number of seconds: the hub waits at most its configured maximum.
    constrain(
        doc,
        "LeaseRequest",
        "wait_seconds",
        json!({"format": "int64", "minimum": 0, "maximum": u32::MAX}),
    );
    // An item's payload is judged on its own: one the hub cannot use is answered
    // `rejected`, with the field and the reason, and the batch goes on.
    if let Some(payload) = component(doc, "SyncItem")
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut("payload"))
    {
        *payload = json!({"description": "The item, as the input type of `kind` (a project, a model card, a model version, an assessment). The hub decodes each item on its own: one it cannot use is answered `rejected` in the batch's results, with the field and the reason, and the other items are applied."});
    }
}
