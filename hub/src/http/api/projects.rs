//! `/api/v1/projects`: pilot studies and production systems.

use agora_schemas::{JourneyStage, MlTask, Project, ProjectInput};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{page_of, same_key, saved};
use crate::app::AppState;
use crate::db::SaveMode;
use crate::db::projects::{self, ProjectFilter};
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
    /// Workstream slug.
    workstream: Option<String>,
    /// Organisation slug.
    organisation: Option<String>,
    stage: Option<JourneyStage>,
    task: Option<MlTask>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists the projects the caller may see, most recently updated first.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", operation_id = "projects_list", params(ProjectQuery),
    responses((status = 200, description = "Success", body = ProjectPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ProjectQuery>,
) -> Result<Json<ProjectPage>> {
    let page = page_request(q.page, q.per_page)?;
    let filter = ProjectFilter {
        workstream: q.workstream.map(|s| s.to_ascii_lowercase()),
        organisation: q.organisation.map(|s| s.to_ascii_lowercase()),
        stage: q.stage,
        task: q.task,
    };
    let mut conn = state.db.acquire().await?;
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
