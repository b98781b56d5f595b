//! `/benchmarks/{slug}/runs/{id}`: a run with one row per organisation's job, and the
//! log tails the caller may read.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::{benchmarks, runs};
use crate::error::{Error, Result};
use crate::http::auth::PageIdentity;
use crate::http::pages::view::benchmarks::{RunItem, hardware_text, run_item};
use crate::http::pages::view::chart::decimal;
use crate::http::pages::view::errors;
use crate::http::pages::{Layout, render};

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
    let lang = who.lang;
    let jobs = r
        .jobs
        .iter()
        .map(|j| JobView {
            organisation: j.organisation.to_string(),
            dataset: j.dataset.clone(),
            state: lang.t(&format!("run-job-state-{}", j.state.as_str())),
            attempts: lang
                .msg("run-attempts")
                .arg("attempts", j.attempts)
                .arg("max", j.max_attempts)
                .to_string(),
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
                .map(|(k, v)| format!("{k} {}", decimal(lang, *v)))
                .collect::<Vec<_>>()
                .join(", "),
            log_tail: j.log_tail.clone(),
        })
        .collect();
    let layout = Layout::new(
        who,
        "benchmarks",
        lang.msg("run-description")
            .arg("id", id.to_string())
            .arg("title", &benchmark.spec.title)
            .to_string(),
    );
    let page = RunPage {
        layout,
        title: benchmark.spec.title,
        run: run_item(lang, &slug, r),
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
