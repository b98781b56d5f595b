//! `/models` (the model cards one may see, with filters) and `/models/{organisation}/{name}`
//! (one card: its text, versions, evaluation results, provenance and activity). The card
//! page is built from partials, one per section, so more sections can join it.

mod show;
mod standings;

pub use show::show;

use agora_schemas::MlTask;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::models::{self, ModelFilter};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::choices::task_choices;
use crate::http::pages::view::{self, Choice, Pager, errors, form, lookup};
use crate::http::pages::{Layout, render};

const PER_PAGE: u32 = 25;

struct ModelRow {
    text_lang: String,
    href: String,
    title: String,
    organisation: String,
    task: String,
    framework: String,
    latest_version: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "models/list.html")]
struct ListPage {
    layout: Layout,
    models: Vec<ModelRow>,
    organisations: Vec<Choice>,
    tasks: Vec<Choice>,
    filtered: bool,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    organisation: Option<String>,
    task: Option<String>,
    page: Option<u32>,
}

async fn build_list(
    state: &AppState,
    who: &Identity,
    raw: Option<&str>,
) -> Result<Response, Error> {
    let q: ListQuery = form::query(raw)?;
    let task: Option<MlTask> = form::choice("task", q.task.as_deref())?;
    let page = crate::http::extract::page_request(q.page, Some(PER_PAGE))?;
    let organisation = q.organisation.filter(|o| !o.is_empty());
    let filter = ModelFilter {
        organisation: organisation.clone(),
        task,
        ..ModelFilter::default()
    };
    let mut conn = state.db.acquire().await?;
    let names = lookup::organisations(&mut conn).await?;
    let (cards, total) = models::list(&mut conn, &who.caller, &filter, page).await?;
    let models = cards
        .into_iter()
        .map(|c| ModelRow {
            text_lang: c.spec.text_language().to_string(),
            href: format!("/models/{}/{}", c.spec.organisation, c.spec.name),
            title: c
                .spec
                .title
                .clone()
                .unwrap_or_else(|| c.spec.name.to_string()),
            organisation: names
                .get(c.spec.organisation.as_str())
                .cloned()
                .unwrap_or_else(|| c.spec.organisation.to_string()),
            task: view::card_task(who.lang, &c.spec),
            framework: c.spec.library_name.clone().unwrap_or_default(),
            latest_version: c.latest_version.clone().unwrap_or_default(),
            updated: view::date(who.lang, c.updated_at),
        })
        .collect();
    let org = organisation.unwrap_or_default();
    let task = task.map(|t| t.as_str().to_string()).unwrap_or_default();
    let mut orgs: Vec<(String, String)> = names.into_iter().collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    let body = ListPage {
        layout: Layout::new(who, "models", who.lang.t("models-list-description")),
        models,
        filtered: !org.is_empty() || !task.is_empty(),
        pager: Pager::new(
            "/models",
            &[("organisation", org.clone()), ("task", task.clone())],
            page.page,
            PER_PAGE,
            total,
        ),
        organisations: Choice::list(orgs, &org),
        tasks: task_choices(who.lang, &task),
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn list(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(raw): RawQuery,
) -> Response {
    let outcome = build_list(&state, &who, raw.as_deref()).await;
    errors::or_page(&who, "/models", outcome)
}
