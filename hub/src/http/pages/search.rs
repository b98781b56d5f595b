//! `/search`: the search page. A GET form: query box, facets as checkboxes with counts,
//! sort, results with highlighted snippets and pagination.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::{Layout, render as render_page, view};
use crate::i18n::Lang;
use crate::search::{SearchRequest, SearchResults, Sort};

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

struct HitView {
    kind: String,
    kind_label: String,
    title_html: String,
    snippet_html: String,
    link: String,
    meta: String,
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
    hits: Vec<HitView>,
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

/// A facet value as people read it: tasks and stages in words, others as they are.
fn value_label(lang: Lang, facet: &str, value: &str) -> String {
    let key = match facet {
        "kind" => return kind_label(lang, value),
        "task" => format!("task-{value}"),
        "stage" => format!("stage-{value}"),
        "has_qf4sa" => format!("search-qf4sa-{value}"),
        _ => return value.to_string(),
    };
    lang.find(&key).unwrap_or_else(|| value.to_string())
}

/// A query string for `req` at `page`.
fn href(req: &SearchRequest, page: u32, with_filters: bool) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if !req.q.is_empty() {
        s.append_pair("q", &req.q);
    }
    if with_filters {
        for (name, _) in crate::search::schema::FACETS {
            for v in req.selected(name) {
                s.append_pair(name, v);
            }
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

fn view(layout: Layout, req: &SearchRequest, results: SearchResults) -> SearchPage {
    let lang = layout.lang;
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
                    label: value_label(lang, name, &v.value),
                    value: v.value.clone(),
                    count: v.count,
                    checked: v.selected,
                })
                .collect(),
        })
        .collect();
    let hits = results
        .hits
        .into_iter()
        .map(|h| {
            let mut meta: Vec<String> = Vec::new();
            if !h.organisations.is_empty() {
                meta.push(h.organisations.join(", "));
            }
            meta.extend(h.task.as_deref().map(|t| value_label(lang, "task", t)));
            meta.extend(h.stage.as_deref().map(|s| value_label(lang, "stage", s)));
            meta.extend(h.framework.clone());
            HitView {
                kind_label: kind_label(lang, &h.kind),
                kind: h.kind,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                link: h.link,
                meta: meta.join(" · "),
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
        hits,
        has_filters: req.filters.iter().any(|f| !f.is_empty()),
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
        hits: vec![],
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
    match state.search.search(&who.caller, &req) {
        Ok(results) => render_page(StatusCode::OK, &view(layout, &req, results)),
        Err(e) => super::view::errors::page(&who, "/search", e),
    }
}
