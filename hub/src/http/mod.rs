//! The HTTP surface: the JSON API (`api`) and its OpenAPI document, health probes, the
//! extractors and middleware every route shares, and the pages people browse (`pages`,
//! sign-in and account included).

pub mod agent_auth;
pub mod api;
mod api_viewer;
pub mod auth;
pub mod extract;
pub mod form;
mod health;
mod hf_hub;
pub mod input;
mod language;
pub mod metrics;
mod openapi_rules;
pub mod pages;
mod refuse;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::error::Error;
use crate::http::auth::PageIdentity;

#[derive(OpenApi)]
#[openapi(
    paths(health::openapi_json),
    modifiers(&Credentials, &AgentTokenScheme),
    info(
        title = "Agora hub API",
        description = "Shared machine learning work of official statistics: organisations, \
                       workstreams, projects, model cards, benchmarks and their activity."
    ),
    tags(
        (name = "organisations", description = "Statistical offices and international bodies"),
        (name = "workstreams", description = "Groups in which offices work together"),
        (name = "memberships", description = "Who takes part in which workstream"),
        (name = "projects", description = "Pilot studies and production systems"),
        (name = "models", description = "Model cards, versions and evaluation results"),
        (name = "assessments", description = "QF4SA quality and ethics self-assessments of projects and model versions"),
        (name = "events", description = "The activity feed"),
        (name = "account", description = "The caller's identity, personal API tokens and e-mail digests"),
        (name = "search", description = "Full-text search with facets"),
        (name = "agents", description = "Offices' agents: what they sync, and the benchmark jobs they lease"),
        (name = "benchmarks", description = "Shared evaluation tasks, their runs and leaderboards"),
        (name = "catalog", description = "The DCAT-AP catalogue of public projects and model cards, for open-data portals"),
        (name = "operations", description = "Health probes and this document"),
    )
)]
struct ApiDoc;

/// The credentials the API accepts, described in the document: personal API tokens, and
/// the session cookie (writes then need `X-CSRF-Token`).
struct Credentials;

impl utoipa::Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some("A personal API token (`agp_…`), made on /account".into());
        components.add_security_scheme("token", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "agora_session",
                "The browser session (`__Host-agora_session` over HTTPS); writes also need the \
                 `X-CSRF-Token` header from GET /api/v1/me",
            ))),
        );
        // Every route may be called anonymously (public items), with a token or a session.
        openapi.security = Some(vec![
            SecurityRequirement::default(),
            SecurityRequirement::new("token", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
}

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
        .merge(api::model_results::router())
        .merge(api::assessment_compare::router())
        .merge(api::assessments::router())
        .merge(api::events::router())
        .merge(api::me::router())
        .merge(api::tokens::router())
        .merge(api::digests::router())
        .merge(api::search::router())
        .merge(api::agents::router())
        .merge(api::agent_sync::router())
        .merge(api::benchmarks::router())
        .merge(api::runs::router())
        .merge(api::agent_jobs::router())
        .merge(api::catalog::router())
        .merge(health::router())
}

/// The complete application: API, OpenAPI document, probes, limits and request tracing.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api().split_for_parts();
    // Serialised once: the document does not change while the process runs. Kept as
    // shared bytes: the router clones a route's handler for every request it serves, and a
    // JSON tree of the document cloned with it would be held by every request, a waiting
    // long poll included (what that cost is in docs/benchmarks.md, "Job dispatch").
    let openapi = Bytes::from(serde_json::to_vec(&document(openapi)).unwrap_or_default());
    let max_body = state.config.max_body_bytes;
    let app = api
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let body = openapi.clone();
                async move { ([(CONTENT_TYPE, "application/json")], body) }
            }),
        )
        .merge(api_viewer::router())
        .merge(pages::router())
        .merge(hf_hub::router())
        .merge(language::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    pages::view::errors::catch_panics(app)
        .layer(axum::middleware::from_fn(refuse::refuse_unusable_text))
        .layer(axum::middleware::from_fn(language::mark))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The OpenAPI document as the routes describe it, before the rules of
/// [`openapi_rules`] are written in.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> serde_json::Value {
    document(openapi())
}

fn document(openapi: utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut doc = serde_json::to_value(openapi).unwrap_or_default();
    openapi_rules::apply(&mut doc);
    doc
}

/// No route: JSON for the API, a page that helps for browsers.
async fn not_found(PageIdentity(who): PageIdentity, uri: Uri) -> Response {
    if pages::view::errors::is_api(uri.path()) {
        Error::NotFound("no such route".into()).into_response()
    } else {
        pages::view::errors::page(&who, uri.path(), Error::NotFound("page".into()))
    }
}

async fn method_not_allowed(PageIdentity(who): PageIdentity, uri: Uri) -> Response {
    if pages::view::errors::is_api(uri.path()) {
        Error::MethodNotAllowed.into_response()
    } else {
        pages::view::errors::page(&who, uri.path(), Error::MethodNotAllowed)
    }
}
