//! Pages whose lists grow with one item's or one person's history show them a page at a
//! time: a model's versions on its page, a person's tokens on the account page.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{As, TestApp, model, organisation};
use serde_json::json;
use sqlx::PgPool;

/// Rows of the first table of a page section, counted by their header cell.
fn version_rows(text: &str) -> Vec<String> {
    let section = text
        .split(r#"id="versions-heading""#)
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_default();
    section
        .split(r#"<tr><th scope="row">"#)
        .skip(1)
        .map(|row| row.split('<').next().unwrap_or_default().to_string())
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_model_page_shows_its_versions_a_page_at_a_time(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    app.create("/api/v1/models", model("insee", "coder", None, "public"))
        .await;
    for v in 1..=45 {
        app.create(
            "/api/v1/models/insee/coder/versions",
            json!({"version": v.to_string(),
                   "registered_at": format!("2026-01-01T00:{v:02}:00Z")}),
        )
        .await;
    }

    let first = app.get("/models/insee/coder", &As::Anonymous).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let newest: Vec<String> = (26..=45).rev().map(|v| v.to_string()).collect();
    assert_eq!(version_rows(&first.text), newest);
    assert!(
        first
            .text
            .contains(r#"<a href="/models/insee/coder?page=2" rel="next">"#),
        "{}",
        first.text
    );

    let last = app.get("/models/insee/coder?page=3", &As::Anonymous).await;
    assert_eq!(last.status, StatusCode::OK);
    let oldest: Vec<String> = (1..=5).rev().map(|v| v.to_string()).collect();
    assert_eq!(version_rows(&last.text), oldest);
    assert!(
        last.text
            .contains(r#"href="/models/insee/coder?page=2" rel="prev""#)
    );
    assert!(!last.text.contains(r#"rel="next""#));

    for bad in ["page=0", "page=x"] {
        let answer = app
            .get(&format!("/models/insee/coder?{bad}"), &As::Anonymous)
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_account_page_shows_tokens_a_page_at_a_time(db: PgPool) {
    let app = TestApp::new(db);
    let id = app.user("alice@example.org", "").await;
    for n in 1..=23 {
        agora_hub::auth::tokens::create(&app.db, id, &format!("token-{n:02}"), None)
            .await
            .expect("a token");
    }
    let session = app.session(id).await;
    let token_names = |text: &str| {
        text.split("<td>")
            .skip(1)
            .filter_map(|cell| cell.split("</td>").next())
            .filter(|cell| cell.starts_with("token-"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };

    let first = app.get("/account", &session).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let names = token_names(&first.text);
    assert_eq!(names.len(), 20, "{names:?}");
    assert_eq!(names[0], "token-23");
    assert!(
        first
            .text
            .contains(r#"<a href="/account?page=2" rel="next">"#)
    );

    let second = app.get("/account?page=2", &session).await;
    assert_eq!(
        token_names(&second.text),
        ["token-03", "token-02", "token-01"]
    );
    assert_eq!(
        app.get("/account?page=0", &session).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
