//! Protocol versions: an agent that speaks a protocol older or newer than the hub serves
//! is answered 426 with what to upgrade, on every agent route, and nothing it sent is
//! written (not its version, not a batch, not a lease). A current agent's version, from
//! its `User-Agent`, is what `agora-hub agent list` shows.

mod jobs_support;

use agora_hub::db::agents;
use agora_schemas::sync::PROTOCOL_VERSION;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use jobs_support::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// A request as an agent of version `version` speaking `protocol` sends it.
async fn as_agent(
    w: &World,
    protocol: &str,
    version: &str,
    method: Method,
    uri: &str,
    body: Value,
) -> auth::Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {}", w.alpha1))
        .header("agora-protocol", protocol)
        .header(header::USER_AGENT, format!("agora-agent/{version}"))
        .header("agora-capabilities", "sync,mlflow")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    w.app.send(request).await
}

/// What an agent's requests could have written.
async fn written(w: &World) -> (Option<String>, bool, i64, i64, i64) {
    let (version, seen): (Option<String>, bool) = sqlx::query_as(
        "SELECT version, last_seen_at IS NOT NULL FROM agents WHERE name = 'alpha-1'",
    )
    .fetch_one(&w.app.db)
    .await
    .expect("the agent");
    let count = |table: &str| {
        let sql = format!("SELECT count(*) FROM {table}");
        let db = w.app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .fetch_one(&db)
                .await
                .expect("count")
        }
    };
    let leased: i64 = sqlx::query_scalar("SELECT count(*) FROM benchmark_jobs WHERE attempts > 0")
        .fetch_one(&w.app.db)
        .await
        .expect("jobs");
    (
        version,
        seen,
        count("sync_batches").await,
        count("sync_epochs").await,
        leased,
    )
}

fn batch() -> Value {
    let payload = json!({"organisation": "alpha", "name": "from-agent", "title": "From an agent",
                         "body": "A card.", "visibility": "public", "task": "coding"});
    json!({"batch_id": "b-1", "source": "mlflow", "epoch": "e-1",
           "items": [{"key": "k", "hash": "0".repeat(64), "kind": "model_card", "payload": payload}]})
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn old_and_future_agents_are_told_what_to_upgrade_and_nothing_is_written(db: PgPool) {
    let w = world(db).await;
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let before = written(&w).await;
    assert_eq!(before, (None, false, 0, 0, 0));
    let older = agora_hub::http::agent_auth::OLDEST_PROTOCOL - 1;
    let newer = PROTOCOL_VERSION + 1;
    let lease_body = json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 0});
    let routes = [
        (Method::GET, "/api/v1/agent/me".to_string(), json!({})),
        (Method::POST, "/api/v1/agent/sync/batches".into(), batch()),
        (
            Method::POST,
            "/api/v1/agent/sync/epochs/e-1/complete".into(),
            json!({"source": "mlflow", "keys": ["k"]}),
        ),
        (
            Method::POST,
            "/api/v1/agent/jobs/lease".into(),
            lease_body.clone(),
        ),
        (
            Method::PUT,
            "/api/v1/agent/jobs/1".into(),
            json!({"lease_token": "lease_x", "state": "running", "executor": "local"}),
        ),
    ];
    for (protocol, version, upgrade) in [
        (older.to_string(), "0.0.1", "upgrade agora-agent"),
        (newer.to_string(), "9.0.0", "upgrade the hub"),
        ("two".to_string(), "9.0.0", "must be a number"),
        // Digits only, as the API document states it.
        (format!("+{PROTOCOL_VERSION}"), "9.0.0", "must be a number"),
    ] {
        for (method, uri, body) in &routes {
            let got = as_agent(&w, &protocol, version, method.clone(), uri, body.clone()).await;
            assert_eq!(
                got.status,
                StatusCode::UPGRADE_REQUIRED,
                "{method} {uri} with protocol {protocol}: {}",
                got.text
            );
            assert_eq!(
                got.body["error"]["code"], "upgrade_required",
                "{}",
                got.text
            );
            let message = got.body["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(upgrade) && message.contains(&PROTOCOL_VERSION.to_string()),
                "{method} {uri} with protocol {protocol}: {message}"
            );
        }
    }
    assert_eq!(written(&w).await, before, "a refused agent wrote something");

    // The current protocol is served, and the agent's version is recorded and listed.
    let current = PROTOCOL_VERSION.to_string();
    let got = as_agent(
        &w,
        &current,
        "0.4.2",
        Method::POST,
        "/api/v1/agent/jobs/lease",
        lease_body,
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    let after = written(&w).await;
    assert_eq!(
        (after.0.as_deref(), after.1, after.4),
        (Some("0.4.2"), true, 1)
    );
    let mut conn = w.app.db.acquire().await.expect("connection");
    let list = agents::list(&mut conn, Some("alpha"))
        .await
        .expect("the list");
    let table = agora_hub::cli::agent::table(&list);
    let row = table
        .lines()
        .find(|l| l.contains("alpha-1"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("0.4.2"), "{table}");
    assert!(
        table.lines().next().unwrap_or_default().contains("VERSION"),
        "{table}"
    );
}

#[test]
fn the_hub_serves_the_current_and_the_previous_protocol() {
    use agora_hub::http::agent_auth::{OLDEST_PROTOCOL, check_protocol};
    assert_eq!(OLDEST_PROTOCOL, PROTOCOL_VERSION.saturating_sub(1).max(1));
    for v in 0..=PROTOCOL_VERSION + 2 {
        let mut h = axum::http::HeaderMap::new();
        h.insert("agora-protocol", v.to_string().parse().unwrap());
        let served = (OLDEST_PROTOCOL..=PROTOCOL_VERSION).contains(&v);
        assert_eq!(check_protocol(&h).is_ok(), served, "protocol {v}");
    }
}
