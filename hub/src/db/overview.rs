//! Reads that pages need beyond the API's lists: counts by journey stage, a project's
//! path through the stages, a model's own activity. Each applies the read policy in SQL,
//! so counts never include what the caller may not see.

use std::collections::BTreeMap;

use agora_schemas::{Event, JourneyStage};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::parse_stored;
use crate::error::Result;
use crate::policy::Caller;

/// Projects (listed by their source) per journey stage, for each workstream.
pub async fn stages_by_workstream(
    conn: &mut PgConnection,
    caller: &Caller,
) -> Result<BTreeMap<String, BTreeMap<JourneyStage, i64>>> {
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT w.slug::text, p.stage, count(*) FROM projects p \
         JOIN project_workstreams pw ON pw.project_id = p.id \
         JOIN workstreams w ON w.id = pw.workstream_id \
         WHERE p.withdrawn_at IS NULL AND ",
    );
    caller.push_can_read(&mut qb, "p.visibility", super::projects::OWNERS);
    qb.push(" GROUP BY 1, 2");
    let rows: Vec<(String, String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut out: BTreeMap<String, BTreeMap<JourneyStage, i64>> = BTreeMap::new();
    for (workstream, stage, n) in rows {
        let stage: JourneyStage = parse_stored("stage", &stage)?;
        out.entry(workstream).or_default().insert(stage, n);
    }
    Ok(out)
}

/// When a project reached each stage it has been at, oldest first, from its events.
pub async fn stage_history(
    conn: &mut PgConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Vec<(JourneyStage, DateTime<Utc>)>> {
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT coalesce(e.payload->>'to', e.payload->>'stage'), e.at FROM events_now e \
         WHERE e.subject_kind = 'project' AND e.kind IN ('project.created', 'project.stage_changed') \
         AND e.subject = ",
    );
    qb.push_bind(slug.to_string()).push(" AND ");
    super::events::push_readable(caller, &mut qb);
    qb.push(" ORDER BY e.id");
    let rows: Vec<(Option<String>, DateTime<Utc>)> =
        qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .filter_map(|(stage, at)| stage.map(|s| (s, at)))
        .map(|(s, at)| Ok((parse_stored("stage", &s)?, at)))
        .collect()
}

/// The newest events about a model card and its versions.
pub async fn model_events(
    conn: &mut PgConnection,
    caller: &Caller,
    key: &str,
    limit: i64,
) -> Result<Vec<Event>> {
    let mut qb = super::events::select_shown(caller);
    qb.push(" AND ((e.subject_kind = 'model' AND e.subject = ")
        .push_bind(key.to_string())
        .push(") OR (e.subject_kind = 'model_version' AND starts_with(e.subject, ")
        .push_bind(format!("{key}/"))
        .push(")))");
    qb.push(" ORDER BY e.id DESC LIMIT ").push_bind(limit);
    let rows: Vec<super::events::EventRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(super::events::EventRow::into_event)
        .collect())
}
