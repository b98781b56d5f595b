//! `/assessments/{id}`: an assessment with its radar chart, reviews and the actions the
//! caller may take (edit, submit, review); `/assessments/{id}/print`, the same for paper.

use agora_schemas::{Assessment, AssessmentState, Decision, ReviewInput, Validate};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{load, parse_id};
use crate::app::AppState;
use crate::assessment::radar::{self, Size};
use crate::assessment::{actions, form};
use crate::auth::Identity;
use crate::error::{Error, Result};
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::Layout;
use crate::http::pages::view::assessments::{
    ContentView, ReviewView, levels, radar_title, review_views, state_label, subject_link,
};
use crate::i18n::{self, Lang};
use crate::policy::write as policy;

/// What the view and print pages show.
pub(super) struct Shown {
    pub id: i64,
    /// `qf4sa` or `ethics`, for the messages that name the kind.
    pub kind: &'static str,
    pub state: &'static str,
    pub state_label: String,
    pub subject_title: String,
    pub subject_link: String,
    pub version: i32,
    pub stale: bool,
    pub latest_version: String,
    pub radar: Option<String>,
    pub content: ContentView,
    pub reviews: Vec<ReviewView>,
    pub source: String,
    pub updated: String,
    pub withdrawn: bool,
}

impl Shown {
    pub fn of(lang: Lang, a: &Assessment) -> Self {
        let source = match (&a.provenance.agent, &a.provenance.source) {
            (Some(agent), Some(source)) => match &a.provenance.commit {
                Some(c) => lang
                    .msg("assessment-source-synced-commit")
                    .arg("agent", agent)
                    .arg("source", source)
                    .arg("commit", c)
                    .to_string(),
                None => lang
                    .msg("assessment-source-synced")
                    .arg("agent", agent)
                    .arg("source", source)
                    .to_string(),
            },
            _ => lang.t("assessment-source-hub"),
        };
        Self {
            id: a.id,
            kind: a.kind.as_str(),
            state: a.state.as_str(),
            state_label: state_label(lang, a.state),
            subject_title: a.subject_title.clone(),
            subject_link: subject_link(&a.subject),
            version: a.version,
            stale: a.stale,
            latest_version: a.latest_version.clone().unwrap_or_default(),
            radar: levels(a).map(|l| {
                radar::chart(
                    lang,
                    l,
                    &radar_title(lang, &a.subject_title),
                    &format!("radar-{}", a.id),
                    Size::Full,
                )
            }),
            content: ContentView::of(lang, &a.content),
            reviews: review_views(lang, a),
            source,
            updated: i18n::moment(lang, a.updated_at),
            withdrawn: a.provenance.withdrawn,
        }
    }
}

#[derive(Template)]
#[template(path = "assessments/view.html")]
struct ViewPage {
    layout: Layout,
    a: Shown,
    csrf: String,
    can_edit: bool,
    can_submit: bool,
    can_review: bool,
    signed_in: bool,
    review_error: Option<String>,
    comments: String,
}

#[derive(Template)]
#[template(path = "assessments/print.html")]
struct PrintPage {
    layout: Layout,
    a: Shown,
}

fn render(
    who: &Identity,
    a: &Assessment,
    review_error: Option<String>,
    comments: String,
) -> Result<ViewPage> {
    let caller = &who.caller;
    let can_edit = caller.signed_in && policy::can_write_assessment(caller, &a.organisations);
    Ok(ViewPage {
        layout: Layout::new(
            who,
            "assessments",
            who.lang.t("assessment-view-description"),
        ),
        a: Shown::of(who.lang, a),
        csrf: who.csrf_token().unwrap_or_default().to_string(),
        can_edit: can_edit && who.csrf_token().is_some(),
        can_submit: can_edit && who.csrf_token().is_some() && a.state == AssessmentState::Draft,
        can_review: who.csrf_token().is_some()
            && a.state == AssessmentState::Submitted
            && policy::review_standing(caller, &a.organisations, &a.workstreams).is_some(),
        signed_in: caller.signed_in,
        review_error,
        comments,
    })
}

fn html(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => Error::Internal(format!("template: {e}")).into_response(),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
) -> Result<Response> {
    let a = load(&state, &who, &id).await?;
    Ok(html(
        &render(&who, &a, None, String::new())?,
        StatusCode::OK,
    ))
}

pub(super) async fn print(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
) -> Result<Response> {
    let a = load(&state, &who, &id).await?;
    Ok(html(
        &PrintPage {
            layout: Layout::new(
                &who,
                "assessments",
                who.lang.t("assessment-view-description"),
            ),
            a: Shown::of(who.lang, &a),
        },
        StatusCode::OK,
    ))
}

#[derive(Deserialize)]
pub(super) struct SubmitForm {
    version: Option<i32>,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let input = agora_schemas::SubmitInput {
        version: form.version,
    };
    actions::submit(&state.db, &who.caller, id, &input).await?;
    Ok(Redirect::to(&format!("/assessments/{id}")).into_response())
}

#[derive(Deserialize)]
pub(super) struct ReviewForm {
    decision: Option<String>,
    #[serde(default)]
    comments: String,
    version: Option<i32>,
}

pub(super) async fn review(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response> {
    let decision = match form.decision.as_deref() {
        Some("accepted") => Some(Decision::Accepted),
        Some("changes_requested") => Some(Decision::ChangesRequested),
        _ => None,
    };
    let input = decision.map(|decision| ReviewInput {
        decision,
        comments: form.comments.trim().to_string(),
        version: form.version,
    });
    let problem = match &input {
        None => Some(who.lang.t("assessment-review-choose")),
        Some(i) => i.validate().err().map(|e| {
            let field = match e.field.as_str() {
                "comments" => who.lang.t("assessment-comments").to_lowercase(),
                other => other.to_string(),
            };
            format!("{field}: {}", form::error_message(who.lang, &e.message))
        }),
    };
    if let Some(problem) = problem {
        let a = load(&state, &who, &id).await?;
        let page = render(&who, &a, Some(problem), form.comments)?;
        return Ok(html(&page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let id = parse_id(&id)?;
    if let Some(input) = input {
        actions::review(&state.db, &who.caller, id, &input).await?;
    }
    Ok(Redirect::to(&format!("/assessments/{id}")).into_response())
}
