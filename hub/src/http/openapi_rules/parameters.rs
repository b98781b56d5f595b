//! Rules on parameters: query text without NUL, search parameters as the hub reads them.

use serde_json::{Value, json};

use super::bodies::nul_free_text;

/// No text holds a NUL character, which PostgreSQL cannot store: query parameters say so,
/// beside any pattern of their own (a NUL in a body is refused the same way, and in a
/// path it names nothing). Search is the exception: it reads its query itself, never
/// sends it to PostgreSQL, and takes a NUL as a word separator.
pub(super) fn nul_free_queries(doc: &mut Value) {
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
                    && !["enum", "const", "format"]
                        .iter()
                        .any(|k| text.contains_key(*k))
                {
                    nul_free_text(text);
                }
            }
        }
    }
}

/// Search reads its own query ([`crate::search::SearchRequest::from_query`]): a facet may
/// be given up to [`MAX_GIVEN`] times, each listing up to [`MAX_LISTED`] values separated
/// by commas, each at most [`MAX_VALUE_CHARS`] characters; an empty value (or `sort`) is
/// no filter (or the default order).
pub(super) fn search_facets(doc: &mut Value) {
    use crate::search::query::{MAX_GIVEN, MAX_LISTED, MAX_VALUE_CHARS};
    use crate::search::schema::FACETS;
    let listed = format!(
        "^[^,]{{0,{MAX_VALUE_CHARS}}}(?:,[^,]{{0,{MAX_VALUE_CHARS}}}){{0,{}}}$",
        MAX_LISTED - 1
    );
    let params = doc["paths"]["/api/v1/search"]["get"]
        .get_mut("parameters")
        .and_then(Value::as_array_mut);
    for param in params.into_iter().flatten() {
        let name = param["name"].as_str().unwrap_or_default().to_string();
        let schema = &mut param["schema"];
        if FACETS.iter().any(|(p, _)| *p == name) {
            schema["maxItems"] = json!(MAX_GIVEN);
            let items = &mut schema["items"];
            match items.get_mut("enum").and_then(Value::as_array_mut) {
                Some(values) => values.push(json!("")),
                None => items["pattern"] = json!(listed),
            }
        } else if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
            values.push(json!(""));
        }
    }
}

/// The subjects of `/api/v1/assessments/compare`, as its handler reads them
/// ([`crate::http::api::assessment_compare`]): up to six models as `<organisation>/<name>`
/// and six projects by slug, each at most 200 characters.
pub(super) fn compared_subjects(doc: &mut Value) {
    use crate::http::api::assessment_compare::{MAX_KEY, MAX_PER_KIND};
    let params = doc["paths"]["/api/v1/assessments/compare"]["get"]
        .get_mut("parameters")
        .and_then(Value::as_array_mut);
    for param in params.into_iter().flatten() {
        let pattern = match param["name"].as_str() {
            Some("model") => "^[^/]+/[^/]+$",
            Some("project") => "^[^/]+$",
            _ => continue,
        };
        param["schema"] = json!({
            "type": "array",
            "maxItems": MAX_PER_KIND,
            "items": {"type": "string", "maxLength": MAX_KEY, "pattern": pattern},
        });
        param["style"] = json!("form");
        param["explode"] = json!(true);
    }
}
