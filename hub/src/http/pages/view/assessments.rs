//! Assessments as other pages show them: cards in a list, radars, labels and links.

use agora_schemas::assessment::{ETHICS_PRINCIPLES, QF4SA_DIMENSIONS};
use agora_schemas::{Assessment, AssessmentState, Content, Decision, Subject};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::assessment::form::{dimension_label, level_name, principle_label, risk_label};
use crate::assessment::radar::{self, Size};
use crate::db::assessments::{self, AssessmentFilter};
use crate::error::Result;
use crate::i18n::{self, Lang};
use crate::policy::Caller;

/// One assessment in a list: what `templates/assessments/_list.html` shows. Its words
/// are given in the page's language by the methods that take a [`Lang`].
pub struct AssessmentCard {
    pub id: i64,
    pub link: String,
    /// `qf4sa` or `ethics`.
    pub kind: &'static str,
    /// `draft`, `submitted` or `reviewed` (the badge's class).
    pub state: &'static str,
    pub subject_title: String,
    pub version: i32,
    pub stale: bool,
    /// A thumbnail radar chart (SVG markup, escaped), for QF4SA assessments, in English;
    /// pages draw it in their language with [`AssessmentCard::radar_in`].
    pub radar: Option<String>,
    pub levels: Option<[u8; 5]>,
    pub updated_at: DateTime<Utc>,
}

/// The label of a state badge.
pub fn state_label(lang: Lang, state: AssessmentState) -> String {
    lang.t(match state {
        AssessmentState::Draft => "assessment-state-draft",
        AssessmentState::Submitted => "assessment-state-submitted",
        AssessmentState::Reviewed => "assessment-state-reviewed",
    })
}

/// The QF4SA levels of an assessment, if it is one.
pub fn levels(a: &Assessment) -> Option<[u8; 5]> {
    match &a.content {
        Content::Qf4sa(q) => Some(q.levels()),
        Content::Ethics(_) => None,
    }
}

/// The title of an assessment's radar chart: "QF4SA levels of …".
pub fn radar_title(lang: Lang, subject_title: &str) -> String {
    lang.msg("qf4sa-radar-title")
        .arg("subject", subject_title)
        .to_string()
}

impl AssessmentCard {
    pub fn of(a: &Assessment) -> Self {
        let levels = levels(a);
        Self {
            id: a.id,
            link: format!("/assessments/{}", a.id),
            kind: a.kind.as_str(),
            state: a.state.as_str(),
            subject_title: a.subject_title.clone(),
            version: a.version,
            stale: a.stale,
            radar: levels.map(|l| mini_radar(Lang::En, l, &a.subject_title, a.id)),
            levels,
            updated_at: a.updated_at,
        }
    }

    // The methods below take `&Lang` because templates pass method arguments by reference.

    /// The kind's name in `lang`.
    pub fn kind_label(&self, lang: &Lang) -> String {
        lang.t(if self.kind == "ethics" {
            "assessment-kind-ethics"
        } else {
            "assessment-kind-qf4sa"
        })
    }

    /// The state badge's label in `lang`.
    pub fn state_label(&self, lang: &Lang) -> String {
        lang.t(&format!("assessment-state-{}", self.state))
    }

    /// The day it was last changed, in `lang`.
    pub fn updated(&self, lang: &Lang) -> String {
        i18n::date(*lang, self.updated_at)
    }

    /// The thumbnail radar chart, described in `lang`.
    pub fn radar_in(&self, lang: &Lang) -> Option<String> {
        self.levels
            .map(|l| mini_radar(*lang, l, &self.subject_title, self.id))
    }

    /// The line under the card's link: "Project x · version 2 · updated 1 December 2026".
    pub fn meta(&self, lang: &Lang) -> String {
        lang.msg("assessment-card-meta")
            .arg("subject", &self.subject_title)
            .arg("version", self.version.to_string())
            .arg("updated", self.updated(lang))
            .to_string()
    }
}

fn mini_radar(lang: Lang, levels: [u8; 5], subject_title: &str, id: i64) -> String {
    radar::chart(
        lang,
        levels,
        &radar_title(lang, subject_title),
        &format!("mini-{id}"),
        Size::Mini,
    )
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
    pub label: String,
    pub level: u8,
    pub level_name: String,
    pub evidence: String,
    pub links: Vec<String>,
}

/// One ethics principle, as pages show it.
pub struct PrincipleView {
    pub label: String,
    pub answer: String,
    /// `low`, `medium` or `high` (the badge's class).
    pub risk: &'static str,
    pub risk_label: String,
    pub mitigation: String,
}

/// An assessment's content, as pages show it.
pub struct ContentView {
    pub dimensions: Vec<DimensionView>,
    pub principles: Vec<PrincipleView>,
    pub summary: String,
}

impl ContentView {
    pub fn of(lang: Lang, content: &Content) -> Self {
        match content {
            Content::Qf4sa(q) => Self {
                dimensions: QF4SA_DIMENSIONS
                    .iter()
                    .zip(q.dimensions())
                    .map(|((name, _), d)| DimensionView {
                        label: dimension_label(lang, name),
                        level: d.level.get(),
                        level_name: level_name(lang, d.level),
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
                    .map(|((name, _), p)| PrincipleView {
                        label: principle_label(lang, name),
                        answer: p.answer.clone(),
                        risk: p.risk.as_str(),
                        risk_label: risk_label(lang, p.risk),
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
    pub decision: String,
    pub comments: String,
    pub reviewer: String,
    pub standing: String,
    pub at: String,
}

pub fn review_views(lang: Lang, a: &Assessment) -> Vec<ReviewView> {
    a.reviews
        .iter()
        .rev()
        .map(|r| ReviewView {
            version: r.version,
            decision: lang.t(match r.decision {
                Decision::Accepted => "assessment-decision-accepted",
                Decision::ChangesRequested => "assessment-decision-changes-requested",
            }),
            comments: r.comments.clone(),
            reviewer: match &r.reviewer_organisation {
                Some(o) => format!("{} ({o})", r.reviewer),
                None => r.reviewer.clone(),
            },
            standing: match r.standing.strip_prefix("lead:") {
                Some(ws) => lang
                    .msg("assessment-standing-lead")
                    .arg("workstream", ws)
                    .to_string(),
                None => lang.t("assessment-standing-other"),
            },
            at: i18n::moment(lang, r.at),
        })
        .collect()
}
