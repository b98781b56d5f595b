//! `/api/v1/catalog.ttl` and `/api/v1/catalog.jsonld`: the DCAT-AP 3.0 catalogue of the
//! public projects and model cards, for national open-data portals to harvest.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::catalog::{self, Published, jsonld, turtle};
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog_turtle))
        .routes(routes!(catalog_jsonld))
}

async fn graph(state: &AppState) -> Result<catalog::rdf::Graph> {
    let mut conn = state.db.acquire().await?;
    let published = Published::load(&mut conn).await?;
    Ok(catalog::graph(
        &published,
        &state.config.catalog,
        &state.config.public_url(),
    ))
}

/// The DCAT-AP 3.0 catalogue as Turtle: the public projects and model cards their sources
/// still list, whoever asks (what a portal may republish).
#[utoipa::path(get, path = "/api/v1/catalog.ttl", tag = "catalog", operation_id = "catalog_turtle",
    responses((status = 200, description = "The catalogue (DCAT-AP 3.0, Turtle)", content_type = "text/turtle", body = String),
              (status = 500, description = "The hub could not read its database", body = ErrorBody)))]
async fn catalog_turtle(State(state): State<AppState>) -> Result<Response> {
    let text = turtle::write(&graph(&state).await?);
    Ok(([(CONTENT_TYPE, "text/turtle; charset=utf-8")], text).into_response())
}

/// The DCAT-AP 3.0 catalogue as JSON-LD with an explicit `@context`: the same graph as
/// the Turtle document.
#[utoipa::path(get, path = "/api/v1/catalog.jsonld", tag = "catalog", operation_id = "catalog_jsonld",
    responses((status = 200, description = "The catalogue (DCAT-AP 3.0, JSON-LD)", content_type = "application/ld+json", body = Object),
              (status = 500, description = "The hub could not read its database", body = ErrorBody)))]
async fn catalog_jsonld(State(state): State<AppState>) -> Result<Response> {
    let doc = jsonld::write(&graph(&state).await?);
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, "application/ld+json")], text).into_response())
}
