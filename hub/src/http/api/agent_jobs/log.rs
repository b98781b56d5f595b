//! `PUT /api/v1/agent/jobs/{job_id}/log`: the tail of a job's log, appended at an offset.

use agora_schemas::job::{LEASE_TOKEN_HEADER, LogAppended, LogOffsetConflict, MAX_LOG_TAIL_BYTES};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::db::jobs;
use crate::error::{Error, ErrorBody, Result};
use crate::http::agent_auth::AgentCaller;
use crate::http::api::agent_jobs::lease_lost;
use crate::http::extract::{Params, Path};

/// Where a log upload starts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Byte offset of this upload in the whole log: the `next_offset` of the last answer
    /// (0 for the first upload).
    offset: u64,
}

/// A part of a job's log as bytes.
// Documentation only: the handler reads every body as bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct LogBytes(Vec<u8>);

/// The body of a `409` to a log upload: [`LogOffsetConflict`] (`expected_offset` says where
/// to resume) when the offset was wrong, or an [`ErrorBody`] when the lease is no longer
/// this token's. Documentation only: the answers are made by `offset_conflict` and
/// [`Error`].
pub struct LogUploadConflict;

impl utoipa::PartialSchema for LogUploadConflict {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::{Ref, schema::AnyOfBuilder};
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(LogOffsetConflict::name()))
            .item(Ref::from_schema_name(ErrorBody::name()))
            .description(Some(
                "Where to resume (`expected_offset`), or why the upload is refused",
            ))
            .into()
    }
}

impl utoipa::ToSchema for LogUploadConflict {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((
            LogOffsetConflict::name().into(),
            LogOffsetConflict::schema(),
        ));
        LogOffsetConflict::schemas(schemas);
        schemas.push((ErrorBody::name().into(), ErrorBody::schema()));
        ErrorBody::schemas(schemas);
    }
}

fn offset_conflict(expected: i64) -> Response {
    let body = LogOffsetConflict {
        error: serde_json::json!({
            "code": "conflict",
            "message": format!("the hub has {expected} bytes of this log: upload from offset {expected}"),
            "field": "offset",
        }),
        expected_offset: u64::try_from(expected).unwrap_or_default(),
    };
    (StatusCode::CONFLICT, Json(body)).into_response()
}

/// Appends to a job's log (plain text) at byte `offset` of the whole log; the hub keeps
/// the last 64 KiB. Bytes it already has (a retried upload that overlaps) are skipped. An
/// upload that would leave a gap, or starts past the end, is answered `409` with
/// `expected_offset`, the length the hub has: resume from there. Uploads are accepted
/// with the job's current lease token (header `Agora-Lease-Token`), also after it ended.
#[utoipa::path(put, path = "/api/v1/agent/jobs/{id}/log", tag = "agents", operation_id = "agent_jobs_log",
    request_body(description = "The next part of the log, as plain text or as bytes",
        content((String = "text/plain"), (inline(LogBytes) = "application/octet-stream"))),
    params(("id" = i64, Path, description = "Job id"), LogQuery,
           ("Agora-Lease-Token" = String, Header, description = "The job's lease token"),
           ("Agora-Protocol" = String, Header, description = "The protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "Appended", body = LogAppended),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 404, description = "The agent's organisation has no such job", body = ErrorBody),
              (status = 409, description = "Wrong offset (`expected_offset` says where to resume), or the lease is no longer this token's", body = LogUploadConflict),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is neither plain text nor bytes (`application/octet-stream`)", body = ErrorBody),
              (status = 422, description = "A parameter or header is missing or invalid; `error.field` names it", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
pub(super) async fn upload_log(
    State(state): State<AppState>,
    AgentCaller(agent): AgentCaller,
    Path(id): Path<i64>,
    Params(q): Params<LogQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let text = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim();
            m.eq_ignore_ascii_case("text/plain")
                || m.eq_ignore_ascii_case("application/octet-stream")
        });
    if !text {
        return Err(Error::UnsupportedMediaType);
    }
    let token = headers
        .get(LEASE_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::invalid(
                LEASE_TOKEN_HEADER,
                "send the job's lease token in this header",
            )
        })?;
    let mut tx = state.db.begin().await?;
    let held = jobs::hold(&mut tx, &agent, id, token)
        .await?
        .ok_or_else(|| Error::NotFound(format!("job {id}")))?;
    if !held.current {
        return Err(lease_lost(id));
    }
    let have = u64::try_from(held.log_length).unwrap_or_default();
    let end = q.offset.saturating_add(body.len() as u64);
    if q.offset > have || end < have {
        return Ok(offset_conflict(held.log_length));
    }
    let skip = usize::try_from(have - q.offset).unwrap_or(usize::MAX);
    let next = jobs::append_log(&mut tx, id, skip, &body, MAX_LOG_TAIL_BYTES).await?;
    tx.commit().await?;
    Ok(Json(LogAppended {
        next_offset: u64::try_from(next).unwrap_or_default(),
    })
    .into_response())
}
