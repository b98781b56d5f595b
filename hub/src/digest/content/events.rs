//! Reading a period's events and a workstream's description for a digest.

use agora_schemas::Visibility;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::{FromRow, PgConnection};

use crate::digest::content::{WorkstreamInfo, text};
use crate::digest::period::Period;
use crate::error::Result;
use crate::policy::Caller;

/// An event of the log, with what the read policy needs to decide who sees it: its stored
/// audience, and the audience today of what it is about (the view `events_now`).
#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) subject_kind: String,
    pub(super) subject: String,
    pub(super) summary: String,
    pub(super) payload: Value,
    pub(super) visibility: String,
    pub(super) organisations: Vec<String>,
    pub(super) subject_visibility: Option<String>,
    pub(super) subject_owners: Option<Vec<String>>,
    pub(super) other_visibility: Option<String>,
    pub(super) other_owners: Option<Vec<String>>,
    pub(super) context_visibility: Option<String>,
    pub(super) context_owners: Option<Vec<String>>,
}

/// Whether the caller may read an item of this visibility and these owners (the policy's
/// `can_read`; an unknown visibility is read by no one).
fn may_read(caller: &Caller, visibility: &str, owners: &[String]) -> bool {
    visibility
        .parse::<Visibility>()
        .is_ok_and(|v| caller.can_read(v, owners))
}

impl EventRow {
    /// Whether the caller may read this event in a workstream's digest: as the activity
    /// feed decides (`db::events::push_readable`), and, since the digest places the event
    /// in the workstream, only if it may know the event's workstreams (its project's).
    pub(super) fn readable_by(&self, caller: &Caller) -> bool {
        let subject = match &self.subject_visibility {
            Some(v) => may_read(caller, v, self.subject_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        let other = match &self.other_visibility {
            Some(v) => may_read(caller, v, self.other_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        let context = match &self.context_visibility {
            Some(v) => may_read(caller, v, self.context_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        may_read(caller, &self.visibility, &self.organisations) && subject && other && context
    }
}

/// An agent of one of the workstream's organisations that went silent in the period.
#[derive(Debug, Clone, FromRow)]
pub struct SilentAgent {
    pub(super) organisation: String,
    pub(super) name: String,
    pub(super) last_seen_at: Option<DateTime<Utc>>,
}

/// Everything that happened in a workstream in a period, for every reader: the same for
/// all subscribers of that workstream and period, filtered per subscriber by [`build`].
#[derive(Debug, Clone, Default)]
pub struct PeriodEvents {
    pub(super) events: Vec<EventRow>,
    /// Earlier results of the benchmarks recorded in the period, for leaderboard moves.
    pub(super) earlier_results: Vec<EventRow>,
    pub(super) silent_agents: Vec<SilentAgent>,
}

const EVENT_COLUMNS: &str = "SELECT id, kind, subject_kind, subject, summary, payload, \
    visibility::text AS visibility, organisations, subject_visibility, subject_owners, \
    other_visibility, other_owners, context_visibility, context_owners FROM events_now ";

/// Reads what happened in `workstream` over `period`, whoever may see it.
pub async fn fetch(
    conn: &mut PgConnection,
    workstream: &WorkstreamInfo,
    period: &Period,
    silent_after: Duration,
) -> Result<PeriodEvents> {
    let events: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{EVENT_COLUMNS} WHERE workstreams @> ARRAY[$1]::text[] AND at >= $2 AND at < $3 ORDER BY id"
    )))
    .bind(&workstream.slug)
    .bind(period.start)
    .bind(period.end)
    .fetch_all(&mut *conn)
    .await?;
    let benchmarks: Vec<String> = events
        .iter()
        .filter(|e| e.kind == "benchmark_result.recorded")
        .filter_map(|e| text(&e.payload, "benchmark"))
        .collect();
    let earlier_results = if benchmarks.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EVENT_COLUMNS} WHERE kind = 'benchmark_result.recorded' AND at < $1 \
             AND payload->>'benchmark' = ANY($2) ORDER BY id"
        )))
        .bind(period.start)
        .bind(&benchmarks)
        .fetch_all(&mut *conn)
        .await?
    };
    let silent_agents: Vec<SilentAgent> = sqlx::query_as(
        "SELECT o.slug::text AS organisation, a.name::text AS name, a.last_seen_at \
         FROM agents a JOIN organisations o ON o.id = a.organisation_id \
         WHERE a.revoked_at IS NULL \
           AND a.organisation_id IN (SELECT organisation_id FROM memberships \
                                     WHERE workstream_id = $1 AND organisation_id IS NOT NULL) \
           AND a.last_seen_at >= $2 AND a.last_seen_at < $3 \
         ORDER BY o.slug, a.name",
    )
    .bind(workstream.id)
    .bind(period.start - silent_after)
    .bind(period.end - silent_after)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PeriodEvents {
        events,
        earlier_results,
        silent_agents,
    })
}

pub async fn workstream(conn: &mut PgConnection, slug: &str) -> Result<Option<WorkstreamInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, slug::text AS slug, code, title FROM workstreams WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(conn)
    .await?)
}
