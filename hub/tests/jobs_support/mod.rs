//! Set-up for the benchmark and job tests: two offices with agents, a public model, a
//! benchmark both take part in, and requests as an agent speaks them.
#![allow(dead_code)]

#[path = "../auth_support/mod.rs"]
pub mod auth;

use agora_hub::Config;
use auth::{Answer, As, TestApp, organisation};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;

pub struct World {
    pub app: TestApp,
    /// Agent tokens: two at alpha, one at beta.
    pub alpha1: String,
    pub alpha2: String,
    pub beta: String,
}

pub fn benchmark(slug: &str, orgs: &[&str], visibility: &str) -> Value {
    let participants: Vec<Value> = orgs
        .iter()
        .map(|o| json!({"organisation": o, "dataset": format!("{o}-labelled-2024")}))
        .collect();
    json!({
        "slug": slug, "title": format!("Benchmark {slug}"), "description": "Code activities.",
        "task": "coding",
        "metrics": [{"name": "accuracy", "direction": "maximize"},
                    {"name": "latency_ms", "direction": "minimize"}],
        "primary_metric": "accuracy",
        "command": ["python", "evaluate.py", "--data", "{dataset}", "--model", "{model_uri}", "--out", "{output}"],
        "resources": {"cpus": 2, "memory_mb": 4096, "time_limit_seconds": 600},
        "participants": participants,
        "visibility": visibility
    })
}

/// Settings for tests: short waits.
pub fn config() -> Config {
    Config {
        job_max_wait_seconds: 30,
        job_max_attempts: 2,
        ..Config::default()
    }
}

pub async fn world(db: PgPool) -> World {
    world_with(db, config()).await
}

pub async fn world_with(db: PgPool, config: Config) -> World {
    let app = TestApp::with_config(db, config);
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/models",
        json!({"organisation": "alpha", "name": "coder", "visibility": "public"}),
    )
    .await;
    for v in ["1", "2"] {
        app.create(
            "/api/v1/models/alpha/coder/versions",
            json!({"version": v, "artifact_uri": format!("s3://models/coder/{v}")}),
        )
        .await;
    }
    app.create(
        "/api/v1/models",
        json!({"organisation": "beta", "name": "rival", "visibility": "public"}),
    )
    .await;
    app.create(
        "/api/v1/models/beta/rival/versions",
        json!({"version": "1"}),
    )
    .await;
    app.create(
        "/api/v1/benchmarks",
        benchmark("nace", &["alpha", "beta"], "public"),
    )
    .await;
    let mut conn = app.db.acquire().await.expect("connection");
    let mut tokens = Vec::new();
    for (org, name) in [
        ("alpha", "alpha-1"),
        ("alpha", "alpha-2"),
        ("beta", "beta-1"),
    ] {
        tokens.push(
            agora_hub::db::agents::create(&mut conn, org, name)
                .await
                .expect("agent"),
        );
    }
    drop(conn);
    let [alpha1, alpha2, beta] = <[String; 3]>::try_from(tokens).expect("three agents");
    World {
        app,
        alpha1,
        alpha2,
        beta,
    }
}

/// A request as an agent sends it.
pub async fn agent_call(
    app: &TestApp,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> Answer {
    let b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("agora-protocol", "1")
        .header(header::USER_AGENT, "agora-agent/0.1.0");
    let request = match body {
        Some(json) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string())),
        None => b.body(Body::empty()),
    };
    app.send(request.expect("request")).await
}

pub async fn lease(app: &TestApp, token: &str, wait: u32) -> Answer {
    agent_call(
        app,
        Method::POST,
        "/api/v1/agent/jobs/lease",
        token,
        Some(json!({"capabilities": {"executors": ["local", "slurm"]}, "wait_seconds": wait})),
    )
    .await
}

/// Leases and insists on getting a job.
pub async fn lease_one(app: &TestApp, token: &str) -> Value {
    let answer = lease(app, token, 0).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

pub async fn report(app: &TestApp, token: &str, job: i64, body: Value) -> Answer {
    agent_call(
        app,
        Method::PUT,
        &format!("/api/v1/agent/jobs/{job}"),
        token,
        Some(body),
    )
    .await
}

pub fn running(lease_token: &str) -> Value {
    json!({"lease_token": lease_token, "state": "running", "executor": "slurm", "external_id": "4242"})
}

pub fn succeeded(lease_token: &str, accuracy: f64) -> Value {
    json!({"lease_token": lease_token, "state": "succeeded", "executor": "slurm",
           "external_id": "4242",
           "hardware": {"cpus": 2, "memory_mb": 4096, "gpus": 1, "gpu_type": "a100", "node": "gpu-07"},
           "metrics": {"accuracy": accuracy, "latency_ms": 12.5}})
}

/// Starts a run as administrator.
pub async fn start_run(app: &TestApp, benchmark: &str, body: Value) -> Value {
    app.create(&format!("/api/v1/benchmarks/{benchmark}/runs"), body)
        .await
}

pub fn run_of(model: &str, version: &str, orgs: &[&str]) -> Value {
    let (org, name) = model.split_once('/').expect("org/name");
    json!({"model": {"organisation": org, "name": name, "version": version}, "organisations": orgs})
}

/// Moves a job's lease deadline into the past, as if the agent had stopped reporting.
pub async fn expire_lease(app: &TestApp, job: i64) {
    sqlx::query(
        "UPDATE benchmark_jobs SET lease_deadline = now() - interval '1 second' WHERE id = $1",
    )
    .bind(job)
    .execute(&app.db)
    .await
    .expect("expire");
}

pub fn as_admin(app: &TestApp) -> impl std::future::Future<Output = As> + '_ {
    app.admin()
}

/// Another handle on the same application, for concurrent requests.
pub fn handle(app: &TestApp) -> TestApp {
    TestApp {
        router: app.router.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
        state: app.state.clone(),
    }
}
