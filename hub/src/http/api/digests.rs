//! `/api/v1/me/digests`: the caller's e-mail digest preferences; and
//! `/api/v1/digests/failures`: digests that could not be delivered, for administrators.

use agora_schemas::{DigestPreferences, DigestPreferencesInput};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::digest::outbox::{self, Failure};
use crate::digest::preferences;
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Strict};
use crate::policy::{Caller, write};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(list_failures))
}

/// Reads the caller's digest preferences: time zone, pause, and a frequency per workstream.
#[utoipa::path(get, path = "/api/v1/me/digests", tag = "account", operation_id = "account_digests_get",
    responses((status = 200, description = "Success", body = DigestPreferences),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Not a person", body = ErrorBody)))]
async fn get_preferences(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<DigestPreferences>> {
    let user_id = write::require_user(&caller)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(preferences::get(&mut conn, user_id).await?))
}

/// Replaces the caller's digest preferences. Workstreams left out are turned off; a
/// changed frequency or time zone starts with the period under way.
#[utoipa::path(put, path = "/api/v1/me/digests", tag = "account", operation_id = "account_digests_put",
    request_body = DigestPreferencesInput,
    responses((status = 200, description = "Saved", body = DigestPreferences),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Missing CSRF token, or not a person", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "A field is invalid (an unknown time zone or workstream); `error.field` names it", body = ErrorBody)))]
async fn put_preferences(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<DigestPreferencesInput>,
) -> Result<Json<DigestPreferences>> {
    let user_id = write::require_user(&caller)?;
    let mut tx = state.db.begin().await?;
    let saved = preferences::save(&mut tx, &caller, user_id, &input, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// Parameters of the failure list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct FailureParams {
    /// Most rows returned (1 to 500, 50 by default).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// Digests that failed for good, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailureList {
    pub items: Vec<Failure>,
}

/// Lists digests the SMTP server refused for good, or whose retries ran out
/// (administrators only).
#[utoipa::path(get, path = "/api/v1/digests/failures", tag = "account", operation_id = "digests_failures_list",
    params(FailureParams),
    responses((status = 200, description = "Success", body = FailureList),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Not an administrator", body = ErrorBody),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list_failures(
    State(state): State<AppState>,
    caller: Caller,
    Params(params): Params<FailureParams>,
) -> Result<Json<FailureList>> {
    write::require(&caller, caller.admin, "read delivery failures")?;
    let limit = params.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(Error::invalid("limit", "must be between 1 and 500"));
    }
    Ok(Json(FailureList {
        items: outbox::failures(&state.db, limit).await?,
    }))
}
