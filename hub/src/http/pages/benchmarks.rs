//! `/benchmarks`: the benchmark list, a benchmark's page (its definition, the leaderboard
//! as a chart and a sortable table, its runs), the leaderboard as CSV, and a run's page.
//! Every read goes through the same policy-checked queries as the API.

use agora_schemas::benchmark::{LeaderboardEntry, MetricDirection};
use agora_schemas::{Benchmark, Hardware, Leaderboard, Run};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::chart::{self, number};
use super::{Layout, errors, render};
use crate::app::AppState;
use crate::auth::Identity;
use crate::auth::csrf::PageIdentity;
use crate::db::benchmarks::{self, BenchmarkFilter};
use crate::db::{PageRequest, results, runs};
use crate::error::{Error, Result};
use crate::http::api::benchmarks::{LeaderboardSort, sort_entries};
use crate::policy::Caller;

struct ListItem {
    slug: String,
    title: String,
    task: String,
    primary_metric: String,
    organisations: String,
}

#[derive(Template)]
#[template(path = "benchmarks.html")]
struct ListPage {
    layout: Layout,
    total: i64,
    items: Vec<ListItem>,
}

/// `/benchmarks`.
pub async fn list(State(state): State<AppState>, PageIdentity(who): PageIdentity) -> Response {
    let outcome = build_list(&state, &who).await;
    errors::or_page(&who, "/benchmarks", outcome)
}

async fn build_list(state: &AppState, who: &Identity) -> Result<Response> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let page = PageRequest {
        page: 1,
        per_page: 100,
    };
    let (items, total) =
        benchmarks::list(&mut conn, caller, &BenchmarkFilter::default(), page).await?;
    let items = items
        .into_iter()
        .map(|b| ListItem {
            organisations: b
                .spec
                .participants
                .iter()
                .map(|p| p.organisation.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            slug: b.spec.slug.to_string(),
            title: b.spec.title,
            task: b.spec.task.as_str().to_string(),
            primary_metric: b.spec.primary_metric,
        })
        .collect();
    let layout = Layout::new(
        who,
        "benchmarks",
        "Shared benchmarks: each office evaluates models on its own data and reports metrics.",
    );
    Ok(render(
        StatusCode::OK,
        &ListPage {
            layout,
            total,
            items,
        },
    ))
}

/// A result row as the page shows it.
struct Row {
    rank: u32,
    model: String,
    version: String,
    organisation: String,
    value: String,
    others: String,
    agent: String,
    executor: &'static str,
    hardware: String,
    run_href: String,
    recorded: String,
    recorded_iso: String,
    demo: bool,
}

fn hardware_text(h: Option<&Hardware>) -> String {
    let Some(h) = h else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(n) = &h.node {
        parts.push(n.clone());
    }
    if let Some(c) = h.cpus {
        parts.push(format!("{c} CPU"));
    }
    if let Some(m) = h.memory_mb {
        parts.push(format!("{} GB", number(m as f64 / 1024.0)));
    }
    match (h.gpus, &h.gpu_type) {
        (Some(n), Some(t)) if n > 0 => parts.push(format!("{n}× {t}")),
        (Some(n), None) if n > 0 => parts.push(format!("{n} GPU")),
        _ => {}
    }
    parts.join(" · ")
}

struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

struct RunItem {
    id: i64,
    href: String,
    model: String,
    state: String,
    jobs: String,
    created: String,
}

#[derive(Template)]
#[template(path = "benchmark.html")]
struct BenchmarkPage {
    layout: Layout,
    b: Benchmark,
    task: &'static str,
    metrics: Vec<(String, &'static str, bool)>,
    command: String,
    better: &'static str,
    chart: String,
    rows: Vec<Row>,
    sorts: Vec<SortLink>,
    csv: String,
    runs: Vec<RunItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortQuery {
    sort: Option<LeaderboardSort>,
}

async fn board(state: &AppState, caller: &Caller, slug: &str) -> Result<(Benchmark, Leaderboard)> {
    let mut conn = state.db.acquire().await?;
    let (id, benchmark) = benchmarks::find(&mut conn, caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    let board = results::leaderboard(&mut conn, caller, id, &benchmark, None).await?;
    Ok((benchmark, board))
}

fn rows(slug: &str, board: &Leaderboard) -> Vec<Row> {
    board
        .entries
        .iter()
        .map(|e: &LeaderboardEntry| Row {
            rank: e.rank,
            model: format!("{}/{}", e.model.organisation, e.model.name),
            version: e.model.version.clone(),
            organisation: e.organisation.to_string(),
            value: number(e.value),
            others: e
                .metrics
                .iter()
                .filter(|(k, _)| **k != board.primary_metric)
                .map(|(k, v)| format!("{k} {}", number(*v)))
                .collect::<Vec<_>>()
                .join(", "),
            agent: e.agent.clone(),
            executor: e.executor.as_str(),
            hardware: hardware_text(e.hardware.as_ref()),
            run_href: format!("/benchmarks/{slug}/runs/{}", e.run_id),
            recorded: e.recorded_at.format("%-d %B %Y %H:%M UTC").to_string(),
            recorded_iso: e.recorded_at.to_rfc3339(),
            demo: e.demo,
        })
        .collect()
}

/// `/benchmarks/{slug}`.
pub async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
    Query(q): Query<SortQuery>,
) -> Response {
    let outcome = build_page(&state, &who, &slug, q).await;
    errors::or_page(&who, &format!("/benchmarks/{slug}"), outcome)
}

async fn build_page(
    state: &AppState,
    who: &Identity,
    slug: &str,
    q: SortQuery,
) -> Result<Response> {
    let caller = &who.caller;
    let (benchmark, mut board) = board(state, caller, slug).await?;
    let sort = q.sort.unwrap_or_default();
    // Rows and columns of the chart: every model and organisation with a result.
    let mut models: Vec<String> = Vec::new();
    let mut organisations: Vec<String> = benchmark
        .spec
        .participants
        .iter()
        .map(|p| p.organisation.to_string())
        .filter(|o| board.entries.iter().any(|e| e.organisation.as_str() == o))
        .collect();
    for e in &board.entries {
        let m = format!("{}/{}", e.model.organisation, e.model.name);
        if !models.contains(&m) {
            models.push(m);
        }
        if !organisations.iter().any(|o| o == e.organisation.as_str()) {
            organisations.push(e.organisation.to_string());
        }
    }
    models.sort();
    let chart = if board.entries.is_empty() {
        String::new()
    } else {
        chart::heatmap(
            &board.primary_metric,
            board.direction,
            &models,
            &organisations,
            &board.entries,
        )
    };
    sort_entries(&mut board.entries, board.direction, sort);
    let sorts = [
        ("By organisation and rank", LeaderboardSort::Rank, "rank"),
        ("Best value first", LeaderboardSort::Value, "value"),
        ("By model", LeaderboardSort::Model, "model"),
        ("Newest first", LeaderboardSort::Recorded, "recorded"),
    ]
    .into_iter()
    .map(|(label, s, key)| SortLink {
        label,
        href: format!("/benchmarks/{slug}?sort={key}#leaderboard"),
        current: s == sort || (sort == LeaderboardSort::Organisation && s == LeaderboardSort::Rank),
    })
    .collect();
    let mut conn = state.db.acquire().await?;
    let runs = runs::list(&mut conn, caller, slug, None, 20)
        .await?
        .into_iter()
        .map(|f| run_item(slug, &f.run))
        .collect();
    let primary = benchmark.spec.primary_metric.clone();
    let layout = Layout::new(
        who,
        "benchmarks",
        format!(
            "Leaderboard of the {} benchmark: {}",
            benchmark.spec.title, benchmark.spec.primary_metric
        ),
    );
    let page = BenchmarkPage {
        layout,
        task: benchmark.spec.task.as_str(),
        metrics: benchmark
            .spec
            .metrics
            .iter()
            .map(|m| (m.name.clone(), m.direction.as_str(), m.name == primary))
            .collect(),
        command: benchmark
            .spec
            .command
            .as_ref()
            .map(|argv| argv.join(" "))
            .unwrap_or_default(),
        better: match board.direction {
            MetricDirection::Maximize => "higher is better",
            MetricDirection::Minimize => "lower is better",
        },
        chart,
        rows: rows(slug, &board),
        sorts,
        csv: format!("/benchmarks/{slug}/leaderboard.csv"),
        runs,
        b: benchmark,
    };
    Ok(render(StatusCode::OK, &page))
}

fn run_item(slug: &str, run: &Run) -> RunItem {
    let done = run.jobs.iter().filter(|j| j.state.is_terminal()).count();
    RunItem {
        id: run.id,
        href: format!("/benchmarks/{slug}/runs/{}", run.id),
        model: format!(
            "{}/{} version {}",
            run.model.organisation, run.model.name, run.model.version
        ),
        state: format!("{:?}", run.state).to_lowercase(),
        jobs: format!("{done} of {} jobs ended", run.jobs.len()),
        created: run.created_at.format("%-d %B %Y %H:%M UTC").to_string(),
    }
}

/// A CSV field: quoted when needed; text that a spreadsheet would run as a formula is
/// prefixed with `'`.
pub fn csv_field(value: &str, text: bool) -> String {
    let value = if text && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The leaderboard as CSV, one line per model and organisation.
pub fn csv(board: &Leaderboard) -> String {
    let mut out = String::from(
        "benchmark,organisation,rank,model,version,metric,direction,value,metrics,agent,executor,hardware,run,job,recorded_at,demo\n",
    );
    for e in &board.entries {
        let metrics = e
            .metrics
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";");
        let fields = [
            csv_field(&board.benchmark, true),
            csv_field(&e.organisation, true),
            e.rank.to_string(),
            csv_field(&format!("{}/{}", e.model.organisation, e.model.name), true),
            csv_field(&e.model.version, true),
            csv_field(&board.primary_metric, true),
            board.direction.as_str().to_string(),
            e.value.to_string(),
            csv_field(&metrics, true),
            csv_field(&e.agent, true),
            e.executor.as_str().to_string(),
            csv_field(&hardware_text(e.hardware.as_ref()), true),
            e.run_id.to_string(),
            e.job_id.to_string(),
            e.recorded_at.to_rfc3339(),
            e.demo.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// `/benchmarks/{slug}/leaderboard.csv`.
pub async fn leaderboard_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<SortQuery>,
) -> Result<Response> {
    let (_, mut board) = board(&state, &caller, &slug).await?;
    sort_entries(
        &mut board.entries,
        board.direction,
        q.sort.unwrap_or_default(),
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-leaderboard.csv\""),
            ),
        ],
        csv(&board),
    )
        .into_response())
}

struct JobView {
    organisation: String,
    dataset: String,
    state: String,
    attempts: String,
    reason: String,
    agent: String,
    executor: String,
    hardware: String,
    metrics: String,
    log_tail: Option<String>,
}

#[derive(Template)]
#[template(path = "run.html")]
struct RunPage {
    layout: Layout,
    slug: String,
    title: String,
    run: RunItem,
    parameters: String,
    created_by: String,
    jobs: Vec<JobView>,
}

/// `/benchmarks/{slug}/runs/{id}`.
pub async fn run(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path((slug, id)): Path<(String, i64)>,
) -> Response {
    let path = format!("/benchmarks/{slug}/runs/{id}");
    let outcome = build_run(&state, &who, slug, id).await;
    errors::or_page(&who, &path, outcome)
}

async fn build_run(state: &AppState, who: &Identity, slug: String, id: i64) -> Result<Response> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let benchmark = benchmarks::get(&mut conn, caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    let found = runs::get(&mut conn, caller, &slug, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("run {id} of benchmark `{slug}`")))?;
    let r = &found.run;
    let jobs = r
        .jobs
        .iter()
        .map(|j| JobView {
            organisation: j.organisation.to_string(),
            dataset: j.dataset.clone(),
            state: j.state.as_str().to_string(),
            attempts: format!("{} of {}", j.attempts, j.max_attempts),
            reason: j.reason.clone().unwrap_or_default(),
            agent: j.agent.clone().unwrap_or_default(),
            executor: match (&j.executor, &j.external_id) {
                (Some(e), Some(x)) => format!("{} ({x})", e.as_str()),
                (Some(e), None) => e.as_str().to_string(),
                _ => String::new(),
            },
            hardware: hardware_text(j.hardware.as_ref()),
            metrics: j
                .metrics
                .iter()
                .flatten()
                .map(|(k, v)| format!("{k} {}", number(*v)))
                .collect::<Vec<_>>()
                .join(", "),
            log_tail: j.log_tail.clone(),
        })
        .collect();
    let layout = Layout::new(
        who,
        "benchmarks",
        format!("Run {id} of the {} benchmark", benchmark.spec.title),
    );
    let page = RunPage {
        layout,
        title: benchmark.spec.title,
        run: run_item(&slug, r),
        parameters: r
            .parameters
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
        created_by: r.created_by.clone(),
        slug,
        jobs,
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("insee/a", true), "insee/a");
        assert_eq!(csv_field("a,b", true), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()", true), "'=cmd()");
        assert_eq!(csv_field("-0.5", false), "-0.5");
    }
}
