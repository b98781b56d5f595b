//! Helpers shared by the search tests: state with an in-memory index, requests through
//! the real router, and callers of each kind.
#![allow(dead_code)]

use agora_hub::policy::Caller;
use agora_hub::search::SearchRequest;
use agora_hub::{AppState, Config};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

/// Application state over the test database, its index caught up with it.
pub async fn state(db: PgPool) -> AppState {
    let state = AppState::new(db, Config::default());
    state.search.catch_up(&state.db).await.unwrap();
    state
}

/// `GET uri` through the router: status and body (JSON when it parses, else a string).
pub async fn get(state: &AppState, uri: &str) -> (StatusCode, Value) {
    let (status, text) = get_text(state, uri).await;
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, json)
}

pub async fn get_text(state: &AppState, uri: &str) -> (StatusCode, String) {
    let response = agora_hub::http::router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Searches as `caller` with a query string such as `q=coding&kind=model`.
pub fn search(state: &AppState, caller: &Caller, query: &str) -> agora_hub::search::SearchResults {
    let request = SearchRequest::from_query(query).unwrap();
    state.search.search(caller, &request).unwrap()
}

/// Links of the hits, best first.
pub fn links(results: &agora_hub::search::SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.link.clone()).collect()
}

/// Links of the hits of a JSON answer.
pub fn json_links(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["link"].as_str().unwrap().to_string())
        .collect()
}

/// The count of `value` in facet `facet` of a JSON answer (0 when absent).
pub fn facet_count(body: &Value, facet: &str, value: &str) -> u64 {
    body["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == value)
        .map(|v| v["count"].as_u64().unwrap())
        .unwrap_or(0)
}

pub fn anonymous() -> Caller {
    Caller::anonymous()
}

pub fn member_of(org: &str) -> Caller {
    Caller::member(format!("someone@{org}.example"), &[org])
}

/// Saves an organisation.
pub async fn organisation(db: &PgPool, slug: &str) {
    let input = serde_json::from_value(serde_json::json!({
        "slug": slug, "name": format!("Statistics {slug}"), "kind": "national-statistical-office"
    }))
    .unwrap();
    let mut conn = db.acquire().await.unwrap();
    agora_hub::db::organisations::save(&mut conn, &input, "test", agora_hub::db::SaveMode::Upsert)
        .await
        .unwrap();
}

/// Saves a project from its JSON form (organisations must exist).
pub async fn project(db: &PgPool, json: Value) {
    let input = serde_json::from_value(json).unwrap();
    let mut conn = db.acquire().await.unwrap();
    agora_hub::db::projects::save(
        &mut conn,
        &input,
        "test",
        agora_hub::db::SaveMode::Upsert,
        None,
    )
    .await
    .unwrap();
}

/// Saves a model card from its JSON form.
pub async fn model(db: &PgPool, json: Value) {
    let input = serde_json::from_value(json).unwrap();
    let mut conn = db.acquire().await.unwrap();
    agora_hub::db::models::save_card(
        &mut conn,
        &input,
        "test",
        agora_hub::db::SaveMode::Upsert,
        None,
    )
    .await
    .unwrap();
}

/// A small corpus with known answers: two organisations, items of every visibility.
pub async fn corpus(db: &PgPool) {
    use serde_json::json;
    organisation(db, "stat-a").await;
    organisation(db, "stat-b").await;
    let p = |slug: &str,
             title: &str,
             summary: &str,
             org: &str,
             stage: &str,
             task: &str,
             lang: &str,
             vis: &str| {
        json!({"slug": slug, "title": title, "summary": summary, "organisations": [org],
               "stage": stage, "task": task, "languages": [lang], "visibility": vis})
    };
    for item in [
        p(
            "occ-title",
            "Occupation coding with transformers",
            "A pilot on job titles.",
            "stat-a",
            "pilot",
            "coding",
            "en",
            "public",
        ),
        p(
            "occ-body",
            "A pilot study of survey answers",
            "We test automatic occupation coding on survey answers.",
            "stat-b",
            "production",
            "coding",
            "es",
            "public",
        ),
        p(
            "eco-fr",
            "Économie sociale et solidaire",
            "Statistiques régionales de l'économie sociale.",
            "stat-a",
            "idea",
            "classification",
            "fr",
            "public",
        ),
        p(
            "census-exact",
            "Census editing",
            "Editing rules for the census.",
            "stat-b",
            "validated",
            "editing",
            "en",
            "public",
        ),
        p(
            "censos-fuzzy",
            "Censos editing",
            "Reglas de edición de los censos.",
            "stat-b",
            "validated",
            "editing",
            "es",
            "public",
        ),
        p(
            "members-a",
            "Members only imputation",
            "Imputation shared with every member.",
            "stat-a",
            "pilot",
            "imputation",
            "en",
            "members",
        ),
        p(
            "private-a",
            "Private imputation at A",
            "Imputation kept inside A.",
            "stat-a",
            "pilot",
            "imputation",
            "en",
            "organisation",
        ),
        p(
            "private-b",
            "Private imputation at B",
            "Imputation kept inside B.",
            "stat-b",
            "pilot",
            "imputation",
            "en",
            "organisation",
        ),
    ] {
        project(db, item).await;
    }
    model(db, json!({"organisation": "stat-a", "name": "coder", "title": "Occupation coder",
                     "summary": "Codes job titles.", "task": "coding", "library_name": "fastText",
                     "license": "mit", "language": ["en"], "visibility": "public", "project": "occ-title"}))
        .await;
}
