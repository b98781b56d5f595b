//! What a digest says: the events of one workstream in one period that one subscriber may
//! read, sorted into sections. A workstream's events of a period are read once ([`fetch`])
//! and shared by all its subscribers; each digest keeps only the events its subscriber's
//! own [`Caller`] may read ([`Caller::can_read`], the policy that mirrors SQL `can_read`),
//! and shows silent agents only to those who may see that organisation's agents.

use std::collections::BTreeMap;

use agora_schemas::Visibility;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::{FromRow, PgConnection};

use super::period::Period;
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

/// An event of the log, with what the read policy needs to decide who sees it: its stored
/// audience, and the audience today of what it is about (the view `events_now`).
#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    id: i64,
    kind: String,
    subject_kind: String,
    subject: String,
    summary: String,
    payload: Value,
    visibility: String,
    organisations: Vec<String>,
    subject_visibility: Option<String>,
    subject_owners: Option<Vec<String>>,
    other_visibility: Option<String>,
    other_owners: Option<Vec<String>>,
    context_visibility: Option<String>,
    context_owners: Option<Vec<String>>,
}

/// Whether the caller may read an item of this visibility and these owners (the policy's
/// `can_read`; an unknown visibility is read by no one).
fn may_read(caller: &Caller, visibility: &str, owners: &[String]) -> bool {
    visibility
        .parse::<Visibility>()
        .is_ok_and(|v| caller.can_read(v, owners))
}

impl EventRow {
    /// Whether the caller may read this event in a workstream's digest: as the activity
    /// feed decides (`db::events::push_readable`), and, since the digest places the event
    /// in the workstream, only if it may know the event's workstreams (its project's).
    fn readable_by(&self, caller: &Caller) -> bool {
        let subject = match &self.subject_visibility {
            Some(v) => may_read(caller, v, self.subject_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        let other = match &self.other_visibility {
            Some(v) => may_read(caller, v, self.other_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        let context = match &self.context_visibility {
            Some(v) => may_read(caller, v, self.context_owners.as_deref().unwrap_or(&[])),
            None => true,
        };
        may_read(caller, &self.visibility, &self.organisations) && subject && other && context
    }
}

/// An agent of one of the workstream's organisations that went silent in the period.
#[derive(Debug, Clone, FromRow)]
pub struct SilentAgent {
    organisation: String,
    name: String,
    last_seen_at: Option<DateTime<Utc>>,
}

/// Everything that happened in a workstream in a period, for every reader: the same for
/// all subscribers of that workstream and period, filtered per subscriber by [`build`].
#[derive(Debug, Clone, Default)]
pub struct PeriodEvents {
    events: Vec<EventRow>,
    /// Earlier results of the benchmarks recorded in the period, for leaderboard moves.
    earlier_results: Vec<EventRow>,
    silent_agents: Vec<SilentAgent>,
}

const EVENT_COLUMNS: &str = "SELECT id, kind, subject_kind, subject, summary, payload, \
    visibility::text AS visibility, organisations, subject_visibility, subject_owners, \
    other_visibility, other_owners, context_visibility, context_owners FROM events_now ";

/// Reads what happened in `workstream` over `period`, whoever may see it.
pub async fn fetch(
    conn: &mut PgConnection,
    workstream: &WorkstreamInfo,
    period: &Period,
    silent_after: Duration,
) -> Result<PeriodEvents> {
    let events: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{EVENT_COLUMNS} WHERE workstreams @> ARRAY[$1]::text[] AND at >= $2 AND at < $3 ORDER BY id"
    )))
    .bind(&workstream.slug)
    .bind(period.start)
    .bind(period.end)
    .fetch_all(&mut *conn)
    .await?;
    let benchmarks: Vec<String> = events
        .iter()
        .filter(|e| e.kind == "benchmark_result.recorded")
        .filter_map(|e| text(&e.payload, "benchmark"))
        .collect();
    let earlier_results = if benchmarks.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EVENT_COLUMNS} WHERE kind = 'benchmark_result.recorded' AND at < $1 \
             AND payload->>'benchmark' = ANY($2) ORDER BY id"
        )))
        .bind(period.start)
        .bind(&benchmarks)
        .fetch_all(&mut *conn)
        .await?
    };
    let silent_agents: Vec<SilentAgent> = sqlx::query_as(
        "SELECT o.slug::text AS organisation, a.name::text AS name, a.last_seen_at \
         FROM agents a JOIN organisations o ON o.id = a.organisation_id \
         WHERE a.revoked_at IS NULL \
           AND a.organisation_id IN (SELECT organisation_id FROM memberships \
                                     WHERE workstream_id = $1 AND organisation_id IS NOT NULL) \
           AND a.last_seen_at >= $2 AND a.last_seen_at < $3 \
         ORDER BY o.slug, a.name",
    )
    .bind(workstream.id)
    .bind(period.start - silent_after)
    .bind(period.end - silent_after)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PeriodEvents {
        events,
        earlier_results,
        silent_agents,
    })
}

pub async fn workstream(conn: &mut PgConnection, slug: &str) -> Result<Option<WorkstreamInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, slug::text AS slug, code, title FROM workstreams WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(conn)
    .await?)
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

/// A metric's value: `0.912` in English, `0,912` in French and Spanish.
fn metric_value(lang: Lang, v: f64) -> String {
    let text = v.to_string();
    match lang {
        Lang::En => text,
        Lang::Fr | Lang::Es => text.replace('.', ","),
    }
}

/// A benchmark result line: `cnn-coder 3 (insee) on coicop-2026: f1 0.912, rank 2 (up from 4)`.
fn benchmark_line(lang: Lang, e: &EventRow, rank: Option<i64>, previous_rank: Option<i64>) -> Line {
    let p = &e.payload;
    let model = text(p, "model").unwrap_or_else(|| e.subject.clone());
    let version = text(p, "version")
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let organisation = text(p, "organisation")
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    let benchmark = text(p, "benchmark").unwrap_or_else(|| lang.t("email-a-benchmark"));
    let metric_name = text(p, "metric").or_else(|| text(p, "primary_metric"));
    let model = format!("{model}{version}{organisation}");
    let line = match (metric_name, p.get("value").and_then(Value::as_f64)) {
        (Some(m), Some(v)) => lang
            .msg("email-benchmark-result-metric")
            .arg("model", &model)
            .arg("benchmark", &benchmark)
            .arg("metric", &m)
            .arg("value", metric_value(lang, v))
            .to_string(),
        _ => lang
            .msg("email-benchmark-result")
            .arg("model", &model)
            .arg("benchmark", &benchmark)
            .to_string(),
    };
    let detail = rank.map(|r| {
        let key = match previous_rank {
            Some(prev) if prev > r => "email-rank-up",
            Some(prev) if prev < r => "email-rank-down",
            Some(_) => "email-rank-unchanged",
            None => "email-rank-new",
        };
        lang.msg(key)
            .arg("rank", r)
            .arg("previous", previous_rank.unwrap_or_default())
            .to_string()
    });
    Line {
        text: line,
        detail,
        link: text(p, "benchmark").map(|b| format!("/benchmarks/{b}")),
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

/// The results of the leaderboard that result `e` was recorded on (its benchmark, at its
/// organisation), up to `e` itself, that the caller may read.
fn board_until<'a>(
    caller: &'a Caller,
    all: &'a PeriodEvents,
    e: &'a EventRow,
) -> impl Iterator<Item = &'a EventRow> + 'a {
    let board = |x: &EventRow| {
        (
            text(&x.payload, "benchmark"),
            text(&x.payload, "organisation"),
        )
    };
    all.earlier_results
        .iter()
        .chain(all.events.iter())
        .filter(move |x| x.kind == "benchmark_result.recorded" && x.id <= e.id)
        .filter(move |x| board(x) == board(e) && x.readable_by(caller))
}

/// The rank of result `e`'s model when it was recorded, as the caller's leaderboard ranks
/// it: each model by its best value so far, counting only models the caller may see.
fn rank_for(caller: &Caller, all: &PeriodEvents, e: &EventRow) -> Option<i64> {
    let minimize = text(&e.payload, "direction").as_deref() == Some("minimize");
    let better = |a: f64, b: f64| if minimize { a < b } else { a > b };
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    for x in board_until(caller, all, e) {
        let (Some(model), Some(value)) = (
            text(&x.payload, "model"),
            x.payload.get("value").and_then(Value::as_f64),
        ) else {
            continue;
        };
        let entry = best.entry(model).or_insert(value);
        if better(value, *entry) {
            *entry = value;
        }
    }
    let mine = *best.get(&text(&e.payload, "model")?)?;
    let ahead = best.values().filter(|v| better(**v, mine)).count();
    i64::try_from(ahead).ok().map(|n| n + 1)
}

/// The caller's rank of the same model on the same leaderboard at its previous result
/// before `e` that the caller may read.
fn previous_rank(caller: &Caller, all: &PeriodEvents, e: &EventRow) -> Option<i64> {
    let model = text(&e.payload, "model");
    let previous = board_until(caller, all, e)
        .filter(|p| p.id < e.id && text(&p.payload, "model") == model)
        .max_by_key(|p| p.id)?;
    rank_for(caller, all, previous)
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
