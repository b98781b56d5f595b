//! Helpers for the sync API tests: the real router over a `sqlx::test` database, two
//! organisations and their agents.

use agora_hub::db::agents;
use agora_hub::{AppState, Config};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tower::ServiceExt;

pub struct Hub {
    pub router: Router,
    pub pool: PgPool,
    /// An administrator's personal token: agents are shown to their organisation's people
    /// and administrators only.
    pub admin: String,
}

impl Hub {
    /// The router over `pool`, with organisations `insee` and `inegi`.
    pub async fn new(pool: PgPool) -> Self {
        sqlx::query(
            "INSERT INTO organisations (slug, name, kind, country) VALUES \
             ('insee', 'INSEE', 'national-statistical-office', 'FR'), \
             ('inegi', 'INEGI', 'national-statistical-office', 'MX')",
        )
        .execute(&pool)
        .await
        .unwrap();
        let router = agora_hub::http::router(AppState::new(pool.clone(), Config::default()));
        let admin_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name) VALUES ('admin@hub.test', 'Administrator') RETURNING id",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO user_roles (user_id, role, source) VALUES ($1, 'admin', 'hub')")
            .bind(admin_id)
            .execute(&pool)
            .await
            .unwrap();
        let (_, admin) = agora_hub::auth::tokens::create(&pool, admin_id, "tests", None)
            .await
            .unwrap();
        Self {
            router,
            pool,
            admin,
        }
    }

    /// Creates an agent and returns its token.
    pub async fn agent(&self, org: &str, name: &str) -> String {
        let mut conn = self.pool.acquire().await.unwrap();
        agents::create(&mut conn, org, name).await.unwrap()
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        protocol: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("user-agent", "agora-agent/9.9.9")
            .header("agora-capabilities", "sync,mlflow");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(p) = protocol {
            req = req.header("agora-protocol", p);
        }
        let body = match body {
            Some(b) => {
                req = req.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, json)
    }

    pub async fn batch(&self, token: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            "POST",
            "/api/v1/agent/sync/batches",
            Some(token),
            Some("1"),
            Some(body),
        )
        .await
    }

    pub async fn complete(
        &self,
        token: &str,
        epoch: &str,
        source: &str,
        keys: &[&str],
    ) -> (StatusCode, Value) {
        self.send(
            "POST",
            &format!("/api/v1/agent/sync/epochs/{epoch}/complete"),
            Some(token),
            Some("1"),
            Some(json!({"source": source, "keys": keys})),
        )
        .await
    }

    /// `GET path` as an administrator.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send("GET", path, Some(&self.admin), None, None).await
    }

    pub async fn events_about(&self, subject: &str) -> Vec<String> {
        sqlx::query_scalar("SELECT kind FROM events WHERE subject = $1 ORDER BY id")
            .bind(subject)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }
}

/// An item with its hash computed over the payload.
pub fn item(key: &str, kind: &str, payload: Value) -> Value {
    let hash = hex::encode(Sha256::digest(payload.to_string().as_bytes()));
    json!({"key": key, "hash": hash, "kind": kind, "payload": payload})
}

pub fn card(org: &str, name: &str, body: &str) -> Value {
    json!({"organisation": org, "name": name, "title": format!("Model {name}"),
           "body": body, "visibility": "public", "task": "coding"})
}

pub fn version(model: &str, v: &str) -> Value {
    json!({"model": model, "version": {"version": v, "stage": "production",
           "results": [{"metric": "accuracy", "value": 0.9, "dataset": "sirene"}]}})
}

pub fn project(slug: &str, orgs: &[&str]) -> Value {
    json!({"slug": slug, "title": format!("Project {slug}"), "summary": "A pilot.",
           "organisations": orgs, "stage": "pilot", "visibility": "public"})
}

pub fn batch(id: &str, source: &str, epoch: &str, items: Vec<Value>) -> Value {
    json!({"batch_id": id, "source": source, "epoch": epoch, "items": items})
}
