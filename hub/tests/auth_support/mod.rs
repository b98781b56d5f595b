//! Shared set-up for the hub's router tests: the real router over a fresh database (from
//! `#[sqlx::test]`), people with roles, sessions and tokens, and a request helper.
#![allow(dead_code)]

pub mod hidden;

use agora_hub::auth::{session, tokens};
use agora_hub::{AppState, Config};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::PgPool;
use tower::ServiceExt;

/// An answer: status, headers, and the body as JSON (or `Value::String` when not JSON).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// All `Set-Cookie` values.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// The value a `Set-Cookie` gives a cookie, if it sets it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies().into_iter().find_map(|c| {
            let first = c.split(';').next()?.to_string();
            let (k, v) = first.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

/// How a test request proves who it is.
#[derive(Debug, Clone, Default)]
pub enum As {
    #[default]
    Anonymous,
    Token(String),
    /// Session cookie value, and the CSRF token to send as `X-CSRF-Token` (if any).
    Session(String, Option<String>),
    Header(String),
}

pub struct TestApp {
    pub router: Router,
    pub db: PgPool,
    pub config: Config,
    pub state: AppState,
}

impl TestApp {
    pub fn new(db: PgPool) -> Self {
        Self::with_config(db, Config::default())
    }

    pub fn with_config(db: PgPool, config: Config) -> Self {
        let state = AppState::new(db.clone(), config.clone());
        let router = agora_hub::http::router(state.clone());
        Self {
            router,
            db,
            config,
            state,
        }
    }

    /// Brings the search index up to date with everything committed so far.
    pub async fn index(&self) {
        self.state
            .search
            .catch_up(&self.db)
            .await
            .expect("the index catches up");
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(text.clone()));
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    /// A JSON request (or none) as someone.
    pub async fn call(&self, method: Method, uri: &str, who: &As, body: Option<Value>) -> Answer {
        let mut b = Request::builder().method(method).uri(uri);
        match who {
            As::Anonymous => {}
            As::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            As::Header(h) => b = b.header(header::AUTHORIZATION, h),
            As::Session(cookie, csrf) => {
                b = b.header(header::COOKIE, format!("agora_session={cookie}"));
                if let Some(csrf) = csrf {
                    b = b.header("x-csrf-token", csrf);
                }
            }
        }
        let request = match body {
            Some(json) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(request.expect("request")).await
    }

    pub async fn get(&self, uri: &str, who: &As) -> Answer {
        self.call(Method::GET, uri, who, None).await
    }

    pub async fn post(&self, uri: &str, who: &As, body: Value) -> Answer {
        self.call(Method::POST, uri, who, Some(body)).await
    }

    pub async fn put(&self, uri: &str, who: &As, body: Value) -> Answer {
        self.call(Method::PUT, uri, who, Some(body)).await
    }

    /// A URL-encoded form post with cookies.
    pub async fn form(&self, uri: &str, cookies: &str, fields: &[(&str, &str)]) -> Answer {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookies)
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// A person in an organisation (none when `org` is empty).
    pub async fn user(&self, email: &str, org: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO users (email, name, organisation_id) \
             VALUES ($1, $1, (SELECT id FROM organisations WHERE slug = $2)) RETURNING id",
        )
        .bind(email)
        .bind(org)
        .fetch_one(&self.db)
        .await
        .expect("user")
    }

    pub async fn grant(&self, user_id: i64, role: &str, org: Option<&str>) {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, organisation_id, source) \
             VALUES ($1, $2, (SELECT id FROM organisations WHERE slug = $3), 'hub')",
        )
        .bind(user_id)
        .bind(role)
        .bind(org)
        .execute(&self.db)
        .await
        .expect("role");
    }

    pub async fn token(&self, user_id: i64) -> As {
        let (_, secret) = tokens::create(&self.db, user_id, "test", None)
            .await
            .expect("token");
        As::Token(secret)
    }

    /// A session for a user: the cookie, with the CSRF header attached.
    pub async fn session(&self, user_id: i64) -> As {
        let s = session::create(&self.db, &self.config, user_id, "test")
            .await
            .expect("session");
        As::Session(s.cookie_value, Some(s.csrf_token))
    }

    /// An administrator's token (the user is made on first call).
    pub async fn admin(&self) -> As {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'root@hub.test'")
                .fetch_optional(&self.db)
                .await
                .expect("admin lookup");
        let id = match id {
            Some(id) => id,
            None => {
                let id = self.user("root@hub.test", "").await;
                self.grant(id, "admin", None).await;
                id
            }
        };
        self.token(id).await
    }

    /// Creates an item as administrator and checks it was created.
    pub async fn create(&self, uri: &str, body: Value) -> Value {
        let admin = self.admin().await;
        let answer = self.post(uri, &admin, body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{uri}: {}", answer.text);
        answer.body
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(&self.db)
            .await
            .expect("count")
    }
}

pub fn organisation(slug: &str) -> Value {
    json!({"slug": slug, "name": format!("Office {slug}"), "kind": "national-statistical-office", "country": "FR"})
}

pub fn project(slug: &str, orgs: &[&str], visibility: &str) -> Value {
    json!({"slug": slug, "title": format!("Project {slug}"), "summary": "A pilot.",
           "organisations": orgs, "stage": "pilot", "task": "coding", "visibility": visibility})
}

pub fn model(org: &str, name: &str, project: Option<&str>, visibility: &str) -> Value {
    json!({"organisation": org, "name": name, "title": format!("Model {name}"),
           "project": project, "task": "coding", "library_name": "fasttext", "visibility": visibility})
}

/// A QF4SA assessment body with every dimension at `level`.
pub fn qf4sa(subject: Value, level: u8) -> Value {
    let dim = json!({"level": level, "evidence": format!("evidence for level {level}")});
    json!({"subject": subject, "content": {"qf4sa": {
        "explainability": dim, "accuracy": dim, "reproducibility": dim,
        "timeliness": dim, "cost_effectiveness": dim}}})
}
