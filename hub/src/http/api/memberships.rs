//! `/api/v1/memberships`: organisations and people in workstreams.

use agora_schemas::{Membership, MembershipInput, MembershipRole};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{page_of, saved};
use crate::app::AppState;
use crate::db::keys::KeyKind;
use crate::db::memberships::{self, MembershipFilter};
use crate::db::{Outcome, users};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(MembershipPage, Membership);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace, remove))
}

/// The organisation a member stands for: the organisation itself, or the person's.
async fn member_organisation(
    conn: &mut sqlx::PgConnection,
    input: &MembershipInput,
) -> Result<Option<String>> {
    if let Some(org) = &input.organisation {
        return Ok(Some(org.to_string()));
    }
    match &input.user {
        Some(email) => Ok(users::by_email(&mut *conn, email)
            .await?
            .and_then(|u| u.organisation)),
        None => Ok(None),
    }
}

/// Whether the caller may add, change or remove this membership.
async fn may_manage(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    input: &MembershipInput,
) -> Result<()> {
    write::require(caller, true, "change memberships")?;
    let org = member_organisation(conn, input).await?;
    write::require(
        caller,
        write::can_manage_membership(caller, &input.workstream, org.as_deref(), input.role),
        "change this workstream's members (its leads, administrators, and stewards for their own organisation do)",
    )
}

/// Filters and paging for the membership list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MembershipQuery {
    /// Workstream slug.
    workstream: Option<String>,
    /// Organisation slug: the organisation itself and its people.
    organisation: Option<String>,
    role: Option<MembershipRole>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists memberships. People's e-mail addresses are shown to signed-in members only.
#[utoipa::path(get, path = "/api/v1/memberships", tag = "memberships", operation_id = "memberships_list", params(MembershipQuery),
    responses((status = 200, description = "Success", body = MembershipPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<MembershipQuery>,
) -> Result<Json<MembershipPage>> {
    let page = page_request(q.page, q.per_page)?;
    let mut conn = state.db.acquire().await?;
    let filter = MembershipFilter {
        workstream: KeyKind::Workstream
            .resolve(&mut conn, &caller, q.workstream)
            .await?,
        organisation: KeyKind::Organisation
            .resolve(&mut conn, &caller, q.organisation)
            .await?,
        role: q.role,
        ..MembershipFilter::default()
    };
    let (items, total) = memberships::list(&mut conn, &caller, &filter, page).await?;
    Ok(Json(MembershipPage::new(items, total, page)))
}

/// Adds an organisation or a person to a workstream. Adding an existing member again with
/// another role changes the role.
#[utoipa::path(post, path = "/api/v1/memberships", tag = "memberships", operation_id = "memberships_create", request_body = MembershipInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Membership), (status = 200, description = "Success", body = Membership), (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<MembershipInput>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    may_manage(&mut tx, &caller, &input).await?;
    let (id, outcome) = memberships::save(&mut tx, &input, &caller.actor).await?;
    let membership = memberships::get(&mut tx, &Caller::system(), id)
        .await?
        .ok_or_else(|| Error::Internal("membership vanished after save".into()))?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/memberships/{id}"),
        membership,
    ))
}

/// Reads one membership.
#[utoipa::path(get, path = "/api/v1/memberships/{id}", tag = "memberships", operation_id = "memberships_get_one",
    params(("id" = i64, Path, description = "Membership id")),
    responses((status = 200, description = "Success", body = Membership), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Membership>> {
    let id = membership_id(&id)?;
    let mut conn = state.db.acquire().await?;
    memberships::get(&mut conn, &caller, id)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("membership {id}")))
}

/// Changes the role of a membership; the workstream and member cannot change.
#[utoipa::path(put, path = "/api/v1/memberships/{id}", tag = "memberships", operation_id = "memberships_replace", request_body = MembershipInput,
    params(("id" = i64, Path, description = "Membership id")),
    responses((status = 200, description = "Success", body = Membership), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Strict(input): Strict<MembershipInput>,
) -> Result<Response> {
    let id = membership_id(&id)?;
    write::require(&caller, true, "change memberships")?;
    let mut tx = state.db.begin().await?;
    let Some(current) = memberships::get(&mut tx, &caller, id).await? else {
        return Err(Error::NotFound(format!("membership {id}")));
    };
    may_manage(&mut tx, &caller, &current.spec).await?;
    may_manage(&mut tx, &caller, &input).await?;
    // Saving finds the membership by workstream and member: another id means the body
    // names another member, which is refused (the transaction is rolled back).
    let (saved_id, _) = memberships::save(&mut tx, &input, &caller.actor).await?;
    if saved_id != id {
        return Err(Error::invalid(
            "workstream",
            "a membership's workstream and member cannot change: add a new membership instead",
        ));
    }
    let membership = memberships::get(&mut tx, &Caller::system(), id)
        .await?
        .ok_or_else(|| Error::Internal("membership vanished after save".into()))?;
    tx.commit().await?;
    Ok(saved(
        Outcome::Updated,
        &format!("/api/v1/memberships/{id}"),
        membership,
    ))
}

/// Removes a membership.
#[utoipa::path(delete, path = "/api/v1/memberships/{id}", tag = "memberships", operation_id = "memberships_remove",
    params(("id" = i64, Path, description = "Membership id")),
    responses((status = 204, description = "Removed"), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = membership_id(&id)?;
    write::require(&caller, true, "change memberships")?;
    let mut tx = state.db.begin().await?;
    let Some(current) = memberships::get(&mut tx, &caller, id).await? else {
        return Err(Error::NotFound(format!("membership {id}")));
    };
    may_manage(&mut tx, &caller, &current.spec).await?;
    memberships::delete(&mut tx, id, &caller.actor).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Membership ids are numbers: any other id in the URL names no membership (a JSON 404,
/// where axum's `Path<i64>` would answer a plain-text 400).
fn membership_id(raw: &str) -> Result<i64> {
    raw.parse()
        .map_err(|_| Error::NotFound(format!("membership `{raw}`")))
}
