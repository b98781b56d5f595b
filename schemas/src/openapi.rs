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
