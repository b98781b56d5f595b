//! What a digest says: the events of one workstream in one period that one subscriber may
//! read, sorted into sections. A workstream's events of a period are read once ([`fetch`])
//! and shared by all its subscribers; each digest keeps only the events its subscriber's
//! own [`Caller`] may read ([`Caller::can_read`], the policy that mirrors SQL `can_read`),
//! and shows silent agents only to those who may see that organisation's agents.

mod events;
mod ranks;

pub use events::{EventRow, PeriodEvents, SilentAgent, fetch, workstream};

use std::collections::BTreeMap;

use chrono::Duration;
use serde_json::Value;
use sqlx::{FromRow, PgConnection};

use self::ranks::{benchmark_line, previous_rank, rank_for};
use crate::digest::period::Period;
use crate::error::Result;
use crate::i18n::Lang;
use crate::policy::Caller;

/// Lines shown per section; the rest is counted.
pub const MAX_LINES: usize = 25;

/// The workstream a digest is about.
#[derive(Debug, Clone, FromRow)]
pub struct WorkstreamInfo {
    pub id: i64,
    pub slug: String,
    pub code: String,
    pub title: String,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// A detail after the text: a stage move, a rank change.
    pub detail: Option<String>,
    /// A path on the hub (`/projects/x`), made absolute when rendered.
    pub link: Option<String>,
}

/// A titled list of lines.
#[derive(Debug, Clone)]
pub struct Section {
    /// What the section lists: `projects`, `models`, `assessments`, `benchmarks`,
    /// `members`, `agents` or `other`; its title is `email-section-<kind>` and its count
    /// in the subject `email-count-<kind>`.
    pub kind: &'static str,
    pub lines: Vec<Line>,
}

impl Section {
    /// `New models`, `Nouveaux modèles`.
    pub fn title(&self, lang: Lang) -> String {
        lang.t(&format!("email-section-{}", self.kind))
    }
    pub fn shown(&self) -> &[Line] {
        &self.lines[..self.lines.len().min(MAX_LINES)]
    }
    pub fn hidden(&self) -> usize {
        self.lines.len().saturating_sub(MAX_LINES)
    }
    /// `3 new models`, `3 nouveaux modèles`.
    pub fn count_phrase(&self, lang: Lang) -> String {
        lang.msg(&format!("email-count-{}", self.kind))
            .arg("count", self.lines.len())
            .to_string()
    }
}

/// The content of one digest, in its reader's language; empty sections are left out.
#[derive(Debug, Clone)]
pub struct Content {
    pub lang: Lang,
    pub workstream: WorkstreamInfo,
    pub period: Period,
    pub sections: Vec<Section>,
}

impl Content {
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.lines.is_empty())
    }
}

fn link_of(subject_kind: &str, subject: &str) -> Option<String> {
    match subject_kind {
        "project" => Some(format!("/projects/{subject}")),
        "model" => Some(format!("/models/{subject}")),
        "model_version" => {
            let (model, _) = subject.rsplit_once('/')?;
            Some(format!("/models/{model}"))
        }
        "assessment" => Some(format!("/assessments/{subject}")),
        "benchmark" | "benchmark_result" => None,
        _ => None,
    }
}

fn text(payload: &Value, key: &str) -> Option<String> {
    match payload.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Collects the digest of `workstream` over `period` as `caller` may read it, in English.
pub async fn collect(
    conn: &mut PgConnection,
    caller: &Caller,
    workstream: &WorkstreamInfo,
    period: &Period,
    silent_after: Duration,
) -> Result<Content> {
    collect_in(Lang::En, conn, caller, workstream, period, silent_after).await
}

/// Collects the digest of `workstream` over `period` as `caller` may read it, in `lang`.
pub async fn collect_in(
    lang: Lang,
    conn: &mut PgConnection,
    caller: &Caller,
    workstream: &WorkstreamInfo,
    period: &Period,
    silent_after: Duration,
) -> Result<Content> {
    let all = fetch(conn, workstream, period, silent_after).await?;
    Ok(build(lang, caller, workstream, period, &all))
}

/// The digest of one subscriber in their language. What people wrote (titles, names) keeps
/// the language it was written in; the hub's own words, event summaries included, follow
/// `lang`.
pub fn build(
    lang: Lang,
    caller: &Caller,
    workstream: &WorkstreamInfo,
    period: &Period,
    all: &PeriodEvents,
) -> Content {
    let events: Vec<&EventRow> = all
        .events
        .iter()
        .filter(|e| e.readable_by(caller))
        .collect();
    let mut projects: BTreeMap<String, (usize, Line, bool)> = BTreeMap::new();
    let mut models = Vec::new();
    let mut assessments = Vec::new();
    let mut benchmarks = Vec::new();
    let mut members = Vec::new();
    let mut other = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let plain = || Line {
            text: crate::i18n::events::summary(lang, &e.kind, &e.summary),
            detail: None,
            link: link_of(&e.subject_kind, &e.subject),
        };
        match e.kind.as_str() {
            // One line per project: created wins, stage moves add up, updates fold in.
            "project.created" | "project.stage_changed" | "project.updated" => {
                let entry = projects
                    .entry(e.subject.clone())
                    .or_insert_with(|| (i, plain(), false));
                match e.kind.as_str() {
                    "project.created" => {
                        entry.1 = plain();
                        entry.2 = true;
                    }
                    "project.stage_changed" => {
                        let stage =
                            |code: String| lang.find(&format!("stage-{code}")).unwrap_or(code);
                        let (from, to) = (
                            text(&e.payload, "from").map(stage),
                            text(&e.payload, "to").map(stage),
                        );
                        let first_from = entry
                            .1
                            .detail
                            .as_deref()
                            .and_then(|d| d.split(" → ").next())
                            .map(str::to_string);
                        if let (Some(from), Some(to)) = (from, to) {
                            entry.1.detail = Some(format!("{} → {to}", first_from.unwrap_or(from)));
                        }
                        if !entry.2 {
                            entry.1.text = crate::i18n::events::summary(lang, &e.kind, &e.summary);
                        }
                    }
                    _ => {}
                }
            }
            "model.created" | "model_version.created" => models.push(plain()),
            "assessment.submitted" | "assessment.reviewed" => assessments.push(plain()),
            "benchmark_result.recorded" => {
                benchmarks.push(benchmark_line(
                    lang,
                    e,
                    rank_for(caller, all, e),
                    previous_rank(caller, all, e),
                ));
            }
            "membership.created" => members.push(plain()),
            _ => other.push(plain()),
        }
    }
    let mut projects: Vec<(usize, Line, bool)> = projects.into_values().collect();
    projects.sort_by_key(|(i, _, _)| *i);

    let agents: Vec<Line> = all
        .silent_agents
        .iter()
        .filter(|a| caller.can_see_agents_of(&a.organisation))
        .map(|a| Line {
            text: lang
                .msg("email-agent-silent")
                .arg("agent", &a.name)
                .arg("organisation", &a.organisation)
                .to_string(),
            detail: a.last_seen_at.map(|t| {
                lang.msg("email-agent-last-seen")
                    .arg("at", t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .to_string()
            }),
            link: None,
        })
        .collect();

    let sections = vec![
        Section {
            kind: "projects",
            lines: projects.into_iter().map(|(_, l, _)| l).collect(),
        },
        Section {
            kind: "models",
            lines: models,
        },
        Section {
            kind: "assessments",
            lines: assessments,
        },
        Section {
            kind: "benchmarks",
            lines: benchmarks,
        },
        Section {
            kind: "members",
            lines: members,
        },
        Section {
            kind: "agents",
            lines: agents,
        },
        Section {
            kind: "other",
            lines: other,
        },
    ]
    .into_iter()
    .filter(|s| !s.lines.is_empty())
    .collect();
    Content {
        lang,
        workstream: workstream.clone(),
        period: period.clone(),
        sections,
    }
}
