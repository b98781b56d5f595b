//! `/healthz` (the process answers) and `/readyz` (the database answers).

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn healthz_answers_200(pool: PgPool) {
    let reply = get(&app(pool), "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({ "status": "ok" }));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn readyz_answers_200_with_a_live_database(pool: PgPool) {
    let reply = get(&app(pool), "/readyz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({ "status": "ok", "database": "ok" }));
}

/// A pool pointed at a port where nothing listens.
fn unreachable_pool() -> PgPool {
    PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(1))
        .connect_lazy("postgres://postgres@127.0.0.1:1/x")
        .expect("a lazy pool")
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_unreachable() {
    let reply = get(&app(unreachable_pool()), "/readyz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        reply.body,
        json!({ "status": "unavailable", "database": "unreachable" })
    );
}

#[tokio::test]
async fn healthz_answers_200_while_the_database_is_unreachable() {
    let reply = get(&app(unreachable_pool()), "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn an_api_call_without_a_database_is_503_and_hides_its_cause() {
    let reply = get(&app(unreachable_pool()), "/api/v1/projects").await;
    assert_error(&reply, StatusCode::SERVICE_UNAVAILABLE, "unavailable", None);
    let message = reply.body["error"]["message"].as_str().unwrap();
    assert!(!message.contains("127.0.0.1"), "{message}");
}
