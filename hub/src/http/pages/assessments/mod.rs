//! Assessment pages: view (with the radar chart), forms to write and edit, submit and
//! review, history with a diff between versions, a print-friendly page and a side-by-side
//! comparison. Also [`cards`] and `templates/assessments/_list.html`, the list of a
//! subject's assessments that project and model pages include.

mod compare;
mod edit;
mod history;
mod show;

use agora_schemas::Assessment;
use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::assessments;
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessments/new", get(edit::new_form).post(edit::create))
        .route("/assessments/compare", get(compare::page))
        .route("/assessments/{id}", get(show::page))
        .route(
            "/assessments/{id}/edit",
            get(edit::edit_form).post(edit::update),
        )
        .route("/assessments/{id}/submit", post(show::submit))
        .route("/assessments/{id}/review", post(show::review))
        .route("/assessments/{id}/history", get(history::page))
        .route("/assessments/{id}/print", get(show::print))
}

/// The id in an assessment's path; one that cannot be an id names no assessment.
fn parse_id(raw: &str) -> Result<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Error::NotFound(format!("assessment `{raw}`")))
}

/// The assessment of a path, if the caller may see it.
async fn load(state: &AppState, who: &Identity, raw: &str) -> Result<Assessment> {
    let id = parse_id(raw)?;
    let mut conn = state.db.acquire().await?;
    assessments::get(&mut conn, &who.caller, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))
}
