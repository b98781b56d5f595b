//! Server-rendered pages (askama templates in `hub/templates/`, one `base.html` layout)
//! and the stylesheet they share. Pages work without JavaScript.

pub mod assessments;
mod search;

use std::sync::LazyLock;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::app::AppState;

const CSS: &str = include_str!("../../../static/app.css");

/// The stylesheet's address, named by its content so it can be cached for good.
pub static CSS_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    format!("/static/app.{}.css", hex::encode(&digest[..6]))
});

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/search") }))
        .route("/search", get(search::page))
        .merge(assessments::router())
        .route(CSS_PATH.as_str(), get(stylesheet))
        .route(
            "/static/app.css",
            get(|| async { Redirect::to(CSS_PATH.as_str()) }),
        )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}
