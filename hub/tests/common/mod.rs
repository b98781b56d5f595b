//! Shared helpers of the hub's integration tests: the real router over a test database
//! (made by `#[sqlx::test]`), requests with JSON bodies, answers read back as JSON, and a
//! minimal valid body for each resource.
//!
//! Every test file includes this module and uses part of it.
#![allow(dead_code)]

use std::sync::Arc;

use agora_hub::auth::tokens;
use agora_hub::{AppState, Config};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::middleware::Next;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, PgPool};
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// The complete application with default settings.
pub fn app(pool: PgPool) -> Router {
    app_with(pool, Config::default())
}

/// The complete application with the given settings.
///
/// These tests are about the resources, not about who may change them: a write sent
/// without credentials goes as a hub administrator (made on first use), while reads stay
/// anonymous so that visibility is checked as a visitor sees it. A request that carries
/// its own `Authorization` header, or `x-test-anonymous`, is sent as it is.
pub fn app_with(pool: PgPool, config: Config) -> Router {
    let admin_token: Arc<OnceCell<String>> = Arc::default();
    agora_hub::http::router(AppState::new(pool.clone(), config)).layer(axum::middleware::from_fn(
        move |mut request: Request<Body>, next: Next| {
            let (pool, admin_token) = (pool.clone(), admin_token.clone());
            async move {
                let headers = request.headers();
                let write = !matches!(*request.method(), Method::GET | Method::HEAD);
                if write
                    && !headers.contains_key(header::AUTHORIZATION)
                    && !headers.contains_key("x-test-anonymous")
                {
                    let token = admin_token.get_or_init(|| admin(&pool)).await;
                    let value = format!("Bearer {token}").parse().expect("header value");
                    request.headers_mut().insert(header::AUTHORIZATION, value);
                }
                next.run(request).await
            }
        },
    ))
}

/// A hub administrator's personal API token.
async fn admin(pool: &PgPool) -> String {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name) VALUES ('admin@hub.test', 'Test administrator') \
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("administrator");
    sqlx::query("INSERT INTO user_roles (user_id, role, source) VALUES ($1, 'admin', 'hub') ON CONFLICT DO NOTHING")
        .bind(id)
        .execute(pool)
        .await
        .expect("administrator role");
    tokens::create(pool, id, "tests", None)
        .await
        .expect("token")
        .1
}

/// An answer of the hub: status, headers and the body read as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `Location` header, which must be present.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .expect("a Location header")
            .to_str()
            .expect("an ASCII Location")
    }

    /// The `error.field` of an error answer, if any.
    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }

    /// `items[*][key]` of a list answer, as strings.
    pub fn items(&self, key: &str) -> Vec<String> {
        item_values(&self.body, key)
    }
}

/// `items[*][key]` of a list body, as strings.
pub fn item_values(body: &Value, key: &str) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list body with `items`, got {body}"))
        .iter()
        .map(|item| match &item[key] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Sends a prepared request through the router and reads the answer.
pub async fn send_request(app: &Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("the body can be read")
        .to_bytes();
    // Answers that say they are not JSON (the Turtle catalogue) are kept as text.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.contains("json"));
    let body = if bytes.is_empty() {
        Value::Null
    } else if !json {
        Value::String(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{status}: the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// Sends `body` (if any) as `application/json`.
pub async fn send(app: &Router, method: Method, uri: &str, body: Option<&Value>) -> Reply {
    let builder = Request::builder().method(method).uri(uri);
    let request = match body {
        Some(json) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(json).expect("serialisable"))),
        None => builder.body(Body::empty()),
    }
    .expect("a well-formed request");
    send_request(app, request).await
}

/// Sends raw bytes with the given content type (or none).
pub async fn send_bytes(
    app: &Router,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    send_request(
        app,
        builder.body(body.into()).expect("a well-formed request"),
    )
    .await
}

/// `GET` as the holder of a personal API token.
pub async fn get_as(app: &Router, uri: &str, token: &str) -> Reply {
    let request = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("a well-formed request");
    send_request(app, request).await
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Method::GET, uri, None).await
}

pub async fn post(app: &Router, uri: &str, body: &Value) -> Reply {
    send(app, Method::POST, uri, Some(body)).await
}

pub async fn put(app: &Router, uri: &str, body: &Value) -> Reply {
    send(app, Method::PUT, uri, Some(body)).await
}

pub async fn delete(app: &Router, uri: &str) -> Reply {
    send(app, Method::DELETE, uri, None).await
}

/// POSTs `body` and insists on 201 Created.
pub async fn create(app: &Router, uri: &str, body: &Value) -> Reply {
    let reply = post(app, uri, body).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "POST {uri} {body}: {}",
        reply.body
    );
    reply
}

/// Checks an error answer: status, `{"error":{"code","message","field"}}`, JSON content type.
#[track_caller]
pub fn assert_error(reply: &Reply, status: StatusCode, code: &str, field: Option<&str>) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let content_type = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "content type {content_type:?}"
    );
    let error = reply.body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("an `error` object, got {}", reply.body));
    assert_eq!(
        reply.body.as_object().map(|o| o.len()),
        Some(1),
        "{}",
        reply.body
    );
    assert_eq!(
        error.get("code").and_then(Value::as_str),
        Some(code),
        "{}",
        reply.body
    );
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(!message.is_empty(), "an error message, got {}", reply.body);
    assert_eq!(
        error.get("field").and_then(Value::as_str),
        field,
        "{}",
        reply.body
    );
    let allowed = ["code", "message", "field"];
    assert!(
        error.keys().all(|k| allowed.contains(&k.as_str())),
        "{}",
        reply.body
    );
}

/// Checks a 422 naming `field`.
#[track_caller]
pub fn assert_invalid(reply: &Reply, field: &str) {
    assert_error(
        reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some(field),
    );
}

/// Checks a 404 with the JSON error body.
#[track_caller]
pub fn assert_not_found(reply: &Reply) {
    assert_error(reply, StatusCode::NOT_FOUND, "not_found", None);
}

/// Checks a 409 naming `field`.
#[track_caller]
pub fn assert_conflict(reply: &Reply, field: &str) {
    assert_error(reply, StatusCode::CONFLICT, "conflict", Some(field));
}

/// `value` with `key` set (or replaced) to `to`.
pub fn with(mut value: Value, key: &str, to: Value) -> Value {
    value
        .as_object_mut()
        .expect("an object body")
        .insert(key.to_string(), to);
    value
}

/// `value` without `key`.
pub fn without(mut value: Value, key: &str) -> Value {
    value.as_object_mut().expect("an object body").remove(key);
    value
}

// --- Minimal valid bodies ---------------------------------------------------------------

/// An organisation with only the required fields (kind `other` needs no country).
pub fn organisation(slug: &str) -> Value {
    json!({ "slug": slug, "name": format!("Organisation {slug}"), "kind": "other" })
}

/// A workstream with only the required fields (public, active by default).
pub fn workstream(slug: &str, code: &str) -> Value {
    json!({ "slug": slug, "code": code, "title": format!("Workstream {code}"), "goal": "Work together." })
}

/// An organisation's membership of a workstream (role `member` by default).
pub fn org_membership(workstream: &str, organisation: &str) -> Value {
    json!({ "workstream": workstream, "organisation": organisation })
}

/// A person's membership of a workstream.
pub fn user_membership(workstream: &str, email: &str, role: &str) -> Value {
    json!({ "workstream": workstream, "user": email, "role": role })
}

/// A project with the required fields, made `public` so the anonymous caller reads it
/// (a project is visible to its organisations only by default).
pub fn project(slug: &str, organisations: &[&str]) -> Value {
    json!({
        "slug": slug,
        "title": format!("Project {slug}"),
        "summary": "Codes free-text answers.",
        "organisations": organisations,
        "stage": "pilot",
        "visibility": "public",
    })
}

/// A model card with the required fields, made `public`.
pub fn model_card(organisation: &str, name: &str) -> Value {
    json!({ "organisation": organisation, "name": name, "visibility": "public" })
}

/// A model version with one evaluation result.
pub fn model_version(version: &str) -> Value {
    json!({
        "version": version,
        "results": [{ "metric": "accuracy", "value": 0.9, "dataset": "holdout-2025", "split": "test" }],
    })
}

// --- Database helpers ------------------------------------------------------------------

/// Rows in `table` (one of the schema's own tables).
pub async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(pool)
        .await
        .expect("a count")
}

/// Rows in the event log.
pub async fn event_count(pool: &PgPool) -> i64 {
    count(pool, "events").await
}

/// `(kind, subject)` of every event, oldest first.
pub async fn event_kinds(pool: &PgPool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT kind, subject FROM events ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("events")
}

/// `(kind, subject)` of the newest event.
pub async fn last_event(pool: &PgPool) -> (String, String) {
    sqlx::query_as("SELECT kind, subject FROM events ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .expect("an event")
}

/// Adds a person directly in the database (people arrive by sign-in, not through the API).
pub async fn add_user(pool: &PgPool, email: &str, name: &str, organisation: &str) {
    let mut conn = pool.acquire().await.expect("a connection");
    agora_hub::db::users::upsert(&mut conn, email, name, Some(organisation))
        .await
        .expect("the user is saved");
}

/// A personal API token of a person, who is added to `organisation` first.
pub async fn member_token(pool: &PgPool, email: &str, organisation: &str) -> String {
    add_user(pool, email, "Someone", organisation).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .expect("the person");
    tokens::create(pool, id, "test", None)
        .await
        .expect("a token")
        .1
}
