//! The static assets pages use, each served under a name that carries a hash of its
//! content, so browsers may keep it for a year: a changed file gets a new address.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::app::AppState;

const CSS: &str = include_str!("../../../static/app.css");
const ICON: &str = include_str!("../../../static/favicon.svg");

fn hashed(stem: &str, ext: &str, content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("/static/{stem}.{}.{ext}", hex::encode(&digest[..6]))
}

/// The stylesheet's address, named by its content.
pub static CSS_PATH: LazyLock<String> = LazyLock::new(|| hashed("app", "css", CSS));
/// The icon's address, named by its content.
pub static ICON_PATH: LazyLock<String> = LazyLock::new(|| hashed("favicon", "svg", ICON));

const FOREVER: &str = "public, max-age=31536000, immutable";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            CSS_PATH.as_str(),
            get(|| async {
                (
                    [
                        (CONTENT_TYPE, "text/css; charset=utf-8"),
                        (CACHE_CONTROL, FOREVER),
                    ],
                    CSS,
                )
            }),
        )
        .route(
            ICON_PATH.as_str(),
            get(|| async {
                (
                    [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, FOREVER)],
                    ICON,
                )
            }),
        )
        // Unhashed names lead to the current files (for bookmarks and old references).
        .route(
            "/static/app.css",
            get(|| async { Redirect::to(CSS_PATH.as_str()) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { Redirect::to(ICON_PATH.as_str()).into_response() }),
        )
}
