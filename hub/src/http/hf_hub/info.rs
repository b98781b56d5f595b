//! A model card as the Hub's `ModelInfo`: `GET /api/models/{organisation}/{name}`.

use agora_schemas::{ModelCard, Visibility};
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::HfError;
use crate::app::AppState;
use crate::db::models;
use crate::error::Error;
use crate::policy::Caller;

/// The one revision a model has here.
pub const MAIN: &str = "main";

pub async fn show(
    State(state): State<AppState>,
    caller: Result<Caller, Error>,
    Path((organisation, name)): Path<(String, String)>,
) -> Result<Json<Value>, HfError> {
    let caller = caller?;
    let card = read(&state, &caller, &organisation, &name).await?;
    Ok(Json(model_info(&card, true)))
}

pub async fn show_revision(
    State(state): State<AppState>,
    caller: Result<Caller, Error>,
    Path((organisation, name, revision)): Path<(String, String, String)>,
) -> Result<Json<Value>, HfError> {
    let caller = caller?;
    let card = read(&state, &caller, &organisation, &name).await?;
    if !is_current(&card, &revision) {
        return Err(HfError::RevisionNotFound(revision));
    }
    Ok(Json(model_info(&card, true)))
}

/// The card the caller may read, by the repository's id; organisation slugs are lower
/// case, and `INEGI/…` names the same repository as `inegi/…`.
pub async fn read(
    state: &AppState,
    caller: &Caller,
    organisation: &str,
    name: &str,
) -> Result<ModelCard, HfError> {
    let mut conn = state.db.acquire().await?;
    models::get(&mut conn, caller, &organisation.to_ascii_lowercase(), name)
        .await?
        .ok_or_else(|| HfError::RepoNotFound(format!("{organisation}/{name}")))
}

/// Whether `revision` names the card as it is now: `main`, or its commit.
pub fn is_current(card: &ModelCard, revision: &str) -> bool {
    revision == MAIN || revision == commit(card)
}

/// The card's `README.md` as the Hub would serve it.
pub fn readme(card: &ModelCard) -> String {
    agora_schemas::front_matter::to_markdown(&card.spec)
}

/// The repository's commit: a digest of its one file, 40 hexadecimal digits as a git
/// commit id, so a client's cache keeps one copy per version of the card.
pub fn commit(card: &ModelCard) -> String {
    commit_of(&digest(&readme(card)))
}

/// The SHA-256 of the `README.md`, in hexadecimal: its `ETag`, and its commit's source.
pub fn digest(readme: &str) -> String {
    hex::encode(Sha256::digest(readme.as_bytes()))
}

/// The commit of a `README.md` whose [`digest`] is given.
pub fn commit_of(digest: &str) -> String {
    digest[..40].to_string()
}

/// The repository's id: `organisation/name`.
pub fn repo_id(card: &ModelCard) -> String {
    format!("{}/{}", card.spec.organisation, card.spec.name)
}

/// The tags the Hub would list for the card: its own tags, its pipeline tag and
/// library, its languages, `license:…`, `dataset:…` and `base_model:…`.
pub fn tags(card: &ModelCard) -> Vec<String> {
    let spec = &card.spec;
    let mut tags: Vec<String> = Vec::new();
    let mut add = |tag: String| {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    };
    for tag in spec.tags.iter() {
        add(tag.to_string());
    }
    if let Some(library) = &spec.library_name {
        add(library.clone());
    }
    if let Some(pipeline) = pipeline_tag(card) {
        add(pipeline);
    }
    for language in spec.language.iter() {
        add(language.to_string());
    }
    if let Some(license) = &spec.license {
        add(format!("license:{license}"));
    }
    for dataset in spec.datasets.iter() {
        add(format!("dataset:{dataset}"));
    }
    for base in spec.base_model.iter() {
        add(format!("base_model:{base}"));
    }
    tags
}

/// The card's pipeline tag as written, else its task when that is one of the Hub's.
pub fn pipeline_tag(card: &ModelCard) -> Option<String> {
    card.spec.pipeline_tag.clone().or_else(|| {
        card.spec
            .task
            .as_ref()
            .filter(|t| agora_schemas::task::is_hub_task(t.as_str()))
            .map(|t| t.as_str().to_string())
    })
}

/// The Hub's `ModelInfo` of a card; `with_card_data` adds the front matter (`cardData`),
/// which the Hub gives on a model's own page and on lists asked with `full` or `cardData`.
pub fn model_info(card: &ModelCard, with_card_data: bool) -> Value {
    let id = repo_id(card);
    let mut info = json!({
        "_id": id,
        "id": id,
        "modelId": id,
        "author": card.spec.organisation.to_string(),
        "sha": commit(card),
        "createdAt": card.created_at,
        "lastModified": card.updated_at,
        "private": card.spec.visibility != Visibility::Public,
        "disabled": false,
        "gated": false,
        "tags": tags(card),
        "siblings": [{ "rfilename": "README.md" }],
    });
    if let Value::Object(map) = &mut info {
        if let Some(pipeline) = pipeline_tag(card) {
            map.insert("pipeline_tag".into(), Value::String(pipeline));
        }
        if let Some(library) = &card.spec.library_name {
            map.insert("library_name".into(), Value::String(library.clone()));
        }
        if with_card_data {
            let data = agora_schemas::front_matter::metadata(&card.spec);
            if let Some(index) = data.get("model-index") {
                map.insert("model-index".into(), index.clone());
            }
            map.insert("cardData".into(), Value::Object(data));
        }
    }
    info
}
