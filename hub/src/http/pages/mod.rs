//! Server-rendered pages (askama templates in `hub/templates/`, one `base.html` layout)
//! and the assets they share. Pages work without JavaScript. Every page reads through the
//! same `db` functions as the API, which apply the read policy: what a caller may not see
//! is neither shown nor counted.

mod activity;
pub mod assessments;
mod assets;
mod benchmark_run;
mod benchmarks;
pub mod chart;
mod edit_model;
mod edit_project;
pub mod errors;
mod form;
mod home;
mod leaderboard_csv;
mod lookup;
pub mod markdown;
mod model_benchmarks;
mod models;
mod organisations;
mod projects;
mod search;
mod structured;
mod view;
mod workstreams;

use askama::Template;
use axum::Router;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub use assets::CSS_PATH;

use crate::app::AppState;
use crate::auth::Identity;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/search", get(search::page))
        .route("/activity", get(activity::page))
        .route("/models", get(models::list))
        .route("/models/{organisation}/{name}", get(models::show))
        .route("/benchmarks", get(benchmarks::list))
        .route("/benchmarks/{slug}", get(benchmarks::page))
        .merge(assessments::router())
        .route(
            "/benchmarks/{slug}/leaderboard.csv",
            get(leaderboard_csv::leaderboard_csv),
        )
        .route("/benchmarks/{slug}/runs/{id}", get(benchmark_run::run))
        .route(
            "/models/{organisation}/{name}/edit",
            get(edit_model::form).post(edit_model::save),
        )
        .route("/projects", get(projects::list))
        .route("/projects/{slug}", get(projects::show))
        .route(
            "/projects/{slug}/edit",
            get(edit_project::form).post(edit_project::save),
        )
        .route("/workstreams", get(workstreams::list))
        .route("/workstreams/{slug}", get(workstreams::show))
        .route("/organisations", get(organisations::list))
        .route("/organisations/{slug}", get(organisations::show))
        .merge(assets::router())
}

/// What every page gives the base layout: its assets, where it sits in the navigation,
/// its meta description and who is signed in.
pub struct Layout {
    pub css: &'static str,
    pub icon: &'static str,
    pub section: &'static str,
    pub description: String,
    /// The signed-in person's name.
    pub user: Option<String>,
}

impl Layout {
    pub fn new(who: &Identity, section: &'static str, description: impl Into<String>) -> Self {
        Self {
            css: assets::CSS_PATH.as_str(),
            icon: assets::ICON_PATH.as_str(),
            section,
            description: description.into(),
            user: who.user.as_ref().map(|u| u.name.clone()),
        }
    }
}

/// Renders a page. Pages depend on who asks, so shared caches must not keep them.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered; the error has been logged",
            )
                .into_response()
        }
    }
}
