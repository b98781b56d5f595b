//! `/benchmarks`: the benchmark list and a benchmark's page (its definition, the
//! leaderboard as a chart and a sortable table, its runs). The CSV download is in
//! [`super::leaderboard_csv`], a run's page in [`super::benchmark_run`].
//! Every read goes through the same policy-checked queries as the API.

use agora_schemas::benchmark::{LeaderboardEntry, MetricDirection};
use agora_schemas::{Benchmark, Leaderboard};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::benchmarks::{self, BenchmarkFilter};
use crate::db::results::{BoardView, LeaderboardSort};
use crate::db::{PageRequest, results, runs};
use crate::error::{Error, Result};
use crate::http::auth::PageIdentity;
use crate::http::extract::page_request;
use crate::http::pages::view::benchmarks::{RunItem, hardware_text, run_item};
use crate::http::pages::view::chart::{self, decimal};
use crate::http::pages::view::errors;
use crate::http::pages::{Layout, render, view};
use crate::i18n::Lang;

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
            task: view::task_label(who.lang, b.spec.task),
            primary_metric: b.spec.primary_metric,
        })
        .collect();
    let layout = Layout::new(who, "benchmarks", who.lang.t("benchmarks-description"));
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

struct SortLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "benchmark.html")]
struct BenchmarkPage {
    layout: Layout,
    b: Benchmark,
    task: String,
    visibility: String,
    metrics: Vec<(String, String, bool)>,
    command: String,
    /// `sha256:…` of the argv, as agents pin it.
    command_pin: String,
    better: String,
    chart: String,
    /// How many models the chart shows, when the leaderboard may have more; else 0.
    chart_models: usize,
    rows: Vec<Row>,
    pager: view::Pager,
    sorts: Vec<SortLink>,
    csv: String,
    runs: Vec<RunItem>,
}

/// The order and page of the leaderboard on a benchmark's page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    sort: Option<LeaderboardSort>,
    page: Option<u32>,
}

/// Leaderboard entries per page of the table.
const BOARD_PAGE: u32 = 50;
/// Models the chart shows at most: those ranked best at some organisation.
const CHART_MODELS: i64 = 25;

fn rows(lang: Lang, slug: &str, board: &Leaderboard) -> Vec<Row> {
    board
        .entries
        .iter()
        .map(|e: &LeaderboardEntry| Row {
            rank: e.rank,
            model: format!("{}/{}", e.model.organisation, e.model.name),
            version: e.model.version.clone(),
            organisation: e.organisation.to_string(),
            value: decimal(lang, e.value),
            others: e
                .metrics
                .iter()
                .filter(|(k, _)| **k != board.primary_metric)
                .map(|(k, v)| format!("{k} {}", decimal(lang, *v)))
                .collect::<Vec<_>>()
                .join(", "),
            agent: e.agent.clone(),
            executor: e.executor.as_str(),
            hardware: hardware_text(e.hardware.as_ref()),
            run_href: format!("/benchmarks/{slug}/runs/{}", e.run_id),
            recorded: view::moment(lang, e.recorded_at),
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
    Query(q): Query<BoardQuery>,
) -> Response {
    let outcome = build_page(&state, &who, &slug, q).await;
    errors::or_page(&who, &format!("/benchmarks/{slug}"), outcome)
}

async fn build_page(
    state: &AppState,
    who: &Identity,
    slug: &str,
    q: BoardQuery,
) -> Result<Response> {
    let caller = &who.caller;
    let sort = q.sort.unwrap_or_default();
    let page = page_request(q.page, Some(BOARD_PAGE))?;
    let mut conn = state.db.acquire().await?;
    let (id, benchmark) = benchmarks::find(&mut conn, caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    let view = BoardView {
        organisation: None,
        sort,
        page,
    };
    let board = results::leaderboard(&mut conn, caller, id, &benchmark, &view).await?;
    let leading = results::leading_models(&mut conn, caller, id, &benchmark, CHART_MODELS).await?;
    // Rows and columns of the chart: the leading models, and every participant (one
    // without results yet shows empty cells), then any other organisation that ranked one.
    let mut models: Vec<String> = Vec::new();
    let mut organisations: Vec<String> = benchmark
        .spec
        .participants
        .iter()
        .map(|p| p.organisation.to_string())
        .collect();
    for (e, _) in &leading {
        let m = format!("{}/{}", e.model.organisation, e.model.name);
        if !models.contains(&m) {
            models.push(m);
        }
        if !organisations.iter().any(|o| o == e.organisation.as_str()) {
            organisations.push(e.organisation.to_string());
        }
    }
    models.sort();
    let chart = if leading.is_empty() {
        String::new()
    } else {
        chart::heatmap(
            who.lang,
            &board.primary_metric,
            board.direction,
            &models,
            &organisations,
            &leading,
        )
    };
    let chart_partial = i64::try_from(models.len()).unwrap_or(i64::MAX) >= CHART_MODELS;
    let sort_key = if sort == LeaderboardSort::default() {
        String::new()
    } else {
        sort.as_str().to_string()
    };
    let pager = view::Pager::new(
        &format!("/benchmarks/{slug}"),
        &[("sort", sort_key)],
        page.page,
        page.per_page,
        board.total,
    );
    let sorts = [
        ("benchmark-sort-rank", LeaderboardSort::Rank, "rank"),
        ("benchmark-sort-value", LeaderboardSort::Value, "value"),
        ("benchmark-sort-model", LeaderboardSort::Model, "model"),
        (
            "benchmark-sort-recorded",
            LeaderboardSort::Recorded,
            "recorded",
        ),
    ]
    .into_iter()
    .map(|(label, s, key)| SortLink {
        label: who.lang.t(label),
        href: format!("/benchmarks/{slug}?sort={key}#leaderboard"),
        current: s == sort || (sort == LeaderboardSort::Organisation && s == LeaderboardSort::Rank),
    })
    .collect();
    let runs = runs::list(&mut conn, caller, slug, None, 20)
        .await?
        .into_iter()
        .map(|f| run_item(who.lang, slug, &f.run))
        .collect();
    let primary = benchmark.spec.primary_metric.clone();
    let layout = Layout::new(
        who,
        "benchmarks",
        who.lang
            .msg("benchmark-description")
            .arg("title", &benchmark.spec.title)
            .arg("metric", &benchmark.spec.primary_metric)
            .to_string(),
    );
    let page = BenchmarkPage {
        layout,
        task: view::task_label(who.lang, benchmark.spec.task),
        visibility: view::visibility_label(who.lang, benchmark.spec.visibility),
        metrics: benchmark
            .spec
            .metrics
            .iter()
            .map(|m| {
                let direction = who
                    .lang
                    .t(&format!("benchmark-direction-{}", m.direction.as_str()));
                (m.name.clone(), direction, m.name == primary)
            })
            .collect(),
        command: benchmark
            .spec
            .command
            .as_ref()
            .map(|argv| argv.join(" "))
            .unwrap_or_default(),
        command_pin: benchmark
            .spec
            .command
            .as_deref()
            .map(agora_schemas::benchmark::command_hash)
            .unwrap_or_default(),
        better: who.lang.t(match board.direction {
            MetricDirection::Maximize => "benchmark-better-higher",
            MetricDirection::Minimize => "benchmark-better-lower",
        }),
        chart,
        chart_models: if chart_partial { models.len() } else { 0 },
        rows: rows(who.lang, slug, &board),
        pager,
        sorts,
        csv: format!("/benchmarks/{slug}/leaderboard.csv"),
        runs,
        b: benchmark,
    };
    Ok(render(StatusCode::OK, &page))
}
