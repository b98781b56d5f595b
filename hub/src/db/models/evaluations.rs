//! Every evaluation result of a model in one shape ([`Evaluation`]): its card's
//! `model-index` first, in the card's order; then its registered versions' results, newest
//! version first; then its benchmark results, newest first, from the benchmarks the caller
//! may read. Withdrawn versions are left out: their registry no longer lists them.

use agora_schemas::{Evaluation, EvaluationResult, EvaluationSource};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::get;
use crate::db::{PageRequest, benchmarks, parse_checked};
use crate::error::Result;
use crate::policy::Caller;

/// Where the results asked for come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Card,
    Registry,
    Benchmark,
}

/// Filters of a model's results.
#[derive(Debug, Clone, Default)]
pub struct EvaluationFilter {
    pub source: Option<SourceKind>,
    /// A metric identifier, in any case.
    pub metric: Option<String>,
}

impl EvaluationFilter {
    fn takes(&self, kind: SourceKind) -> bool {
        self.source.is_none_or(|s| s == kind)
    }
}

#[derive(FromRow)]
struct RegistryRow {
    version: String,
    registered_at: Option<DateTime<Utc>>,
    metric: String,
    value: f64,
    dataset: String,
    split: Option<String>,
}

#[derive(FromRow)]
struct BenchmarkRow {
    benchmark: String,
    task: String,
    organisation: String,
    run_id: i64,
    version: String,
    dataset: String,
    metric: String,
    value: f64,
    recorded_at: DateTime<Utc>,
}

/// One page of a model's results and how many there are, or `None` when the caller may
/// not see the model.
pub async fn evaluations(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
    filter: &EvaluationFilter,
    page: PageRequest,
) -> Result<Option<(Vec<Evaluation>, i64)>> {
    let Some(card) = get(conn, caller, organisation, name).await? else {
        return Ok(None);
    };
    let card_id: i64 = sqlx::query_scalar(
        "SELECT m.id FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.slug = $1 AND m.name = $2",
    )
    .bind(card.spec.organisation.as_str())
    .bind(card.spec.name.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let metric = filter.metric.as_deref().map(str::to_lowercase);
    let from_card: Vec<Evaluation> = if filter.takes(SourceKind::Card) {
        Evaluation::of_model_index(&card.spec.model_index)
            .into_iter()
            .filter(|e| {
                metric
                    .as_ref()
                    .is_none_or(|m| e.metric.to_lowercase() == *m)
            })
            .collect()
    } else {
        Vec::new()
    };

    // The page is read across the three parts in turn: `skip` and `room` say what is
    // still to skip and to fill.
    let mut skip = page.offset();
    let mut room = page.limit();
    let mut total = from_card.len() as i64;
    let mut items: Vec<Evaluation> = from_card
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(room).unwrap_or(0))
        .collect();
    skip = (skip - total).max(0);
    room -= items.len() as i64;

    if filter.takes(SourceKind::Registry) {
        let mut qb = registry(card_id, metric.as_deref(), None);
        let count: i64 = qb.build_query_scalar().fetch_one(&mut *conn).await?;
        total += count;
        if room > 0 && skip < count {
            let mut qb = registry(card_id, metric.as_deref(), Some((skip, room)));
            let rows: Vec<RegistryRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
            room -= rows.len() as i64;
            items.extend(rows.into_iter().map(|r| {
                let result = EvaluationResult {
                    metric: r.metric,
                    value: r.value,
                    dataset: r.dataset,
                    split: r.split,
                };
                Evaluation::of_version(result, &r.version, r.registered_at)
            }));
        }
        skip = (skip - count).max(0);
    }

    if filter.takes(SourceKind::Benchmark) {
        let mut qb = benchmark(caller, card_id, metric.as_deref(), None);
        let count: i64 = qb.build_query_scalar().fetch_one(&mut *conn).await?;
        total += count;
        if room > 0 && skip < count {
            let mut qb = benchmark(caller, card_id, metric.as_deref(), Some((skip, room)));
            let rows: Vec<BenchmarkRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
            for r in rows {
                items.push(Evaluation {
                    metric: r.metric,
                    metric_name: None,
                    value: Some(r.value),
                    value_text: None,
                    dataset: r.dataset,
                    dataset_type: None,
                    split: None,
                    task: Some(r.task),
                    source: EvaluationSource::Benchmark {
                        benchmark: parse_checked("benchmark", r.benchmark)?,
                        organisation: parse_checked("organisation", r.organisation)?,
                        run_id: r.run_id,
                        version: r.version,
                        recorded_at: r.recorded_at,
                    },
                });
            }
        }
    }
    Ok(Some((items, total)))
}

/// The registered versions' results: counted, or a window `(offset, limit)` of them.
fn registry(
    card_id: i64,
    metric: Option<&str>,
    window: Option<(i64, i64)>,
) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(if window.is_some() {
        "SELECT v.version, v.registered_at, r.metric, r.value, r.dataset, r.split"
    } else {
        "SELECT count(*)"
    });
    qb.push(
        " FROM evaluation_results r JOIN model_versions v ON v.id = r.model_version_id \
         WHERE v.withdrawn_at IS NULL AND v.model_card_id = ",
    )
    .push_bind(card_id);
    if let Some(m) = metric {
        qb.push(" AND lower(r.metric) = ").push_bind(m.to_string());
    }
    if let Some((offset, limit)) = window {
        qb.push(" ORDER BY v.registered_at DESC NULLS LAST, v.id DESC, r.position LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
    }
    qb
}

/// Benchmark results, one per numeric metric, from benchmarks the caller may read: counted,
/// or a window `(offset, limit)` of them.
fn benchmark(
    caller: &Caller,
    card_id: i64,
    metric: Option<&str>,
    window: Option<(i64, i64)>,
) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(if window.is_some() {
        "SELECT b.slug::text AS benchmark, b.task::text AS task, o.slug::text AS organisation, \
         j.run_id, v.version, j.dataset, m.key AS metric, (m.value #>> '{}')::float8 AS value, \
         res.recorded_at"
    } else {
        "SELECT count(*)"
    });
    qb.push(
        " FROM benchmark_results res JOIN benchmarks b ON b.id = res.benchmark_id \
         JOIN benchmark_jobs j ON j.id = res.job_id \
         JOIN model_versions v ON v.id = res.model_version_id \
         JOIN organisations o ON o.id = res.organisation_id \
         CROSS JOIN LATERAL jsonb_each(res.metrics) m \
         WHERE jsonb_typeof(m.value) = 'number' AND v.withdrawn_at IS NULL AND v.model_card_id = ",
    )
    .push_bind(card_id)
    .push(" AND ");
    caller.push_can_read(&mut qb, "b.visibility", benchmarks::OWNERS);
    if let Some(m) = metric {
        qb.push(" AND lower(m.key) = ").push_bind(m.to_string());
    }
    if let Some((offset, limit)) = window {
        qb.push(" ORDER BY res.recorded_at DESC, res.id DESC, m.key LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
    }
    qb
}
