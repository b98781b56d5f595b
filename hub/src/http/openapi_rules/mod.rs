//! The rules of the hub's validation that the derive macros cannot state, written into the
//! served OpenAPI document so that a request valid by the document is one the hub accepts
//! (as far as a schema can say: whether a named item exists is for the hub to answer).
//!
//! - Request bodies are decoded strictly: every object a body holds refuses unknown keys
//!   (`additionalProperties: false`), except those that keep them (a model card's own).
//!   Neither the text a body holds nor the keys of its maps (parameters, resources) may
//!   hold a NUL character, which PostgreSQL cannot store.
//! - Query values hold no NUL either, except search's, which never reach PostgreSQL.
//!   Search's facets state how often they may be given, how many values each lists and
//!   how long those may be. Compared assessments name their subjects as keys.
//! - Cross-field rules: exactly one of `qf4sa` and `ethics`; a membership names an
//!   organisation or a person, and a lead is a person; a national statistical office has
//!   a country; a workstream is never visible to one organisation only; an ethics
//!   principle with a medium or high risk says how it is mitigated.
//! - Rules the code checks in loops: a model version's aliases and parameters.
//! - Closed sets checked by code: IANA time zones, the agent protocols the hub serves
//!   (`Agora-Protocol`, required on every agent route).
//! - The rules of the agent's sync batches and job reports.

mod agent;
mod bodies;
mod cross_field;
mod parameters;

use serde_json::Value;

/// Applies every rule to the document (as JSON).
pub fn apply(doc: &mut Value) {
    parameters::compared_subjects(doc);
    parameters::nul_free_queries(doc);
    parameters::search_facets(doc);
    agent::headers(doc);
    agent::bodies(doc);
    bodies::merge_flattened(doc);
    // Before bodies are closed, so that the text of the rules they add is held to it too.
    cross_field::cross_field_rules(doc);
    cross_field::time_zones(doc);
    bodies::strict_request_bodies(doc);
}

const COMPONENT: &str = "#/components/schemas/";

/// A pattern that holds no NUL character.
const NUL_FREE: &str = "^[^\\u0000]*$";

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

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

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
