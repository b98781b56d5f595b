//! The rules of the hub's validation that the derive macros cannot state, written into the
//! served OpenAPI document so that a request valid by the document is one the hub accepts
//! (as far as a schema can say: whether a named item exists is for the hub to answer).
//!
//! - Request bodies are decoded strictly: every object a body holds refuses unknown keys
//!   (`additionalProperties: false`), except those that keep them (a model card's own).
//!   The keys of maps a body holds (parameters, resources) may not hold a NUL character,
//!   which PostgreSQL cannot store.
//! - Query values hold no NUL either, except search's, which never reach PostgreSQL.
//! - Cross-field rules: exactly one of `qf4sa` and `ethics`; a membership names an
//!   organisation or a person, and a lead is a person; a national statistical office has
//!   a country; a workstream is never visible to one organisation only; an ethics
//!   principle with a medium or high risk says how it is mitigated.
//! - Rules the code checks in loops: a model version's aliases and parameters.
//! - Closed sets checked by code: IANA time zones.

use serde_json::{Map, Value, json};

/// Applies every rule to the document (as JSON).
pub fn apply(doc: &mut Value) {
    nul_free_queries(doc);
    merge_flattened(doc);
    strict_request_bodies(doc);
    cross_field_rules(doc);
    time_zones(doc);
}

const COMPONENT: &str = "#/components/schemas/";

/// No text holds a NUL character, which PostgreSQL cannot store: query parameters that
/// state no pattern of their own say so (a NUL in a body is refused the same way, and in a
/// path it names nothing). Search is the exception: it reads its query itself, never
/// sends it to PostgreSQL, and takes a NUL as a word separator.
fn nul_free_queries(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if path.starts_with("/api/v1/search") {
            continue;
        }
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            // `get_mut`, not indexing: indexing would add `parameters: null` where none are.
            let params = op.get_mut("parameters").and_then(Value::as_array_mut);
            for param in params.into_iter().flatten() {
                if param["in"] != "query" {
                    continue;
                }
                let schema = &mut param["schema"];
                let text = if schema["type"] == "array" {
                    &mut schema["items"]
                } else {
                    schema
                };
                let is_text = text["type"] == "string"
                    || text["type"]
                        .as_array()
                        .is_some_and(|t| t.contains(&json!("string")));
                if let Some(text) = text.as_object_mut()
                    && is_text
                    && !text.contains_key("pattern")
                    && !text.contains_key("enum")
                {
                    text.insert("pattern".into(), json!(NUL_FREE));
                }
            }
        }
    }
}

const NUL_FREE: &str = "^[^\\u0000]*$";

/// An answer type that flattens an input type (`Organisation` is an `OrganisationInput`
/// and its timestamps) is written as `allOf` of the input and the rest; once the input is
/// closed, that `allOf` would refuse the rest. Such answers get the input's properties
/// merged into one object instead. Inputs that are themselves `allOf` (open ones) stay.
fn merge_flattened(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return;
    };
    let plain_object = |name: &str| {
        schemas.get(name).is_some_and(|s| {
            s["type"] == "object"
                && s.get("allOf").is_none()
                && s.get("additionalProperties").is_none()
        })
    };
    let mut merged: Vec<(String, Value)> = Vec::new();
    for (name, schema) in schemas {
        let Some(parts) = schema["allOf"].as_array() else {
            continue;
        };
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut mergeable = true;
        for part in parts {
            let part = match part["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix(COMPONENT))
            {
                Some(base) if plain_object(base) => &schemas[base],
                Some(_) => {
                    mergeable = false;
                    break;
                }
                // A part without properties is the map of other keys of a flattened struct.
                None if part["type"] == "object"
                    && part.get("properties").is_some()
                    && part.get("additionalProperties").is_none() =>
                {
                    part
                }
                None => {
                    mergeable = false;
                    break;
                }
            };
            if let Some(props) = part["properties"].as_object() {
                properties.extend(props.clone());
            }
            for r in part["required"].as_array().into_iter().flatten() {
                if !required.contains(r) {
                    required.push(r.clone());
                }
            }
        }
        if !mergeable {
            continue;
        }
        let mut object = Map::new();
        object.insert("type".into(), "object".into());
        if let Some(description) = schema.get("description") {
            object.insert("description".into(), description.clone());
        }
        if !required.is_empty() {
            object.insert("required".into(), Value::Array(required));
        }
        object.insert("properties".into(), Value::Object(properties));
        merged.push((name.clone(), Value::Object(object)));
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.extend(merged);
    }
}

/// Marks every object schema reachable from a request body as closed, unless it already
/// says what other keys may hold. Objects that are one part of an `allOf` are a flattened
/// struct with a map of other keys beside them: those stay open.
fn strict_request_bodies(doc: &mut Value) {
    let mut roots = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for item in paths.values() {
            for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(content) = op["requestBody"]["content"].as_object() {
                    roots.extend(content.values().map(|c| c["schema"].clone()));
                }
            }
        }
    }
    let mut named: Vec<String> = Vec::new();
    for root in &roots {
        collect_refs(root, &mut named);
    }
    // Follow references from the named schemas too, to a fixed point.
    let mut i = 0;
    while i < named.len() {
        let schema = doc["components"]["schemas"][&named[i]].clone();
        collect_refs(&schema, &mut named);
        i += 1;
    }
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for name in &named {
        if let Some(schema) = schemas.get_mut(name) {
            close(schema, false);
        }
    }
}

/// Adds the names of the components `schema` refers to, once each.
fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(COMPONENT))
                && !out.iter().any(|n| n == name)
            {
                out.push(name.to_string());
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Closes the object schemas within `schema` that do not say what other keys may hold.
/// References are closed where they are defined; the parts of an `allOf` stay open.
fn close(schema: &mut Value, in_all_of: bool) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("$ref") {
        return;
    }
    let is_object = map.get("type").and_then(Value::as_str) == Some("object");
    if is_object && map.contains_key("properties") && !in_all_of {
        map.entry("additionalProperties")
            .or_insert(Value::Bool(false));
    }
    if is_object && let Some(Value::Object(_)) = map.get("additionalProperties") {
        map.entry("propertyNames")
            .or_insert(json!({"type": "string"}));
        if let Some(names) = map.get_mut("propertyNames").and_then(Value::as_object_mut) {
            names.entry("pattern").or_insert(json!(NUL_FREE));
        }
    }
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(props)) => {
                props.values_mut().for_each(|p| close(p, false));
            }
            ("allOf", Value::Array(parts)) => parts.iter_mut().for_each(|p| close(p, true)),
            ("oneOf" | "anyOf", Value::Array(parts)) => {
                parts.iter_mut().for_each(|p| close(p, false));
            }
            ("items" | "additionalProperties", v @ Value::Object(_)) => close(v, false),
            _ => {}
        }
    }
}

/// The named component schema, if there is one.
fn component<'a>(doc: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    doc.get_mut("components")?.get_mut("schemas")?.get_mut(name)
}

/// Adds `rule` to the named component as one more condition (`allOf`).
fn require(doc: &mut Value, name: &str, rule: Value) {
    let Some(schema) = component(doc, name).and_then(Value::as_object_mut) else {
        return;
    };
    let all_of = schema
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(parts) = all_of {
        parts.push(rule);
    }
}

fn cross_field_rules(doc: &mut Value) {
    let not_null = json!({"not": {"type": "null"}});
    let absent_or_null = |field: &str| {
        json!({"anyOf": [
            {"not": {"required": [field]}},
            {"properties": {field: {"type": "null"}}, "required": [field]},
        ]})
    };
    // `Content` is the name `ContentFields` is served under.
    for name in ["Content", "ContentFields"] {
        require(
            doc,
            name,
            json!({"oneOf": [
                {"required": ["qf4sa"], "properties": {"qf4sa": not_null}, "allOf": [absent_or_null("ethics")]},
                {"required": ["ethics"], "properties": {"ethics": not_null}, "allOf": [absent_or_null("qf4sa")]},
            ]}),
        );
    }
    require(
        doc,
        "MembershipInput",
        json!({"oneOf": [
            {
                "required": ["organisation"],
                "properties": {"organisation": not_null, "role": {"const": "member"}},
                "allOf": [absent_or_null("user")],
            },
            {"required": ["user"], "properties": {"user": not_null}, "allOf": [absent_or_null("organisation")]},
        ]}),
    );
    let other_kinds: Vec<Value> = doc["components"]["schemas"]["OrganisationKind"]["enum"]
        .as_array()
        .map(|kinds| {
            kinds
                .iter()
                .filter(|k| k.as_str() != Some("national-statistical-office"))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    require(
        doc,
        "OrganisationInput",
        json!({"anyOf": [
            {"properties": {"kind": {"enum": other_kinds}}},
            {"required": ["country"], "properties": {"country": not_null}},
        ]}),
    );
    if let Some(parameters) = component(doc, "ModelVersionInput")
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut("parameters"))
        .and_then(Value::as_object_mut)
    {
        parameters.insert("maxProperties".into(), json!(500));
    }
    if let Some(aliases) = component(doc, "ModelVersionInput")
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut("aliases"))
        .and_then(Value::as_object_mut)
    {
        aliases.insert("uniqueItems".into(), json!(true));
        aliases.insert(
            "items".into(),
            json!({"type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S"}),
        );
    }
    if let Some(parameters) = component(doc, "ModelVersionInput")
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut("parameters"))
        .and_then(Value::as_object_mut)
    {
        parameters.insert(
            "propertyNames".into(),
            json!({"minLength": 1, "maxLength": 250, "allOf": [{"pattern": "\\S"}, {"pattern": NUL_FREE}]}),
        );
        parameters.insert(
            "additionalProperties".into(),
            json!({"type": "string", "maxLength": 6000, "pattern": NUL_FREE}),
        );
    }
    let answered = json!({"anyOf": [
        {"properties": {"risk": {"const": "low"}}},
        {"required": ["mitigation"], "properties": {"mitigation": {"type": "string", "minLength": 1, "pattern": "\\S"}}},
    ]});
    // An ethics principle with a medium or high risk says how it is mitigated.
    require(doc, "Principle", answered);
    require(
        doc,
        "WorkstreamInput",
        json!({"properties": {"visibility": {"enum": ["public", "members"]}}}),
    );
}

/// The IANA time-zone names the hub knows, as the closed set they are.
fn time_zones(doc: &mut Value) {
    let names: Vec<Value> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| Value::String(tz.name().to_string()))
        .collect();
    for name in ["DigestPreferencesInput", "DigestPreferences"] {
        if let Some(zone) = component(doc, name)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut("time_zone"))
            .and_then(Value::as_object_mut)
        {
            zone.insert("enum".into(), Value::Array(names.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(doc: &Value) -> &Map<String, Value> {
        doc["components"]["schemas"].as_object().unwrap()
    }

    #[test]
    fn objects_of_request_bodies_are_closed_and_flattened_ones_stay_open() {
        let mut doc = json!({
            "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Input"}}}}}}},
            "components": {"schemas": {
                "Input": {"type": "object", "properties": {
                    "inner": {"$ref": "#/components/schemas/Inner"},
                    "card": {"$ref": "#/components/schemas/Card"},
                    "params": {"type": "object", "additionalProperties": {"type": "string"}},
                }},
                "Inner": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Card": {"allOf": [{"type": "object"}, {"type": "object", "properties": {"b": {}}}]},
                "Output": {"type": "object", "properties": {"c": {}}},
                "Answer": {"description": "An Inner and more.", "allOf": [
                    {"$ref": "#/components/schemas/Inner"},
                    {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
                ]},
            }}
        });
        apply(&mut doc);
        let s = schemas(&doc);
        assert_eq!(s["Input"]["additionalProperties"], false);
        assert_eq!(s["Inner"]["additionalProperties"], false);
        assert_eq!(
            s["Input"]["properties"]["params"]["propertyNames"]["pattern"],
            "^[^\\u0000]*$"
        );
        assert!(s["Output"].get("additionalProperties").is_none());
        assert!(s["Card"]["allOf"][1].get("additionalProperties").is_none());
        // The answer that flattened `Inner` no longer refers to it: it has its own keys.
        assert_eq!(
            s["Answer"],
            json!({"type": "object", "description": "An Inner and more.", "required": ["id"],
                   "properties": {"a": {"type": "string"}, "id": {"type": "integer"}}})
        );
    }
}
