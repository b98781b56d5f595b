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
    pub before: Option<i64>,
    pub limit: i64,
    pub workstream: Option<String>,
    pub organisation: Option<String>,
    pub kind: Option<String>,
    pub subject_kind: Option<String>,
    pub subject: Option<String>,
}

#[derive(FromRow)]
struct EventRow {
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

/// Newest first, only what the caller may see.
pub async fn list(ex: impl PgExecutor<'_>, caller: &Caller, f: &EventFilter) -> Result<Vec<Event>> {
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT id, at, actor, kind, subject_kind, subject, summary, workstreams, organisations \
         FROM events WHERE ",
    );
    caller.push_can_read(&mut qb, "visibility", "organisations");
    if let Some(before) = f.before {
        qb.push(" AND id < ").push_bind(before);
    }
    if let Some(ws) = &f.workstream {
        qb.push(" AND workstreams @> ARRAY[")
            .push_bind(ws.clone())
            .push("]::text[]");
    }
    if let Some(org) = &f.organisation {
        qb.push(" AND organisations @> ARRAY[")
            .push_bind(org.clone())
            .push("]::text[]");
    }
    if let Some(kind) = &f.kind {
        qb.push(" AND kind = ").push_bind(kind.clone());
    }
    if let Some(sk) = &f.subject_kind {
        qb.push(" AND subject_kind = ").push_bind(sk.clone());
    }
    if let Some(s) = &f.subject {
        qb.push(" AND subject = ").push_bind(s.clone());
    }
    qb.push(" ORDER BY id DESC LIMIT ").push_bind(f.limit);
    let rows: Vec<EventRow> = qb.build_query_as().fetch_all(ex).await?;
    Ok(rows
        .into_iter()
        .map(|r| Event {
            id: r.id,
            at: r.at,
            actor: r.actor,
            kind: r.kind,
            subject_kind: r.subject_kind,
            subject: r.subject,
            summary: r.summary,
            workstreams: r.workstreams,
            organisations: r.organisations,
        })
        .collect())
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
