//! Benchmark results and leaderboards.
//!
//! Each organisation evaluates on its own dataset, so values are compared between models at
//! the same organisation: a model's rank is its place among the models evaluated there.

use std::collections::BTreeMap;

use agora_schemas::benchmark::{LeaderboardEntry, MetricDirection};
use agora_schemas::{Benchmark, Hardware, Leaderboard, ModelRef};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::events;
use super::runs::run_event;
use super::{benchmarks, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// The ORDER BY key that puts the best value first for a direction.
fn best_first(direction: MetricDirection) -> &'static str {
    match direction {
        MetricDirection::Maximize => "res.primary_value DESC",
        MetricDirection::Minimize => "res.primary_value ASC",
    }
}

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
    let board = leaderboard(conn, &Caller::system(), benchmark_id, &benchmark, None).await?;
    let rank = board
        .entries
        .iter()
        .find(|e| {
            e.model.organisation == run.run.model.organisation
                && e.model.name == run.run.model.name
                && e.organisation.as_str() == organisation
        })
        .map(|e| e.rank);
    let m = &run.run.model;
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

#[derive(FromRow)]
struct EntryRow {
    rank: i64,
    model_organisation: String,
    model_name: String,
    version: String,
    organisation: String,
    value: f64,
    metrics: serde_json::Value,
    run_id: i64,
    job_id: i64,
    agent: String,
    executor: String,
    hardware: Option<serde_json::Value>,
    recorded_at: DateTime<Utc>,
    demo: bool,
}

/// The best result of each model at each organisation, on the primary metric, with the
/// model's rank at that organisation; results of models the caller may not see are left
/// out (and not counted in ranks). Sorted by organisation, then rank.
pub async fn leaderboard(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark_id: i64,
    benchmark: &Benchmark,
    organisation: Option<&str>,
) -> Result<Leaderboard> {
    let direction = direction_of(benchmark)?;
    let order = best_first(direction);
    let mut qb = QueryBuilder::<Postgres>::new(
        "WITH best AS (SELECT DISTINCT ON (mc.id, res.organisation_id) \
             mo.slug::text AS model_organisation, mc.name::text AS model_name, mv.version, \
             o.slug::text AS organisation, res.primary_value AS value, res.metrics, \
             j.run_id, res.job_id, res.agent, res.executor, res.hardware, res.recorded_at, res.demo \
           FROM benchmark_results res \
           JOIN benchmark_jobs j ON j.id = res.job_id \
           JOIN model_versions mv ON mv.id = res.model_version_id \
           JOIN model_cards mc ON mc.id = mv.model_card_id \
           JOIN organisations mo ON mo.id = mc.organisation_id \
           JOIN organisations o ON o.id = res.organisation_id \
           WHERE res.benchmark_id = ",
    );
    qb.push_bind(benchmark_id).push(" AND ");
    caller.push_can_read(&mut qb, "mc.visibility", "ARRAY[mo.slug::text]");
    if let Some(org) = organisation {
        qb.push(" AND o.slug = ").push_bind(org.to_string());
    }
    qb.push(format!(
        " ORDER BY mc.id, res.organisation_id, {order}, res.recorded_at, res.id) \
         SELECT rank() OVER (PARTITION BY organisation ORDER BY {}) AS rank, * FROM best res \
         ORDER BY organisation, rank, model_organisation, model_name",
        order.replace("res.primary_value", "res.value")
    ));
    let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            Ok(LeaderboardEntry {
                rank: u32::try_from(r.rank).unwrap_or(u32::MAX),
                model: ModelRef {
                    organisation: parse_checked("organisation", r.model_organisation)?,
                    name: parse_checked("name", r.model_name)?,
                    version: r.version,
                },
                organisation: parse_checked("organisation", r.organisation)?,
                value: r.value,
                metrics: serde_json::from_value(r.metrics)
                    .map_err(|e| Error::Internal(format!("stored metrics are unreadable: {e}")))?,
                run_id: r.run_id,
                job_id: r.job_id,
                agent: r.agent,
                executor: parse_stored("executor", &r.executor)?,
                hardware: r
                    .hardware
                    .map(serde_json::from_value)
                    .transpose()
                    .map_err(|e| Error::Internal(format!("stored hardware is unreadable: {e}")))?,
                recorded_at: r.recorded_at,
                demo: r.demo,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Leaderboard {
        benchmark: benchmark.spec.slug.clone(),
        primary_metric: benchmark.spec.primary_metric.clone(),
        direction,
        entries,
    })
}

/// A model's standing on one benchmark: the benchmark and the model's entries of its
/// leaderboard (one per organisation that evaluated it), with how many models each
/// organisation ranked.
pub struct ModelStanding {
    pub benchmark: Benchmark,
    pub entries: Vec<(LeaderboardEntry, usize)>,
}

/// The benchmarks a model has results on, as the caller may see them: only benchmarks the
/// caller may read, and each through the same leaderboard (and so the same rule on the
/// models ranked beside it) as the benchmark's own page. Ordered by benchmark slug.
pub async fn standings_of_model(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
) -> Result<Vec<ModelStanding>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT DISTINCT b.slug::text FROM benchmark_results res \
         JOIN benchmarks b ON b.id = res.benchmark_id \
         JOIN model_versions mv ON mv.id = res.model_version_id \
         JOIN model_cards mc ON mc.id = mv.model_card_id \
         JOIN organisations mo ON mo.id = mc.organisation_id \
         WHERE mo.slug = ",
    );
    qb.push_bind(organisation.to_string())
        .push(" AND mc.name = ")
        .push_bind(name.to_string())
        .push(" AND ");
    caller.push_can_read(&mut qb, "b.visibility", benchmarks::OWNERS);
    qb.push(" AND ");
    caller.push_can_read(&mut qb, "mc.visibility", "ARRAY[mo.slug::text]");
    qb.push(" ORDER BY 1");
    let slugs: Vec<String> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut standings = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let Some((id, benchmark)) = benchmarks::find(conn, caller, &slug).await? else {
            continue;
        };
        let board = leaderboard(conn, caller, id, &benchmark, None).await?;
        let ranked = |org: &str| {
            board
                .entries
                .iter()
                .filter(|e| e.organisation.as_str() == org)
                .count()
        };
        let entries: Vec<_> = board
            .entries
            .iter()
            .filter(|e| {
                e.model.organisation.as_str() == organisation && e.model.name.as_str() == name
            })
            .map(|e| (e.clone(), ranked(e.organisation.as_str())))
            .collect();
        if !entries.is_empty() {
            standings.push(ModelStanding { benchmark, entries });
        }
    }
    Ok(standings)
}
