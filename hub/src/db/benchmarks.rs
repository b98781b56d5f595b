//! Benchmarks: shared evaluation tasks, the organisations taking part with their local
//! dataset names, and the workstreams they serve.

use agora_schemas::benchmark::{BenchmarkMetric, Participant, ResourceRequest};
use agora_schemas::{Benchmark, BenchmarkInput, MlTask};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::events::{self, NewEvent};
use super::{
    Outcome, PageRequest, SaveMode, parse_all, parse_checked, parse_stored, resolve_slugs,
};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// The organisations taking part in benchmark `b`, in order: its owners for the read policy.
pub const OWNERS: &str = "ARRAY(SELECT o.slug::text FROM benchmark_participants bp \
     JOIN organisations o ON o.id = bp.organisation_id WHERE bp.benchmark_id = b.id ORDER BY bp.position)";

#[derive(FromRow)]
struct Row {
    id: i64,
    slug: String,
    title: String,
    description: String,
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
    participants: serde_json::Value,
    workstreams: Vec<String>,
    visibility: String,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Benchmarks as `caller` sees them: a workstream it may not read is not named.
fn select(caller: &Caller) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(
        "SELECT b.id, b.slug::text, b.title, b.description, b.task::text, b.metrics, b.primary_metric, \
         b.command, b.image, b.cpus, b.memory_mb, b.gpus, b.gpu_type, b.time_limit_seconds, \
         coalesce((SELECT jsonb_agg(jsonb_build_object('organisation', o.slug::text, 'dataset', bp.dataset) \
                   ORDER BY bp.position) FROM benchmark_participants bp \
                   JOIN organisations o ON o.id = bp.organisation_id WHERE bp.benchmark_id = b.id), '[]') \
           AS participants, \
         ARRAY(SELECT w.slug::text FROM benchmark_workstreams bw JOIN workstreams w ON w.id = bw.workstream_id \
               WHERE bw.benchmark_id = b.id AND ",
    );
    caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
    qb.push(
        " ORDER BY w.code, w.slug) AS workstreams, \
         b.visibility::text, b.created_by, b.created_at, b.updated_at FROM benchmarks b WHERE ",
    );
    qb
}

fn internal(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("stored {what} are unreadable: {e}"))
}

impl Row {
    fn into_benchmark(self) -> Result<(i64, Benchmark)> {
        let metrics: Vec<BenchmarkMetric> =
            serde_json::from_value(self.metrics).map_err(|e| internal("metrics", e))?;
        let participants: Vec<Participant> =
            serde_json::from_value(self.participants).map_err(|e| internal("participants", e))?;
        let n = |v: i64| u64::try_from(v).unwrap_or_default();
        Ok((
            self.id,
            Benchmark {
                spec: BenchmarkInput {
                    slug: parse_checked("slug", self.slug)?,
                    title: self.title,
                    description: self.description,
                    task: parse_stored("task", &self.task)?,
                    metrics,
                    primary_metric: self.primary_metric,
                    command: self.command,
                    image: self.image,
                    resources: ResourceRequest {
                        cpus: u32::try_from(self.cpus).unwrap_or(1),
                        memory_mb: n(self.memory_mb),
                        gpus: u32::try_from(self.gpus).unwrap_or_default(),
                        gpu_type: self.gpu_type,
                        time_limit_seconds: n(self.time_limit_seconds),
                    },
                    participants,
                    workstreams: parse_all("workstreams", self.workstreams)?,
                    visibility: parse_stored("visibility", &self.visibility)?,
                },
                created_by: self.created_by,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
        ))
    }
}

/// Filters of the benchmark list.
#[derive(Debug, Clone, Default)]
pub struct BenchmarkFilter {
    pub workstream: Option<String>,
    pub organisation: Option<String>,
    pub task: Option<MlTask>,
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, caller: &Caller, f: &BenchmarkFilter) {
    caller.push_can_read(qb, "b.visibility", OWNERS);
    if let Some(ws) = &f.workstream {
        qb.push(
            " AND EXISTS (SELECT 1 FROM benchmark_workstreams bw JOIN workstreams w ON w.id = bw.workstream_id \
             WHERE bw.benchmark_id = b.id AND w.slug = ",
        )
        .push_bind(ws.clone())
        .push(" AND ");
        caller.push_can_read(qb, "w.visibility", "'{}'::text[]");
        qb.push(")");
    }
    if let Some(org) = &f.organisation {
        qb.push(
            " AND EXISTS (SELECT 1 FROM benchmark_participants bp JOIN organisations o ON o.id = bp.organisation_id \
             WHERE bp.benchmark_id = b.id AND o.slug = ",
        )
        .push_bind(org.clone())
        .push(")");
    }
    if let Some(task) = f.task {
        qb.push(" AND b.task = ").push_bind(task.as_str());
    }
}

/// Benchmarks the caller may see, by title.
pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    f: &BenchmarkFilter,
    page: PageRequest,
) -> Result<(Vec<Benchmark>, i64)> {
    let mut count = QueryBuilder::new("SELECT count(*) FROM benchmarks b WHERE ");
    push_filter(&mut count, caller, f);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = select(caller);
    push_filter(&mut qb, caller, f);
    qb.push(" ORDER BY b.title, b.slug LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_benchmark().map(|(_, b)| b))
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// One benchmark with its id, if it exists and the caller may see it.
pub async fn find(
    conn: &mut PgConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Option<(i64, Benchmark)>> {
    let mut qb = select(caller);
    caller.push_can_read(&mut qb, "b.visibility", OWNERS);
    qb.push(" AND b.slug = ").push_bind(slug.to_string());
    let row: Option<Row> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(Row::into_benchmark).transpose()
}

/// One benchmark, if it exists and the caller may see it.
pub async fn get(
    conn: &mut PgConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Option<Benchmark>> {
    Ok(find(conn, caller, slug).await?.map(|(_, b)| b))
}

/// The benchmark's events reach its workstreams and organisations, with its visibility.
pub fn event(kind: &'static str, b: &BenchmarkInput, actor: &str, summary: String) -> NewEvent {
    NewEvent {
        actor: actor.to_string(),
        kind,
        subject_kind: "benchmark",
        subject: b.slug.to_string(),
        summary,
        workstreams: b.workstreams.iter().map(|w| w.to_string()).collect(),
        organisations: b
            .participants
            .iter()
            .map(|p| p.organisation.to_string())
            .collect(),
        visibility: b.visibility,
        payload: serde_json::json!({"benchmark": b.slug, "title": b.title}),
    }
}

fn unchanged(stored: &BenchmarkInput, input: &BenchmarkInput) -> bool {
    let (mut stored, mut input) = (stored.clone(), input.clone());
    stored.workstreams.sort();
    input.workstreams.sort();
    stored == input
}

/// Creates or replaces a benchmark with its participants and workstreams, and records an
/// event; saving what is stored already writes nothing.
pub async fn save(
    conn: &mut PgConnection,
    input: &BenchmarkInput,
    actor: &str,
    mode: SaveMode,
) -> Result<(Benchmark, Outcome)> {
    let orgs: Vec<&str> = input
        .participants
        .iter()
        .map(|p| p.organisation.as_str())
        .collect();
    let organisation_ids = resolve_slugs(conn, "organisations", "participants", &orgs)
        .await
        .map_err(|e| match e {
            Error::Invalid(f) => Error::invalid(format!("{}.organisation", f.field), f.message),
            other => other,
        })?;
    let workstream_ids =
        resolve_slugs(conn, "workstreams", "workstreams", &input.workstreams).await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM benchmarks WHERE slug = $1 FOR UPDATE")
            .bind(input.slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let current = match existing {
        Some(_) => find(conn, &Caller::system(), &input.slug).await?,
        None => None,
    };
    let what = format!("benchmark `{}`", input.slug);
    let Some(outcome) = mode.outcome(
        current.as_ref().map(|(_, b)| &b.spec),
        |c| unchanged(c, input),
        "slug",
        &what,
    )?
    else {
        let (_, benchmark) = current.ok_or_else(|| Error::NotFound(what))?;
        return Ok((benchmark, Outcome::Unchanged));
    };
    let metrics = serde_json::to_value(&input.metrics)
        .map_err(|e| Error::Internal(format!("metrics: {e}")))?;
    let r = &input.resources;
    let id: i64 = sqlx::query_scalar(
        r#"INSERT INTO benchmarks (slug, title, description, task, metrics, primary_metric, command,
                                   image, cpus, memory_mb, gpus, gpu_type, time_limit_seconds,
                                   visibility, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
           ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title,
               description = EXCLUDED.description, task = EXCLUDED.task,
               metrics = EXCLUDED.metrics, primary_metric = EXCLUDED.primary_metric,
               command = EXCLUDED.command, image = EXCLUDED.image, cpus = EXCLUDED.cpus,
               memory_mb = EXCLUDED.memory_mb, gpus = EXCLUDED.gpus, gpu_type = EXCLUDED.gpu_type,
               time_limit_seconds = EXCLUDED.time_limit_seconds, visibility = EXCLUDED.visibility
           RETURNING id"#,
    )
    .bind(input.slug.as_str())
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.task.as_str())
    .bind(metrics)
    .bind(&input.primary_metric)
    .bind(&input.command)
    .bind(&input.image)
    .bind(i32::try_from(r.cpus).unwrap_or(i32::MAX))
    .bind(i64::try_from(r.memory_mb).unwrap_or(i64::MAX))
    .bind(i32::try_from(r.gpus).unwrap_or(i32::MAX))
    .bind(&r.gpu_type)
    .bind(i64::try_from(r.time_limit_seconds).unwrap_or(i64::MAX))
    .bind(input.visibility.as_str())
    .bind(actor)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM benchmark_participants WHERE benchmark_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let datasets: Vec<&str> = input
        .participants
        .iter()
        .map(|p| p.dataset.as_str())
        .collect();
    sqlx::query(
        "INSERT INTO benchmark_participants (benchmark_id, organisation_id, position, dataset) \
         SELECT $1, org, (n - 1)::smallint, ds FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS t(org, ds, n)",
    )
    .bind(id)
    .bind(&organisation_ids)
    .bind(&datasets)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM benchmark_workstreams WHERE benchmark_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO benchmark_workstreams (benchmark_id, workstream_id) SELECT $1, unnest($2::bigint[])",
    )
    .bind(id)
    .bind(&workstream_ids)
    .execute(&mut *conn)
    .await?;
    let (kind, verb) = match outcome {
        Outcome::Created => ("benchmark.created", "created"),
        _ => ("benchmark.updated", "updated"),
    };
    events::append(
        &mut *conn,
        &event(
            kind,
            input,
            actor,
            format!("{actor} {verb} benchmark {}", input.title),
        ),
    )
    .await?;
    let (_, benchmark) = find(conn, &Caller::system(), &input.slug)
        .await?
        .ok_or_else(|| Error::Internal("a saved benchmark reads back".into()))?;
    Ok((benchmark, outcome))
}
