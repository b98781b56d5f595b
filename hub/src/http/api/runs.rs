//! `/api/v1/benchmarks/{slug}/runs`: evaluating a model version at the organisations
//! taking part, one job per organisation; following and cancelling runs.
//!
//! Who may start and cancel runs: administrators, stewards of an organisation taking part
//! and leads of a workstream the benchmark serves (the people who may manage it); a run's
//! creator may also cancel it.

use agora_schemas::benchmark::CancelInput;
use agora_schemas::{Benchmark, Run, RunInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::{benchmarks, events, runs};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict};
use crate::policy::{Caller, write};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(cancel_run))
        .routes(routes!(cancel_job))
}

/// A page of runs.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RunList {
    pub items: Vec<Run>,
}

/// How many runs to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    /// Most runs returned, newest first: 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

fn may_run(caller: &Caller, benchmark: &Benchmark) -> bool {
    let orgs: Vec<String> = benchmark
        .spec
        .participants
        .iter()
        .map(|p| p.organisation.to_string())
        .collect();
    let wss: Vec<String> = benchmark
        .spec
        .workstreams
        .iter()
        .map(|w| w.to_string())
        .collect();
    write::can_run_benchmark(caller, &orgs, &wss)
}

async fn visible_benchmark(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    slug: &str,
) -> Result<(i64, Benchmark)> {
    benchmarks::find(conn, caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))
}

/// Lists a benchmark's runs the caller may see (the benchmark and the model must both be
/// visible), newest first, with their jobs.
#[utoipa::path(get, path = "/api/v1/benchmarks/{slug}/runs", tag = "benchmarks", operation_id = "runs_list",
    params(("slug" = String, Path, description = "Benchmark slug"), RunQuery),
    responses((status = 200, description = "Success", body = RunList), (status = 404, description = "No such benchmark, or not visible to the caller", body = ErrorBody), (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Params(q): Params<RunQuery>,
) -> Result<Json<RunList>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(Error::invalid("limit", "must be between 1 and 200"));
    }
    let mut conn = state.db.acquire().await?;
    visible_benchmark(&mut conn, &caller, &slug).await?;
    let items = runs::list(&mut conn, &caller, &slug, None, limit)
        .await?
        .into_iter()
        .map(|f| f.run)
        .collect();
    Ok(Json(RunList { items }))
}

/// Starts a run: evaluates one model version (which must exist and be visible to the
/// caller) at the chosen organisations (all those taking part when none is named). One job
/// per organisation is queued, and that organisation's agents are woken at once.
#[utoipa::path(post, path = "/api/v1/benchmarks/{slug}/runs", tag = "benchmarks", operation_id = "runs_create", request_body = RunInput,
    params(("slug" = String, Path, description = "Benchmark slug")),
    responses((status = 201, description = "Created, with its queued jobs; `Location` gives its address", body = Run), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such benchmark, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid (an organisation not taking part, an unknown model version); `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Strict(input): Strict<RunInput>,
) -> Result<Response> {
    write::require(&caller, true, "start benchmark runs")?;
    let mut tx = state.db.begin().await?;
    let (id, benchmark) = visible_benchmark(&mut tx, &caller, &slug).await?;
    write::require(
        &caller,
        may_run(&caller, &benchmark),
        "start runs of this benchmark: ask a steward of an organisation taking part, or a lead of its workstream",
    )?;
    let run_id = runs::create(
        &mut tx,
        &caller,
        id,
        &benchmark,
        &input,
        state.config.job_max_attempts,
        false,
    )
    .await?;
    // Committed at once: agents waiting for these jobs are woken by the commit.
    tx.commit().await?;
    let mut conn = state.db.acquire().await?;
    let found = runs::get(&mut conn, &caller, &slug, run_id)
        .await?
        .ok_or_else(|| Error::Internal("a new run reads back".into()))?;
    tracing::info!(benchmark = %slug, run = run_id, jobs = found.run.jobs.len(), "benchmark run queued");
    let location = format!("/api/v1/benchmarks/{slug}/runs/{run_id}");
    let mut response = (StatusCode::CREATED, Json(found.run)).into_response();
    if let Ok(value) = location.parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    Ok(response)
}

/// Reads one run with its jobs: state, attempts, agent, executor, hardware, metrics, and
/// (for the job's own organisation) the log tail.
#[utoipa::path(get, path = "/api/v1/benchmarks/{slug}/runs/{id}", tag = "benchmarks", operation_id = "runs_get_one",
    params(("slug" = String, Path, description = "Benchmark slug"), ("id" = i64, Path, description = "Run id")),
    responses((status = 200, description = "Success", body = Run), (status = 404, description = "No such run, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Json<Run>> {
    let mut conn = state.db.acquire().await?;
    runs::get(&mut conn, &caller, &slug, id)
        .await?
        .map(|f| Json(f.run))
        .ok_or_else(|| Error::NotFound(format!("run {id} of benchmark `{slug}`")))
}

async fn cancel(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    run_id: i64,
    job_id: Option<i64>,
    input: &CancelInput,
) -> Result<Run> {
    write::require(caller, true, "cancel benchmark runs")?;
    let mut tx = state.db.begin().await?;
    let (_, benchmark) = visible_benchmark(&mut tx, caller, slug).await?;
    let found = runs::get(&mut tx, caller, slug, run_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("run {run_id} of benchmark `{slug}`")))?;
    if let Some(job) = job_id
        && !found.run.jobs.iter().any(|j| j.id == job)
    {
        return Err(Error::NotFound(format!("job {job} of run {run_id}")));
    }
    write::require(
        caller,
        may_run(caller, &benchmark) || found.run.created_by == caller.actor,
        "cancel this run",
    )?;
    let reason = format!(
        "cancelled by {}{}",
        caller.actor,
        input
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default()
    );
    let cancelled = runs::cancel(&mut tx, run_id, job_id, &reason).await?;
    if !cancelled.is_empty() || job_id.is_none() {
        let m = &found.run.model;
        let what = match job_id {
            Some(job) => format!("job {job} of run {run_id}"),
            None => format!("run {run_id}"),
        };
        let payload = serde_json::json!({
            "subject": run_id.to_string(), "run": run_id, "benchmark": slug, "jobs": cancelled,
            "model": format!("{}/{}", m.organisation, m.name), "version": m.version, "reason": reason,
        });
        events::append(
            &mut *tx,
            &runs::run_event(
                "benchmark_run.cancelled",
                &benchmark,
                m,
                found.model_visibility,
                &caller.actor,
                format!(
                    "{} cancelled {what} of {}",
                    caller.actor, benchmark.spec.title
                ),
                payload,
            ),
        )
        .await?;
    }
    let found = runs::get(&mut tx, caller, slug, run_id)
        .await?
        .ok_or_else(|| Error::Internal("a cancelled run reads back".into()))?;
    tx.commit().await?;
    Ok(found.run)
}

/// Cancels a run: its queued jobs end at once; agents running the others hear `cancel:
/// true` at their next report and stop them.
#[utoipa::path(post, path = "/api/v1/benchmarks/{slug}/runs/{id}/cancel", tag = "benchmarks", operation_id = "runs_cancel",
    request_body = CancelInput,
    params(("slug" = String, Path, description = "Benchmark slug"), ("id" = i64, Path, description = "Run id")),
    responses((status = 200, description = "The run as it is now", body = Run), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such run, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn cancel_run(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, i64)>,
    Strict(input): Strict<CancelInput>,
) -> Result<Json<Run>> {
    Ok(Json(
        cancel(&state, &caller, &slug, id, None, &input).await?,
    ))
}

/// Cancels one job of a run (one organisation's evaluation).
#[utoipa::path(post, path = "/api/v1/benchmarks/{slug}/runs/{id}/jobs/{job}/cancel", tag = "benchmarks", operation_id = "runs_cancel_job",
    request_body = CancelInput,
    params(("slug" = String, Path, description = "Benchmark slug"), ("id" = i64, Path, description = "Run id"), ("job" = i64, Path, description = "Job id")),
    responses((status = 200, description = "The run as it is now", body = Run), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such run or job, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn cancel_job(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id, job)): Path<(String, i64, i64)>,
    Strict(input): Strict<CancelInput>,
) -> Result<Json<Run>> {
    Ok(Json(
        cancel(&state, &caller, &slug, id, Some(job), &input).await?,
    ))
}
