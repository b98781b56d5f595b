//! `/api/v1/projects`: pilot studies and production systems.

use agora_schemas::{JourneyStage, MlTask, Project, ProjectInput};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::list_params::{ListSort, Qf4saMinParam, qf4sa_filter};
use super::{page_of, same_key, saved};
use crate::app::AppState;
use crate::db::SaveMode;
use crate::db::keys::KeyKind;
use crate::db::projects::{self, ProjectFilter, ProjectOrder};
use crate::db::qf4sa_filter::Qf4saState;
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(ProjectPage, Project);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace))
}

/// Filters and paging for the project list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Workstream: its slug or code, in any case (`ws2`, `WS2`).
    workstream: Option<String>,
    /// An organisation running the project: its slug or short name, in any case.
    organisation: Option<String>,
    stage: Option<JourneyStage>,
    task: Option<MlTask>,
    /// A language the project works in, such as `fr`, in any case.
    language: Option<String>,
    /// The project's current QF4SA assessment: `reviewed`, `submitted` (or reviewed) or
    /// `any` (drafts included).
    #[param(inline)]
    has_qf4sa: Option<Qf4saState>,
    /// Lowest levels of the current QF4SA assessment, `<dimension>:<level>` separated by
    /// commas, such as `accuracy:3,timeliness:4` (dimensions `explainability`,
    /// `accuracy`, `reproducibility`, `timeliness`, `cost_effectiveness`; levels 1 to 5).
    #[param(inline)]
    qf4sa_min: Option<Qf4saMinParam>,
    /// `updated` (the default: most recently changed first), `created` or `name` (slug).
    #[param(inline)]
    sort: Option<ListSort>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists the projects the caller may see, most recently updated first unless `sort`
/// says otherwise.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", operation_id = "projects_list", params(ProjectQuery),
    responses((status = 200, description = "Success", body = ProjectPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ProjectQuery>,
) -> Result<Json<ProjectPage>> {
    let page = page_request(q.page, q.per_page)?;
    let qf4sa = qf4sa_filter(q.has_qf4sa, q.qf4sa_min.as_ref().map(|m| m.0.as_str()))?;
    let mut conn = state.db.acquire().await?;
    let filter = ProjectFilter {
        workstream: KeyKind::Workstream
            .resolve(&mut conn, &caller, q.workstream)
            .await?,
        organisation: KeyKind::Organisation
            .resolve(&mut conn, &caller, q.organisation)
            .await?,
        stage: q.stage,
        task: q.task,
        language: q.language,
        qf4sa,
        order: match q.sort {
            None | Some(ListSort::Updated) => ProjectOrder::Updated,
            Some(ListSort::Created) => ProjectOrder::Created,
            Some(ListSort::Name) => ProjectOrder::Name,
        },
    };
    let (items, total) = projects::list(&mut conn, &caller, &filter, page).await?;
    Ok(Json(ProjectPage::new(items, total, page)))
}

/// Creates a project.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", operation_id = "projects_create", request_body = ProjectInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = Project), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 409, description = "An item with this key exists already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<ProjectInput>,
) -> Result<Response> {
    write::require(
        &caller,
        write::can_write_project(&caller, None::<&[&str]>, &input.organisations),
        "create a project for organisations you do not belong to",
    )?;
    let mut tx = state.db.begin().await?;
    let (project, outcome) =
        match projects::save(&mut tx, &input, &caller.actor, SaveMode::Create, None).await {
            Ok(saved) => saved,
            Err(e) => {
                drop(tx);
                let readable = async {
                    let mut conn = state.db.acquire().await?;
                    Ok(projects::get(&mut conn, &caller, &input.slug)
                        .await?
                        .is_some())
                };
                return Err(super::unless_hidden_holder(e, "slug", readable).await);
            }
        };
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/projects/{}", project.spec.slug),
        project,
    ))
}

/// Reads one project.
#[utoipa::path(get, path = "/api/v1/projects/{slug}", tag = "projects", operation_id = "projects_get_one",
    params(("slug" = String, Path, description = "Project slug")),
    responses((status = 200, description = "Success", body = Project), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> Result<Json<Project>> {
    let mut conn = state.db.acquire().await?;
    projects::get(&mut conn, &caller, &slug)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("project `{slug}`")))
}

/// Replaces a project; its slug cannot change.
#[utoipa::path(put, path = "/api/v1/projects/{slug}", tag = "projects", operation_id = "projects_replace", request_body = ProjectInput,
    params(("slug" = String, Path, description = "Project slug")),
    responses((status = 200, description = "Success", body = Project), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Strict(input): Strict<ProjectInput>,
) -> Result<Response> {
    same_key("slug", &input.slug, &slug)?;
    write::require(&caller, true, "change projects")?;
    let mut tx = state.db.begin().await?;
    let current = projects::get(&mut tx, &caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("project `{slug}`")))?;
    write::require(
        &caller,
        write::can_write_project(
            &caller,
            Some(&current.spec.organisations),
            &input.organisations,
        ),
        "change another organisation's project",
    )?;
    let (project, outcome) =
        projects::save(&mut tx, &input, &caller.actor, SaveMode::Replace, None).await?;
    tx.commit().await?;
    Ok(saved(outcome, &format!("/api/v1/projects/{slug}"), project))
}
