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

/// The IANA time-zone names the hub knows, as the closed set they are, each with a name
/// for generated code (`x-enum-varnames`, read by openapi-python-client and
/// openapi-generator): `GMT+0`, `GMT-0` and `GMT0` would otherwise all become `GMT0`.
pub(super) fn time_zones(doc: &mut Value) {
    let (names, varnames): (Vec<Value>, Vec<Value>) = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                Value::String(tz.name().to_string()),
                Value::String(varname(tz.name())),
            )
        })
        .unzip();
    for name in ["DigestPreferencesInput", "DigestPreferences"] {
        if let Some(zone) = component(doc, name)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut("time_zone"))
            .and_then(Value::as_object_mut)
        {
            zone.insert("enum".into(), Value::Array(names.clone()));
            zone.insert("x-enum-varnames".into(), Value::Array(varnames.clone()));
        }
    }
}

/// A time zone's name in generated code: upper case, words joined by `_`, the sign of an
/// offset spelt out (`Etc/GMT+1` is `ETC_GMT_PLUS_1`, `Etc/GMT-1` is `ETC_GMT_MINUS_1`,
/// `America/Port-au-Prince` is `AMERICA_PORT_AU_PRINCE`).
fn varname(zone: &str) -> String {
    let mut spelt = String::with_capacity(zone.len() + 8);
    let mut chars = zone.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '+' => spelt.push_str("_PLUS_"),
            '-' if chars.peek().is_some_and(char::is_ascii_digit) => spelt.push_str("_MINUS_"),
            c if c.is_ascii_alphanumeric() => spelt.push(c.to_ascii_uppercase()),
            _ => spelt.push('_'),
        }
    }
    spelt
        .split('_')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn every_time_zone_has_its_own_name_for_generated_code() {
        let mut seen = BTreeMap::new();
        for tz in chrono_tz::TZ_VARIANTS {
            let name = varname(tz.name());
            let word = |w: &str| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            };
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase()) && name.split('_').all(word),
                "{} gives {name}",
                tz.name()
            );
            if let Some(other) = seen.insert(name.clone(), tz.name()) {
                panic!("{other} and {} both give {name}", tz.name());
            }
        }
        assert_eq!(varname("Etc/GMT+1"), "ETC_GMT_PLUS_1");
        assert_eq!(varname("Etc/GMT-14"), "ETC_GMT_MINUS_14");
        assert_eq!(varname("GMT0"), "GMT0");
        assert_eq!(varname("America/Port-au-Prince"), "AMERICA_PORT_AU_PRINCE");
        assert_eq!(
            varname("America/Argentina/ComodRivadavia"),
            "AMERICA_ARGENTINA_COMODRIVADAVIA"
        );
    }

    #[test]
    fn both_time_zone_fields_name_every_value() {
        let mut doc = json!({"components": {"schemas": {
            "DigestPreferencesInput": {"properties": {"time_zone": {"type": "string"}}},
            "DigestPreferences": {"properties": {"time_zone": {"type": "string"}}},
        }}});
        time_zones(&mut doc);
        for name in ["DigestPreferencesInput", "DigestPreferences"] {
            let zone = &doc["components"]["schemas"][name]["properties"]["time_zone"];
            let values = zone["enum"].as_array().expect("an enum");
            let names = zone["x-enum-varnames"].as_array().expect("its names");
            assert_eq!(values.len(), chrono_tz::TZ_VARIANTS.len());
            assert_eq!(values.len(), names.len(), "{name}");
            let at = values
                .iter()
                .position(|v| v == "Europe/Paris")
                .expect("Europe/Paris");
            assert_eq!(names[at], "EUROPE_PARIS");
        }
    }
}
