//! `GET`/`HEAD /{organisation}/{name}/resolve/{revision}/README.md`: the card's text as the
//! repository's one file, with the headers `hf_hub_download` reads before it downloads.

use super::HfError;
use super::info::{MAIN, commit_of, digest, read, readme};
use crate::app::AppState;
use crate::error::Error;
use crate::policy::Caller;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The one file a model's repository holds.
const README: &str = "README.md";

pub async fn file(
    State(state): State<AppState>,
    caller: Result<Caller, Error>,
    Path((organisation, name, revision, file)): Path<(String, String, String, String)>,
) -> Result<Response, HfError> {
    let caller = caller?;
    let card = read(&state, &caller, &organisation, &name).await?;
    let text = readme(&card);
    let digest = digest(&text);
    let commit = commit_of(&digest);
    if revision != MAIN && revision != commit {
        return Err(HfError::RevisionNotFound(revision));
    }
    if file != README {
        return Err(HfError::EntryNotFound(file));
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    // Read by `HEAD`, which has no body to count.
    headers.insert(CONTENT_LENGTH, HeaderValue::from(text.len()));
    if let Ok(value) = HeaderValue::from_str(&format!("\"{digest}\"")) {
        headers.insert(ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&commit) {
        headers.insert("x-repo-commit", value);
    }
    Ok((headers, text).into_response())
}
