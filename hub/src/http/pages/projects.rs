//! `/projects` (the projects one may see, with filters) and `/projects/{slug}` (one
//! project: its journey through the stages, organisations, workstreams, models,
//! repositories and activity). The project page is built from partials, one per section.

use agora_schemas::{JourneyStage, MlTask};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::events::{self, EventFilter};
use crate::db::models::{self as model_cards, ModelFilter};
use crate::db::projects::{self, ProjectFilter};
use crate::db::{PageRequest, overview};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::assessments::{self, AssessmentCard};
use crate::http::pages::view::choices::task_choices;
use crate::http::pages::view::facts::{Fact, ProvenanceView};
use crate::http::pages::view::lookup::{self, Named};
use crate::http::pages::view::markdown::{first_paragraph_text, to_html};
use crate::http::pages::view::projects::{ProjectRow, row};
use crate::http::pages::view::{self, ActivityItem, Choice, Pager, errors, form};
use crate::http::pages::{Layout, render};
use crate::i18n::Lang;
use crate::policy::write;

const PER_PAGE: u32 = 25;

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    layout: Layout,
    projects: Vec<ProjectRow>,
    stages: Vec<Choice>,
    tasks: Vec<Choice>,
    workstreams: Vec<Choice>,
    organisations: Vec<Choice>,
    filtered: bool,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    workstream: Option<String>,
    organisation: Option<String>,
    stage: Option<String>,
    task: Option<String>,
    page: Option<u32>,
}

fn sorted(map: std::collections::HashMap<String, String>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = map.into_iter().collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

async fn build_list(
    state: &AppState,
    who: &Identity,
    raw: Option<&str>,
) -> Result<Response, Error> {
    let q: ListQuery = form::query(raw)?;
    let stage: Option<JourneyStage> = form::choice("stage", q.stage.as_deref())?;
    let task: Option<MlTask> = form::choice("task", q.task.as_deref())?;
    let page = crate::http::extract::page_request(q.page, Some(PER_PAGE))?;
    let workstream = q.workstream.filter(|w| !w.is_empty());
    let organisation = q.organisation.filter(|o| !o.is_empty());
    let filter = ProjectFilter {
        workstream: workstream.clone(),
        organisation: organisation.clone(),
        stage,
        task,
        ..ProjectFilter::default()
    };
    let mut conn = state.db.acquire().await?;
    let org_names = lookup::organisations(&mut conn).await?;
    let ws_names = lookup::workstreams(&mut conn, &who.caller).await?;
    let (items, total) = projects::list(&mut conn, &who.caller, &filter, page).await?;
    let [ws, org, stage, task] = [
        workstream.unwrap_or_default(),
        organisation.unwrap_or_default(),
        stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
        task.map(|t| t.as_str().to_string()).unwrap_or_default(),
    ];
    let body = ListPage {
        layout: Layout::new(who, "projects", who.lang.t("projects-list-description")),
        projects: items.iter().map(|p| row(who.lang, p, &org_names)).collect(),
        filtered: [&ws, &org, &stage, &task].iter().any(|v| !v.is_empty()),
        pager: Pager::new(
            "/projects",
            &[
                ("workstream", ws.clone()),
                ("organisation", org.clone()),
                ("stage", stage.clone()),
                ("task", task.clone()),
            ],
            page.page,
            PER_PAGE,
            total,
        ),
        stages: Choice::list(
            JourneyStage::ALL
                .into_iter()
                .map(|s| (s.as_str().to_string(), view::stage_label(who.lang, s))),
            &stage,
        ),
        tasks: task_choices(who.lang, &task),
        workstreams: Choice::list(sorted(ws_names), &ws),
        organisations: Choice::list(sorted(org_names), &org),
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn list(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(raw): RawQuery,
) -> Response {
    let outcome = build_list(&state, &who, raw.as_deref()).await;
    errors::or_page(&who, "/projects", outcome)
}

/// A step of the journey-stage timeline.
struct Step {
    key: &'static str,
    label: String,
    /// `done`, `current` or `ahead`.
    state: &'static str,
    reached: Option<String>,
    reached_iso: Option<String>,
}

struct ModelLink {
    text_lang: String,
    href: String,
    title: String,
    task: String,
    latest_version: String,
}

struct Contact {
    name: String,
    email: Option<String>,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ProjectPage {
    text_lang: String,
    layout: Layout,
    /// schema.org JSON-LD of the project, escaped for a `<script>` element.
    json_ld: String,
    slug: String,
    title: String,
    summary_html: String,
    stage: String,
    visibility: String,
    can_edit: bool,
    timeline: Vec<Step>,
    organisations: Vec<Named>,
    workstreams: Vec<Named>,
    models: Vec<ModelLink>,
    repositories: Vec<String>,
    facts: Vec<Fact>,
    data_sources: Vec<String>,
    contacts: Vec<Contact>,
    tags: Vec<String>,
    provenance: ProvenanceView,
    activity: Vec<ActivityItem>,
    /// QF4SA and ethics assessments of the project.
    assessment_cards: Vec<AssessmentCard>,
}

fn timeline(
    lang: Lang,
    current: JourneyStage,
    history: &[(JourneyStage, chrono::DateTime<chrono::Utc>)],
) -> Vec<Step> {
    JourneyStage::ALL
        .into_iter()
        .map(|s| {
            let reached = history
                .iter()
                .rev()
                .find(|(h, _)| *h == s)
                .map(|(_, at)| *at);
            Step {
                key: s.as_str(),
                label: view::stage_label(lang, s),
                state: if s == current {
                    "current"
                } else if s < current {
                    "done"
                } else {
                    "ahead"
                },
                reached: reached.map(|t| view::date(lang, t)),
                reached_iso: reached.map(|t| t.to_rfc3339()),
            }
        })
        .collect()
}

async fn build_show(state: &AppState, who: &Identity, slug: &str) -> Result<Response, Error> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let project = projects::get(&mut conn, caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("project `{slug}`")))?;
    drop(conn);
    // What the page shows beside the project, read at once on connections of their own
    // rather than one after another.
    let pool = &state.db;
    let (history, org_names, ws_names, (cards, _), events, assessment_cards, json_ld) = tokio::try_join!(
        async { overview::stage_history(&mut *pool.acquire().await?, caller, slug).await },
        async { lookup::organisations(&mut *pool.acquire().await?).await },
        async { lookup::workstreams(&mut *pool.acquire().await?, caller).await },
        async {
            model_cards::list(
                &mut *pool.acquire().await?,
                caller,
                &ModelFilter {
                    project: Some(slug.to_string()),
                    ..ModelFilter::default()
                },
                PageRequest {
                    page: 1,
                    per_page: 100,
                },
            )
            .await
        },
        async {
            events::list(
                &mut *pool.acquire().await?,
                caller,
                &EventFilter {
                    limit: 15,
                    subject_kind: Some("project".into()),
                    subject: Some(slug.to_string()),
                    ..EventFilter::default()
                },
            )
            .await
        },
        async { assessments::cards(&mut *pool.acquire().await?, caller, Some(slug), None).await },
        async {
            super::view::structured::project(
                &mut *pool.acquire().await?,
                &state.config.public_url(),
                &project,
            )
            .await
        },
    )?;
    let s = &project.spec;
    let mut facts = Vec::new();
    if let Some(t) = s.task {
        facts.push(Fact {
            label: who.lang.t("projects-facts-task"),
            value: view::task_label(who.lang, t),
            href: Some(format!("/projects?task={}", t.as_str())),
        });
    }
    if let Some(g) = &s.gsbpm {
        facts.push(Fact {
            label: who.lang.t("projects-facts-gsbpm"),
            value: g.to_string(),
            href: None,
        });
    }
    if let Some(d) = &s.domain {
        facts.push(Fact {
            label: who.lang.t("projects-facts-domain"),
            value: d.clone(),
            href: None,
        });
    }
    if !s.languages.is_empty() {
        let langs: Vec<String> = s
            .languages
            .iter()
            .map(|l| agora_schemas::LanguageTag::new(l.as_str()).display_name_in(who.lang.code()))
            .collect();
        facts.push(Fact {
            label: who.lang.t("projects-facts-languages"),
            value: langs.join(", "),
            href: None,
        });
    }
    let body = ProjectPage {
        layout: Layout::new(
            who,
            "projects",
            who.lang
                .msg("projects-show-description")
                .arg("title", &s.title)
                .arg("summary", first_paragraph_text(&s.summary, 250))
                .to_string(),
        ),
        json_ld,
        slug: slug.to_string(),
        text_lang: s.text_language().to_string(),
        title: s.title.clone(),
        summary_html: to_html(&s.summary),
        stage: view::stage_label(who.lang, s.stage),
        visibility: view::visibility_label(who.lang, s.visibility),
        can_edit: caller.signed_in
            && write::can_write_project(caller, Some(&s.organisations), &s.organisations),
        timeline: timeline(who.lang, s.stage, &history),
        organisations: s
            .organisations
            .iter()
            .map(|o| Named {
                slug: o.to_string(),
                label: org_names
                    .get(o.as_str())
                    .cloned()
                    .unwrap_or_else(|| o.to_string()),
            })
            .collect(),
        workstreams: lookup::named(&s.workstreams, &ws_names),
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
        repositories: s.repositories.iter().map(|r| r.to_string()).collect(),
        facts,
        data_sources: s.data_sources.clone(),
        contacts: s
            .contacts
            .iter()
            .map(|c| Contact {
                name: c.name.clone(),
                // Addresses are for signed-in members, as in the memberships API.
                email: caller.signed_in.then(|| c.email.to_string()),
            })
            .collect(),
        tags: s.tags.clone(),
        provenance: ProvenanceView::new(
            who.lang,
            &project.provenance,
            project.created_at,
            project.updated_at,
        ),
        activity: view::activity(who.lang, events, caller.signed_in),
        assessment_cards,
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
) -> Response {
    let outcome = build_show(&state, &who, &slug).await;
    errors::or_page(&who, &format!("/projects/{slug}"), outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_marks_past_current_and_coming_stages() {
        let at = chrono::Utc::now();
        let steps = timeline(
            Lang::En,
            JourneyStage::Validated,
            &[(JourneyStage::Pilot, at), (JourneyStage::Validated, at)],
        );
        let states: Vec<&str> = steps.iter().map(|s| s.state).collect();
        assert_eq!(states, ["done", "done", "current", "ahead", "ahead"]);
        assert!(steps[0].reached.is_none());
        assert!(steps[1].reached.is_some());
    }
}
