//! `/workstreams` and `/workstreams/{slug}`: a workstream's goal, leads, member
//! organisations and people, its projects by journey stage and its recent activity, with a
//! way to subscribe to its digest.

use agora_schemas::{JourneyStage, MembershipRole, WorkstreamStatus};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::events::{self, EventFilter};
use crate::db::memberships::{self, MembershipFilter};
use crate::db::projects::{self, ProjectFilter};
use crate::db::{PageRequest, overview, workstreams};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::lookup::{self, Named};
use crate::http::pages::view::markdown::to_html;
use crate::http::pages::view::projects::{ProjectRow, StageCount, row, stage_counts};
use crate::http::pages::view::{self, ActivityItem, errors};
use crate::http::pages::{Layout, render};
use crate::i18n::Lang;

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 500,
};

fn status_label(lang: Lang, s: WorkstreamStatus) -> String {
    lang.t(match s {
        WorkstreamStatus::Proposed => "workstreams-status-proposed",
        WorkstreamStatus::Active => "workstreams-status-active",
        WorkstreamStatus::Paused => "workstreams-status-paused",
        WorkstreamStatus::Closed => "workstreams-status-closed",
    })
}

struct WorkstreamRow {
    slug: String,
    code: String,
    title: String,
    goal: String,
    status: String,
    total: i64,
    stages: Vec<StageCount>,
}

#[derive(Template)]
#[template(path = "workstreams/list.html")]
struct ListPage {
    layout: Layout,
    workstreams: Vec<WorkstreamRow>,
}

async fn build_list(state: &AppState, who: &Identity) -> Result<Response, Error> {
    let mut conn = state.db.acquire().await?;
    let (list, _) = workstreams::list(&mut conn, &who.caller, ALL).await?;
    let counts = overview::stages_by_workstream(&mut conn, &who.caller).await?;
    let rows = list
        .into_iter()
        .map(|w| {
            let (total, stages) = stage_counts(who.lang, counts.get(w.spec.slug.as_str()));
            WorkstreamRow {
                slug: w.spec.slug.to_string(),
                code: w.spec.code,
                title: w.spec.title,
                goal: w.spec.goal,
                status: status_label(who.lang, w.spec.status),
                total,
                stages,
            }
        })
        .collect();
    let body = ListPage {
        layout: Layout::new(
            who,
            "workstreams",
            who.lang.t("workstreams-list-description"),
        ),
        workstreams: rows,
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn list(State(state): State<AppState>, PageIdentity(who): PageIdentity) -> Response {
    let outcome = build_list(&state, &who).await;
    errors::or_page(&who, "/workstreams", outcome)
}

struct Person {
    name: String,
    organisation: Option<Named>,
}

struct StageGroup {
    key: &'static str,
    label: String,
    projects: Vec<ProjectRow>,
}

#[derive(Template)]
#[template(path = "workstreams/show.html")]
struct WorkstreamPage {
    layout: Layout,
    slug: String,
    code: String,
    title: String,
    goal_html: String,
    status: String,
    visibility: String,
    subscribe_href: String,
    leads: Vec<Person>,
    organisations: Vec<Named>,
    people: Vec<Person>,
    stages: Vec<StageGroup>,
    project_count: usize,
    activity: Vec<ActivityItem>,
}

async fn build_show(state: &AppState, who: &Identity, slug: &str) -> Result<Response, Error> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let ws = workstreams::get(&mut conn, caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("workstream `{slug}`")))?;
    let org_names = lookup::organisations(&mut conn).await?;
    let (members, _) = memberships::list(
        &mut conn,
        caller,
        &MembershipFilter {
            workstream: Some(slug.to_string()),
            ..MembershipFilter::default()
        },
        ALL,
    )
    .await?;
    let (items, _) = projects::list(
        &mut conn,
        caller,
        &ProjectFilter {
            workstream: Some(slug.to_string()),
            ..ProjectFilter::default()
        },
        ALL,
    )
    .await?;
    let recent = events::list(
        &mut *conn,
        caller,
        &EventFilter {
            limit: 15,
            workstream: Some(slug.to_string()),
            ..EventFilter::default()
        },
    )
    .await?;
    let named_org = |slug: &str| Named {
        slug: slug.to_string(),
        label: org_names
            .get(slug)
            .cloned()
            .unwrap_or_else(|| slug.to_string()),
    };
    let (mut leads, mut organisations, mut people) = (Vec::new(), Vec::new(), Vec::new());
    for m in members {
        match (&m.spec.organisation, m.spec.role) {
            (Some(org), MembershipRole::Lead) => leads.push(Person {
                name: m.name.clone(),
                organisation: Some(named_org(org)),
            }),
            (Some(org), MembershipRole::Member) => organisations.push(named_org(org)),
            (None, role) => {
                let person = Person {
                    name: m.name.clone(),
                    organisation: m.user_organisation.as_ref().map(|o| named_org(o.as_str())),
                };
                if role == MembershipRole::Lead {
                    leads.push(person);
                } else {
                    people.push(person);
                }
            }
        }
    }
    organisations.sort_by(|a, b| a.label.cmp(&b.label));
    let project_count = items.len();
    let stages = JourneyStage::ALL
        .into_iter()
        .map(|s| StageGroup {
            key: s.as_str(),
            label: view::stage_label(who.lang, s),
            projects: items
                .iter()
                .filter(|p| p.spec.stage == s)
                .map(|p| row(who.lang, p, &org_names))
                .collect(),
        })
        .collect();
    let first_sentence = ws
        .spec
        .goal
        .split(". ")
        .next()
        .unwrap_or_default()
        .to_string();
    let body = WorkstreamPage {
        layout: Layout::new(
            who,
            "workstreams",
            who.lang
                .msg("workstreams-show-description")
                .arg("code", &ws.spec.code)
                .arg("title", &ws.spec.title)
                .arg("goal", &first_sentence)
                .to_string(),
        ),
        slug: slug.to_string(),
        code: ws.spec.code.clone(),
        title: ws.spec.title.clone(),
        goal_html: to_html(&ws.spec.goal),
        status: status_label(who.lang, ws.spec.status),
        visibility: view::visibility_label(who.lang, ws.spec.visibility),
        subscribe_href: format!("/account/digests?workstream={slug}"),
        leads,
        organisations,
        people,
        stages,
        project_count,
        activity: view::activity(who.lang, recent, caller.signed_in),
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
) -> Response {
    let outcome = build_show(&state, &who, &slug).await;
    errors::or_page(&who, &format!("/workstreams/{slug}"), outcome)
}
