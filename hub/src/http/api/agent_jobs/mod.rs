//! `/api/v1/agent/jobs/...`: the job protocol as agents speak it (see
//! [`agora_schemas::job`]): a long-polled lease, reports that double as heartbeats, and
//! the log tail uploaded by offset.

mod log;
mod metrics;

pub use log::{LogQuery, LogUploadConflict};
pub use metrics::check_metrics;

use std::time::Duration;

use agora_schemas::{JobLease, JobReport, JobState, LeaseRequest, ReportAnswer, ReportState};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::jobs::{self, LeaseTerms, Placement};
use crate::db::results::{self, Producer};
use crate::error::{Error, ErrorBody, Result};
use crate::http::agent_auth::AgentCaller;
use crate::http::api::agent_jobs::log::{__path_upload_log, upload_log};
use crate::http::extract::{Path, Strict};

/// Largest log upload: agents send the new part of the log since their last upload.
pub const MAX_LOG_UPLOAD_BYTES: usize = 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lease))
        .routes(routes!(report))
        .routes(routes!(upload_log))
        .layer(DefaultBodyLimit::max(MAX_LOG_UPLOAD_BYTES))
}

fn terms(state: &AppState) -> LeaseTerms {
    LeaseTerms {
        lease_seconds: state.config.job_lease_seconds,
        heartbeat_seconds: state.config.job_heartbeat_seconds,
    }
}

/// Long-polls for a job of the agent's organisation that its capabilities can run. Answers
/// at once when one is queued, as soon as one is queued while waiting, or `204` when
/// `wait_seconds` (capped by the hub's `job_max_wait_seconds`, 30 s by default) pass, or
/// at once when the hub is shutting down.
#[utoipa::path(post, path = "/api/v1/agent/jobs/lease", tag = "agents", operation_id = "agent_jobs_lease",
    request_body = LeaseRequest,
    params(("Agora-Protocol" = String, Header, description = "The protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "A job, leased to this agent until `lease_deadline`", body = JobLease),
              (status = 204, description = "No job came during the wait (or the hub is stopping); ask again"),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
async fn lease(
    State(state): State<AppState>,
    AgentCaller(agent): AgentCaller,
    Strict(request): Strict<LeaseRequest>,
) -> Result<Response> {
    let max = state.config.job_max_wait_seconds;
    let wait = request.wait_seconds.map_or(max, |w| w.min(max));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(u64::from(wait));
    let waiter = state.jobs.waiter(&state.db, &agent.organisation).await?;
    loop {
        // Registered before looking, so a job queued during the look wakes this request.
        let wake = waiter.register();
        let leased = {
            let mut conn = state.db.acquire().await?;
            jobs::lease(&mut conn, &agent, &request.capabilities, terms(&state)).await?
        };
        if let Some(lease) = leased {
            tracing::info!(agent = %agent.actor(), job = lease.job_id, attempt = lease.attempt, "job leased");
            return Ok(Json(lease).into_response());
        }
        // A hub shutting down answers at once rather than hold its exit for the wait.
        let woken = tokio::select! {
            woken = tokio::time::timeout_at(deadline, wake.wait()) => woken.is_ok(),
            () = state.shutdown.requested() => false,
        };
        if !woken {
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
    }
}

fn lease_lost(id: i64) -> Error {
    Error::conflict(
        "lease_token",
        format!(
            "job {id} is no longer leased with this token (the lease expired and the job was queued again): stop it"
        ),
    )
}

/// Reports on a leased job. `running` is the heartbeat: it renews the lease and marks the
/// job running. `succeeded` (with metrics), `failed`, `refused` and `cancelled` end it;
/// reporting an end again is answered the same way. The answer says whether the job was
/// cancelled on the hub (stop it), the new deadline and when to report next.
#[utoipa::path(put, path = "/api/v1/agent/jobs/{id}", tag = "agents", operation_id = "agent_jobs_report",
    request_body = JobReport,
    params(("id" = i64, Path, description = "Job id"),
           ("Agora-Protocol" = String, Header, description = "The protocol the agent speaks: `1`")),
    security(("agent_token" = [])),
    responses((status = 200, description = "Recorded; `cancel` says whether to stop the job", body = ReportAnswer),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "No token, an unknown token or a revoked one", body = ErrorBody),
              (status = 404, description = "The agent's organisation has no such job", body = ErrorBody),
              (status = 409, description = "The lease is no longer this token's (it expired and the job was leased again): stop the job", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "A field is invalid (metrics that do not match the benchmark's); `error.field` names it, such as `metrics.accuracy`", body = ErrorBody),
              (status = 426, description = "The agent speaks a protocol this hub does not serve; the message says what to upgrade", body = ErrorBody)))]
async fn report(
    State(state): State<AppState>,
    AgentCaller(agent): AgentCaller,
    Path(id): Path<i64>,
    Strict(report): Strict<JobReport>,
) -> Result<Json<ReportAnswer>> {
    let heartbeat = state.config.job_heartbeat_seconds;
    let mut tx = state.db.begin().await?;
    let held = jobs::hold(&mut tx, &agent, id, &report.lease_token)
        .await?
        .ok_or_else(|| Error::NotFound(format!("job {id}")))?;
    if !held.current {
        return Err(lease_lost(id));
    }
    let current = held.state()?;
    let ended = |cancel: bool| ReportAnswer {
        cancel,
        lease_deadline: Utc::now(),
        heartbeat_interval_seconds: heartbeat,
    };
    if current.is_terminal() {
        // The job ended on the hub (cancelled there, or this report is a retry).
        tx.commit().await?;
        return Ok(Json(ended(current == JobState::Cancelled)));
    }
    if current == JobState::Queued {
        return Err(lease_lost(id));
    }
    let hardware = report
        .hardware
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| Error::Internal(format!("hardware: {e}")))?;
    let placement = Placement {
        executor: report.executor,
        external_id: report.external_id.as_deref(),
        hardware,
    };
    let reason = report.reason.as_deref();
    let answer = match report.state {
        ReportState::Running => {
            let deadline =
                jobs::renew(&mut tx, id, &placement, state.config.job_lease_seconds).await?;
            ReportAnswer {
                cancel: false,
                lease_deadline: deadline,
                heartbeat_interval_seconds: heartbeat,
            }
        }
        ReportState::Succeeded => {
            let (defined, primary) = jobs::metric_rules(&mut tx, id).await?;
            check_metrics(&defined, &primary, report.metrics.as_ref())?;
            let metrics = report.metrics.clone().unwrap_or_default();
            let json = serde_json::to_value(&metrics)
                .map_err(|e| Error::Internal(format!("metrics: {e}")))?;
            jobs::finish(
                &mut tx,
                id,
                JobState::Succeeded,
                &placement,
                Some(json),
                None,
            )
            .await?;
            let label = format!("{}/{}", agent.organisation, agent.name);
            let actor = agent.actor();
            let producer = Producer {
                actor: &actor,
                agent: &label,
                agent_id: Some(agent.id),
                executor: report.executor,
                hardware: report.hardware.as_ref(),
                demo: false,
            };
            results::record(&mut tx, id, &metrics, &producer).await?;
            ended(false)
        }
        ReportState::Failed => {
            let why = reason.unwrap_or("the evaluation failed (the agent gave no reason)");
            jobs::finish(&mut tx, id, JobState::Failed, &placement, None, Some(why)).await?;
            ended(false)
        }
        ReportState::Refused => {
            let why = format!(
                "refused by agent {}: {}",
                agent.actor(),
                reason.unwrap_or("no reason given")
            );
            // Terminal: the organisation's agent said no, so the job is not offered again.
            jobs::finish(&mut tx, id, JobState::Refused, &placement, None, Some(&why)).await?;
            ended(false)
        }
        ReportState::Cancelled => {
            let why = format!(
                "cancelled by agent {}: {}",
                agent.actor(),
                reason.unwrap_or("no reason given")
            );
            jobs::finish(
                &mut tx,
                id,
                JobState::Cancelled,
                &placement,
                None,
                Some(&why),
            )
            .await?;
            ended(false)
        }
    };
    tx.commit().await?;
    if report.state != ReportState::Running {
        tracing::info!(agent = %agent.actor(), job = id, state = report.state.as_str(), "job ended");
    }
    Ok(Json(answer))
}
