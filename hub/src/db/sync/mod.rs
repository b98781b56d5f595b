//! Applying what agents send: batches of items (idempotent by `batch_id`) and the
//! completion of an epoch, which withdraws the source's items its listing no longer had.

mod cards;
mod epoch;
mod items;
mod versions;

pub use epoch::complete_epoch;

use agora_schemas::sync::{BatchResult, ItemOutcome, ItemResult, SyncBatch};
use sqlx::PgConnection;

use self::items::{apply_items, storable};
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
