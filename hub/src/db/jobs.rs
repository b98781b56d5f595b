//! The job queue: leasing a job (`FOR UPDATE SKIP LOCKED`, so two agents never get the
//! same one), reports that renew the lease, the log tail, and expired leases.
//!
//! A lease is proven by a random token shown once to the agent; the hub keeps its SHA-256.
//! Leasing a job again replaces the hash, so the old token stops working (409).

use std::collections::BTreeMap;

use agora_schemas::benchmark::BenchmarkMetric;
use agora_schemas::job::{Capabilities, JobBenchmark, JobModel};
use agora_schemas::{ExecutorKind, JobLease, JobState};
use chrono::{DateTime, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, PgConnection, PgExecutor};

use super::sync::AgentRef;
use super::{parse_checked, parse_stored};
use crate::error::{Error, Result};

/// The notification channel of queued jobs; the payload is the organisation's slug. The
/// dispatcher (`crate::jobs`) listens on it to wake waiting lease requests.
pub const CHANNEL: &str = "agora_jobs";

/// How lease tokens begin.
pub const LEASE_TOKEN_PREFIX: &str = "lease_";

fn new_lease_token() -> String {
    let tail: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    format!("{LEASE_TOKEN_PREFIX}{tail}")
}

/// SHA-256 of a lease token: what the hub stores.
pub fn lease_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Lease timing, from the hub's settings.
#[derive(Debug, Clone, Copy)]
pub struct LeaseTerms {
    pub lease_seconds: u32,
    pub heartbeat_seconds: u32,
}

#[derive(FromRow)]
struct Leased {
    id: i64,
    run_id: i64,
    attempts: i32,
    lease_deadline: DateTime<Utc>,
    dataset: String,
}

#[derive(FromRow)]
struct Spec {
    slug: String,
    task: String,
    metrics: serde_json::Value,
    primary_metric: String,
    command: Option<Vec<String>>,
    image: Option<String>,
    cpus: i32,
    memory_mb: i64,
    gpus: i32,
    gpu_type: Option<String>,
    time_limit_seconds: i64,
    organisation: String,
    name: String,
    version: String,
    artifact_uri: Option<String>,
    parameters: serde_json::Value,
}

/// Leases the oldest queued job of the agent's organisation that its capabilities can run,
/// if any. One statement: the row is locked, skipped by concurrent leases, and updated.
pub async fn lease(
    conn: &mut PgConnection,
    agent: &AgentRef,
    capabilities: &Capabilities,
    terms: LeaseTerms,
) -> Result<Option<JobLease>> {
    let token = new_lease_token();
    let runs_images = capabilities.executors.iter().any(|e| e.runs_images());
    let leased: Option<Leased> = sqlx::query_as(
        r#"WITH candidate AS (
               SELECT j.id FROM benchmark_jobs j
               WHERE j.state = 'queued'
                 AND j.organisation_id = (SELECT organisation_id FROM agents WHERE id = $1)
                 AND (j.needs_gpus = 0
                      OR (j.needs_gpu_type IS NULL AND cardinality($2::text[]) > 0)
                      OR j.needs_gpu_type = ANY($2::text[]))
                 AND (NOT j.needs_images OR $3)
               ORDER BY j.id
               LIMIT 1
               FOR UPDATE SKIP LOCKED)
           UPDATE benchmark_jobs j
           SET state = 'leased', attempts = j.attempts + 1, agent_id = $1,
               lease_token_hash = $4, lease_deadline = now() + make_interval(secs => $5),
               leased_at = now(), executor = NULL, external_id = NULL, hardware = NULL,
               started_at = NULL
           FROM candidate WHERE j.id = candidate.id
           RETURNING j.id, j.run_id, j.attempts, j.lease_deadline, j.dataset"#,
    )
    .bind(agent.id)
    .bind(&capabilities.gpu_types)
    .bind(runs_images)
    .bind(lease_hash(&token))
    .bind(f64::from(terms.lease_seconds))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(leased) = leased else {
        return Ok(None);
    };
    let spec: Spec = sqlx::query_as(
        r#"SELECT b.slug::text, b.task::text, b.metrics, b.primary_metric, b.command, b.image,
                  b.cpus, b.memory_mb, b.gpus, b.gpu_type, b.time_limit_seconds,
                  mo.slug::text AS organisation, mc.name::text AS name, mv.version,
                  mv.artifact_uri, r.parameters
           FROM benchmark_runs r JOIN benchmarks b ON b.id = r.benchmark_id
           JOIN model_versions mv ON mv.id = r.model_version_id
           JOIN model_cards mc ON mc.id = mv.model_card_id
           JOIN organisations mo ON mo.id = mc.organisation_id
           WHERE r.id = $1"#,
    )
    .bind(leased.run_id)
    .fetch_one(&mut *conn)
    .await?;
    let metrics: Vec<BenchmarkMetric> = serde_json::from_value(spec.metrics)
        .map_err(|e| Error::Internal(format!("stored metrics are unreadable: {e}")))?;
    let parameters: BTreeMap<String, String> = serde_json::from_value(spec.parameters)
        .map_err(|e| Error::Internal(format!("stored parameters are unreadable: {e}")))?;
    let n = |v: i64| u64::try_from(v).unwrap_or_default();
    Ok(Some(JobLease {
        job_id: leased.id,
        run_id: leased.run_id,
        attempt: u32::try_from(leased.attempts).unwrap_or_default(),
        lease_token: token,
        lease_deadline: leased.lease_deadline,
        heartbeat_interval_seconds: terms.heartbeat_seconds,
        benchmark: JobBenchmark {
            slug: parse_checked("slug", spec.slug)?,
            task: parse_stored("task", &spec.task)?,
            metrics,
            primary_metric: spec.primary_metric,
            command: spec.command,
            image: spec.image,
            resources: agora_schemas::ResourceRequest {
                cpus: u32::try_from(spec.cpus).unwrap_or(1),
                memory_mb: n(spec.memory_mb),
                gpus: u32::try_from(spec.gpus).unwrap_or_default(),
                gpu_type: spec.gpu_type,
                time_limit_seconds: n(spec.time_limit_seconds),
            },
        },
        dataset: leased.dataset,
        model: JobModel {
            organisation: parse_checked("organisation", spec.organisation)?,
            name: parse_checked("name", spec.name)?,
            version: spec.version,
            artifact_uri: spec.artifact_uri,
        },
        parameters,
    }))
}

/// A job as a report finds it, locked for the rest of the transaction.
#[derive(Debug, FromRow)]
pub struct Held {
    pub id: i64,
    pub run_id: i64,
    pub state: String,
    pub current: bool,
    pub log_length: i64,
    pub organisation: String,
}

impl Held {
    pub fn state(&self) -> Result<JobState> {
        parse_stored("state", &self.state)
    }
}

/// Locks job `id` of the agent's organisation; `current` says whether `token` is its lease.
/// `None` when the organisation has no such job.
pub async fn hold(
    conn: &mut PgConnection,
    agent: &AgentRef,
    id: i64,
    token: &str,
) -> Result<Option<Held>> {
    Ok(sqlx::query_as(
        "SELECT j.id, j.run_id, j.state, coalesce(j.lease_token_hash = $3, false) AS current, \
         j.log_length, o.slug::text AS organisation \
         FROM benchmark_jobs j JOIN organisations o ON o.id = j.organisation_id \
         WHERE j.id = $1 AND j.organisation_id = (SELECT organisation_id FROM agents WHERE id = $2) \
         FOR UPDATE OF j",
    )
    .bind(id)
    .bind(agent.id)
    .bind(lease_hash(token))
    .fetch_optional(&mut *conn)
    .await?)
}

/// What a report says about where the job runs.
pub struct Placement<'a> {
    pub executor: ExecutorKind,
    pub external_id: Option<&'a str>,
    pub hardware: Option<serde_json::Value>,
}

/// Renews the lease of a leased or running job and marks it running. Returns the new
/// deadline.
pub async fn renew(
    conn: &mut PgConnection,
    id: i64,
    placement: &Placement<'_>,
    lease_seconds: u32,
) -> Result<DateTime<Utc>> {
    Ok(sqlx::query_scalar(
        "UPDATE benchmark_jobs SET state = 'running', \
         lease_deadline = now() + make_interval(secs => $2), executor = $3, \
         external_id = coalesce($4, external_id), hardware = coalesce($5, hardware), \
         started_at = coalesce(started_at, now()) WHERE id = $1 RETURNING lease_deadline",
    )
    .bind(id)
    .bind(f64::from(lease_seconds))
    .bind(placement.executor.as_str())
    .bind(placement.external_id)
    .bind(&placement.hardware)
    .fetch_one(&mut *conn)
    .await?)
}

/// Ends a job: `succeeded` (with its metrics), `failed`, `refused` or `cancelled`, with a
/// reason.
pub async fn finish(
    conn: &mut PgConnection,
    id: i64,
    state: JobState,
    placement: &Placement<'_>,
    metrics: Option<serde_json::Value>,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE benchmark_jobs SET state = $2, executor = $3, external_id = coalesce($4, external_id), \
         hardware = coalesce($5, hardware), metrics = $6, reason = $7, finished_at = now(), \
         started_at = coalesce(started_at, now()) WHERE id = $1",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(placement.executor.as_str())
    .bind(placement.external_id)
    .bind(&placement.hardware)
    .bind(metrics)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends `bytes` received at byte `offset` of the whole log, keeping the last `keep`
/// bytes. Bytes the hub has already (a retried upload) are skipped. The caller has checked
/// `offset <= log_length < offset + len` or an empty upload at `log_length`.
pub async fn append_log(
    conn: &mut PgConnection,
    id: i64,
    skip: usize,
    bytes: &[u8],
    keep: usize,
) -> Result<i64> {
    let new = bytes.get(skip..).unwrap_or_default();
    Ok(sqlx::query_scalar(
        "UPDATE benchmark_jobs SET \
           log_tail = substring(log_tail || $2 FROM greatest(1, length(log_tail || $2) - $3::int + 1)), \
           log_length = log_length + length($2) WHERE id = $1 RETURNING log_length",
    )
    .bind(id)
    .bind(new)
    .bind(i32::try_from(keep).unwrap_or(i32::MAX))
    .fetch_one(&mut *conn)
    .await?)
}

/// What one pass of the reaper did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reaped {
    pub requeued: u64,
    pub failed: u64,
    pub expired: u64,
}

/// Returns jobs whose lease has passed its deadline to the queue, or fails them once they
/// have had `max_attempts` leases; expires jobs queued longer than `queue_timeout`. Rows
/// are taken with `FOR UPDATE SKIP LOCKED`, so hub replicas running this at once never act
/// on the same job twice, and a report renewing a lease at that moment either wins (the
/// lease is no longer expired) or finds the lease gone (409).
pub async fn reap(conn: &mut PgConnection, queue_timeout_seconds: u64) -> Result<Reaped> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        r#"WITH expired AS (
               SELECT id FROM benchmark_jobs
               WHERE state IN ('leased', 'running') AND lease_deadline < now()
               ORDER BY lease_deadline LIMIT 1000
               FOR UPDATE SKIP LOCKED)
           UPDATE benchmark_jobs j SET
               state = CASE WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END,
               reason = CASE WHEN j.attempts >= j.max_attempts
                   THEN format('lease expired on attempt %s of %s: the agent stopped reporting',
                               j.attempts, j.max_attempts)
                   ELSE format('lease expired on attempt %s of %s; queued again',
                               j.attempts, j.max_attempts) END,
               finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END,
               queued_at = CASE WHEN j.attempts >= j.max_attempts THEN j.queued_at ELSE now() END,
               lease_token_hash = NULL, lease_deadline = NULL
           FROM expired WHERE j.id = expired.id
           RETURNING j.state, (SELECT slug::text FROM organisations WHERE id = j.organisation_id)"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut reaped = Reaped::default();
    let mut requeued_orgs: Vec<String> = Vec::new();
    for (state, org) in rows {
        if state == "queued" {
            reaped.requeued += 1;
            if !requeued_orgs.contains(&org) {
                requeued_orgs.push(org);
            }
        } else {
            reaped.failed += 1;
        }
    }
    notify(&mut *conn, &requeued_orgs).await?;
    reaped.expired = sqlx::query(
        r#"WITH stale AS (
               SELECT id FROM benchmark_jobs
               WHERE state = 'queued' AND queued_at < now() - make_interval(secs => $1)
               LIMIT 1000 FOR UPDATE SKIP LOCKED)
           UPDATE benchmark_jobs j SET state = 'expired', finished_at = now(),
               reason = 'no agent of the organisation leased it in time'
           FROM stale WHERE j.id = stale.id"#,
    )
    .bind(queue_timeout_seconds as f64)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(reaped)
}

/// Tells waiting agents of these organisations that jobs were queued (on commit).
pub async fn notify(ex: impl PgExecutor<'_>, organisations: &[String]) -> Result<()> {
    if organisations.is_empty() {
        return Ok(());
    }
    sqlx::query("SELECT pg_notify($1, org) FROM unnest($2::text[]) AS t(org)")
        .bind(CHANNEL)
        .bind(organisations)
        .execute(ex)
        .await?;
    Ok(())
}

/// The metrics a job's benchmark defines, and its primary metric.
pub async fn metric_rules(
    conn: &mut PgConnection,
    job_id: i64,
) -> Result<(Vec<BenchmarkMetric>, String)> {
    let (metrics, primary): (serde_json::Value, String) = sqlx::query_as(
        "SELECT b.metrics, b.primary_metric FROM benchmark_jobs j \
         JOIN benchmark_runs r ON r.id = j.run_id JOIN benchmarks b ON b.id = r.benchmark_id \
         WHERE j.id = $1",
    )
    .bind(job_id)
    .fetch_one(&mut *conn)
    .await?;
    let metrics = serde_json::from_value(metrics)
        .map_err(|e| Error::Internal(format!("stored metrics are unreadable: {e}")))?;
    Ok((metrics, primary))
}
