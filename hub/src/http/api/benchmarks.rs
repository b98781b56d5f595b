//! `/api/v1/benchmarks`: shared evaluation tasks and their leaderboards.

use agora_schemas::{Benchmark, BenchmarkInput, Leaderboard, MlTask};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::db::results::LeaderboardSort;

use super::{page_of, same_key, saved};
use crate::app::AppState;
use crate::db::SaveMode;
use crate::db::benchmarks::{self, BenchmarkFilter};
use crate::db::keys::KeyKind;
use crate::db::results::{self, BoardView};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(BenchmarkPage, Benchmark);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace))
        .routes(routes!(leaderboard))
}

/// Filters and paging for the benchmark list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BenchmarkQuery {
    /// Workstream slug.
    workstream: Option<String>,
    /// An organisation taking part.
    organisation: Option<String>,
    task: Option<MlTask>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists the benchmarks the caller may see, by title.
#[utoipa::path(get, path = "/api/v1/benchmarks", tag = "benchmarks", operation_id = "benchmarks_list", params(BenchmarkQuery),
    responses((status = 200, description = "Success", body = BenchmarkPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<BenchmarkQuery>,
) -> Result<Json<BenchmarkPage>> {
    let page = page_request(q.page, q.per_page)?;
    let mut conn = state.db.acquire().await?;
    let filter = BenchmarkFilter {
        workstream: KeyKind::Workstream
            .resolve(&mut conn, &caller, q.workstream)
            .await?,
        organisation: KeyKind::Organisation
            .resolve(&mut conn, &caller, q.organisation)
            .await?,
        task: q.task,
    };
    let (items, total) = benchmarks::list(&mut conn, &caller, &filter, page).await?;
    Ok(Json(BenchmarkPage::new(items, total, page)))
}

fn organisations(input: &BenchmarkInput) -> Vec<String> {
    input
        .participants
        .iter()
        .map(|p| p.organisation.to_string())
        .collect()
}

fn workstreams(input: &BenchmarkInput) -> Vec<String> {
    input.workstreams.iter().map(|w| w.to_string()).collect()
}

/// Defines a benchmark. Administrators, stewards of an organisation taking part and leads
/// of a workstream it serves may do so.
#[utoipa::path(post, path = "/api/v1/benchmarks", tag = "benchmarks", operation_id = "benchmarks_create", request_body = BenchmarkInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Benchmark), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 409, description = "A benchmark with this slug exists already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<BenchmarkInput>,
) -> Result<Response> {
    write::require(
        &caller,
        write::can_manage_benchmark::<String, String>(
            &caller,
            None,
            &organisations(&input),
            &workstreams(&input),
        ),
        "define a benchmark: ask a steward of an organisation taking part, or a lead of its workstream",
    )?;
    let mut tx = state.db.begin().await?;
    let (benchmark, outcome) =
        match benchmarks::save(&mut tx, &input, &caller.actor, SaveMode::Create).await {
            Ok(saved) => saved,
            Err(e) => {
                drop(tx);
                let readable = async {
                    let mut conn = state.db.acquire().await?;
                    Ok(benchmarks::get(&mut conn, &caller, &input.slug)
                        .await?
                        .is_some())
                };
                return Err(super::unless_hidden_holder(e, "slug", readable).await);
            }
        };
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/benchmarks/{}", benchmark.spec.slug),
        benchmark,
    ))
}

/// Reads one benchmark.
#[utoipa::path(get, path = "/api/v1/benchmarks/{slug}", tag = "benchmarks", operation_id = "benchmarks_get_one",
    params(("slug" = String, Path, description = "Benchmark slug")),
    responses((status = 200, description = "Success", body = Benchmark), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> Result<Json<Benchmark>> {
    let mut conn = state.db.acquire().await?;
    benchmarks::get(&mut conn, &caller, &slug)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))
}

/// Replaces a benchmark; its slug cannot change. Runs already made keep their jobs as
/// they were leased.
#[utoipa::path(put, path = "/api/v1/benchmarks/{slug}", tag = "benchmarks", operation_id = "benchmarks_replace", request_body = BenchmarkInput,
    params(("slug" = String, Path, description = "Benchmark slug")),
    responses((status = 200, description = "Success", body = Benchmark), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Strict(input): Strict<BenchmarkInput>,
) -> Result<Response> {
    same_key("slug", &input.slug, &slug)?;
    write::require(&caller, true, "change benchmarks")?;
    let mut tx = state.db.begin().await?;
    let current = benchmarks::get(&mut tx, &caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    let (current_orgs, current_ws) = (organisations(&current.spec), workstreams(&current.spec));
    write::require(
        &caller,
        write::can_manage_benchmark(
            &caller,
            Some((&current_orgs[..], &current_ws[..])),
            &organisations(&input),
            &workstreams(&input),
        ),
        "change this benchmark",
    )?;
    let (benchmark, outcome) =
        benchmarks::save(&mut tx, &input, &caller.actor, SaveMode::Replace).await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/benchmarks/{slug}"),
        benchmark,
    ))
}

/// Leaderboard filters, order and page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// Only results at this organisation.
    organisation: Option<String>,
    #[param(inline)]
    sort: Option<LeaderboardSort>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Entries per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// A page of the leaderboard: the best result of each model at each organisation on the
/// primary metric (respecting its direction), with the model's rank among those evaluated
/// at that organisation (each organisation has its own dataset) and the agent, executor
/// and hardware behind it.
#[utoipa::path(get, path = "/api/v1/benchmarks/{slug}/leaderboard", tag = "benchmarks", operation_id = "benchmarks_leaderboard",
    params(("slug" = String, Path, description = "Benchmark slug"), LeaderboardQuery),
    responses((status = 200, description = "Success", body = Leaderboard), (status = 404, description = "No such benchmark, or not visible to the caller", body = ErrorBody), (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn leaderboard(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Params(q): Params<LeaderboardQuery>,
) -> Result<Json<Leaderboard>> {
    let mut conn = state.db.acquire().await?;
    let (id, benchmark) = benchmarks::find(&mut conn, &caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    let view = BoardView {
        organisation: q.organisation.map(|s| s.to_ascii_lowercase()),
        sort: q.sort.unwrap_or_default(),
        page: page_request(q.page, q.per_page)?,
    };
    let board = results::leaderboard(&mut conn, &caller, id, &benchmark, &view).await?;
    Ok(Json(board))
}
