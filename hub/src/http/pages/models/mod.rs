//! `/models` (the model cards one may see: each with its version, stage, headline result,
//! languages and QF4SA level; filtered and sorted) and `/models/{organisation}/{name}`
//! (one card: its text, versions, evaluation results, provenance and activity). The card
//! page is built from partials, one per section, so more sections can join it.

mod show;
mod standings;

pub use show::show;

use agora_schemas::{JourneyStage, LanguageTag, MlTask};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::catalog::licence_name;
use crate::db::models::{self, ModelFilter, ModelOrder};
use crate::db::qf4sa_filter::{Qf4saFilter, Qf4saState};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::choices::task_choices;
use crate::http::pages::view::glance::Glance;
use crate::http::pages::view::{self, Choice, Pager, errors, form, lookup};
use crate::http::pages::{Layout, render};

const PER_PAGE: u32 = 25;

struct ModelRow {
    text_lang: String,
    href: String,
    title: String,
    organisation: String,
    task: String,
    /// The version that speaks for the model, its stage, headline result and QF4SA level.
    glance: Glance,
    languages: String,
    updated: String,
}

/// A filter of the list: its parameter, label and choices.
struct Filter {
    name: &'static str,
    label: String,
    any: String,
    choices: Vec<Choice>,
}

/// A sortable column's link.
struct SortLink {
    href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    state: &'static str,
}

#[derive(Template)]
#[template(path = "models/list.html")]
struct ListPage {
    layout: Layout,
    models: Vec<ModelRow>,
    filters: Vec<Filter>,
    sorts: Vec<Choice>,
    by_name: SortLink,
    by_updated: SortLink,
    filtered: bool,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    organisation: Option<String>,
    task: Option<String>,
    language: Option<String>,
    stage: Option<String>,
    license: Option<String>,
    framework: Option<String>,
    has_qf4sa: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
}

/// The list's orders, as the `sort` parameter names them.
const SORTS: [(&str, ModelOrder, &str); 3] = [
    ("updated", ModelOrder::Updated, "models-sort-updated"),
    ("created", ModelOrder::Created, "models-sort-created"),
    ("name", ModelOrder::Name, "models-sort-name"),
];

fn empty_is_none(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

async fn build_list(
    state: &AppState,
    who: &Identity,
    raw: Option<&str>,
) -> Result<Response, Error> {
    let lang = who.lang;
    let q: ListQuery = form::query(raw)?;
    let task: Option<MlTask> = form::choice("task", q.task.as_deref())?;
    let stage: Option<JourneyStage> = form::choice("stage", q.stage.as_deref())?;
    let qf4sa_state: Option<Qf4saState> = form::choice("has_qf4sa", q.has_qf4sa.as_deref())?;
    let sort = empty_is_none(q.sort).unwrap_or_else(|| "updated".into());
    let order = SORTS
        .iter()
        .find(|(name, _, _)| *name == sort)
        .map(|(_, order, _)| *order)
        .ok_or_else(|| Error::invalid("sort", "must be `updated`, `created` or `name`"))?;
    let page = crate::http::extract::page_request(q.page, Some(PER_PAGE))?;
    let organisation = empty_is_none(q.organisation);
    let language = empty_is_none(q.language);
    let license = empty_is_none(q.license);
    let framework = empty_is_none(q.framework);
    let filter = ModelFilter {
        organisation: organisation.clone(),
        task,
        stage,
        language: language.clone(),
        license: license.clone(),
        framework: framework.clone(),
        qf4sa: Qf4saFilter {
            state: qf4sa_state,
            min: Vec::new(),
        },
        order,
        ..ModelFilter::default()
    };
    let mut conn = state.db.acquire().await?;
    let names = lookup::organisations(&mut conn).await?;
    let (cards, total) = models::list(&mut conn, &who.caller, &filter, page).await?;
    let keys: Vec<(String, String)> = cards
        .iter()
        .map(|c| (c.spec.organisation.to_string(), c.spec.name.to_string()))
        .collect();
    let headlines = models::headlines(&mut conn, &who.caller, &keys).await?;
    let offered = models::list_choices(&mut conn, &who.caller).await?;
    let models = cards
        .into_iter()
        .zip(&keys)
        .map(|(c, key)| ModelRow {
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
            task: view::card_task(lang, &c.spec),
            glance: Glance::new(lang, &c.spec, headlines.get(key)),
            languages: c
                .spec
                .language
                .iter()
                .map(|l| l.display_name_in(lang.code()))
                .collect::<Vec<_>>()
                .join(", "),
            updated: view::date(lang, c.updated_at),
        })
        .collect();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let params: Vec<(&str, String)> = vec![
        ("organisation", text(&organisation)),
        (
            "task",
            task.map(|t| t.as_str().to_string()).unwrap_or_default(),
        ),
        ("language", text(&language)),
        (
            "stage",
            stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
        ),
        ("license", text(&license)),
        ("framework", text(&framework)),
        (
            "has_qf4sa",
            qf4sa_state
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
        ),
    ];
    let current = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut orgs: Vec<(String, String)> = names.into_iter().collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    let mut languages: Vec<(String, String)> = Vec::new();
    for tag in offered
        .languages
        .iter()
        .map(|l| LanguageTag::new(l.as_str()))
    {
        if let Some(facet) = tag.facet()
            && !languages.iter().any(|(v, _)| *v == facet)
        {
            let label = LanguageTag::new(facet.as_str()).display_name_in(lang.code());
            languages.push((facet, label));
        }
    }
    languages.sort_by(|a, b| a.1.cmp(&b.1));
    let filter =
        |name: &'static str, label: &str, any: &str, options: Vec<(String, String)>| Filter {
            name,
            label: lang.t(label),
            any: lang.t(any),
            choices: Choice::list(options, &current(name)),
        };
    let filters = vec![
        filter(
            "organisation",
            "models-filter-organisation",
            "models-filter-any-organisation",
            orgs,
        ),
        Filter {
            name: "task",
            label: lang.t("models-filter-task"),
            any: lang.t("models-filter-any-task"),
            choices: task_choices(lang, &current("task")),
        },
        filter(
            "language",
            "models-filter-language",
            "models-filter-any-language",
            languages,
        ),
        filter(
            "stage",
            "models-filter-stage",
            "models-filter-any-stage",
            JourneyStage::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), view::stage_label(lang, *s)))
                .collect(),
        ),
        filter(
            "license",
            "models-filter-licence",
            "models-filter-any-licence",
            offered
                .licences
                .iter()
                .map(|l| (l.clone(), licence_name(l).unwrap_or_else(|| l.clone())))
                .collect(),
        ),
        filter(
            "framework",
            "models-filter-framework",
            "models-filter-any-framework",
            offered
                .frameworks
                .iter()
                .map(|f| (f.clone(), f.clone()))
                .collect(),
        ),
        filter(
            "has_qf4sa",
            "models-filter-qf4sa",
            "models-filter-any-qf4sa",
            [Qf4saState::Any, Qf4saState::Submitted, Qf4saState::Reviewed]
                .iter()
                .map(|s| {
                    (
                        s.as_str().to_string(),
                        lang.t(&format!("models-qf4sa-{}", s.as_str())),
                    )
                })
                .collect(),
        ),
    ];
    let filtered = params.iter().any(|(_, v)| !v.is_empty());
    let mut with_sort = params.clone();
    with_sort.push((
        "sort",
        if sort == "updated" {
            String::new()
        } else {
            sort.clone()
        },
    ));
    let sort_link = |to: &str, state: &'static str| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
            query.append_pair(k, v);
        }
        if to != "updated" {
            query.append_pair("sort", to);
        }
        let query = query.finish();
        SortLink {
            href: if query.is_empty() {
                "/models".into()
            } else {
                format!("/models?{query}")
            },
            state,
        }
    };
    let body = ListPage {
        layout: Layout::new(who, "models", lang.t("models-list-description")),
        models,
        filtered,
        by_name: sort_link("name", if sort == "name" { "ascending" } else { "none" }),
        by_updated: sort_link(
            "updated",
            if sort == "updated" {
                "descending"
            } else {
                "none"
            },
        ),
        sorts: Choice::list(
            SORTS
                .iter()
                .map(|(name, _, label)| (name.to_string(), lang.t(label))),
            &sort,
        ),
        pager: Pager::new("/models", &with_sort, page.page, PER_PAGE, total),
        filters,
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
