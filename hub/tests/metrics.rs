//! `/metrics` as Prometheus reads it: requests timed under their route template, the job
//! queue's depth and lease expiries, and the search index's lag, after real traffic.
//!
//! The registry is the process's, so this file holds one test: nothing else counts here.

mod jobs_support;

use agora_hub::jobs::reaper::reap_once;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jobs_support::auth::As;
use jobs_support::*;
use sqlx::PgPool;
use tower::ServiceExt;

/// The value of one series (`name{labels}`) in an exposition, if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn scrape(w: &World) -> String {
    let response = agora_hub::http::metrics::router(w.app.state.clone())
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn metrics_follow_requests_the_queue_and_the_index(db: PgPool) {
    let w = world(db).await;
    // The index has not read the world's events yet: they are its lag.
    let before = scrape(&w).await;
    assert!(
        value(&before, "agora_search_index_lag_events").unwrap() > 0.0,
        "{before}"
    );
    w.app.index().await;
    let caught_up = scrape(&w).await;
    assert_eq!(
        value(&caught_up, "agora_search_index_lag_events"),
        Some(0.0)
    );
    assert_eq!(
        value(&caught_up, "agora_search_index_lag_seconds"),
        Some(0.0)
    );
    assert!(value(&caught_up, "agora_search_index_documents").unwrap() > 0.0);

    // A queued job, then leased, then its lease expires and the reaper queues it again.
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let text = scrape(&w).await;
    assert_eq!(value(&text, "agora_jobs{state=\"queued\"}"), Some(1.0));
    assert_eq!(value(&text, "agora_jobs{state=\"leased\"}"), Some(0.0));
    let lease = lease_one(&w.app, &w.alpha1).await;
    let text = scrape(&w).await;
    assert_eq!(value(&text, "agora_jobs{state=\"queued\"}"), Some(0.0));
    assert_eq!(value(&text, "agora_jobs{state=\"leased\"}"), Some(1.0));
    expire_lease(&w.app, lease["job_id"].as_i64().unwrap()).await;
    let reaped = reap_once(&w.app.db, 3600).await.unwrap();
    assert_eq!(reaped.requeued, 1);
    let text = scrape(&w).await;
    assert_eq!(
        value(
            &text,
            "agora_job_lease_expiries_total{outcome=\"requeued\"}"
        ),
        Some(1.0)
    );
    assert_eq!(value(&text, "agora_jobs{state=\"queued\"}"), Some(1.0));

    // Requests are timed under their route template, never their raw path.
    let missing = w
        .app
        .get("/api/v1/projects/no-such-project", &As::Anonymous)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    w.app.get("/no/such/page", &As::Anonymous).await;
    let text = scrape(&w).await;
    let project = "agora_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/projects/{slug}\",status=\"4xx\"}";
    assert_eq!(value(&text, project), Some(1.0), "{text}");
    let unmatched = "agora_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"}";
    assert_eq!(value(&text, unmatched), Some(1.0), "{text}");
    let lease_route = "agora_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/agent/jobs/lease\",status=\"2xx\"}";
    assert_eq!(value(&text, lease_route), Some(1.0), "{text}");
    assert!(!text.contains("no-such-project"), "{text}");
    assert!(
        text.contains("agora_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/projects/{slug}\",status=\"4xx\",le=\"+Inf\"} 1"),
        "{text}"
    );
}
