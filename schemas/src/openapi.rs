//! Bridges hand-written JSON Schemas into utoipa's OpenAPI model (feature `openapi`).

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, Schema};

/// Turns a JSON Schema fragment into an OpenAPI schema. OpenAPI 3.1 schemas are JSON
/// Schema 2020-12, so the fragments used here carry over unchanged.
pub fn from_json_schema(value: serde_json::Value) -> RefOr<Schema> {
    serde_json::from_value::<Schema>(value)
        .map(RefOr::T)
        .unwrap_or_else(|_| RefOr::T(Schema::Object(Object::new())))
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    #[test]
    fn checked_strings_keep_their_constraints_in_openapi() {
        let json = serde_json::to_value(crate::Slug::schema()).unwrap();
        assert_eq!(json["pattern"], crate::common::SLUG_PATTERN);
        assert_eq!(json["maxLength"], 64);
        let json = serde_json::to_value(crate::GsbpmCode::schema()).unwrap();
        assert!(json["enum"].as_array().unwrap().contains(&"5.2".into()));
    }
}
