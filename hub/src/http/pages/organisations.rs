//! `/organisations` and `/organisations/{slug}`: an office's projects, models and
//! workstreams and, for its stewards and administrators, its agents and their health.

use std::collections::{BTreeMap, BTreeSet};

use agora_schemas::{MembershipRole, OrganisationKind};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::agents::{self, AgentInfo};
use crate::db::benchmarks::{self, BenchmarkFilter};
use crate::db::events::{self, EventFilter};
use crate::db::memberships::{self, MembershipFilter};
use crate::db::models::{self as model_cards, ModelFilter};
use crate::db::projects::{self, ProjectFilter};
use crate::db::{PageRequest, organisations};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::errors;
use crate::http::pages::view::lookup::{self, Named};
use crate::http::pages::view::projects::{ProjectRow, row};
use crate::http::pages::{Layout, render, view};
use crate::i18n::{self, Lang};

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 500,
};

fn kind_label(lang: Lang, k: OrganisationKind) -> String {
    lang.t(match k {
        OrganisationKind::NationalStatisticalOffice => {
            "organisations-kind-national-statistical-office"
        }
        OrganisationKind::International => "organisations-kind-international",
        OrganisationKind::Other => "organisations-kind-other",
    })
}

struct OrgRow {
    slug: String,
    name: String,
    short_name: String,
    kind: String,
    country: String,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    layout: Layout,
    organisations: Vec<OrgRow>,
}

async fn build_list(state: &AppState, who: &Identity) -> Result<Response, Error> {
    let mut conn = state.db.acquire().await?;
    let (list, _) = organisations::list(&mut conn, ALL).await?;
    let body = ListPage {
        layout: Layout::new(
            who,
            "organisations",
            who.lang.t("organisations-list-description"),
        ),
        organisations: list
            .into_iter()
            .map(|o| OrgRow {
                slug: o.spec.slug.to_string(),
                short_name: o.spec.short_name.clone().unwrap_or_default(),
                name: o.spec.name,
                kind: kind_label(who.lang, o.spec.kind),
                country: o.spec.country.map(|c| c.to_string()).unwrap_or_default(),
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn list(State(state): State<AppState>, PageIdentity(who): PageIdentity) -> Response {
    let outcome = build_list(&state, &who).await;
    errors::or_page(&who, "/organisations", outcome)
}

struct ModelLink {
    text_lang: String,
    href: String,
    title: String,
    task: String,
    latest_version: String,
}

struct SourceView {
    source: String,
    state: String,
    counts: String,
    rejected: u64,
    rejected_text: String,
    /// Each item the listing refused or accepted with warnings, with path and reason.
    problems: Vec<ProblemView>,
}

struct ProblemView {
    key: String,
    refused: bool,
    field: String,
    reason: String,
}

/// Items shown per listing; the counts say how many there were in all.
const PROBLEMS_SHOWN: usize = 100;

fn problems_of(e: &crate::db::agents::EpochInfo) -> Vec<ProblemView> {
    let refused = e.rejected_items.iter().map(|r| ProblemView {
        key: r.key.clone(),
        refused: true,
        field: r.field.clone().unwrap_or_default(),
        reason: r.reason.clone().unwrap_or_default(),
    });
    let warned = e.warned_items.iter().flat_map(|r| {
        r.warnings.iter().map(|w| ProblemView {
            key: r.key.clone(),
            refused: false,
            field: w.field.clone(),
            reason: w.reason.clone(),
        })
    });
    refused.chain(warned).take(PROBLEMS_SHOWN).collect()
}

struct AgentView {
    name: String,
    health: String,
    health_class: &'static str,
    last_seen: String,
    version: String,
    capabilities: String,
    sources: Vec<SourceView>,
}

/// How an agent is doing, from its last contact: the key of a word and a class for its
/// colour.
pub fn health(a: &AgentInfo, now: DateTime<Utc>) -> (&'static str, &'static str) {
    match (a.revoked, a.last_seen_at) {
        (true, _) => ("organisations-health-revoked", "bad"),
        (false, None) => ("organisations-health-never-connected", "warn"),
        (false, Some(seen)) if now - seen <= chrono::Duration::minutes(15) => {
            ("organisations-health-online", "ok")
        }
        (false, Some(seen)) if now - seen <= chrono::Duration::hours(24) => {
            ("organisations-health-quiet", "warn")
        }
        (false, Some(_)) => ("organisations-health-silent", "bad"),
    }
}

fn agent_view(lang: Lang, a: AgentInfo, now: DateTime<Utc>) -> AgentView {
    let (health, health_class) = health(&a, now);
    AgentView {
        name: a.name.clone(),
        health: lang.t(health),
        health_class,
        last_seen: a
            .last_seen_at
            .map(|t| view::moment(lang, t))
            .unwrap_or_else(|| lang.t("organisations-agent-never-seen")),
        version: a.version.clone().unwrap_or_default(),
        capabilities: a.capabilities.join(", "),
        sources: a
            .last_epochs
            .iter()
            .map(|e| SourceView {
                source: e.source.clone(),
                state: match e.completed_at {
                    Some(t) => lang
                        .msg("organisations-listing-complete")
                        .arg("moment", view::moment(lang, t))
                        .to_string(),
                    None => lang
                        .msg("organisations-listing-in-progress")
                        .arg("moment", view::moment(lang, e.started_at))
                        .to_string(),
                },
                counts: lang
                    .msg("organisations-listing-counts")
                    .arg("added", e.counts.added)
                    .arg("updated", e.counts.updated)
                    .arg("unchanged", e.counts.unchanged)
                    .arg("withdrawn", e.counts.withdrawn)
                    .to_string(),
                rejected: e.counts.rejected,
                rejected_text: i18n::number(
                    lang,
                    i64::try_from(e.counts.rejected).unwrap_or(i64::MAX),
                ),
                problems: problems_of(e),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct OrganisationPage {
    layout: Layout,
    slug: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    country: Option<String>,
    website: Option<String>,
    projects: Vec<ProjectRow>,
    models: Vec<ModelLink>,
    workstreams: Vec<Named>,
    /// Its people in workstreams: name and roles in words ("Lead of WS5 …").
    people: Vec<(String, String)>,
    /// Benchmarks it takes part in: address and title.
    benchmarks: Vec<(String, String)>,
    activity: Vec<view::ActivityItem>,
    agents: Option<Vec<AgentView>>,
}

async fn build_show(state: &AppState, who: &Identity, slug: &str) -> Result<Response, Error> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let org = organisations::get(&mut *conn, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("organisation `{slug}`")))?;
    let org_names = lookup::organisations(&mut conn).await?;
    let ws_names = lookup::workstreams(&mut conn, caller).await?;
    let (items, _) = projects::list(
        &mut conn,
        caller,
        &ProjectFilter {
            organisation: Some(slug.to_string()),
            ..ProjectFilter::default()
        },
        ALL,
    )
    .await?;
    let (cards, _) = model_cards::list(
        &mut conn,
        caller,
        &ModelFilter {
            organisation: Some(slug.to_string()),
            ..ModelFilter::default()
        },
        ALL,
    )
    .await?;
    let (members, _) = memberships::list(
        &mut conn,
        caller,
        &MembershipFilter {
            organisation: Some(slug.to_string()),
            ..MembershipFilter::default()
        },
        ALL,
    )
    .await?;
    let (taking_part, _) = benchmarks::list(
        &mut conn,
        caller,
        &BenchmarkFilter {
            organisation: Some(slug.to_string()),
            ..BenchmarkFilter::default()
        },
        ALL,
    )
    .await?;
    let recent = events::list(
        &mut *conn,
        caller,
        &EventFilter {
            limit: 15,
            organisation: Some(slug.to_string()),
            ..EventFilter::default()
        },
    )
    .await?;
    // A person's memberships, gathered: "Lead of WS5 …, Member of WS2 …".
    let mut people: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in members.iter().filter(|m| m.spec.organisation.is_none()) {
        let workstream = ws_names
            .get(m.spec.workstream.as_str())
            .cloned()
            .unwrap_or_else(|| m.spec.workstream.to_string());
        let key = match m.spec.role {
            MembershipRole::Lead => "organisations-person-lead",
            MembershipRole::Member => "organisations-person-member",
        };
        people
            .entry(m.name.clone())
            .or_default()
            .push(who.lang.msg(key).arg("workstream", workstream).to_string());
    }
    let in_workstreams: Vec<String> = members
        .iter()
        .map(|m| m.spec.workstream.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let agents = if caller.can_watch_agents_of(slug) {
        let now = Utc::now();
        let list = agents::list(&mut conn, Some(slug)).await?;
        Some(
            list.into_iter()
                .map(|a| agent_view(who.lang, a, now))
                .collect(),
        )
    } else {
        None
    };
    let s = org.spec;
    let body = OrganisationPage {
        layout: Layout::new(
            who,
            "organisations",
            who.lang
                .msg("organisations-show-description")
                .arg("name", &s.name)
                .to_string(),
        ),
        slug: slug.to_string(),
        kind: kind_label(who.lang, s.kind),
        country: s.country.map(|c| c.to_string()),
        website: s.website.map(|w| w.to_string()),
        short_name: s.short_name,
        name: s.name,
        projects: items.iter().map(|p| row(who.lang, p, &org_names)).collect(),
        models: cards
            .into_iter()
            .map(|c| ModelLink {
                text_lang: c.spec.text_language().to_string(),
                href: format!("/models/{}/{}", c.spec.organisation, c.spec.name),
                title: c
                    .spec
                    .title
                    .clone()
                    .unwrap_or_else(|| c.spec.name.to_string()),
                task: view::card_task(who.lang, &c.spec),
                latest_version: c.latest_version.unwrap_or_default(),
            })
            .collect(),
        workstreams: lookup::named(&in_workstreams, &ws_names),
        people: people
            .into_iter()
            .map(|(name, roles)| (name, roles.join(", ")))
            .collect(),
        benchmarks: taking_part
            .into_iter()
            .map(|b| (format!("/benchmarks/{}", b.spec.slug), b.spec.title))
            .collect(),
        activity: view::activity(who.lang, recent, caller.signed_in),
        agents,
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
) -> Response {
    let outcome = build_show(&state, &who, &slug).await;
    errors::or_page(&who, &format!("/organisations/{slug}"), outcome)
}
