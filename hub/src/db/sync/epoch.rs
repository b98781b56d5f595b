//! Completing an epoch: the source's listing is whole, so what it no longer had is
//! withdrawn, with an event for each.

use agora_schemas::sync::{EpochCompletion, EpochCounts, EpochSummary};
use sqlx::{FromRow, PgConnection};

use super::items::storable;
use super::{AgentRef, MAX_REJECTED_KEPT};
use crate::db::assessments;
use crate::error::Result;

#[derive(FromRow)]
struct EpochState {
    added: i64,
    updated: i64,
    unchanged: i64,
    withdrawn: i64,
    rejected: i64,
    warned: i64,
    completed: bool,
}

/// Closes an epoch: the source's items missing from `keys` are marked withdrawn (kept,
/// flagged, with an event each). Completing an epoch again changes nothing more. Returns
/// the epoch's counts and what this call added to them: the withdrawn items, the listed
/// items never sent (unchanged) and those the agent could not read (rejected); nothing
/// when the epoch was already complete.
pub async fn complete_epoch(
    conn: &mut PgConnection,
    agent: &AgentRef,
    epoch: &str,
    completion: &EpochCompletion,
) -> Result<(EpochSummary, EpochCounts)> {
    let source = completion.source.as_str();
    sqlx::query(
        "INSERT INTO sync_epochs (agent_id, source, epoch) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(agent.id)
    .bind(source)
    .bind(epoch)
    .execute(&mut *conn)
    .await?;
    let state: EpochState = sqlx::query_as(
        "SELECT added, updated, unchanged, withdrawn, rejected, warned, completed_at IS NOT NULL AS completed \
         FROM sync_epochs WHERE agent_id = $1 AND source = $2 AND epoch = $3 FOR UPDATE",
    )
    .bind(agent.id)
    .bind(source)
    .bind(epoch)
    .fetch_one(&mut *conn)
    .await?;
    let summary = |s: &EpochState| EpochSummary {
        source: completion.source.clone(),
        epoch: epoch.to_string(),
        counts: EpochCounts {
            added: s.added.max(0) as u64,
            updated: s.updated.max(0) as u64,
            unchanged: s.unchanged.max(0) as u64,
            withdrawn: s.withdrawn.max(0) as u64,
            rejected: s.rejected.max(0) as u64,
            warned: s.warned.max(0) as u64,
        },
    };
    if state.completed {
        return Ok((summary(&state), EpochCounts::default()));
    }

    let withdrawn = withdraw(conn, agent, source, &completion.keys).await?;
    let rejected = state.rejected + completion.rejected.len() as i64;
    let listed = completion.keys.len() as i64;
    let unchanged = (listed - state.added - state.updated - rejected).max(state.unchanged);
    sqlx::query(
        "UPDATE sync_epochs SET withdrawn = $4, rejected = $5, unchanged = $6, completed_at = now(), \
         rejected_items = CASE WHEN jsonb_array_length(rejected_items) < $8 \
           THEN rejected_items || $7 ELSE rejected_items END \
         WHERE agent_id = $1 AND source = $2 AND epoch = $3",
    )
    .bind(agent.id)
    .bind(source)
    .bind(epoch)
    .bind(withdrawn)
    .bind(rejected)
    .bind(unchanged)
    .bind(storable(&completion.rejected)?)
    .bind(MAX_REJECTED_KEPT)
    .execute(&mut *conn)
    .await?;
    let added = EpochCounts {
        added: 0,
        updated: 0,
        unchanged: (unchanged - state.unchanged).max(0) as u64,
        withdrawn: withdrawn.max(0) as u64,
        rejected: completion.rejected.len() as u64,
        warned: 0,
    };
    let total = summary(&EpochState {
        withdrawn,
        rejected,
        unchanged,
        completed: true,
        ..state
    });
    Ok((total, added))
}

/// Marks the source's listed-before items missing from `keys` withdrawn, with one event
/// each, and returns how many.
async fn withdraw(
    conn: &mut PgConnection,
    agent: &AgentRef,
    source: &str,
    keys: &[String],
) -> Result<i64> {
    let actor = agent.actor();
    // The listing's keys are matched through a hash: room for a million of them.
    sqlx::query("SET LOCAL work_mem = '256MB'")
        .execute(&mut *conn)
        .await?;
    let mut total = 0;
    for (table, events_sql) in [
        ("assessments", assessments::sync::WITHDRAWN_EVENTS),
        ("model_versions", WITHDRAWN_VERSION_EVENTS),
        ("model_cards", WITHDRAWN_CARD_EVENTS),
        ("projects", WITHDRAWN_PROJECT_EVENTS),
    ] {
        // `table` is one of the constants above, never input. `NOT IN (subquery)` runs as a
        // hashed subplan: linear in the number of keys.
        // Withdrawn: items whose key the listing no longer has, and items whose key now
        // gives another, more recently sent item.
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} t SET withdrawn_at = now() \
             WHERE t.agent_id = $1 AND t.source = $2 AND t.source_key IS NOT NULL \
               AND t.withdrawn_at IS NULL \
               AND (t.source_key NOT IN (SELECT unnest($3::text[])) \
                    OR t.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY source_key \
                                  ORDER BY synced_at DESC, id DESC) AS n FROM {table} \
                                WHERE agent_id = $1 AND source = $2 AND source_key IS NOT NULL \
                                  AND withdrawn_at IS NULL) ranked WHERE n > 1)) \
             RETURNING t.id"
        )))
        .bind(agent.id)
        .bind(source)
        .bind(keys)
        .fetch_all(&mut *conn)
        .await?;
        if !ids.is_empty() {
            sqlx::query(events_sql)
                .bind(&actor)
                .bind(&ids)
                .execute(&mut *conn)
                .await?;
        }
        total += ids.len() as i64;
    }
    Ok(total)
}

// The event statements of withdrawals: one event per withdrawn item, in one statement.
const WITHDRAWN_VERSION_EVENTS: &str = "INSERT INTO events (actor, kind, subject_kind, subject, summary, \
         workstreams, organisations, visibility, payload) \
         SELECT $1, 'model_version.withdrawn', 'model_version', o.slug || '/' || m.name || '/' || v.version, \
           '“' || coalesce(m.title, o.slug || '/' || m.name) || '” version ' || v.version \
             || ' was withdrawn: its source no longer lists it', \
           ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
                 WHERE pw.project_id = m.project_id ORDER BY w.slug), \
           ARRAY[o.slug::text], m.visibility, jsonb_build_object('version', v.version) \
         FROM model_versions v JOIN model_cards m ON m.id = v.model_card_id \
         JOIN organisations o ON o.id = m.organisation_id WHERE v.id = ANY($2) ORDER BY v.id";

const WITHDRAWN_CARD_EVENTS: &str = "INSERT INTO events (actor, kind, subject_kind, subject, summary, \
         workstreams, organisations, visibility, payload) \
         SELECT $1, 'model.withdrawn', 'model', o.slug || '/' || m.name, \
           'Model card “' || coalesce(m.title, o.slug || '/' || m.name) \
             || '” was withdrawn: its source no longer lists it', \
           ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
                 WHERE pw.project_id = m.project_id ORDER BY w.slug), \
           ARRAY[o.slug::text], m.visibility, '{}'::jsonb \
         FROM model_cards m JOIN organisations o ON o.id = m.organisation_id WHERE m.id = ANY($2) ORDER BY m.id";

const WITHDRAWN_PROJECT_EVENTS: &str = "INSERT INTO events (actor, kind, subject_kind, subject, summary, \
         workstreams, organisations, visibility, payload) \
         SELECT $1, 'project.withdrawn', 'project', p.slug, \
           '“' || p.title || '” was withdrawn: its source no longer lists it', \
           ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
                 WHERE pw.project_id = p.id ORDER BY w.slug), \
           ARRAY(SELECT o.slug::text FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
                 WHERE po.project_id = p.id ORDER BY po.position), \
           p.visibility, '{}'::jsonb \
         FROM projects p WHERE p.id = ANY($2) ORDER BY p.id";
