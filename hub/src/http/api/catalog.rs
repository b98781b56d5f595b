//! `/api/v1/catalog.ttl` and `/api/v1/catalog.jsonld`: the DCAT-AP 3.0 catalogue of the
//! public projects and model cards, for national open-data portals to harvest.
//!
//! The document is streamed page by page (see [`crate::catalog::stream`]), with an ETag:
//! a harvester that sends it back in `If-None-Match` gets 304 while nothing changed.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::catalog::{Format, etag, stream};
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog_turtle))
        .routes(routes!(catalog_jsonld))
}

async fn respond(state: &AppState, headers: &HeaderMap, format: Format) -> Result<Response> {
    let public_url = state.config.public_url();
    let tag = {
        let mut conn = state.db.acquire().await?;
        etag(&mut conn, &state.config.catalog, &public_url, format).await?
    };
    // Harvesters revalidate every time; the document is public.
    let cache = (CACHE_CONTROL, "public, no-cache");
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| stream::matches(v, &tag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, tag.as_str()), cache]).into_response());
    }
    let content_type = match format {
        Format::Turtle => "text/turtle; charset=utf-8",
        Format::JsonLd => "application/ld+json",
    };
    let body = Body::from_stream(stream::body(
        state.db.clone(),
        state.config.catalog.clone(),
        public_url,
        format,
    ));
    Ok((
        [(CONTENT_TYPE, content_type), (ETAG, tag.as_str()), cache],
        body,
    )
        .into_response())
}

/// The DCAT-AP 3.0 catalogue as Turtle: the public projects and model cards their sources
/// still list, whoever asks (what a portal may republish). Streamed; send the `ETag` back
/// in `If-None-Match` to be answered 304 while nothing changed.
#[utoipa::path(get, path = "/api/v1/catalog.ttl", tag = "catalog", operation_id = "catalog_turtle",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the caller holds")),
    responses((status = 200, description = "The catalogue (DCAT-AP 3.0, Turtle)", content_type = "text/turtle", body = String,
                   headers(("ETag" = String, description = "Changes whenever the catalogue does"))),
              (status = 304, description = "The copy named in `If-None-Match` is current"),
              (status = 500, description = "The hub could not read its database", body = ErrorBody)))]
async fn catalog_turtle(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    respond(&state, &headers, Format::Turtle).await
}

/// The DCAT-AP 3.0 catalogue as JSON-LD with an explicit `@context`: the same graph as
/// the Turtle document. Streamed, with an `ETag` as the Turtle document.
#[utoipa::path(get, path = "/api/v1/catalog.jsonld", tag = "catalog", operation_id = "catalog_jsonld",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the caller holds")),
    responses((status = 200, description = "The catalogue (DCAT-AP 3.0, JSON-LD)", content_type = "application/ld+json", body = Object,
                   headers(("ETag" = String, description = "Changes whenever the catalogue does"))),
              (status = 304, description = "The copy named in `If-None-Match` is current"),
              (status = 500, description = "The hub could not read its database", body = ErrorBody)))]
async fn catalog_jsonld(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    respond(&state, &headers, Format::JsonLd).await
}
