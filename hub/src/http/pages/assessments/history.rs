//! `/assessments/{id}/history`: every version, and what changed between two of them
//! (by default the current version and the one before).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::assessment::diff::{self, Change};
use crate::db::assessments;
use crate::error::{Error, Result};
use crate::http::api::assessments::pick;
use crate::http::auth::PageIdentity;
use crate::http::extract::Params;
use crate::http::pages::Layout;
use crate::http::pages::assessments::{load, parse_id};
use crate::i18n;

struct VersionRow {
    version: i32,
    actor: String,
    note: String,
    at: String,
    current: bool,
    /// Compare this version with the one before it.
    diff_link: Option<String>,
}

#[derive(Template)]
#[template(path = "assessments/history.html")]
struct HistoryPage {
    layout: Layout,
    id: i64,
    /// `qf4sa` or `ethics`, for the messages that name the kind.
    kind: &'static str,
    subject_title: String,
    versions: Vec<VersionRow>,
    from: i32,
    to: i32,
    changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(raw): Path<String>,
    Params(q): Params<DiffQuery>,
) -> Result<Response> {
    let a = load(&state, &who, &raw).await?;
    let id = parse_id(&raw)?;
    let mut conn = state.db.acquire().await?;
    let all = assessments::versions(&mut conn, &who.caller, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    let (from, to) = pick(&all, q.from, q.to)?;
    let page = HistoryPage {
        layout: Layout::new(
            &who,
            "assessments",
            who.lang.t("assessment-history-description"),
        ),
        id,
        kind: a.kind.as_str(),
        subject_title: a.subject_title.clone(),
        versions: all
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                actor: v.actor.clone(),
                note: v.note.clone().unwrap_or_default(),
                at: i18n::moment(who.lang, v.at),
                current: v.version == a.version,
                diff_link: (v.version > 1).then(|| {
                    format!(
                        "/assessments/{id}/history?from={}&to={}",
                        v.version - 1,
                        v.version
                    )
                }),
            })
            .collect(),
        from: from.version,
        to: to.version,
        changes: diff::diff_in(who.lang, &from.content, &to.content),
    };
    let body = page
        .render()
        .map_err(|e| Error::Internal(format!("template: {e}")))?;
    Ok(Html(body).into_response())
}
