//! `/api/v1/workstreams`: the groups in which offices work together.

use agora_schemas::{Membership, MembershipRole, Workstream, WorkstreamInput};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{page_of, same_key, saved};
use crate::app::AppState;
use crate::db::memberships::{self, MembershipFilter};
use crate::db::{PageRequest, SaveMode, workstreams};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(WorkstreamPage, Workstream);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace))
}

/// Paging for the workstream list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkstreamQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists the workstreams the caller may see, by code.
#[utoipa::path(get, path = "/api/v1/workstreams", tag = "workstreams", operation_id = "workstreams_list", params(WorkstreamQuery),
    responses((status = 200, description = "Success", body = WorkstreamPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<WorkstreamQuery>,
) -> Result<Json<WorkstreamPage>> {
    let page = page_request(q.page, q.per_page)?;
    let mut conn = state.db.acquire().await?;
    let (items, total) = workstreams::list(&mut conn, &caller, page).await?;
    Ok(Json(WorkstreamPage::new(items, total, page)))
}

/// Starts a workstream.
#[utoipa::path(post, path = "/api/v1/workstreams", tag = "workstreams", operation_id = "workstreams_create", request_body = WorkstreamInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Workstream), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 409, description = "An item with this key exists already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<WorkstreamInput>,
) -> Result<Response> {
    write::require(
        &caller,
        write::can_create_workstream(&caller),
        "start workstreams (administrators do)",
    )?;
    let mut tx = state.db.begin().await?;
    let (ws, outcome) = workstreams::save(&mut tx, &input, &caller.actor, SaveMode::Create).await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/workstreams/{}", ws.spec.slug),
        ws,
    ))
}

/// Reads one workstream.
#[utoipa::path(get, path = "/api/v1/workstreams/{slug}", tag = "workstreams", operation_id = "workstreams_get_one",
    params(("slug" = String, Path, description = "Workstream slug")),
    responses((status = 200, description = "Success", body = WorkstreamDetail), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> Result<Json<WorkstreamDetail>> {
    let slug = slug.to_ascii_lowercase();
    let mut conn = state.db.acquire().await?;
    let workstream = workstreams::get(&mut conn, &caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("workstream `{slug}`")))?;
    let first = PageRequest {
        page: 1,
        per_page: MAX_LISTED,
    };
    let of = |role, organisations_only| MembershipFilter {
        workstream: Some(slug.clone()),
        role,
        organisations_only,
        ..MembershipFilter::default()
    };
    let (leads, _) = memberships::list(
        &mut conn,
        &caller,
        &of(Some(MembershipRole::Lead), false),
        first,
    )
    .await?;
    let (organisations, _) = memberships::list(&mut conn, &caller, &of(None, true), first).await?;
    Ok(Json(WorkstreamDetail {
        workstream,
        leads,
        organisations,
    }))
}

/// Most leads and member organisations a workstream's answer lists; all of them are in
/// `/api/v1/memberships?workstream=`.
const MAX_LISTED: u32 = 100;

/// A workstream with who leads it and the organisations taking part, as the caller may
/// see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkstreamDetail {
    #[serde(flatten)]
    pub workstream: Workstream,
    /// Its leads, people and organisations.
    pub leads: Vec<Membership>,
    /// The organisations taking part, leads included.
    pub organisations: Vec<Membership>,
}

/// Replaces a workstream's details; its slug cannot change.
#[utoipa::path(put, path = "/api/v1/workstreams/{slug}", tag = "workstreams", operation_id = "workstreams_replace", request_body = WorkstreamInput,
    params(("slug" = String, Path, description = "Workstream slug")),
    responses((status = 200, description = "Success", body = Workstream), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Strict(input): Strict<WorkstreamInput>,
) -> Result<Response> {
    same_key("slug", &input.slug, &slug)?;
    write::require(&caller, true, "change workstreams")?;
    let mut tx = state.db.begin().await?;
    if workstreams::get(&mut tx, &caller, &slug).await?.is_none() {
        return Err(Error::NotFound(format!("workstream `{slug}`")));
    }
    write::require(
        &caller,
        write::can_manage_workstream(&caller, &slug),
        "change this workstream (its leads and administrators do)",
    )?;
    let (ws, outcome) =
        workstreams::save(&mut tx, &input, &caller.actor, SaveMode::Replace).await?;
    tx.commit().await?;
    Ok(saved(outcome, &format!("/api/v1/workstreams/{slug}"), ws))
}
