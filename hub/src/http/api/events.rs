//! `/api/v1/events`: the activity feed, newest first, with cursor paging.

use agora_schemas::Event;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::events::{self, EventFilter};
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
    /// Only events older than this one: pass the previous page's `next_cursor`.
    before: Option<i64>,
    /// Events per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// Workstream slug.
    workstream: Option<String>,
    /// Organisation slug.
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
    /// Pass as `before` to read the next (older) page; absent on the last page.
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
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(Error::invalid("limit", "must be between 1 and 200"));
    }
    let filter = EventFilter {
        before: q.before,
        limit: limit + 1,
        workstream: q.workstream,
        organisation: q.organisation,
        kind: q.kind,
        subject_kind: q.subject_kind,
        subject: q.subject,
    };
    let mut items = events::list(&state.db, &caller, &filter).await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(EventPage { items, next_cursor }))
}
