//! How the API answers bad requests: body limits, content types, malformed JSON, unknown
//! fields and parameters, unknown routes. Every error has the JSON error body.

mod common;

use agora_hub::Config;
use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_body_over_the_limit_is_413_with_a_json_error(pool: PgPool) {
    let config = Config {
        max_body_bytes: 256,
        ..Config::default()
    };
    let app = app_with(pool.clone(), config);
    let big = with(organisation("insee"), "name", json!("x".repeat(1_000)));
    let reply = post(&app, "/api/v1/organisations", &big).await;
    assert_error(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large", None);
    assert_eq!(count(&pool, "organisations").await, 0);
    // A body under the limit goes through.
    assert_eq!(
        post(&app, "/api/v1/organisations", &organisation("insee"))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_body_that_is_not_json_is_415(pool: PgPool) {
    let app = app(pool.clone());
    let json_text = serde_json::to_string(&organisation("insee")).unwrap();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        None,
    ] {
        let reply = send_bytes(
            &app,
            Method::POST,
            "/api/v1/organisations",
            content_type,
            json_text.clone(),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
        );
    }
    let reply = send_bytes(
        &app,
        Method::PUT,
        "/api/v1/projects/x-y",
        Some("text/yaml"),
        "slug: x-y",
    )
    .await;
    assert_error(
        &reply,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
    );
    assert_eq!(count(&pool, "organisations").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn json_content_types_with_parameters_or_suffixes_are_accepted(pool: PgPool) {
    let app = app(pool);
    for (slug, content_type) in [
        ("one", "application/json; charset=utf-8"),
        ("two", "Application/JSON"),
        ("three", "application/merge-patch+json"),
    ] {
        let body = serde_json::to_string(&organisation(slug)).unwrap();
        let reply = send_bytes(
            &app,
            Method::POST,
            "/api/v1/organisations",
            Some(content_type),
            body,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{content_type}: {}",
            reply.body
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn malformed_json_is_400(pool: PgPool) {
    let app = app(pool.clone());
    for text in [
        r#"{"slug":"insee","#,
        "",
        "{slug: insee}",
        r#"{"slug":"insee","name":"I","kind":"other"} trailing"#,
    ] {
        let reply = send_bytes(
            &app,
            Method::POST,
            "/api/v1/organisations",
            Some("application/json"),
            text,
        )
        .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "malformed", None);
        let message = reply.body["error"]["message"].as_str().unwrap();
        assert!(!message.contains(" at line "), "{message}");
    }
    assert_eq!(count(&pool, "organisations").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_json_body_that_is_not_an_object_is_422(pool: PgPool) {
    let app = app(pool);
    for text in ["[]", "null", "42", r#""insee""#] {
        let reply = send_bytes(
            &app,
            Method::POST,
            "/api/v1/organisations",
            Some("application/json"),
            text,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{text}: {}",
            reply.body
        );
        assert_eq!(reply.body["error"]["code"], "invalid");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn unknown_fields_are_refused_on_every_body(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/organisations", &organisation("insee")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    create(&app, "/api/v1/models", &model_card("insee", "coder")).await;
    let extra = |v| with(v, "extra", json!(true));
    let cases = [
        ("/api/v1/organisations", extra(organisation("scb"))),
        ("/api/v1/workstreams", extra(workstream("ws2", "WS2"))),
        ("/api/v1/memberships", extra(org_membership("ws1", "insee"))),
        ("/api/v1/projects", extra(project("p-x", &["insee"]))),
        (
            "/api/v1/models/insee/coder/versions",
            extra(model_version("1")),
        ),
    ];
    let events = event_count(&pool).await;
    for (uri, body) in cases {
        assert_invalid(&post(&app, uri, &body).await, "extra");
    }
    assert_eq!(event_count(&pool).await, events);
    // A model card is the exception: cards written for the Hugging Face Hub carry keys the
    // hub does not know, and it keeps them and gives them back.
    let reply = post(&app, "/api/v1/models", &extra(model_card("insee", "other"))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["extra"], json!(true));
    let back = get(&app, "/api/v1/models/insee/other").await;
    assert_eq!(back.body["extra"], json!(true));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn unknown_query_parameters_are_refused_on_every_list(pool: PgPool) {
    let app = app(pool);
    for (uri, known) in [
        ("/api/v1/organisations", "per_page=5"),
        ("/api/v1/workstreams", "per_page=5"),
        ("/api/v1/memberships", "per_page=5"),
        ("/api/v1/projects", "per_page=5"),
        ("/api/v1/models", "per_page=5"),
        ("/api/v1/events", "limit=5"),
    ] {
        assert_eq!(
            get(&app, &format!("{uri}?{known}")).await.status,
            StatusCode::OK,
            "{uri}"
        );
        assert_invalid(&get(&app, &format!("{uri}?sort=newest")).await, "sort");
        assert_invalid(
            &get(&app, &format!("{uri}?{known}&sort=newest")).await,
            "sort",
        );
    }
    // The events feed pages with a cursor, not page numbers.
    assert_eq!(
        get(&app, "/api/v1/events?per_page=5").await.status,
        StatusCode::OK
    );
    assert_invalid(&get(&app, "/api/v1/events?page=2").await, "page");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_route_is_404_with_a_json_error(pool: PgPool) {
    let app = app(pool);
    for uri in [
        "/api/v1",
        "/api/v1/nothing",
        "/api/v2/projects",
        "/api/v1/projects/a/b/c",
    ] {
        let reply = get(&app, uri).await;
        assert_not_found(&reply);
    }
    assert_not_found(&post(&app, "/api/v1/nothing", &json!({})).await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_error_never_leaks_as_a_500(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/organisations", &organisation("insee")).await;
    let replies = [
        post(&app, "/api/v1/organisations", &organisation("insee")).await,
        put(&app, "/api/v1/organisations/ghost", &organisation("ghost")).await,
        post(&app, "/api/v1/projects", &project("p-x", &["ghost"])).await,
        get(&app, "/api/v1/projects?per_page=100000000000").await,
        get(&app, "/api/v1/events?before=99999999999999999999").await,
    ];
    for reply in replies {
        assert!(
            reply.status.is_client_error(),
            "{} {}",
            reply.status,
            reply.body
        );
        assert!(reply.body["error"]["code"].is_string(), "{}", reply.body);
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_method_a_route_does_not_answer_is_405_with_a_json_error(pool: PgPool) {
    let app = app(pool.clone());
    let reply = send_bytes(
        &app,
        Method::DELETE,
        "/api/v1/projects",
        None,
        String::new(),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        None,
    );
}
