//! Rules between the fields of a body, and closed sets that code checks.

use serde_json::{Value, json};

use super::{NUL_FREE, component, require};

pub(super) fn cross_field_rules(doc: &mut Value) {
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
pub(super) fn time_zones(doc: &mut Value) {
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
