//! The Hugging Face Hub's read API for models, so the tools data scientists already use
//! read Agora: `huggingface_hub`'s `HfApi(endpoint=…).list_models(…)` and `.model_info(…)`,
//! and `ModelCard.load(…)` (through `hf_hub_download`).
//!
//! - `GET /api/models`: model infos, filtered by `search` (in the id), `author` (the
//!   organisation), `filter` (tags, each of which must match) and `pipeline_tag`, in the
//!   order of `sort`, a page at a time with a `Link: <…>; rel="next"` header.
//! - `GET /api/models/{organisation}/{name}` (and `…/revision/main`): one model's info.
//! - `GET`/`HEAD /{organisation}/{name}/resolve/main/README.md`: the card as Markdown with
//!   its front matter, with the headers `hf_hub_download` reads (`X-Repo-Commit`, `ETag`).
//!
//! A repository is one model card and holds one file, its `README.md`; its one revision is
//! `main`, and its commit is a digest of the card, so a changed card is a new commit to a
//! client's cache. Visibility is the hub's own: a personal API token (`token=`) reads as
//! its owner, and a model the caller may not read is answered exactly as a missing one.
//! Errors take the Hub's shape (`{"error": "…"}` and `X-Error-Code`), which the client turns
//! into its own exceptions. These routes mimic the Hub's contract, so they are not in
//! Agora's OpenAPI document.

mod info;
mod list;
mod resolve;

use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::app::AppState;
use crate::error::Error;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/models", get(list::list))
        .route("/api/models/{organisation}/{name}", get(info::show))
        .route(
            "/api/models/{organisation}/{name}/revision/{revision}",
            get(info::show_revision),
        )
        .route(
            "/{organisation}/{name}/resolve/{revision}/{*file}",
            get(resolve::file),
        )
}

/// What the Hub's clients read from an error: its status, `X-Error-Code` for a missing
/// repository, revision or file, and a message in `{"error": …}` and `X-Error-Message`.
#[derive(Debug)]
pub enum HfError {
    RepoNotFound(String),
    RevisionNotFound(String),
    EntryNotFound(String),
    Hub(Error),
}

impl From<Error> for HfError {
    fn from(error: Error) -> Self {
        Self::Hub(error)
    }
}

impl From<sqlx::Error> for HfError {
    fn from(error: sqlx::Error) -> Self {
        Self::Hub(error.into())
    }
}

impl IntoResponse for HfError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Self::RepoNotFound(id) => (
                StatusCode::NOT_FOUND,
                Some("RepoNotFound"),
                format!("Repository not found: no model `{id}` that you may read"),
            ),
            Self::RevisionNotFound(revision) => (
                StatusCode::NOT_FOUND,
                Some("RevisionNotFound"),
                format!("Invalid rev id: `{revision}` (a model here has one revision, `main`)"),
            ),
            Self::EntryNotFound(file) => (
                StatusCode::NOT_FOUND,
                Some("EntryNotFound"),
                format!("Entry not found: `{file}` (a model here holds one file, `README.md`)"),
            ),
            Self::Hub(error) => {
                let status = error.status_code();
                if status.is_server_error() {
                    // The hub's own answer logs the cause and hides it; so does this one.
                    let _ = error.into_response();
                    (
                        status,
                        None,
                        "something went wrong on the hub; it has been logged".to_string(),
                    )
                } else {
                    (status, None, error.to_string())
                }
            }
        };
        let mut response = (status, Json(json!({ "error": message }))).into_response();
        let headers = response.headers_mut();
        if let Some(code) = code {
            headers.insert("x-error-code", HeaderValue::from_static(code));
        }
        // Header values are visible ASCII; the message is shown in the body as written.
        let ascii: String = message
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if let Ok(value) = HeaderValue::from_str(&ascii) {
            headers.insert("x-error-message", value);
        }
        response
    }
}
