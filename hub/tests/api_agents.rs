//! `GET /api/v1/agents`: a page at a time, and only the agents of the caller's own
//! organisations (all for administrators), in the items and in the total.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use sqlx::PgPool;

async fn agents_as(app: &axum::Router, token: &str, query: &str) -> Reply {
    let request = Request::get(format!("/api/v1/agents{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    send_request(app, request).await
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agents_come_a_page_at_a_time_and_only_the_callers_own(pool: PgPool) {
    let app = app(pool.clone());
    for org in ["insee", "scb"] {
        create(&app, "/api/v1/organisations", &organisation(org)).await;
    }
    let mut conn = pool.acquire().await.unwrap();
    for (org, name) in [
        ("insee", "paris-1"),
        ("insee", "paris-2"),
        ("insee", "lyon-1"),
        ("scb", "solna-1"),
    ] {
        agora_hub::db::agents::create(&mut conn, org, name)
            .await
            .unwrap();
    }
    drop(conn);

    let member = member_token(&pool, "ana@insee.test", "insee").await;
    let first = agents_as(&app, &member, "?per_page=2").await;
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    assert_eq!(first.items("name"), ["lyon-1", "paris-1"]);
    assert_eq!(
        first.body["total"], 3,
        "another organisation's agent is not counted"
    );
    let second = agents_as(&app, &member, "?per_page=2&page=2").await;
    assert_eq!(second.items("name"), ["paris-2"]);
    let elsewhere = agents_as(&app, &member, "?organisation=scb").await;
    assert_eq!(elsewhere.body["total"], 0);
    assert!(elsewhere.items("name").is_empty());
    assert_invalid(&agents_as(&app, &member, "?per_page=101").await, "per_page");

    let anonymous = get(&app, "/api/v1/agents").await;
    assert_eq!(anonymous.body["total"], 0, "{anonymous:?}");
}
