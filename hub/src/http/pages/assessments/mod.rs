//! Assessment pages: view (with the radar chart), forms to write and edit, submit and
//! review, history with a diff between versions, a print-friendly page and a side-by-side
//! comparison. Also [`cards`] and `templates/assessments/_list.html`, the list of a
//! subject's assessments that project and model pages include.

mod compare;
mod edit;
mod history;
mod view;

use agora_schemas::assessment::{ETHICS_PRINCIPLES, QF4SA_DIMENSIONS};
use agora_schemas::{Assessment, AssessmentState, Content, Decision, Subject};
use axum::Router;
use axum::routing::{get, post};
use sqlx::PgConnection;

use crate::app::AppState;
use crate::assessment::radar::{self, Size};
use crate::db::assessments::{self, AssessmentFilter};
use crate::error::Result;
use crate::policy::Caller;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessments/new", get(edit::new_form).post(edit::create))
        .route("/assessments/compare", get(compare::page))
        .route("/assessments/{id}", get(view::page))
        .route(
            "/assessments/{id}/edit",
            get(edit::edit_form).post(edit::update),
        )
        .route("/assessments/{id}/submit", post(view::submit))
        .route("/assessments/{id}/review", post(view::review))
        .route("/assessments/{id}/history", get(history::page))
        .route("/assessments/{id}/print", get(view::print))
}

/// One assessment in a list: what `templates/assessments/_list.html` shows.
pub struct AssessmentCard {
    pub link: String,
    pub kind_label: &'static str,
    /// `draft`, `submitted` or `reviewed` (the badge's class).
    pub state: &'static str,
    pub state_label: &'static str,
    pub subject_title: String,
    pub version: i32,
    pub stale: bool,
    /// A thumbnail radar chart (SVG markup, escaped), for QF4SA assessments.
    pub radar: Option<String>,
    pub updated: String,
}

/// The label of a state badge.
pub fn state_label(state: AssessmentState) -> &'static str {
    match state {
        AssessmentState::Draft => "Draft",
        AssessmentState::Submitted => "Submitted for review",
        AssessmentState::Reviewed => "Reviewed",
    }
}

/// The QF4SA levels of an assessment, if it is one.
pub fn levels(a: &Assessment) -> Option<[u8; 5]> {
    match &a.content {
        Content::Qf4sa(q) => Some(q.levels()),
        Content::Ethics(_) => None,
    }
}

impl AssessmentCard {
    pub fn of(a: &Assessment) -> Self {
        let title = format!("QF4SA levels of {}", a.subject_title);
        Self {
            link: format!("/assessments/{}", a.id),
            kind_label: a.kind.label(),
            state: a.state.as_str(),
            state_label: state_label(a.state),
            subject_title: a.subject_title.clone(),
            version: a.version,
            stale: a.stale,
            radar: levels(a)
                .map(|l| radar::chart(l, &title, &format!("mini-{}", a.id), Size::Mini)),
            updated: a.updated_at.format("%-d %B %Y").to_string(),
        }
    }
}

/// The assessments of a subject the caller may see, as cards for
/// `templates/assessments/_list.html` (which reads them from a template field named
/// `assessment_cards`). `project` is a slug; `model` is `<organisation>/<name>` (the
/// assessments of all its versions, newest first).
pub async fn cards(
    conn: &mut PgConnection,
    caller: &Caller,
    project: Option<&str>,
    model: Option<&str>,
) -> Result<Vec<AssessmentCard>> {
    let filter = AssessmentFilter {
        project: project.map(str::to_string),
        model: model.map(str::to_string),
        listed_only: true,
        ..AssessmentFilter::default()
    };
    let (all, _) = assessments::list(conn, caller, &filter, 50, 0).await?;
    Ok(all.iter().map(AssessmentCard::of).collect())
}

/// Where a subject's page is.
pub fn subject_link(s: &Subject) -> String {
    match (&s.project, &s.organisation, &s.model) {
        (Some(p), ..) => format!("/projects/{p}"),
        (None, Some(o), Some(m)) => format!("/models/{o}/{m}"),
        _ => "/search".into(),
    }
}

/// One QF4SA dimension, as pages show it.
pub struct DimensionView {
    pub label: &'static str,
    pub level: u8,
    pub level_name: &'static str,
    pub evidence: String,
    pub links: Vec<String>,
}

/// One ethics principle, as pages show it.
pub struct PrincipleView {
    pub label: &'static str,
    pub answer: String,
    pub risk: &'static str,
    pub mitigation: String,
}

/// An assessment's content, as pages show it.
pub struct ContentView {
    pub dimensions: Vec<DimensionView>,
    pub principles: Vec<PrincipleView>,
    pub summary: String,
}

impl ContentView {
    pub fn of(content: &Content) -> Self {
        match content {
            Content::Qf4sa(q) => Self {
                dimensions: QF4SA_DIMENSIONS
                    .iter()
                    .zip(q.dimensions())
                    .map(|((_, label), d)| DimensionView {
                        label,
                        level: d.level.get(),
                        level_name: d.level.name(),
                        evidence: d.evidence.clone(),
                        links: d.links.iter().map(|l| l.to_string()).collect(),
                    })
                    .collect(),
                principles: vec![],
                summary: q.summary.clone().unwrap_or_default(),
            },
            Content::Ethics(e) => Self {
                dimensions: vec![],
                principles: ETHICS_PRINCIPLES
                    .iter()
                    .zip(e.principles())
                    .map(|((_, label), p)| PrincipleView {
                        label,
                        answer: p.answer.clone(),
                        risk: p.risk.as_str(),
                        mitigation: p.mitigation.clone().unwrap_or_default(),
                    })
                    .collect(),
                summary: String::new(),
            },
        }
    }
}

/// A review, as pages show it.
pub struct ReviewView {
    pub version: i32,
    pub decision: &'static str,
    pub comments: String,
    pub reviewer: String,
    pub standing: String,
    pub at: String,
}

pub fn review_views(a: &Assessment) -> Vec<ReviewView> {
    a.reviews
        .iter()
        .rev()
        .map(|r| ReviewView {
            version: r.version,
            decision: match r.decision {
                Decision::Accepted => "Accepted",
                Decision::ChangesRequested => "Changes requested",
            },
            comments: r.comments.clone(),
            reviewer: match &r.reviewer_organisation {
                Some(o) => format!("{} ({o})", r.reviewer),
                None => r.reviewer.clone(),
            },
            standing: match r.standing.strip_prefix("lead:") {
                Some(ws) => format!("lead of workstream {ws}"),
                None => "of another organisation".into(),
            },
            at: r.at.format("%-d %B %Y %H:%M UTC").to_string(),
        })
        .collect()
}
