//! Server-rendered pages (askama templates in `hub/templates/`, one `base.html` layout)
//! and the assets they share. Pages work without JavaScript. Every page reads through the
//! same `db` functions as the API, which apply the read policy: what a caller may not see
//! is neither shown nor counted.

mod account;
mod activity;
pub mod assessments;
mod assets;
mod benchmark_run;
mod benchmarks;
mod digests;
mod edit_model;
mod edit_project;
mod events_atom;
mod home;
mod leaderboard_csv;
mod models;
mod organisations;
mod projects;
mod search;
mod signin;
mod unsubscribe;
pub mod view;
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
use crate::i18n::{self, Lang, Message};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/search", get(search::page))
        .route("/activity", get(activity::page))
        .route("/events.atom", get(events_atom::feed))
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
        .merge(signin::router())
        .merge(account::router())
        .merge(digests::router())
        .merge(unsubscribe::router())
        .merge(assets::router())
}

/// What every page gives the base layout: its assets, where it sits in the navigation,
/// its meta description, who is signed in and the language it is written in.
pub struct Layout {
    pub css: &'static str,
    pub icon: &'static str,
    pub js: &'static str,
    pub section: &'static str,
    pub description: String,
    /// The signed-in person's name.
    pub user: Option<String>,
    pub lang: Lang,
    /// The other languages, as links that switch to them and come back here.
    pub languages: Vec<LanguageLink>,
}

/// A link of the language switcher.
pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Layout {
    /// The layout of a page in the caller's language; `description` is already in it.
    pub fn new(who: &Identity, section: &'static str, description: impl Into<String>) -> Self {
        let back: String = form_urlencoded::byte_serialize(who.here.as_bytes()).collect();
        Self {
            css: assets::CSS_PATH.as_str(),
            icon: assets::ICON_PATH.as_str(),
            js: assets::JS_PATH.as_str(),
            section,
            description: description.into(),
            user: who.user.as_ref().map(|u| u.name.clone()),
            lang: who.lang,
            languages: Lang::ALL
                .into_iter()
                .map(|l| LanguageLink {
                    code: l.code(),
                    name: l.name(),
                    href: format!("/language/{}?back={back}", l.code()),
                    current: l == who.lang,
                })
                .collect(),
        }
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` in the page's language, to be given arguments.
    pub fn msg<'a>(&self, key: &'a str) -> Message<'a> {
        self.lang.msg(key)
    }

    /// A whole number written the page language's way.
    pub fn number(&self, n: impl Into<i18n::Whole>) -> String {
        i18n::number(self.lang, n.into().0)
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
