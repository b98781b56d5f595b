//! The append-only event log.

use agora_schemas::{Event, Visibility};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgExecutor, Postgres, QueryBuilder};

use crate::error::Result;
use crate::policy::Caller;

/// An event about to be written, in the same transaction as the change it records.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub actor: String,
    pub kind: &'static str,
    pub subject_kind: &'static str,
    pub subject: String,
    pub summary: String,
    pub workstreams: Vec<String>,
    pub organisations: Vec<String>,
    pub visibility: Visibility,
    pub payload: serde_json::Value,
}

pub async fn append(ex: impl PgExecutor<'_>, e: &NewEvent) -> Result<i64> {
    let id = sqlx::query_scalar(
        r#"INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams,
                               organisations, visibility, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           RETURNING id"#,
    )
    .bind(&e.actor)
    .bind(e.kind)
    .bind(e.subject_kind)
    .bind(&e.subject)
    .bind(&e.summary)
    .bind(&e.workstreams)
    .bind(&e.organisations)
    .bind(e.visibility.as_str())
    .bind(&e.payload)
    .fetch_one(ex)
    .await?;
    Ok(id)
}

/// Filters of the activity feed. `before` is the cursor: events older than that id.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events older than this one (by id).
    pub before: Option<i64>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only events before this time.
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
    pub workstream: Option<String>,
    pub organisation: Option<String>,
    pub kind: Option<String>,
    pub subject_kind: Option<String>,
    pub subject: Option<String>,
}

/// An event as [`select_shown`] reads it.
#[derive(FromRow)]
pub(crate) struct EventRow {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    kind: String,
    subject_kind: String,
    subject: String,
    summary: String,
    workstreams: Vec<String>,
    organisations: Vec<String>,
}

/// Appends to a query over `events_now e` whether the caller may read event `e`: it could
/// read the event when it was written (its stored visibility and organisations), and it may
/// read today what the event is about (its subject and any second item it names; a subject
/// that no longer exists is judged by the stored visibility alone). The one read policy,
/// `can_read`, is asked for each.
pub fn push_readable(caller: &Caller, qb: &mut QueryBuilder<Postgres>) {
    qb.push("(");
    caller.push_can_read(qb, "e.visibility", "e.organisations");
    qb.push(" AND ");
    caller.push_can_read(
        qb,
        "coalesce(e.subject_visibility, e.visibility)",
        "coalesce(e.subject_owners, e.organisations)",
    );
    qb.push(" AND (e.other_visibility IS NULL OR ");
    caller.push_can_read(qb, "e.other_visibility", "e.other_owners");
    qb.push("))");
}

/// Appends whether the caller may know the workstreams event `e` carries: they are the
/// workstreams of its project (`context_*`), named only to readers of that project.
fn push_context_readable(caller: &Caller, qb: &mut QueryBuilder<Postgres>) {
    qb.push("(e.context_visibility IS NULL OR ");
    caller.push_can_read(qb, "e.context_visibility", "e.context_owners");
    qb.push(")");
}

/// Appends the workstreams of event `e` that the caller may see, in stored order: none
/// when it may not read the project they come from, and never a workstream it may not read.
pub fn push_shown_workstreams(caller: &Caller, qb: &mut QueryBuilder<Postgres>) {
    qb.push("CASE WHEN ");
    push_context_readable(caller, qb);
    qb.push(
        " THEN ARRAY(SELECT w.slug::text FROM unnest(e.workstreams) WITH ORDINALITY AS x(slug, n) \
         JOIN workstreams w ON w.slug = x.slug WHERE ",
    );
    caller.push_can_read(qb, "w.visibility", "'{}'::text[]");
    qb.push(" ORDER BY x.n) ELSE '{}'::text[] END");
}

/// Appends that event `e` is shown in workstream `slug` to the caller: the event is about
/// it, the caller may read the workstream, and may know the event's workstreams. A
/// workstream the caller may not read filters to nothing, as one that does not exist.
pub fn push_in_workstream(caller: &Caller, qb: &mut QueryBuilder<Postgres>, slug: &str) {
    qb.push("e.workstreams @> ARRAY[")
        .push_bind(slug.to_string())
        .push("]::text[] AND ");
    push_context_readable(caller, qb);
    qb.push(" AND EXISTS (SELECT 1 FROM workstreams fw WHERE fw.slug = ")
        .push_bind(slug.to_string())
        .push(" AND ");
    caller.push_can_read(qb, "fw.visibility", "'{}'::text[]");
    qb.push(")");
}

/// The start of a query for events as a caller may see them: rows of [`EventRow`] from
/// `events_now e`, ready for ` WHERE ` and more conditions after [`push_readable`].
pub fn select_shown(caller: &Caller) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(
        "SELECT e.id, e.at, e.actor, e.kind, e.subject_kind, e.subject, e.summary, ",
    );
    push_shown_workstreams(caller, &mut qb);
    qb.push(" AS workstreams, e.organisations FROM events_now e WHERE ");
    push_readable(caller, &mut qb);
    qb
}

impl EventRow {
    pub(crate) fn into_event(self) -> Event {
        Event {
            id: self.id,
            at: self.at,
            actor: self.actor,
            kind: self.kind,
            subject_kind: self.subject_kind,
            subject: self.subject,
            summary: self.summary,
            workstreams: self.workstreams,
            organisations: self.organisations,
        }
    }
}

/// Newest first, only what the caller may see, as it may see it today.
pub async fn list(ex: impl PgExecutor<'_>, caller: &Caller, f: &EventFilter) -> Result<Vec<Event>> {
    let mut qb = select_shown(caller);
    if let Some(before) = f.before {
        qb.push(" AND e.id < ").push_bind(before);
    }
    if let Some(since) = f.since {
        qb.push(" AND e.at >= ").push_bind(since);
    }
    if let Some(until) = f.until {
        qb.push(" AND e.at < ").push_bind(until);
    }
    if let Some(ws) = &f.workstream {
        qb.push(" AND ");
        push_in_workstream(caller, &mut qb, ws);
    }
    if let Some(org) = &f.organisation {
        qb.push(" AND e.organisations @> ARRAY[")
            .push_bind(org.clone())
            .push("]::text[]");
    }
    if let Some(kind) = &f.kind {
        qb.push(" AND e.kind = ").push_bind(kind.clone());
    }
    if let Some(sk) = &f.subject_kind {
        qb.push(" AND e.subject_kind = ").push_bind(sk.clone());
    }
    if let Some(s) = &f.subject {
        qb.push(" AND e.subject = ").push_bind(s.clone());
    }
    qb.push(" ORDER BY e.id DESC LIMIT ").push_bind(f.limit);
    let rows: Vec<EventRow> = qb.build_query_as().fetch_all(ex).await?;
    Ok(rows.into_iter().map(EventRow::into_event).collect())
}

/// Appends several events in one statement, in order (the same rows as [`append`]).
pub async fn append_many(ex: impl PgExecutor<'_>, events: &[NewEvent]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    // Slugs never contain commas: the lists travel as comma-separated text.
    let joined = |list: &[String]| list.join(",");
    sqlx::query(
        r#"INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams,
                               organisations, visibility, payload)
           SELECT actor, kind, subject_kind, subject, summary,
                  coalesce(string_to_array(nullif(workstreams, ''), ','), '{}'),
                  coalesce(string_to_array(nullif(organisations, ''), ','), '{}'),
                  visibility, payload
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::jsonb[]) WITH ORDINALITY
                AS r(actor, kind, subject_kind, subject, summary, workstreams, organisations,
                     visibility, payload, n)
           ORDER BY n"#,
    )
    .bind(events.iter().map(|e| e.actor.clone()).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.kind).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.subject_kind).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.subject.clone()).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.summary.clone()).collect::<Vec<_>>())
    .bind(
        events
            .iter()
            .map(|e| joined(&e.workstreams))
            .collect::<Vec<_>>(),
    )
    .bind(
        events
            .iter()
            .map(|e| joined(&e.organisations))
            .collect::<Vec<_>>(),
    )
    .bind(
        events
            .iter()
            .map(|e| e.visibility.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>())
    .execute(ex)
    .await?;
    Ok(())
}
