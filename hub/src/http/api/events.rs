//! `/api/v1/events`: the activity feed, newest first, with cursor paging.

use agora_schemas::Event;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::events::{self, EventFilter};
use crate::db::keys::KeyKind;
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::Params;
use crate::policy::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Filters and cursor for the activity feed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The next page: the previous page's `next`.
    #[param(value_type = Option<String>, pattern = r"^[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Only events at or after this time (RFC 3339, such as `2026-12-01T00:00:00Z`).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    since: Option<String>,
    /// Only events before this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    until: Option<String>,
    /// Events per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<i64>,
    /// Deprecated: `cursor` (an event id; an RFC 3339 time is read as `until`).
    #[param(value_type = Option<i64>)]
    before: Option<String>,
    /// Deprecated: `per_page`.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// Workstream slug, in any case.
    workstream: Option<String>,
    /// Organisation slug, in any case.
    organisation: Option<String>,
    /// Event kind, such as `project.stage_changed`.
    kind: Option<String>,
    /// Kind of item changed, such as `project`.
    subject_kind: Option<String>,
    /// The item's key, such as `imf-ts-coding`.
    subject: Option<String>,
}

/// A page of the activity feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `cursor` to read the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Deprecated: the same page as `next`, for `before`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<i64>,
}

/// What happened on the hub, newest first, as far as the caller may see.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", operation_id = "events_list", params(EventQuery),
    responses((status = 200, description = "Success", body = EventPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<EventQuery>,
) -> Result<Json<EventPage>> {
    let (limit, limit_field) = match (q.per_page, q.limit) {
        (Some(n), _) => (n, "per_page"),
        (None, Some(n)) => (n, "limit"),
        (None, None) => (50, "per_page"),
    };
    if !(1..=200).contains(&limit) {
        return Err(Error::invalid(limit_field, "must be between 1 and 200"));
    }
    let mut until = time("until", q.until.as_deref())?;
    let mut before = match q.cursor.as_deref() {
        Some(c) => Some(
            c.parse::<i64>()
                .map_err(|_| Error::invalid("cursor", "the `next` of a previous page"))?,
        ),
        None => None,
    };
    if let Some(b) = q.before.as_deref() {
        match b.parse::<i64>() {
            Ok(id) => before = before.or(Some(id)),
            Err(_) => {
                let t = time("before", Some(b)).map_err(|_| {
                    Error::invalid("before", "takes an event id or an RFC 3339 time")
                })?;
                until = until.min(t).or(t);
            }
        }
    }
    let mut conn = state.db.acquire().await?;
    let filter = EventFilter {
        before,
        since: time("since", q.since.as_deref())?,
        until,
        limit: limit + 1,
        workstream: KeyKind::Workstream
            .resolve(&mut conn, &caller, q.workstream)
            .await?,
        organisation: KeyKind::Organisation
            .resolve(&mut conn, &caller, q.organisation)
            .await?,
        kind: q.kind,
        subject_kind: q.subject_kind,
        subject: q.subject,
    };
    let mut items = events::list(&mut *conn, &caller, &filter).await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(EventPage {
        items,
        next: next_cursor.map(|id| id.to_string()),
        next_cursor,
    }))
}

/// A time parameter, in RFC 3339 as the document declares it.
fn time(field: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let Some(value) = value else {
        return Ok(None);
    };
    match DateTime::parse_from_rfc3339(value.trim()) {
        Ok(t) => Ok(Some(t.with_timezone(&Utc))),
        Err(_) => Err(Error::invalid(
            field,
            "takes an RFC 3339 time, such as 2026-12-01T00:00:00Z",
        )),
    }
}
