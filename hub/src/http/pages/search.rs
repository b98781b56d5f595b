//! `/search`: the search page. A GET form: query box, facets as checkboxes with counts
//! and names people read (organisation names, workstream titles, language and licence
//! names), the active filters as chips that remove themselves, sort, results with
//! highlighted snippets and pagination. Model results lead with their headline: the
//! version's stage, the headline result and the QF4SA level.

use std::collections::HashMap;

use agora_schemas::LanguageTag;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::catalog::licence_name;
use crate::db::models::{self, Headline};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::glance::{MetricView, Qf4saView, StageView};
use crate::http::pages::view::lookup;
use crate::http::pages::{Layout, render as render_page, view};
use crate::i18n::Lang;
use crate::policy::Caller;
use crate::search::{SearchRequest, SearchResults, Sort};

/// Names for the slugs facets and results carry.
#[derive(Default)]
struct Names {
    organisations: HashMap<String, String>,
    workstreams: HashMap<String, String>,
}

struct FacetView {
    name: &'static str,
    label: String,
    values: Vec<ValueView>,
}

struct ValueView {
    id: String,
    value: String,
    label: String,
    count: u64,
    checked: bool,
}

/// An active filter, with the address of the same search without it.
struct ActiveFilter {
    facet: String,
    label: String,
    remove: String,
}

struct HitView {
    kind: String,
    kind_label: String,
    title_html: String,
    snippet_html: String,
    link: String,
    /// Organisations by name.
    organisations: String,
    task: Option<String>,
    /// The item's own stage: a model's version in the registry, a project's journey.
    stage: Option<StageView>,
    metric: Option<MetricView>,
    qf4sa: Option<Qf4saView>,
    /// `<organisation>/<name>` of a model with a QF4SA assessment, which can be compared.
    compare_key: Option<String>,
    updated: String,
    updated_iso: String,
}

struct PageLink {
    number: u32,
    href: String,
    current: bool,
    gap: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    error: Option<String>,
    total: u64,
    took_ms: f64,
    first: u64,
    last: u64,
    sort_updated: bool,
    facets: Vec<FacetView>,
    active: Vec<ActiveFilter>,
    hits: Vec<HitView>,
    /// Any model result can be ticked for comparison.
    comparable: bool,
    has_filters: bool,
    clear_filters: String,
    pages: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

fn facet_label(lang: Lang, name: &str) -> String {
    lang.t(match name {
        "kind" => "search-facet-kind",
        "workstream" => "search-facet-workstream",
        "organisation" => "search-facet-organisation",
        "task" => "search-facet-task",
        "framework" => "search-facet-framework",
        "language" => "search-facet-language",
        "licence" => "search-facet-licence",
        "has_qf4sa" => "search-facet-qf4sa",
        _ => "search-facet-stage",
    })
}

fn kind_label(lang: Lang, kind: &str) -> String {
    lang.t(match kind {
        "project" => "subject-project",
        "model" => "subject-model",
        "workstream" => "subject-workstream",
        "organisation" => "subject-organisation",
        "assessment" => "subject-assessment",
        _ => "search-kind-item",
    })
}

/// A facet value as people read it: tasks and stages in words, organisations and
/// workstreams by name, languages and licences by their names in the page's language.
fn value_label(lang: Lang, names: &Names, facet: &str, value: &str) -> String {
    let key = match facet {
        "kind" => return kind_label(lang, value),
        "task" => format!("task-{value}"),
        "stage" => format!("stage-{value}"),
        "has_qf4sa" => format!("search-qf4sa-{value}"),
        "organisation" => {
            return names
                .organisations
                .get(value)
                .cloned()
                .unwrap_or_else(|| value.to_string());
        }
        "workstream" => {
            return names
                .workstreams
                .get(value)
                .cloned()
                .unwrap_or_else(|| value.to_string());
        }
        "language" => return LanguageTag::new(value).display_name_in(lang.code()),
        "licence" => return licence_name(value).unwrap_or_else(|| value.to_string()),
        _ => return value.to_string(),
    };
    lang.find(&key).unwrap_or_else(|| value.to_string())
}

/// A query string for `req` at `page`.
fn href(req: &SearchRequest, page: u32, with_filters: bool) -> String {
    href_without(req, page, with_filters, None)
}

/// A query string for `req` at `page`, leaving out the filter `without` (facet, value).
fn href_without(
    req: &SearchRequest,
    page: u32,
    with_filters: bool,
    without: Option<(&str, &str)>,
) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if !req.q.is_empty() {
        s.append_pair("q", &req.q);
    }
    if with_filters {
        for (name, _) in crate::search::schema::FACETS {
            for v in req.selected(name) {
                if without != Some((name, v.as_str())) {
                    s.append_pair(name, v);
                }
            }
        }
        for (dim, level) in &req.qf4sa_min {
            let name = agora_schemas::assessment::QF4SA_DIMENSIONS[*dim].0;
            s.append_pair("qf4sa_min", &format!("{name}:{level}"));
        }
    }
    if req.sort == Sort::Updated {
        s.append_pair("sort", "updated");
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    if req.per_page != 20 {
        s.append_pair("per_page", &req.per_page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        "/search".into()
    } else {
        format!("/search?{query}")
    }
}

fn view(
    layout: Layout,
    req: &SearchRequest,
    results: SearchResults,
    names: &Names,
    headlines: &HashMap<(String, String), Headline>,
) -> SearchPage {
    let lang = layout.lang;
    let active: Vec<ActiveFilter> = crate::search::schema::FACETS
        .iter()
        .flat_map(|(name, _)| {
            req.selected(name).iter().map(move |v| ActiveFilter {
                facet: facet_label(lang, name),
                label: value_label(lang, names, name, v),
                remove: href_without(req, 1, true, Some((name, v.as_str()))),
            })
        })
        .collect();
    let facets = results
        .facets
        .named()
        .into_iter()
        .map(|(name, values)| FacetView {
            name,
            label: facet_label(lang, name),
            values: values
                .iter()
                .enumerate()
                .map(|(i, v)| ValueView {
                    id: format!("f-{name}-{i}"),
                    label: value_label(lang, names, name, &v.value),
                    value: v.value.clone(),
                    count: v.count,
                    checked: v.selected,
                })
                .collect(),
        })
        .collect();
    let hits: Vec<HitView> = results
        .hits
        .into_iter()
        .map(|h| {
            let key = model_key(&h);
            let headline = key.as_ref().and_then(|k| headlines.get(k));
            let glance = headline.map(|hl| view::glance::Glance::from_headline(lang, hl));
            let (stage, metric, qf4sa) = match glance {
                Some(g) => (g.stage, g.metric, g.qf4sa),
                None => (
                    h.stage.as_deref().map(|s| StageView {
                        class: "journey",
                        label: value_label(lang, names, "stage", s),
                    }),
                    None,
                    None,
                ),
            };
            HitView {
                kind_label: kind_label(lang, &h.kind),
                kind: h.kind.clone(),
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                link: h.link,
                organisations: h
                    .organisations
                    .iter()
                    .map(|o| value_label(lang, names, "organisation", o))
                    .collect::<Vec<_>>()
                    .join(", "),
                task: h
                    .task
                    .as_deref()
                    .map(|t| value_label(lang, names, "task", t)),
                stage,
                metric,
                compare_key: qf4sa
                    .is_some()
                    .then(|| key.map(|(o, n)| format!("{o}/{n}")))
                    .flatten(),
                qf4sa,
                updated: view::date(lang, h.updated_at),
                updated_iso: h.updated_at.to_rfc3339(),
            }
        })
        .collect();
    let pages_total = results
        .total
        .div_ceil(u64::from(req.per_page))
        .min(u64::from(crate::search::query::MAX_DEPTH / req.per_page))
        as u32;
    let mut pages = Vec::new();
    for n in 1..=pages_total {
        let near = n.abs_diff(req.page) <= 2 || n == 1 || n == pages_total;
        if near {
            pages.push(PageLink {
                number: n,
                href: href(req, n, true),
                current: n == req.page,
                gap: false,
            });
        } else if pages.last().is_some_and(|p: &PageLink| !p.gap) {
            pages.push(PageLink {
                number: n,
                href: String::new(),
                current: false,
                gap: true,
            });
        }
    }
    let offset = u64::from(req.page - 1) * u64::from(req.per_page);
    SearchPage {
        layout,
        q: req.q.clone(),
        error: None,
        total: results.total,
        took_ms: results.took_ms,
        first: offset + 1,
        last: (offset + u64::from(req.per_page)).min(results.total),
        sort_updated: req.sort == Sort::Updated,
        facets,
        comparable: hits.iter().any(|h| h.compare_key.is_some()),
        active,
        hits,
        has_filters: req.filters.iter().any(|f| !f.is_empty()) || !req.qf4sa_min.is_empty(),
        clear_filters: href(req, 1, false),
        prev: (req.page > 1).then(|| href(req, req.page - 1, true)),
        next: (req.page < pages_total).then(|| href(req, req.page + 1, true)),
        pages,
    }
}

fn empty(layout: Layout, q: String, error: String) -> SearchPage {
    SearchPage {
        layout,
        q,
        error: Some(error),
        total: 0,
        took_ms: 0.0,
        first: 0,
        last: 0,
        sort_updated: false,
        facets: vec![],
        active: vec![],
        hits: vec![],
        comparable: false,
        has_filters: false,
        clear_filters: "/search".into(),
        pages: vec![],
        prev: None,
        next: None,
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let layout = Layout::new(&who, "search", who.lang.t("search-description"));
    let req = match SearchRequest::from_query(&query) {
        Ok(req) => req,
        Err(e) => {
            let q = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v.chars().take(256).collect())
                .unwrap_or_default();
            let message = match &e {
                Error::Invalid(f) => format!("{}: {}", f.field, f.message),
                other => other.to_string(),
            };
            return render_page(StatusCode::UNPROCESSABLE_ENTITY, &empty(layout, q, message));
        }
    };
    let results = match state.search.search(&who.caller, &req) {
        Ok(results) => results,
        Err(e) => return super::view::errors::page(&who, "/search", e),
    };
    match names_and_headlines(&state, &who.caller, &results).await {
        Ok((names, headlines)) => render_page(
            StatusCode::OK,
            &view(layout, &req, results, &names, &headlines),
        ),
        Err(e) => super::view::errors::page(&who, "/search", e),
    }
}

/// `(organisation, name)` of a model result.
fn model_key(hit: &crate::search::Hit) -> Option<(String, String)> {
    if hit.kind != "model" {
        return None;
    }
    let (org, name) = hit.link.strip_prefix("/models/")?.split_once('/')?;
    Some((org.to_string(), name.to_string()))
}

/// The names the page shows for slugs, and the headlines of the model results: two
/// lookups and one query for the whole page.
async fn names_and_headlines(
    state: &AppState,
    caller: &Caller,
    results: &SearchResults,
) -> Result<(Names, HashMap<(String, String), Headline>), Error> {
    let mut conn = state.db.acquire().await?;
    let names = Names {
        organisations: lookup::organisations(&mut conn).await?,
        workstreams: lookup::workstreams(&mut conn, caller).await?,
    };
    let keys: Vec<(String, String)> = results.hits.iter().filter_map(model_key).collect();
    let headlines = models::headlines(&mut conn, caller, &keys).await?;
    Ok((names, headlines))
}
