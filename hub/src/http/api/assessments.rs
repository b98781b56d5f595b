//! `/api/v1/assessments`: QF4SA and ethics assessments of projects and model versions,
//! their versions, the differences between them, reviews and a JSON export.

use agora_schemas::{
    Assessment, AssessmentEdit, AssessmentInput, AssessmentKind, AssessmentState,
    AssessmentVersion, ReviewInput, SubmitInput,
};
use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_DISPOSITION;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PageQuery, page_of, saved};
use crate::app::AppState;
use crate::assessment::actions;
use crate::assessment::diff::{self, Change};
use crate::db::Outcome;
use crate::db::assessments::{self, AssessmentFilter};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::Caller;

page_of!(AssessmentPage, Assessment);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, edit))
        .routes(routes!(submit))
        .routes(routes!(review))
        .routes(routes!(versions))
        .routes(routes!(compare_versions))
        .routes(routes!(export))
}

/// Filters and paging of the assessment list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessmentQuery {
    /// Project slug: the project's assessments.
    project: Option<String>,
    /// `<organisation>/<name>`: the assessments of any version of the model.
    #[param(pattern = r"^[^/]+/[^/]+$")]
    model: Option<String>,
    /// `qf4sa` or `ethics`.
    kind: Option<AssessmentKind>,
    /// `draft`, `submitted` or `reviewed`.
    state: Option<AssessmentState>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

fn id_of(raw: &str) -> Result<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Error::NotFound(format!("assessment `{raw}`")))
}

/// Lists the assessments the caller may see (those of subjects the caller may see), most
/// recently updated first.
#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessments", operation_id = "assessments_list", params(AssessmentQuery),
    responses((status = 200, description = "Success", body = AssessmentPage), (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<AssessmentQuery>,
) -> Result<Json<AssessmentPage>> {
    let page = page_request(q.page, q.per_page)?;
    if let Some(m) = &q.model
        && !m.contains('/')
    {
        return Err(Error::invalid("model", "give `<organisation>/<name>`"));
    }
    let filter = AssessmentFilter {
        project: q.project.map(|s| s.to_ascii_lowercase()),
        model: q.model,
        kind: q.kind,
        state: q.state,
        listed_only: false,
    };
    let mut conn = state.db.acquire().await?;
    let (items, total) =
        assessments::list(&mut conn, &caller, &filter, page.limit(), page.offset()).await?;
    Ok(Json(AssessmentPage::new(items, total, page)))
}

/// Creates an assessment (version 1, a draft) of a project or a model version. The
/// subject's own organisations write it; a subject has one assessment of each kind.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "assessments", operation_id = "assessments_create", request_body = AssessmentInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Assessment), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "The caller does not belong to the subject's organisations", body = ErrorBody), (status = 409, description = "The subject has an assessment of this kind already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid, or the subject is unknown; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<AssessmentInput>,
) -> Result<Response> {
    let a = actions::create(&state.db, &caller, &input).await?;
    Ok(saved(
        Outcome::Created,
        &format!("/api/v1/assessments/{}", a.id),
        a,
    ))
}

/// Reads an assessment: its current version, state, reviews, and whether it is stale.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "assessments", operation_id = "assessments_get_one",
    params(("id" = i64, Path, description = "Assessment id")),
    responses((status = 200, description = "Success", body = Assessment), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Assessment>> {
    let id = id_of(&id)?;
    let mut conn = state.db.acquire().await?;
    assessments::get(&mut conn, &caller, id)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))
}

/// Adds a version with new content. The assessment returns to `draft`; sending the
/// current content again changes nothing.
#[utoipa::path(put, path = "/api/v1/assessments/{id}", tag = "assessments", operation_id = "assessments_edit", request_body = AssessmentEdit,
    params(("id" = i64, Path, description = "Assessment id")),
    responses((status = 200, description = "The assessment at its new (or unchanged) version", body = Assessment), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not one of the subject's organisations", body = ErrorBody), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid, or the kind differs; `error.field` names it", body = ErrorBody)))]
async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Strict(input): Strict<AssessmentEdit>,
) -> Result<Json<Assessment>> {
    let id = id_of(&id)?;
    Ok(Json(actions::edit(&state.db, &caller, id, &input).await?.0))
}

/// Submits a draft for review.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/submit", tag = "assessments", operation_id = "assessments_submit", request_body = SubmitInput,
    params(("id" = i64, Path, description = "Assessment id")),
    responses((status = 200, description = "Submitted", body = Assessment), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not one of the subject's organisations", body = ErrorBody), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody), (status = 409, description = "The assessment is not a draft, or has changed since the version submitted", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Strict(input): Strict<SubmitInput>,
) -> Result<Json<Assessment>> {
    let id = id_of(&id)?;
    Ok(Json(actions::submit(&state.db, &caller, id, &input).await?))
}

/// Reviews the submitted version. Reviewers are people of another organisation than the
/// subject's, or leads of one of its workstreams. Accepted: `reviewed`; changes
/// requested: back to `draft`.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/reviews", tag = "assessments", operation_id = "assessments_review", request_body = ReviewInput,
    params(("id" = i64, Path, description = "Assessment id")),
    responses((status = 200, description = "Reviewed", body = Assessment), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "The caller may not review this assessment", body = ErrorBody), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody), (status = 409, description = "Not submitted, or changed since the version reviewed", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field is invalid; `error.field` names it", body = ErrorBody)))]
async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Strict(input): Strict<ReviewInput>,
) -> Result<Json<Assessment>> {
    let id = id_of(&id)?;
    Ok(Json(actions::review(&state.db, &caller, id, &input).await?))
}

page_of!(AssessmentVersionList, AssessmentVersion);

/// Lists the versions of an assessment, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/versions", tag = "assessments", operation_id = "assessments_versions",
    params(("id" = i64, Path, description = "Assessment id"), PageQuery),
    responses((status = 200, description = "Success", body = AssessmentVersionList), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Params(q): Params<PageQuery>,
) -> Result<Json<AssessmentVersionList>> {
    let id = id_of(&id)?;
    let page = q.page()?;
    let mut conn = state.db.acquire().await?;
    let (items, total) = assessments::versions_page(&mut conn, &caller, id, page)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    Ok(Json(AssessmentVersionList::new(items, total, page)))
}

/// Which versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version (default: the one before `to`).
    #[param(minimum = 1)]
    from: Option<i32>,
    /// The newer version (default: the current one).
    #[param(minimum = 1)]
    to: Option<i32>,
}

/// The differences between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    /// The fields that differ, in the framework's order.
    pub changes: Vec<Change>,
}

/// Picks the two versions a diff compares, from the versions newest first.
pub(crate) fn pick(
    all: &[AssessmentVersion],
    from: Option<i32>,
    to: Option<i32>,
) -> Result<(&AssessmentVersion, &AssessmentVersion)> {
    let find = |field: &str, v: i32| {
        all.iter()
            .find(|x| x.version == v)
            .ok_or_else(|| Error::invalid(field, format!("there is no version {v}")))
    };
    let newest = all
        .first()
        .ok_or_else(|| Error::Internal("an assessment without versions".into()))?;
    let to = match to {
        Some(v) => find("to", v)?,
        None => newest,
    };
    let from = match from {
        Some(v) => find("from", v)?,
        None => all.iter().find(|x| x.version < to.version).unwrap_or(to),
    };
    Ok((from, to))
}

/// Compares two versions of an assessment field by field, with a line diff of texts.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/diff", tag = "assessments", operation_id = "assessments_diff",
    params(("id" = i64, Path, description = "Assessment id"), DiffQuery),
    responses((status = 200, description = "Success", body = VersionDiff), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody), (status = 422, description = "No such version; `error.field` names the parameter", body = ErrorBody)))]
async fn compare_versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Params(q): Params<DiffQuery>,
) -> Result<Json<VersionDiff>> {
    let id = id_of(&id)?;
    let mut conn = state.db.acquire().await?;
    let all = assessments::versions(&mut conn, &caller, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    let (from, to) = pick(&all, q.from, q.to)?;
    Ok(Json(VersionDiff {
        from: from.version,
        to: to.version,
        changes: diff::diff(&from.content, &to.content),
    }))
}

/// An assessment with its whole history, as exported.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentExport {
    pub assessment: Assessment,
    /// Every version, newest first.
    pub versions: Vec<AssessmentVersion>,
}

/// Exports an assessment with every version and review, as a JSON file to download.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/export", tag = "assessments", operation_id = "assessments_export",
    params(("id" = i64, Path, description = "Assessment id")),
    responses((status = 200, description = "A JSON attachment", body = AssessmentExport), (status = 404, description = "No such assessment, or not visible to the caller", body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = id_of(&id)?;
    let mut conn = state.db.acquire().await?;
    let not_found = || Error::NotFound(format!("assessment {id}"));
    let assessment = assessments::get(&mut conn, &caller, id)
        .await?
        .ok_or_else(not_found)?;
    let versions = assessments::versions(&mut conn, &caller, id)
        .await?
        .ok_or_else(not_found)?;
    let file = format!(
        "attachment; filename=\"assessment-{id}-{}-v{}.json\"",
        assessment.kind.as_str(),
        assessment.version
    );
    Ok((
        [(CONTENT_DISPOSITION, file)],
        Json(AssessmentExport {
            assessment,
            versions,
        }),
    )
        .into_response())
}
