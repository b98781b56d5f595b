//! `GET /api/v1/models/{organisation}/{name}/results`: every evaluation result of a model
//! in one shape, each saying where it comes from (its card, a registered version, or a
//! benchmark run).

use agora_schemas::Evaluation;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page_of;
use crate::app::AppState;
use crate::db::models::{self, EvaluationFilter, SourceKind};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, page_request};
use crate::policy::Caller;

page_of!(EvaluationPage, Evaluation);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Where results come from.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceParam {
    Card,
    Registry,
    Benchmark,
}

/// Filters and paging of a model's results.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultQuery {
    /// Only results from the card's `model-index` (`card`), registered versions
    /// (`registry`) or benchmark runs (`benchmark`).
    #[param(inline)]
    source: Option<SourceParam>,
    /// Only this metric, such as `f1`, in any case.
    #[param(max_length = 100)]
    metric: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists a model's evaluation results: its card's `model-index` first (in the card's
/// order), then its registered versions' results (newest version first), then its
/// benchmark results (newest first, from benchmarks the caller may see).
#[utoipa::path(get, path = "/api/v1/models/{organisation}/{name}/results", tag = "models", operation_id = "models_results",
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name"), ResultQuery),
    responses((status = 200, description = "Success", body = EvaluationPage), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
    Params(q): Params<ResultQuery>,
) -> Result<Json<EvaluationPage>> {
    let page = page_request(q.page, q.per_page)?;
    if q.metric.as_ref().is_some_and(|m| m.chars().count() > 100) {
        return Err(Error::invalid("metric", "must be at most 100 characters"));
    }
    let filter = EvaluationFilter {
        source: q.source.map(|s| match s {
            SourceParam::Card => SourceKind::Card,
            SourceParam::Registry => SourceKind::Registry,
            SourceParam::Benchmark => SourceKind::Benchmark,
        }),
        metric: q.metric,
    };
    let (organisation, name) = (organisation.to_lowercase(), name.to_lowercase());
    let mut conn = state.db.acquire().await?;
    models::evaluations(&mut conn, &caller, &organisation, &name, &filter, page)
        .await?
        .map(|(items, total)| Json(EvaluationPage::new(items, total, page)))
        .ok_or_else(|| Error::NotFound(format!("model `{organisation}/{name}`")))
}
