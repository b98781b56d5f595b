//! A stand-in for the hub's job protocol (lease, report, log), to drive the real
//! `agora-agent run` and see what it sends. The hub's real implementation is exercised by
//! the end-to-end tests in `tests/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use serde_json::{Value, json};

#[derive(Default)]
pub struct Inner {
    pub queue: VecDeque<Value>,
    pub leases: usize,
    pub reports: Vec<(i64, Value)>,
    pub logs: BTreeMap<i64, Vec<u8>>,
    pub cancel: BTreeSet<i64>,
    pub lost: BTreeSet<i64>,
    /// Every request's path with its `Agora-Protocol` and `User-Agent` headers.
    pub seen: Vec<(String, Option<String>, Option<String>)>,
}

#[derive(Clone, Default)]
pub struct FakeHub(pub Arc<Mutex<Inner>>);

/// A lease of job `id` running `command`, with the dataset `census`.
pub fn lease(id: i64, command: &[&str]) -> Value {
    json!({
        "job_id": id, "run_id": 1, "attempt": 1, "lease_token": format!("tok-{id}"),
        "lease_deadline": "2030-01-01T00:00:00Z", "heartbeat_interval_seconds": 1,
        "benchmark": {
            "slug": "census-coding", "task": "coding",
            "metrics": [{"name": "accuracy", "direction": "maximize"}],
            "primary_metric": "accuracy", "command": command,
            "resources": {"cpus": 1, "memory_mb": 100, "gpus": 0, "time_limit_seconds": 600}
        },
        "dataset": "census",
        "model": {"organisation": "insee", "name": "naf-coder", "version": "3"},
        "parameters": {}
    })
}

impl FakeHub {
    pub fn push(&self, lease: Value) {
        self.0.lock().unwrap().queue.push_back(lease);
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }

    /// The states reported for a job, in order.
    pub fn states(&self, job: i64) -> Vec<String> {
        self.with(|i| {
            i.reports
                .iter()
                .filter(|(j, _)| *j == job)
                .map(|(_, r)| r["state"].as_str().unwrap_or_default().to_string())
                .collect()
        })
    }

    /// The last report of a job.
    pub fn last(&self, job: i64) -> Option<Value> {
        self.with(|i| {
            i.reports
                .iter()
                .rev()
                .find(|(j, _)| *j == job)
                .map(|(_, r)| r.clone())
        })
    }

    pub async fn serve(&self) -> String {
        let app = axum::Router::new()
            .route("/api/v1/agent/jobs/lease", post(lease_handler))
            .route("/api/v1/agent/jobs/{id}", put(report_handler))
            .route("/api/v1/agent/jobs/{id}/log", put(log_handler))
            .layer(axum::middleware::from_fn_with_state(self.clone(), record))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}")
    }
}

/// Notes what every request says about the agent.
async fn record(
    State(hub): State<FakeHub>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let entry = {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        (
            request.uri().path().to_string(),
            header("agora-protocol"),
            header("user-agent"),
        )
    };
    hub.with(|i| i.seen.push(entry));
    next.run(request).await
}

async fn lease_handler(State(hub): State<FakeHub>, Json(body): Json<Value>) -> Response {
    assert!(
        body["capabilities"]["executors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    for _ in 0..10 {
        let next = hub.with(|i| {
            let next = i.queue.pop_front();
            if next.is_some() {
                i.leases += 1;
            }
            next
        });
        if let Some(lease) = next {
            return Json(lease).into_response();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn report_handler(
    State(hub): State<FakeHub>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    hub.with(|i| {
        i.reports.push((id, body));
        if i.lost.contains(&id) {
            return (
                StatusCode::CONFLICT,
                Json(json!({"error": {"code": "lease_lost", "message": "the lease is gone"}})),
            )
                .into_response();
        }
        Json(json!({
            "cancel": i.cancel.contains(&id),
            "lease_deadline": "2030-01-01T00:00:00Z",
            "heartbeat_interval_seconds": 1
        }))
        .into_response()
    })
}

async fn log_handler(
    State(hub): State<FakeHub>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, u64>>,
    body: Bytes,
) -> Response {
    hub.with(|i| {
        let log = i.logs.entry(id).or_default();
        let offset = q.get("offset").copied().unwrap_or(0);
        if offset != log.len() as u64 {
            return (
                StatusCode::CONFLICT,
                Json(json!({"error": {"code": "offset", "message": "wrong offset", "field": "offset"}, "expected_offset": log.len()})),
            )
                .into_response();
        }
        log.extend_from_slice(&body);
        Json(json!({"next_offset": log.len()})).into_response()
    })
}
