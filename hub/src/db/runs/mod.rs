//! Runs of a benchmark: one model version evaluated at chosen organisations, fanned out
//! into one job per organisation; reading them back with their jobs; cancelling them.

mod create;

pub use create::{VersionFound, create, find_version, run_event};

use std::collections::BTreeMap;

use agora_schemas::benchmark::{JobSummary, RunState};
use agora_schemas::{JobState, ModelRef, Run, Visibility};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use crate::db::{benchmarks, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// Who may read run `r` (with its benchmark `b`, model card `mc` of organisation `mo`): the
/// benchmark and the model must both be visible.
pub fn push_can_read_run(caller: &Caller, qb: &mut QueryBuilder<Postgres>) {
    caller.push_can_read(qb, "b.visibility", benchmarks::OWNERS);
    qb.push(" AND ");
    caller.push_can_read(qb, "mc.visibility", "ARRAY[mo.slug::text]");
}

/// The joins that [`push_can_read_run`] needs, from `benchmark_runs r`.
pub const RUN_JOINS: &str = "JOIN benchmarks b ON b.id = r.benchmark_id \
     JOIN model_versions mv ON mv.id = r.model_version_id \
     JOIN model_cards mc ON mc.id = mv.model_card_id \
     JOIN organisations mo ON mo.id = mc.organisation_id";

#[derive(FromRow)]
struct RunRow {
    id: i64,
    organisation: String,
    name: String,
    version: String,
    model_visibility: String,
    parameters: serde_json::Value,
    created_by: String,
    created_at: DateTime<Utc>,
    cancelled_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct JobRow {
    id: i64,
    run_id: i64,
    organisation: String,
    dataset: String,
    state: String,
    attempts: i32,
    max_attempts: i32,
    reason: Option<String>,
    agent: Option<String>,
    executor: Option<String>,
    external_id: Option<String>,
    hardware: Option<serde_json::Value>,
    lease_deadline: Option<DateTime<Utc>>,
    metrics: Option<serde_json::Value>,
    log_tail: Vec<u8>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl JobRow {
    fn into_summary(self, caller: &Caller) -> Result<JobSummary> {
        let state: JobState = parse_stored("state", &self.state)?;
        // Logs may quote an office's data: only its people (and administrators) read them.
        let log_tail = (caller.admin || caller.acts_for(&self.organisation))
            .then(|| String::from_utf8_lossy(&self.log_tail).into_owned())
            .filter(|t| !t.is_empty());
        Ok(JobSummary {
            id: self.id,
            organisation: parse_checked("organisation", self.organisation)?,
            dataset: self.dataset,
            state,
            attempts: u32::try_from(self.attempts).unwrap_or_default(),
            max_attempts: u32::try_from(self.max_attempts).unwrap_or_default(),
            reason: self.reason,
            agent: self.agent,
            executor: self
                .executor
                .map(|e| parse_stored("executor", &e))
                .transpose()?,
            external_id: self.external_id,
            hardware: self
                .hardware
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| Error::Internal(format!("stored hardware is unreadable: {e}")))?,
            lease_deadline: self
                .lease_deadline
                .filter(|_| matches!(state, JobState::Leased | JobState::Running)),
            metrics: self
                .metrics
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| Error::Internal(format!("stored metrics are unreadable: {e}")))?,
            log_tail,
            created_at: self.created_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
        })
    }
}

fn state_of(cancelled: bool, jobs: &[JobSummary]) -> RunState {
    if cancelled {
        RunState::Cancelled
    } else if jobs.iter().any(|j| !j.state.is_terminal()) {
        RunState::Active
    } else if jobs.iter().all(|j| j.state == JobState::Succeeded) {
        RunState::Succeeded
    } else {
        RunState::Finished
    }
}

/// A run as read, with the visibility of its model (for events).
pub struct RunFound {
    pub run: Run,
    pub model_visibility: Visibility,
}

/// Runs of a benchmark the caller may see, newest first (`run_id` picks one).
pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark: &str,
    run_id: Option<i64>,
    limit: i64,
) -> Result<Vec<RunFound>> {
    let mut qb = QueryBuilder::new(format!(
        "SELECT r.id, mo.slug::text AS organisation, mc.name::text AS name, mv.version, \
         mc.visibility::text AS model_visibility, r.parameters, r.created_by, r.created_at, \
         r.cancelled_at FROM benchmark_runs r {RUN_JOINS} WHERE "
    ));
    push_can_read_run(caller, &mut qb);
    qb.push(" AND b.slug = ").push_bind(benchmark.to_string());
    if let Some(id) = run_id {
        qb.push(" AND r.id = ").push_bind(id);
    }
    qb.push(" ORDER BY r.id DESC LIMIT ").push_bind(limit);
    let rows: Vec<RunRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let jobs: Vec<JobRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT j.id, j.run_id, o.slug::text AS organisation, j.dataset, j.state, j.attempts, \
         j.max_attempts, j.reason, {} AS agent, j.executor, j.external_id, j.hardware, \
         j.lease_deadline, j.metrics, j.log_tail, j.created_at, j.updated_at, j.finished_at \
         FROM benchmark_jobs j JOIN organisations o ON o.id = j.organisation_id \
         WHERE j.run_id = ANY($1) ORDER BY j.run_id, o.slug",
        super::provenance::agent_label("j")
    )))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_run: BTreeMap<i64, Vec<JobSummary>> = BTreeMap::new();
    for job in jobs {
        by_run
            .entry(job.run_id)
            .or_default()
            .push(job.into_summary(caller)?);
    }
    rows.into_iter()
        .map(|r| {
            let jobs = by_run.remove(&r.id).unwrap_or_default();
            let parameters = serde_json::from_value(r.parameters)
                .map_err(|e| Error::Internal(format!("stored parameters are unreadable: {e}")))?;
            Ok(RunFound {
                model_visibility: parse_stored("visibility", &r.model_visibility)?,
                run: Run {
                    id: r.id,
                    benchmark: parse_checked("benchmark", benchmark.to_string())?,
                    model: ModelRef {
                        organisation: parse_checked("organisation", r.organisation)?,
                        name: parse_checked("name", r.name)?,
                        version: r.version,
                    },
                    parameters,
                    state: state_of(r.cancelled_at.is_some(), &jobs),
                    created_by: r.created_by,
                    created_at: r.created_at,
                    cancelled_at: r.cancelled_at,
                    jobs,
                },
            })
        })
        .collect()
}

/// One run, if the caller may see it.
pub async fn get(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark: &str,
    run_id: i64,
) -> Result<Option<RunFound>> {
    Ok(list(conn, caller, benchmark, Some(run_id), 1)
        .await?
        .into_iter()
        .next())
}

/// Cancels a run's jobs that have not ended (or only `job_id`), with a reason, and records
/// an event. Queued jobs end at once; leased and running ones end on the hub too, and
/// their agent hears `cancel: true` at its next report. Returns the jobs cancelled.
pub async fn cancel(
    conn: &mut PgConnection,
    run_id: i64,
    job_id: Option<i64>,
    reason: &str,
) -> Result<Vec<i64>> {
    if job_id.is_none() {
        sqlx::query(
            "UPDATE benchmark_runs SET cancelled_at = coalesce(cancelled_at, now()), \
             cancel_reason = coalesce(cancel_reason, $2) WHERE id = $1",
        )
        .bind(run_id)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE benchmark_jobs SET state = 'cancelled', reason = $3, finished_at = now() \
         WHERE run_id = $1 AND ($2::bigint IS NULL OR id = $2) \
           AND state IN ('queued', 'leased', 'running') RETURNING id",
    )
    .bind(run_id)
    .bind(job_id)
    .bind(reason)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids)
}
