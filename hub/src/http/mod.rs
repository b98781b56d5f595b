//! The HTTP surface: the JSON API, its OpenAPI document, and health probes.

pub mod agent_auth;
pub mod api;
pub mod auth;
pub mod extract;
mod health;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::error::Error;

#[derive(OpenApi)]
#[openapi(
    paths(health::openapi_json),
    modifiers(&AgentTokenScheme),
    info(
        title = "Agora hub API",
        description = "Shared machine learning work of official statistics: organisations, \
                       workstreams, projects, model cards and their activity."
    ),
    tags(
        (name = "organisations", description = "Statistical offices and international bodies"),
        (name = "workstreams", description = "Groups in which offices work together"),
        (name = "memberships", description = "Who takes part in which workstream"),
        (name = "projects", description = "Pilot studies and production systems"),
        (name = "models", description = "Model cards, versions and evaluation results"),
        (name = "events", description = "The activity feed"),
        (name = "agents", description = "Offices' agents and what they sync"),
        (name = "operations", description = "Health probes and this document"),
    )
)]
struct ApiDoc;

/// Declares the `agent_token` bearer scheme used by the agent routes.
struct AgentTokenScheme;

impl utoipa::Modify for AgentTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "agent_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An agent token (`agt_…`) from `agora-hub agent create`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API routes with their OpenAPI description, before state is attached.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(api::organisations::router())
        .merge(api::workstreams::router())
        .merge(api::memberships::router())
        .merge(api::projects::router())
        .merge(api::models::router())
        .merge(api::events::router())
        .merge(api::agents::router())
        .merge(api::agent_sync::router())
        .merge(health::router())
}

/// The complete application: API, OpenAPI document, probes, limits and request tracing.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api().split_for_parts();
    // Serialised once: the document does not change while the process runs.
    let openapi = serde_json::to_value(&openapi).unwrap_or_default();
    let max_body = state.config.max_body_bytes;
    api.route(
        "/api/v1/openapi.json",
        get(move || async move { Json(openapi) }),
    )
    .fallback(not_found)
    .layer(DefaultBodyLimit::max(max_body))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

async fn not_found() -> impl IntoResponse {
    Error::NotFound("no such route".into())
}
