//! `/api/v1/agent/...`: what agents send. Batches of changed items (idempotent by
//! `batch_id`) and the completion of a listing epoch.

use agora_schemas::sync::{BatchResult, EpochCompletion, EpochSummary, ItemOutcome, SyncBatch};
use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::sync;
use crate::error::{Error, ErrorBody, Result};
use crate::http::agent_auth::AgentCaller;
use crate::http::extract::{Path, Strict, StrictItems};

/// Largest agent request: an epoch completion lists every key of a source (up to a million).
pub const MAX_AGENT_BODY_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(post_batch))
        .routes(routes!(complete_epoch))
        .layer(DefaultBodyLimit::max(MAX_AGENT_BODY_BYTES))
}

/// Who the calling agent is.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentIdentity {
    pub organisation: String,
    pub name: String,
}

/// Names the agent the token belongs to: agents call it to check their token.
#[utoipa::path(get, path = "/api/v1/agent/me", tag = "agents", operation_id = "agent_me",
    params(("Agora-Protocol" = String, Header, description = "The sync protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "The agent the token belongs to", body = AgentIdentity),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
async fn me(AgentCaller(agent): AgentCaller) -> Json<AgentIdentity> {
    Json(AgentIdentity {
        organisation: agent.organisation,
        name: agent.name,
    })
}

/// Applies a batch of changed items. Sending a `batch_id` again applies nothing and returns
/// the first answer with `replayed: true`. Each item is checked on its own: an invalid one,
/// or one of another organisation, is rejected with its key, field and reason, and the
/// others apply. The whole batch applies in one transaction.
#[utoipa::path(post, path = "/api/v1/agent/sync/batches", tag = "agents", operation_id = "agent_sync_batch",
    request_body = SyncBatch,
    params(("Agora-Protocol" = String, Header, description = "The sync protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "What became of each item", body = BatchResult),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 409, description = "The batch_id was used by another agent", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "The batch itself is invalid; `error.field` names the field", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
async fn post_batch(
    State(state): State<AppState>,
    AgentCaller(agent): AgentCaller,
    StrictItems(batch): StrictItems<SyncBatch>,
) -> Result<Json<BatchResult>> {
    let mut tx = state.db.begin().await?;
    let result = sync::apply_batch(&mut tx, &agent, &batch).await?;
    tx.commit().await?;
    if !result.replayed {
        let metrics = crate::metrics::global();
        for (outcome, label) in [
            (ItemOutcome::Added, "added"),
            (ItemOutcome::Updated, "updated"),
            (ItemOutcome::Unchanged, "unchanged"),
            (ItemOutcome::Rejected, "rejected"),
        ] {
            let n = result
                .results
                .iter()
                .filter(|r| r.outcome == outcome)
                .count();
            metrics.sync_items(label, n as u64);
        }
        tracing::info!(agent = %agent.actor(), source = %batch.source, epoch = %batch.epoch,
            items = batch.items.len(), "sync batch applied");
    }
    Ok(Json(result))
}

/// Closes an epoch: `keys` is the complete listing of the source. The source's items
/// missing from it are marked withdrawn (kept, flagged, hidden from search), never deleted.
/// Completing the same epoch again changes nothing and returns the same counts.
#[utoipa::path(post, path = "/api/v1/agent/sync/epochs/{epoch}/complete", tag = "agents", operation_id = "agent_sync_complete_epoch",
    request_body = EpochCompletion,
    params(("epoch" = String, Path, description = "The epoch the agent's batches carried"),
           ("Agora-Protocol" = String, Header, description = "The sync protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "The epoch's counts", body = EpochSummary),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
async fn complete_epoch(
    State(state): State<AppState>,
    AgentCaller(agent): AgentCaller,
    Path(epoch): Path<String>,
    Strict(completion): Strict<EpochCompletion>,
) -> Result<Json<EpochSummary>> {
    check_epoch(&epoch)?;
    let mut tx = state.db.begin().await?;
    let (summary, added) = sync::complete_epoch(&mut tx, &agent, &epoch, &completion).await?;
    tx.commit().await?;
    let metrics = crate::metrics::global();
    metrics.sync_items("unchanged", added.unchanged);
    metrics.sync_items("withdrawn", added.withdrawn);
    metrics.sync_items("rejected", added.rejected);
    tracing::info!(agent = %agent.actor(), source = %completion.source, epoch = %epoch,
        withdrawn = summary.counts.withdrawn, "sync epoch completed");
    Ok(Json(summary))
}

fn check_epoch(epoch: &str) -> Result<()> {
    let ok = !epoch.is_empty()
        && epoch.len() <= 128
        && epoch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "epoch",
            "use 1 to 128 letters, digits, `-`, `_`, `.` and `:`",
        ))
    }
}
