//! Rules on request bodies: closed objects, answers that flatten an input merged into one
//! object, text without NUL.

use serde_json::{Map, Value, json};

use super::{COMPONENT, NUL_FREE};

/// An answer type that flattens an input type (`Organisation` is an `OrganisationInput`
/// and its timestamps) is written as `allOf` of the input and the rest; once the input is
/// closed, that `allOf` would refuse the rest. Such answers get the input's properties
/// merged into one object instead. Inputs that are themselves `allOf` (open ones) stay.
pub(super) fn merge_flattened(doc: &mut Value) {
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
pub(super) fn strict_request_bodies(doc: &mut Value) {
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

/// Closes the object schemas within `schema` that do not say what other keys may hold, and
/// says of its text that it holds no NUL character (which PostgreSQL cannot store).
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
    let is_text = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_text
        && !["enum", "const", "format"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        nul_free_text(map);
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

/// Says of a text schema that it holds no NUL character, keeping the pattern it states:
/// `\S` (some text that is not blank) becomes one pattern that says both; a pattern that
/// could match a NUL gets the rule beside it (`allOf`).
pub(super) fn nul_free_text(map: &mut Map<String, Value>) {
    match map.get("pattern").and_then(Value::as_str) {
        None => {
            map.insert("pattern".into(), json!(NUL_FREE));
        }
        Some("\\S") => {
            map.insert("pattern".into(), json!(NOT_BLANK_NUL_FREE));
        }
        Some(pattern) if admits_nul(pattern) => {
            let all_of = map
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(parts) = all_of {
                parts.push(json!({"pattern": NUL_FREE}));
            }
        }
        Some(_) => {}
    }
}

/// Not blank, and no NUL character.
const NOT_BLANK_NUL_FREE: &str = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";

/// Whether a pattern may match a text holding a NUL: unless it is anchored at both ends
/// and made only of literal characters and character classes that are not negated.
fn admits_nul(pattern: &str) -> bool {
    if pattern == NUL_FREE || pattern == NOT_BLANK_NUL_FREE {
        return false;
    }
    if !(pattern.starts_with('^') && pattern.ends_with('$')) {
        return true;
    }
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // Escapes of classes that hold a NUL, or that may name one.
            '\\' => {
                if matches!(chars.next(), Some('S' | 'W' | 'D' | 'u' | 'x' | '0' | 'c')) {
                    return true;
                }
            }
            '[' if !in_class => {
                in_class = true;
                if chars.peek() == Some(&'^') {
                    return true;
                }
            }
            ']' if in_class => in_class = false,
            '.' if !in_class => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_that_may_match_a_nul_are_told_apart() {
        for open in [
            "\\S",
            "^[^/]+/[^/]+$",
            "^a.b$",
            "abc",
            "^\\w\\S+$",
            "^[a-z]+",
        ] {
            assert!(admits_nul(open), "{open}");
        }
        for closed in [
            "^[A-Za-z0-9._+-]+$",
            "^[a-z0-9](-?[a-z0-9])*$",
            NUL_FREE,
            "^(a|b)$",
        ] {
            assert!(!admits_nul(closed), "{closed}");
        }
    }

    #[test]
    fn text_keeps_its_pattern_and_gains_the_nul_rule() {
        let text = |pattern: Option<&str>| {
            let mut map = Map::new();
            map.insert("type".into(), json!("string"));
            if let Some(p) = pattern {
                map.insert("pattern".into(), json!(p));
            }
            nul_free_text(&mut map);
            Value::Object(map)
        };
        assert_eq!(text(None)["pattern"], NUL_FREE);
        assert_eq!(text(Some("\\S"))["pattern"], NOT_BLANK_NUL_FREE);
        let slash = text(Some("^[^/]+/[^/]+$"));
        assert_eq!(slash["pattern"], "^[^/]+/[^/]+$");
        assert_eq!(slash["allOf"], json!([{"pattern": NUL_FREE}]));
        assert!(text(Some("^[a-z]+$")).get("allOf").is_none());
    }
}
