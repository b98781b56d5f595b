//! Benchmark results and leaderboards.
//!
//! Each organisation evaluates on its own dataset, so values are compared between models at
//! the same organisation: a model's rank is its place among the models evaluated there.

mod leaderboard;

pub use leaderboard::{
    BoardView, LeaderboardSort, ModelStanding, leaderboard, leading_models, standings_of_model,
};

use std::collections::BTreeMap;

use agora_schemas::benchmark::MetricDirection;
use agora_schemas::{Benchmark, Hardware};
use sqlx::PgConnection;

use self::leaderboard::entries_of_model;
use crate::db::runs::run_event;
use crate::db::{benchmarks, events};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// Who produced a result.
pub struct Producer<'a> {
    /// How the result's event names who recorded it: `agent:<organisation>/<name>`.
    pub actor: &'a str,
    pub agent: &'a str,
    pub agent_id: Option<i64>,
    pub executor: agora_schemas::ExecutorKind,
    pub hardware: Option<&'a Hardware>,
    pub demo: bool,
}

/// Records the result of a succeeded job (metrics already validated) and appends a
/// `benchmark_result.recorded` event with the model's rank at the organisation.
pub async fn record(
    conn: &mut PgConnection,
    job_id: i64,
    metrics: &BTreeMap<String, f64>,
    producer: &Producer<'_>,
) -> Result<()> {
    let (run_id, benchmark_slug, organisation): (i64, String, String) = sqlx::query_as(
        "SELECT j.run_id, b.slug::text, o.slug::text FROM benchmark_jobs j \
         JOIN benchmark_runs r ON r.id = j.run_id JOIN benchmarks b ON b.id = r.benchmark_id \
         JOIN organisations o ON o.id = j.organisation_id WHERE j.id = $1",
    )
    .bind(job_id)
    .fetch_one(&mut *conn)
    .await?;
    let (benchmark_id, benchmark) = benchmarks::find(conn, &Caller::system(), &benchmark_slug)
        .await?
        .ok_or_else(|| Error::Internal(format!("benchmark `{benchmark_slug}` vanished")))?;
    let primary = &benchmark.spec.primary_metric;
    let value = *metrics.get(primary).ok_or_else(|| {
        Error::invalid(
            format!("metrics.{primary}"),
            "the primary metric is missing",
        )
    })?;
    let metrics_json =
        serde_json::to_value(metrics).map_err(|e| Error::Internal(format!("metrics: {e}")))?;
    let hardware = producer
        .hardware
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| Error::Internal(format!("hardware: {e}")))?;
    sqlx::query(
        "INSERT INTO benchmark_results (job_id, benchmark_id, model_version_id, organisation_id, \
             primary_value, metrics, agent, agent_id, executor, hardware, demo) \
         SELECT j.id, $2, r.model_version_id, j.organisation_id, $3, $4, $5, $6, $7, $8, $9 \
         FROM benchmark_jobs j JOIN benchmark_runs r ON r.id = j.run_id WHERE j.id = $1",
    )
    .bind(job_id)
    .bind(benchmark_id)
    .bind(value)
    .bind(metrics_json)
    .bind(producer.agent)
    .bind(producer.agent_id)
    .bind(producer.executor.as_str())
    .bind(hardware)
    .bind(producer.demo)
    .execute(&mut *conn)
    .await?;
    let run = super::runs::get(conn, &Caller::system(), &benchmark_slug, run_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("run {run_id} vanished")))?;
    let m = &run.run.model;
    let rank = entries_of_model(
        conn,
        &Caller::system(),
        benchmark_id,
        direction_of(&benchmark)?,
        m.organisation.as_str(),
        m.name.as_str(),
    )
    .await?
    .into_iter()
    .find(|(e, _)| e.organisation.as_str() == organisation)
    .map(|(e, _)| e.rank);
    let direction = direction_of(&benchmark)?;
    let payload = serde_json::json!({
        "subject": job_id.to_string(), "benchmark": benchmark.spec.slug, "run": run_id,
        "job": job_id, "model": format!("{}/{}", m.organisation, m.name), "version": m.version,
        "organisation": organisation, "primary_metric": primary, "direction": direction,
        "value": value, "rank": rank, "agent": producer.agent,
        "executor": producer.executor, "demo": producer.demo,
    });
    let summary = format!(
        "{}/{} version {} scored {primary} {value} on {} at {organisation}",
        m.organisation, m.name, m.version, benchmark.spec.title
    );
    events::append(
        &mut *conn,
        &run_event(
            "benchmark_result.recorded",
            &benchmark,
            m,
            run.model_visibility,
            producer.actor,
            summary,
            payload,
        ),
    )
    .await?;
    Ok(())
}

/// The direction of the benchmark's primary metric.
pub fn direction_of(benchmark: &Benchmark) -> Result<MetricDirection> {
    benchmark
        .spec
        .metrics
        .iter()
        .find(|m| m.name == benchmark.spec.primary_metric)
        .map(|m| m.direction)
        .ok_or_else(|| Error::Internal("the primary metric is not among the metrics".into()))
}
