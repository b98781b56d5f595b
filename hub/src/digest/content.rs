//! What a digest says: the events of one workstream in one period that one subscriber may
//! read, sorted into sections. Events are filtered in SQL by the subscriber's own
//! [`Caller`] (the same `can_read` as every other read path), and silent agents are shown
//! only to those who may see the organisation's agents.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::period::Period;
use crate::error::Result;
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
    pub title: &'static str,
    /// The noun counted in the subject: (singular, plural).
    pub noun: (&'static str, &'static str),
    pub lines: Vec<Line>,
}

impl Section {
    pub fn shown(&self) -> &[Line] {
        &self.lines[..self.lines.len().min(MAX_LINES)]
    }
    pub fn hidden(&self) -> usize {
        self.lines.len().saturating_sub(MAX_LINES)
    }
    /// `3 new models`.
    pub fn count_phrase(&self) -> String {
        let n = self.lines.len();
        format!("{n} {}", if n == 1 { self.noun.0 } else { self.noun.1 })
    }
}

/// The content of one digest; empty sections are left out.
#[derive(Debug, Clone)]
pub struct Content {
    pub workstream: WorkstreamInfo,
    pub period: Period,
    pub sections: Vec<Section>,
}

impl Content {
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.lines.is_empty())
    }
}

#[derive(FromRow)]
struct EventRow {
    kind: String,
    subject_kind: String,
    subject: String,
    summary: String,
    payload: Value,
    previous_rank: Option<i64>,
}

#[derive(FromRow)]
struct SilentAgent {
    organisation: String,
    name: String,
    last_seen_at: Option<DateTime<Utc>>,
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

/// A benchmark result line: `cnn-coder 3 (insee) on coicop-2026: f1 0.912, rank 2 (up from 4)`.
fn benchmark_line(e: &EventRow) -> Line {
    let p = &e.payload;
    let model = text(p, "model").unwrap_or_else(|| e.subject.clone());
    let version = text(p, "version")
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let organisation = text(p, "organisation")
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    let benchmark = text(p, "benchmark").unwrap_or_else(|| "a benchmark".into());
    let metric = match (text(p, "metric"), p.get("value").and_then(Value::as_f64)) {
        (Some(m), Some(v)) => format!(": {m} {v}"),
        _ => String::new(),
    };
    let rank = p.get("rank").and_then(Value::as_i64);
    let detail = rank.map(|r| match e.previous_rank {
        Some(prev) if prev > r => format!("rank {r} (up from {prev})"),
        Some(prev) if prev < r => format!("rank {r} (down from {prev})"),
        Some(_) => format!("rank {r} (unchanged)"),
        None => format!("rank {r} (new on the leaderboard)"),
    });
    Line {
        text: format!("{model}{version}{organisation} on {benchmark}{metric}"),
        detail,
        link: text(p, "benchmark").map(|b| format!("/benchmarks/{b}")),
    }
}

/// Collects the digest of `workstream` over `period` as `caller` may read it.
pub async fn collect(
    conn: &mut PgConnection,
    caller: &Caller,
    workstream: &WorkstreamInfo,
    period: &Period,
    silent_after: Duration,
) -> Result<Content> {
    let mut qb: QueryBuilder<Postgres> =
        QueryBuilder::new("SELECT e.kind, e.subject_kind, e.subject, e.summary, e.payload, ");
    // A leaderboard move: the rank of the same model on the same benchmark when it was
    // last recorded before, among the results this subscriber may read.
    qb.push(
        "CASE WHEN e.kind = 'benchmark_result.recorded' THEN (\
           SELECT (p.payload->>'rank')::bigint FROM events p \
           WHERE p.kind = 'benchmark_result.recorded' AND p.id < e.id \
             AND p.payload->>'benchmark' = e.payload->>'benchmark' \
             AND p.payload->>'model' = e.payload->>'model' \
             AND coalesce(p.payload->>'organisation', '') = coalesce(e.payload->>'organisation', '') \
             AND jsonb_typeof(p.payload->'rank') = 'number' AND ",
    );
    caller.push_can_read(&mut qb, "p.visibility", "p.organisations");
    qb.push(" ORDER BY p.id DESC LIMIT 1) END AS previous_rank FROM events e WHERE ");
    caller.push_can_read(&mut qb, "e.visibility", "e.organisations");
    qb.push(" AND e.workstreams @> ARRAY[")
        .push_bind(&workstream.slug)
        .push("]::text[] AND e.at >= ")
        .push_bind(period.start)
        .push(" AND e.at < ")
        .push_bind(period.end)
        .push(" ORDER BY e.id");
    let events: Vec<EventRow> = qb.build_query_as().fetch_all(&mut *conn).await?;

    let mut projects: BTreeMap<String, (usize, Line, bool)> = BTreeMap::new();
    let mut models = Vec::new();
    let mut assessments = Vec::new();
    let mut benchmarks = Vec::new();
    let mut members = Vec::new();
    let mut other = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let plain = || Line {
            text: e.summary.clone(),
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
                        let (from, to) = (text(&e.payload, "from"), text(&e.payload, "to"));
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
                            entry.1.text = e.summary.clone();
                        }
                    }
                    _ => {}
                }
            }
            "model.created" | "model_version.created" => models.push(plain()),
            "assessment.submitted" | "assessment.reviewed" => assessments.push(plain()),
            "benchmark_result.recorded" => benchmarks.push(benchmark_line(e)),
            "membership.created" => members.push(plain()),
            _ => other.push(plain()),
        }
    }
    let mut projects: Vec<(usize, Line, bool)> = projects.into_values().collect();
    projects.sort_by_key(|(i, _, _)| *i);

    let silent: Vec<SilentAgent> = sqlx::query_as(
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
    let agents: Vec<Line> = silent
        .into_iter()
        .filter(|a| caller.can_see_agents_of(&a.organisation))
        .map(|a| Line {
            text: format!("Agent {} of {} went silent", a.name, a.organisation),
            detail: a
                .last_seen_at
                .map(|t| format!("last seen {}", t.format("%Y-%m-%d %H:%M UTC"))),
            link: None,
        })
        .collect();

    let sections = vec![
        Section {
            title: "Projects",
            noun: ("project update", "project updates"),
            lines: projects.into_iter().map(|(_, l, _)| l).collect(),
        },
        Section {
            title: "New models",
            noun: ("new model", "new models"),
            lines: models,
        },
        Section {
            title: "Assessments",
            noun: ("assessment", "assessments"),
            lines: assessments,
        },
        Section {
            title: "Benchmark results",
            noun: ("benchmark result", "benchmark results"),
            lines: benchmarks,
        },
        Section {
            title: "New members",
            noun: ("new member", "new members"),
            lines: members,
        },
        Section {
            title: "Silent agents",
            noun: ("silent agent", "silent agents"),
            lines: agents,
        },
        Section {
            title: "Other activity",
            noun: ("other update", "other updates"),
            lines: other,
        },
    ]
    .into_iter()
    .filter(|s| !s.lines.is_empty())
    .collect();
    Ok(Content {
        workstream: workstream.clone(),
        period: period.clone(),
        sections,
    })
}
