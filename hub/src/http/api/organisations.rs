//! `/api/v1/organisations`: statistical offices and international bodies.

use agora_schemas::{Organisation, OrganisationInput};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{page_of, same_key, saved};
use crate::app::AppState;
use crate::db::{SaveMode, organisations};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(OrganisationPage, Organisation);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace))
}

/// Paging for the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists organisations by slug.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", operation_id = "organisations_list", params(OrganisationQuery),
    responses((status = 200, description = "Success", body = OrganisationPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Params(q): Params<OrganisationQuery>,
) -> Result<Json<OrganisationPage>> {
    let page = page_request(q.page, q.per_page)?;
    let mut conn = state.db.acquire().await?;
    let (items, total) = organisations::list(&mut conn, page).await?;
    Ok(Json(OrganisationPage::new(items, total, page)))
}

/// Registers an organisation.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", operation_id = "organisations_create", request_body = OrganisationInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Organisation), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 409, description = "An item with this key exists already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<OrganisationInput>,
) -> Result<Response> {
    write::require(
        &caller,
        write::can_create_organisation(&caller),
        "register organisations (administrators do)",
    )?;
    let mut tx = state.db.begin().await?;
    let (org, outcome) =
        organisations::save(&mut tx, &input, &caller.actor, SaveMode::Create).await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/organisations/{}", org.spec.slug),
        org,
    ))
}

/// Reads one organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}", tag = "organisations", operation_id = "organisations_get_one",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, description = "Success", body = Organisation), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Organisation>> {
    organisations::get(&state.db, &slug)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("organisation `{slug}`")))
}

/// Replaces an organisation's details; its slug cannot change.
#[utoipa::path(put, path = "/api/v1/organisations/{slug}", tag = "organisations", operation_id = "organisations_replace", request_body = OrganisationInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, description = "Success", body = Organisation), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Strict(input): Strict<OrganisationInput>,
) -> Result<Response> {
    same_key("slug", &input.slug, &slug)?;
    write::require(
        &caller,
        write::can_manage_organisation(&caller, &slug),
        "change this organisation (its stewards and administrators do)",
    )?;
    let mut tx = state.db.begin().await?;
    let (org, outcome) =
        organisations::save(&mut tx, &input, &caller.actor, SaveMode::Replace).await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/organisations/{slug}"),
        org,
    ))
}
