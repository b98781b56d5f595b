//! Applying what agents send: batches of items (idempotent by `batch_id`) and the
//! completion of an epoch, which withdraws the source's items its listing no longer had.

use std::collections::HashSet;

use agora_schemas::decode::from_value;
use agora_schemas::sync::{
    BatchResult, EpochCompletion, EpochCounts, EpochSummary, ItemKind, ItemOutcome, ItemResult,
    SyncBatch, SyncItem, SyncModelVersion,
};
use agora_schemas::validate::nul_path;
use agora_schemas::{DecodeError, ModelCardInput, ProjectInput, Slug, SyncAssessment, Validate};
use serde::de::DeserializeOwned;
use sqlx::{Connection, FromRow, PgConnection};

use super::provenance::SyncProvenance;
use super::sync_models::{self, Sent};
use super::{NUL_REASON, Outcome, SaveMode, assessments, projects};
use crate::error::{Error, Result};

/// Rejected items kept per epoch for display; the count goes on beyond.
const MAX_REJECTED_KEPT: i32 = 1_000;

/// The agent a request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRef {
    pub id: i64,
    pub organisation: String,
    pub name: String,
}

impl AgentRef {
    /// How the agent appears in the event log.
    pub fn actor(&self) -> String {
        format!("agent:{}/{}", self.organisation, self.name)
    }
}

fn rejected(key: &str, field: Option<String>, reason: impl Into<String>) -> ItemResult {
    ItemResult {
        key: key.to_string(),
        outcome: ItemOutcome::Rejected,
        field,
        reason: Some(reason.into()),
        warnings: Vec::new(),
    }
}

/// Applies a batch in the caller's transaction, or returns the stored answer when the
/// batch was received before. Invalid items are rejected one by one; the rest apply.
pub async fn apply_batch(
    conn: &mut PgConnection,
    agent: &AgentRef,
    batch: &SyncBatch,
) -> Result<BatchResult> {
    // A concurrent request with the same batch_id waits here until the first commits.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(&batch.batch_id)
        .execute(&mut *conn)
        .await?;
    let seen: Option<(i64, Option<serde_json::Value>)> =
        sqlx::query_as("SELECT agent_id, result FROM sync_batches WHERE batch_id = $1")
            .bind(&batch.batch_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((owner, stored)) = seen {
        if owner != agent.id {
            return Err(Error::conflict(
                "batch_id",
                "this batch_id was used by another agent; choose a new one",
            ));
        }
        let mut result: BatchResult = stored
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(|| Error::Internal("a stored batch result is unreadable".into()))?;
        result.replayed = true;
        return Ok(result);
    }

    let results = apply_items(conn, agent, &batch.source, &batch.items).await?;
    let result = BatchResult {
        batch_id: batch.batch_id.clone(),
        replayed: false,
        results,
    };
    let stored = storable(&result)?;
    let count = |o: ItemOutcome| result.results.iter().filter(|r| r.outcome == o).count() as i64;
    let refused: Vec<&ItemResult> = result
        .results
        .iter()
        .filter(|r| r.outcome == ItemOutcome::Rejected)
        .collect();
    let warned: Vec<&ItemResult> = result
        .results
        .iter()
        .filter(|r| r.outcome != ItemOutcome::Rejected && !r.warnings.is_empty())
        .collect();
    // The batch's answer and the epoch's counts, in one statement.
    sqlx::query(
        "WITH batch AS (INSERT INTO sync_batches (batch_id, agent_id, source, epoch, result) \
           VALUES ($1, $2, $3, $4, $5)) \
         INSERT INTO sync_epochs (agent_id, source, epoch, added, updated, unchanged, rejected, rejected_items, \
           warned, warned_items) \
         VALUES ($2, $3, $4, $6, $7, $8, $9, $10, $12, $13) \
         ON CONFLICT (agent_id, source, epoch) DO UPDATE SET \
           added = sync_epochs.added + EXCLUDED.added, \
           updated = sync_epochs.updated + EXCLUDED.updated, \
           unchanged = sync_epochs.unchanged + EXCLUDED.unchanged, \
           rejected = sync_epochs.rejected + EXCLUDED.rejected, \
           rejected_items = CASE WHEN jsonb_array_length(sync_epochs.rejected_items) < $11 \
             THEN sync_epochs.rejected_items || EXCLUDED.rejected_items \
             ELSE sync_epochs.rejected_items END, \
           warned = sync_epochs.warned + EXCLUDED.warned, \
           warned_items = CASE WHEN jsonb_array_length(sync_epochs.warned_items) < $11 \
             THEN sync_epochs.warned_items || EXCLUDED.warned_items \
             ELSE sync_epochs.warned_items END",
    )
    .bind(&batch.batch_id)
    .bind(agent.id)
    .bind(batch.source.as_str())
    .bind(&batch.epoch)
    .bind(stored)
    .bind(count(ItemOutcome::Added))
    .bind(count(ItemOutcome::Updated))
    .bind(count(ItemOutcome::Unchanged))
    .bind(refused.len() as i64)
    .bind(storable(&refused)?)
    .bind(MAX_REJECTED_KEPT)
    .bind(warned.len() as i64)
    .bind(storable(&warned)?)
    .execute(&mut *conn)
    .await?;
    Ok(result)
}

/// A value as JSON PostgreSQL can store: a NUL character (in a refused item's key or in
/// a reason quoting its value) is written as U+FFFD, so that a bad item is recorded
/// instead of failing the statement that records its whole batch.
fn storable<T: serde::Serialize + ?Sized>(value: &T) -> Result<serde_json::Value> {
    fn clean(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', "\u{FFFD}"),
            serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
            serde_json::Value::Object(map) => {
                if map.keys().any(|k| k.contains('\0')) {
                    let entries = std::mem::take(map);
                    for (k, v) in entries {
                        map.insert(k.replace('\0', "\u{FFFD}"), v);
                    }
                }
                map.values_mut().for_each(clean);
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))?;
    clean(&mut v);
    Ok(v)
}

/// Decodes a payload strictly, as the API decodes bodies (from the value the body was
/// parsed into, without writing it back to text).
fn decode<T: DeserializeOwned + Validate>(item: &SyncItem) -> std::result::Result<T, ItemResult> {
    from_value(&item.payload).map_err(|e| match e {
        DecodeError::Invalid(f) => rejected(&item.key, Some(f.field), f.message),
        DecodeError::Syntax { .. } => rejected(&item.key, None, e.to_string()),
    })
}

/// An item decoded and allowed, ready to save.
enum Ready {
    Project(ProjectInput),
    Card(Box<ModelCardInput>),
    Version(SyncModelVersion),
    Assessment(SyncAssessment),
}

/// Decodes an item and checks that it belongs to the agent's organisation.
async fn prepare(
    conn: &mut PgConnection,
    org: &str,
    item: &SyncItem,
) -> Result<std::result::Result<Ready, ItemResult>> {
    let not_yours = |field: &str, what: String| {
        Ok(Err(rejected(
            &item.key,
            Some(field.to_string()),
            format!("{what}: not your organisation (this agent belongs to `{org}`)"),
        )))
    };
    // Checked before decoding: a NUL would otherwise fail the statement saving the batch.
    if item.key.contains('\0') {
        return Ok(Err(rejected(&item.key, Some("key".into()), NUL_REASON)));
    }
    if let Some(field) = nul_path(&item.payload) {
        return Ok(Err(rejected(&item.key, Some(field), NUL_REASON)));
    }
    Ok(Ok(match item.kind {
        ItemKind::Project => {
            let input: ProjectInput = match decode(item) {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            if !input.organisations.iter().any(|o| o.as_str() == org) {
                return not_yours(
                    "organisations",
                    format!("the project does not list `{org}` among its organisations"),
                );
            }
            if let Some(owners) = projects::owners(conn, &input.slug).await?
                && !owners.iter().any(|o| o == org)
            {
                return not_yours(
                    "slug",
                    format!("project `{}` belongs to {}", input.slug, owners.join(", ")),
                );
            }
            Ready::Project(input)
        }
        ItemKind::ModelCard => {
            let input: ModelCardInput = match decode(item) {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            if input.organisation.as_str() != org {
                return not_yours(
                    "organisation",
                    format!("model `{}/{}`", input.organisation, input.name),
                );
            }
            Ready::Card(Box::new(input))
        }
        ItemKind::ModelVersion => match decode(item) {
            Ok(v) => Ready::Version(v),
            Err(r) => return Ok(Err(r)),
        },
        ItemKind::Assessment => match decode(item) {
            Ok(v) => Ready::Assessment(v),
            Err(r) => return Ok(Err(r)),
        },
    }))
}

fn outcome_of(key: &str, outcome: Outcome) -> ItemResult {
    ItemResult {
        key: key.to_string(),
        outcome: match outcome {
            Outcome::Created => ItemOutcome::Added,
            Outcome::Updated => ItemOutcome::Updated,
            Outcome::Unchanged => ItemOutcome::Unchanged,
        },
        field: None,
        reason: None,
        warnings: Vec::new(),
    }
}

/// Applies the items of a batch: projects one by one (each in a savepoint), then model
/// cards, then versions, each kind in a few statements, then assessments (which may be of
/// the versions just saved), each in a savepoint. Results come back in item order.
async fn apply_items(
    conn: &mut PgConnection,
    agent: &AgentRef,
    source: &Slug,
    items: &[SyncItem],
) -> Result<Vec<ItemResult>> {
    let org = agent.organisation.as_str();
    let actor = agent.actor();
    let provenance = |item: &SyncItem| SyncProvenance {
        agent_id: agent.id,
        source: source.to_string(),
        key: item.key.clone(),
        commit: item.commit.clone(),
    };
    let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
    let mut cards: Vec<(usize, ModelCardInput)> = Vec::new();
    let mut versions: Vec<(usize, SyncModelVersion)> = Vec::new();
    let mut assessments: Vec<(usize, SyncAssessment)> = Vec::new();
    // What each kind of item is, to find one sent twice in the batch.
    let mut seen_cards = HashSet::new();
    let mut seen_versions = HashSet::new();
    let mut seen_assessments = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let repeated = || {
            Some(rejected(
                &item.key,
                None,
                "the same item is sent twice in this batch",
            ))
        };
        match prepare(conn, org, item).await? {
            Err(refused) => results[i] = Some(refused),
            Ok(Ready::Project(input)) => {
                results[i] = Some(save_project(conn, &actor, &input, &provenance(item)).await?);
            }
            Ok(Ready::Card(input)) => {
                if seen_cards.insert(input.name.clone()) {
                    cards.push((i, *input));
                } else {
                    results[i] = repeated();
                }
            }
            Ok(Ready::Version(input)) => {
                let identity = (input.model.clone(), input.version.version.clone());
                if seen_versions.insert(identity) {
                    versions.push((i, input));
                } else {
                    results[i] = repeated();
                }
            }
            Ok(Ready::Assessment(input)) => {
                if seen_assessments.insert((input.subject.clone(), input.content.kind())) {
                    assessments.push((i, input));
                } else {
                    results[i] = repeated();
                }
            }
        }
    }
    let sent: Vec<Sent<'_, ModelCardInput>> = cards
        .iter()
        .map(|(i, c)| Sent {
            input: c,
            provenance: provenance(&items[*i]),
        })
        .collect();
    let saved = sync_models::save_cards(conn, org, &actor, &sent).await?;
    for ((i, card), r) in cards.iter().zip(saved) {
        let mut result = settle(&items[*i].key, r);
        if result.outcome != ItemOutcome::Rejected {
            result.warnings = card.warnings();
        }
        results[*i] = Some(result);
    }
    let sent: Vec<Sent<'_, SyncModelVersion>> = versions
        .iter()
        .map(|(i, v)| Sent {
            input: v,
            provenance: provenance(&items[*i]),
        })
        .collect();
    let saved = sync_models::save_versions(conn, org, &actor, &sent).await?;
    for ((i, _), r) in versions.iter().zip(saved) {
        results[*i] = Some(settle(&items[*i].key, r));
    }
    for (i, input) in &assessments {
        let r = assessments::sync::save(conn, org, &actor, input, &provenance(&items[*i])).await?;
        results[*i] = Some(settle(&items[*i].key, r));
    }
    Ok(results.into_iter().flatten().collect())
}

fn settle(key: &str, r: std::result::Result<Outcome, (String, String)>) -> ItemResult {
    match r {
        Ok(outcome) => outcome_of(key, outcome),
        Err((field, reason)) => rejected(key, Some(field), reason),
    }
}

/// Saves a project in its own savepoint: a refused write takes back that item only.
async fn save_project(
    conn: &mut PgConnection,
    actor: &str,
    input: &ProjectInput,
    provenance: &SyncProvenance,
) -> Result<ItemResult> {
    let mut sp = conn.begin().await?;
    let saved = projects::save(&mut sp, input, actor, SaveMode::Upsert, Some(provenance)).await;
    match saved {
        Ok((_, outcome)) => {
            sp.commit().await?;
            Ok(outcome_of(&provenance.key, outcome))
        }
        Err(Error::Invalid(f) | Error::Conflict(f)) => {
            sp.rollback().await?;
            Ok(rejected(&provenance.key, Some(f.field), f.message))
        }
        Err(Error::NotFound(what)) => {
            sp.rollback().await?;
            Ok(rejected(&provenance.key, None, format!("{what} not found")))
        }
        Err(e) => Err(e),
    }
}

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
