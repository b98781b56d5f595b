//! `/api/v1/search`: full-text search with facets, and suggestions as you type.

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::list_params::Qf4saMinParam;
use crate::app::AppState;
use crate::db::qf4sa_filter::Qf4saState;
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::Params;
use crate::policy::Caller;
use crate::search::{Hit, SearchRequest, SearchResults, Suggestion};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(suggest))
}

/// Search parameters. Facet parameters may be repeated (`kind=project&kind=model`) or
/// list values separated by commas; values of one facet are alternatives, facets combine.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// Words (a misspelt word of 4 letters or more still matches), "quoted phrases" and
    /// -exclusions; at most 256 characters. Empty lists everything, newest first.
    #[param(max_length = 256)]
    q: Option<String>,
    /// `project`, `model`, `workstream`, `organisation` or `assessment`.
    #[param(inline)]
    kind: Option<Vec<KindParam>>,
    /// Workstream slug.
    workstream: Option<Vec<String>>,
    /// Organisation slug.
    organisation: Option<Vec<String>>,
    /// ML task (`coding`, `classification`...).
    task: Option<Vec<String>>,
    /// Framework (`transformers`, `fasttext`...).
    framework: Option<Vec<String>>,
    /// ISO 639-1 language code.
    language: Option<Vec<String>>,
    /// SPDX licence identifier, lower case.
    licence: Option<Vec<String>>,
    /// Journey stage: `idea`, `pilot`, `validated`, `production`, `maintenance`.
    #[param(inline)]
    stage: Option<Vec<StageParam>>,
    /// QF4SA assessment: `reviewed` keeps projects and models whose current QF4SA
    /// assessment has been reviewed (and reviewed assessments themselves); `submitted`
    /// those submitted or reviewed; `any` those with one in any state, drafts included. For
    /// a model, its current assessment is that of its newest version. Counted as a facet.
    #[param(inline)]
    has_qf4sa: Option<Vec<Qf4saState>>,
    /// Lowest QF4SA levels, as `<dimension>:<level>` (dimensions `explainability`,
    /// `accuracy`, `reproducibility`, `timeliness`, `cost_effectiveness`; levels 1 to 5),
    /// repeated or separated by commas: `qf4sa_min=accuracy:3&qf4sa_min=timeliness:4`
    /// keeps items whose current QF4SA assessment is at level 3 or more for accuracy and
    /// 4 or more for timeliness. Combines with `has_qf4sa`; facet counts follow it.
    #[param(inline)]
    qf4sa_min: Option<Vec<Qf4saMinParam>>,
    /// `relevance` (default) or `updated` (newest first).
    #[param(inline)]
    sort: Option<SortParam>,
    /// 1-based page number, 1 to 100 (default 1): with `per_page`, the first 10000 results.
    #[param(minimum = 1, maximum = 100)]
    page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// The values of `sort` (the document's; the hub reads the query itself).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SortParam {
    Relevance,
    Updated,
}

/// The values of `kind`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum KindParam {
    Project,
    Model,
    Workstream,
    Organisation,
    Assessment,
}

/// The values of `stage`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum StageParam {
    Idea,
    Pilot,
    Validated,
    Production,
    Maintenance,
}

/// Searches projects, model cards, workstreams, organisations and assessments the caller
/// may see; projects and models filter by their QF4SA assessment (`has_qf4sa`,
/// `qf4sa_min`).
#[utoipa::path(get, path = "/api/v1/search", tag = "search", operation_id = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "Hits with highlighted snippets, facet counts and the total; only what the caller may see", body = SearchAnswer),
        (status = 422, description = "A parameter is invalid (`q` too long, `per_page` out of range...); `error.field` names it", body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<SearchAnswer>> {
    let request = SearchRequest::from_query(query.as_deref().unwrap_or_default())?;
    let results = state.search.search(&caller, &request)?;
    Ok(Json(SearchAnswer {
        items: results.hits.clone(),
        results,
    }))
}

/// A page of search results: `items`, as every list of the API, with `total`, `page`,
/// `per_page` and the facet counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchAnswer {
    /// The hits of this page, best first.
    pub items: Vec<Hit>,
    /// `total`, `page`, `per_page`, `facets`, `took_ms`, and `hits`: the same hits as
    /// `items`, deprecated and kept for one protocol version.
    #[serde(flatten)]
    pub results: SearchResults,
}

/// Parameters of the suggestions.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// What has been typed so far (at most 100 characters); the last word may be partial.
    #[param(max_length = 100)]
    q: String,
}

/// Suggestions for a search box.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

/// Suggests titles as the caller types.
#[utoipa::path(get, path = "/api/v1/search/suggest", tag = "search", operation_id = "search_suggest",
    params(SuggestQuery),
    responses(
        (status = 200, description = "Up to eight titles the caller may see, best first", body = Suggestions),
        (status = 422, description = "`q` is missing or too long; `error.field` names it", body = ErrorBody)))]
async fn suggest(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<SuggestQuery>,
) -> Result<Json<Suggestions>> {
    if q.q.chars().count() > 100 {
        return Err(Error::invalid("q", "at most 100 characters"));
    }
    Ok(Json(Suggestions {
        suggestions: state.search.suggest(&caller, &q.q)?,
    }))
}
