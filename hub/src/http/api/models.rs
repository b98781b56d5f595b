//! `/api/v1/models`: model cards, their versions and evaluation results.

use agora_schemas::{
    JourneyStage, MlTask, ModelCard, ModelCardInput, ModelVersion, ModelVersionInput,
};
use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::list_params::{ListSort, Qf4saMinParam, qf4sa_filter};
use super::{PageQuery, page_of, same_key, saved};
use crate::app::AppState;
use crate::db::keys::KeyKind;
use crate::db::models::{self, ModelFilter, ModelOrder};
use crate::db::qf4sa_filter::Qf4saState;
use crate::db::{SaveMode, projects};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict, page_request};
use crate::policy::{Caller, write};

page_of!(ModelPage, ModelCard);

page_of!(VersionList, ModelVersion);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, replace))
        .routes(routes!(get_markdown))
        .routes(routes!(list_versions, create_version))
        .routes(routes!(get_version, replace_version))
}

/// Writing an existing card or its versions: 401 when anonymous, 404 when the caller cannot
/// see the card, 403 when it belongs to another organisation.
async fn may_write_model(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
) -> Result<()> {
    write::require(caller, true, "change model cards")?;
    if models::get(conn, caller, organisation, name)
        .await?
        .is_none()
    {
        return Err(Error::NotFound(format!("model `{organisation}/{name}`")));
    }
    write::require(
        caller,
        write::can_write_model(caller, organisation),
        "change another organisation's model cards",
    )
}

/// Filters and paging for the model list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// Owning organisation: its slug or short name, in any case (`inegi`, `INEGI`).
    organisation: Option<String>,
    /// Project slug, in any case.
    project: Option<String>,
    /// Workstream (through the model's project): its slug or code, in any case (`WS2`).
    workstream: Option<String>,
    task: Option<MlTask>,
    /// The stage of the model's project.
    stage: Option<JourneyStage>,
    /// Framework (`library_name`), such as `fasttext`, in any case.
    framework: Option<String>,
    /// A language the card lists, such as `fr` (which also finds `fr-CA`), in any case.
    language: Option<String>,
    /// The licence, such as `apache-2.0`, in any case.
    license: Option<String>,
    /// One of the card's tags, in any case.
    tag: Option<String>,
    /// The current QF4SA assessment (that of the newest version): `reviewed`,
    /// `submitted` (or reviewed) or `any` (drafts included).
    #[param(inline)]
    has_qf4sa: Option<Qf4saState>,
    /// Lowest levels of the current QF4SA assessment, `<dimension>:<level>` separated by
    /// commas, such as `accuracy:3,timeliness:4` (dimensions `explainability`,
    /// `accuracy`, `reproducibility`, `timeliness`, `cost_effectiveness`; levels 1 to 5).
    #[param(inline)]
    qf4sa_min: Option<Qf4saMinParam>,
    /// `updated` (the default: most recently changed first), `created` or `name`
    /// (organisation, then name).
    #[param(inline)]
    sort: Option<ListSort>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// Lists the model cards the caller may see, most recently updated first.
#[utoipa::path(get, path = "/api/v1/models", tag = "models", operation_id = "models_list", params(ModelQuery),
    responses((status = 200, description = "Success", body = ModelPage), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ModelQuery>,
) -> Result<Json<ModelPage>> {
    let page = page_request(q.page, q.per_page)?;
    let qf4sa = qf4sa_filter(q.has_qf4sa, q.qf4sa_min.as_ref().map(|m| m.0.as_str()))?;
    let mut conn = state.db.acquire().await?;
    let filter = ModelFilter {
        organisation: KeyKind::Organisation
            .resolve(&mut conn, &caller, q.organisation)
            .await?,
        project: KeyKind::Project
            .resolve(&mut conn, &caller, q.project)
            .await?,
        workstream: KeyKind::Workstream
            .resolve(&mut conn, &caller, q.workstream)
            .await?,
        task: q.task,
        stage: q.stage,
        framework: q.framework,
        language: q.language,
        license: q.license,
        tag: q.tag,
        qf4sa,
        order: match q.sort {
            None | Some(ListSort::Updated) => ModelOrder::Updated,
            Some(ListSort::Created) => ModelOrder::Created,
            Some(ListSort::Name) => ModelOrder::Name,
        },
    };
    let (items, total) = models::list(&mut conn, &caller, &filter, page).await?;
    Ok(Json(ModelPage::new(items, total, page)))
}

/// Publishes a model card.
#[utoipa::path(post, path = "/api/v1/models", tag = "models", operation_id = "models_create", request_body = ModelCardInput,
    responses((status = 201, description = "Created; `Location` gives its address", body = ModelCard), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 409, description = "An item with this key exists already", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<ModelCardInput>,
) -> Result<Response> {
    write::require(
        &caller,
        write::can_write_model(&caller, &input.organisation),
        "publish model cards for another organisation",
    )?;
    let mut tx = state.db.begin().await?;
    if let Some(project) = &input.project {
        projects::check_link(&mut tx, &caller, "project", project).await?;
    }
    let (card, outcome) =
        models::save_card(&mut tx, &input, &caller.actor, SaveMode::Create, None).await?;
    tx.commit().await?;
    let location = format!(
        "/api/v1/models/{}/{}",
        card.spec.organisation, card.spec.name
    );
    Ok(saved(outcome, &location, card))
}

/// Reads one model card.
#[utoipa::path(get, path = "/api/v1/models/{organisation}/{name}", tag = "models", operation_id = "models_get_one",
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name")),
    responses((status = 200, description = "Success", body = ModelCard), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
) -> Result<Json<ModelCard>> {
    let mut conn = state.db.acquire().await?;
    models::get(&mut conn, &caller, &organisation, &name)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("model `{organisation}/{name}`")))
}

/// Reads one model card as Markdown with YAML front matter, as a Hugging Face Hub
/// repository holds it in its `README.md`: `huggingface_hub.ModelCard(text)` reads it back
/// into the metadata and evaluation results that were sent. Visible as the card's JSON is.
#[utoipa::path(get, path = "/api/v1/models/{organisation}/{name}/card.md", tag = "models", operation_id = "models_get_markdown",
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name")),
    responses((status = 200, description = "The card as Markdown with YAML front matter", content_type = "text/markdown", body = String),
              (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_markdown(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    let card = models::get(&mut conn, &caller, &organisation, &name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("model `{organisation}/{name}`")))?;
    let text = agora_schemas::front_matter::to_markdown(&card.spec);
    Ok(([(CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response())
}

/// Replaces a model card; its organisation and name cannot change.
#[utoipa::path(put, path = "/api/v1/models/{organisation}/{name}", tag = "models", operation_id = "models_replace", request_body = ModelCardInput,
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name")),
    responses((status = 200, description = "Success", body = ModelCard), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
    Strict(input): Strict<ModelCardInput>,
) -> Result<Response> {
    same_key("organisation", &input.organisation, &organisation)?;
    same_key("name", &input.name, &name)?;
    let mut tx = state.db.begin().await?;
    may_write_model(&mut tx, &caller, &organisation, &name).await?;
    if let Some(project) = &input.project {
        projects::check_link(&mut tx, &caller, "project", project).await?;
    }
    let (card, outcome) =
        models::save_card(&mut tx, &input, &caller.actor, SaveMode::Replace, None).await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/models/{organisation}/{name}"),
        card,
    ))
}

/// Lists a model's versions, newest first, with their evaluation results, a page at a time.
#[utoipa::path(get, path = "/api/v1/models/{organisation}/{name}/versions", tag = "models", operation_id = "models_list_versions",
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name"), PageQuery),
    responses((status = 200, description = "Success", body = VersionList), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list_versions(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
    Params(q): Params<PageQuery>,
) -> Result<Json<VersionList>> {
    let page = q.page()?;
    let mut conn = state.db.acquire().await?;
    models::versions_page(&mut conn, &caller, &organisation, &name, page)
        .await?
        .map(|(items, total)| Json(VersionList::new(items, total, page)))
        .ok_or_else(|| Error::NotFound(format!("model `{organisation}/{name}`")))
}

/// Registers a version of a model, with its evaluation results.
#[utoipa::path(post, path = "/api/v1/models/{organisation}/{name}/versions", tag = "models", operation_id = "models_create_version",
    request_body = ModelVersionInput,
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name")),
    responses((status = 201, description = "Created; `Location` gives its address", body = ModelVersion), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 409, description = "An item with this key exists already", body = ErrorBody), (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create_version(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
    Strict(input): Strict<ModelVersionInput>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    may_write_model(&mut tx, &caller, &organisation, &name).await?;
    let (version, outcome) = models::save_version(
        &mut tx,
        &organisation,
        &name,
        &input,
        &caller.actor,
        SaveMode::Create,
        None,
    )
    .await?;
    tx.commit().await?;
    let location = format!(
        "/api/v1/models/{organisation}/{name}/versions/{}",
        version.spec.version
    );
    Ok(saved(outcome, &location, version))
}

/// Reads one version of a model.
#[utoipa::path(get, path = "/api/v1/models/{organisation}/{name}/versions/{version}", tag = "models", operation_id = "models_get_version",
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name"),
           ("version" = String, Path, description = "Version label")),
    responses((status = 200, description = "Success", body = ModelVersion), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_version(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name, version)): Path<(String, String, String)>,
) -> Result<Json<ModelVersion>> {
    let mut conn = state.db.acquire().await?;
    models::versions(&mut conn, &caller, &organisation, &name, Some(&version))
        .await?
        .and_then(|mut v| v.pop())
        .map(Json)
        .ok_or_else(|| {
            Error::NotFound(format!(
                "version {version} of model `{organisation}/{name}`"
            ))
        })
}

/// Replaces a version's details and evaluation results; its label cannot change.
#[utoipa::path(put, path = "/api/v1/models/{organisation}/{name}/versions/{version}", tag = "models", operation_id = "models_replace_version",
    request_body = ModelVersionInput,
    params(("organisation" = String, Path, description = "Owning organisation's slug"),
           ("name" = String, Path, description = "Model name"),
           ("version" = String, Path, description = "Version label")),
    responses((status = 200, description = "Success", body = ModelVersion), (status = 400, description = "Malformed JSON", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Not allowed", body = ErrorBody), (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody), (status = 415, description = "The body is not JSON", body = ErrorBody), (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn replace_version(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name, version)): Path<(String, String, String)>,
    Strict(input): Strict<ModelVersionInput>,
) -> Result<Response> {
    same_key("version", &input.version, &version)?;
    let mut tx = state.db.begin().await?;
    may_write_model(&mut tx, &caller, &organisation, &name).await?;
    let (saved_version, outcome) = models::save_version(
        &mut tx,
        &organisation,
        &name,
        &input,
        &caller.actor,
        SaveMode::Replace,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(saved(
        outcome,
        &format!("/api/v1/models/{organisation}/{name}/versions/{version}"),
        saved_version,
    ))
}
