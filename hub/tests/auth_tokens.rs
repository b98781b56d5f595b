//! Personal API tokens: made, listed, used, revoked; agent tokens kept off user routes.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::{Method, StatusCode};
use common::{As, TestApp, organisation, project};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn tokens_are_shown_once_stored_hashed_and_listed_by_prefix(db: PgPool) {
    let app = TestApp::new(db);
    let id = app.user("alice@example.org", "").await;
    let session = app.session(id).await;

    let made = app
        .post(
            "/api/v1/tokens",
            &session,
            json!({"name": "nightly sync", "expires_in_days": 30}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let secret = made.body["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("agp_") && secret.len() == 47, "{secret}");
    assert!(secret.starts_with(made.body["prefix"].as_str().unwrap()));
    assert!(made.body["expires_at"].is_string());

    // Nothing in the database holds the secret.
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT concat_ws(' ', name, prefix, encode(token_hash, 'hex')) FROM api_tokens",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(stored.iter().all(|row| !row.contains(&secret)));

    let with_token = As::Token(secret.clone());
    let me = app.get("/api/v1/me", &with_token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["credential"], "token");
    assert_eq!(me.body["user"]["email"], "alice@example.org");
    assert!(me.body.get("csrf_token").is_none());

    let list = app.get("/api/v1/tokens", &session).await;
    assert_eq!(list.status, StatusCode::OK);
    let item = &list.body["items"][0];
    assert_eq!(item["name"], "nightly sync");
    assert!(item["last_used_at"].is_string(), "use is noted: {item}");
    assert!(!list.text.contains(&secret));

    let invalid = app
        .post("/api/v1/tokens", &session, json!({"name": " "}))
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.body["error"]["field"], "name");
    let anonymous = app
        .post("/api/v1/tokens", &As::Anonymous, json!({"name": "x"}))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/tokens", &As::Anonymous).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_revoked_token_is_refused_and_changes_nothing(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let id = app.user("alice@insee.fr", "insee").await;
    let As::Token(secret) = app.token(id).await else {
        unreachable!()
    };
    let token = As::Token(secret.clone());
    let body = project("insee-pilot", &["insee"], "public");
    assert_eq!(
        app.post("/api/v1/projects", &token, body.clone())
            .await
            .status,
        StatusCode::CREATED
    );

    let token_id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE user_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Someone else cannot revoke it.
    let other = app.user("bruno@example.org", "").await;
    let other = app.token(other).await;
    let uri = format!("/api/v1/tokens/{token_id}");
    assert_eq!(
        app.call(Method::DELETE, &uri, &other, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);

    assert_eq!(
        app.call(Method::DELETE, &uri, &token, None).await.status,
        StatusCode::NO_CONTENT
    );
    let (projects, events) = (app.count("projects").await, app.count("events").await);
    let mut changed = body.clone();
    changed["title"] = json!("Changed");
    let refused = app
        .put("/api/v1/projects/insee-pilot", &token, changed)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body["error"]["code"], "unauthorized");
    assert_eq!(
        app.get("/api/v1/projects", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        (app.count("projects").await, app.count("events").await),
        (projects, events)
    );
    let title: String = sqlx::query_scalar("SELECT title FROM projects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(title, "Project insee-pilot");

    // Expired tokens are refused the same way.
    let (_, expiring) = agora_hub::auth::tokens::create(&app.db, id, "short", Some(1))
        .await
        .unwrap();
    sqlx::query(
        "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'short'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(
        app.get("/api/v1/me", &As::Token(expiring)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agent_and_unknown_tokens_are_refused_on_user_routes(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let (projects, events) = (app.count("projects").await, app.count("events").await);
    let body = project("insee-pilot", &["insee"], "public");

    let agent = As::Token("agt_3fK9xQ2aZ1pLmN0bVcXz8sDfGhJkLqWeRtYuIoP".into());
    let refused = app.post("/api/v1/projects", &agent, body.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("agent")
    );
    assert_eq!(
        app.get("/api/v1/me", &agent).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/tokens", &agent).await.status,
        StatusCode::FORBIDDEN
    );

    for bad in [
        As::Token("agp_unknownunknownunknownunknownunknownunkno".into()),
        As::Token("ghp_somebodyelses".into()),
        As::Header("Basic YWxpY2U6cGFzcw==".into()),
        As::Header("Bearer".into()),
    ] {
        let answer = app.post("/api/v1/projects", &bad, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{bad:?}: {}",
            answer.text
        );
        assert!(answer.headers.contains_key("www-authenticate"));
    }
    assert_eq!(
        (app.count("projects").await, app.count("events").await),
        (projects, events)
    );
}
