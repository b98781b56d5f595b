//! `/api/docs`: the OpenAPI document in a browsable viewer (Swagger UI) with "try it out"
//! against this hub. Its assets are compiled into the binary, and it asks no outside
//! service to validate the document, so it works with no network.

use axum::Router;
use utoipa_swagger_ui::{Config, SwaggerUi};

pub const PATH: &str = "/api/docs";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let config = Config::new(["/api/v1/openapi.json"])
        .validator_url("none")
        .try_it_out_enabled(true)
        .display_request_duration(true)
        .filter(true);
    SwaggerUi::new(PATH).config(config).into()
}
