//! `GET /api/v1/models/{organisation}/{name}/results`: a model's results from its card's
//! `model-index`, its registered versions and benchmark runs, in one shape with where each
//! comes from; a page at a time, filtered by source and metric, and benchmark results only
//! from benchmarks the caller may see.

mod jobs_support;

use axum::http::StatusCode;
use jobs_support::auth::As;
use jobs_support::*;
use serde_json::{Value, json};
use sqlx::PgPool;

const RESULTS: &str = "/api/v1/models/alpha/coder/results";

/// `alpha/coder` with a `model-index` of two metrics (one written as text), version 2
/// with two registered results, a run of the public benchmark `nace` at alpha and of the
/// organisation-only benchmark `inner` at alpha.
async fn evaluated(w: &World) {
    let card = json!({
        "organisation": "alpha", "name": "coder", "visibility": "public",
        "model-index": [{
            "name": "coder",
            "results": [{
                "task": {"type": "text-classification"},
                "dataset": {"type": "alpha/lfs", "name": "Labour force survey 2024", "split": "test"},
                "metrics": [
                    {"type": "f1", "name": "F1 (weighted)", "value": 0.87, "verified": false},
                    {"type": "accuracy", "value": "91.0 ± 0.5"}
                ],
                "source": {"name": "Evaluation report", "url": "https://alpha.example/report"}
            }]
        }]
    });
    let admin = w.app.admin().await;
    let put = w.app.put("/api/v1/models/alpha/coder", &admin, card).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let version = json!({"version": "2", "artifact_uri": "s3://models/coder/2",
        "results": [{"metric": "f1_weighted", "value": 0.86, "dataset": "lfs-2024", "split": "validation"},
                    {"metric": "accuracy", "value": 0.9, "dataset": "lfs-2024"}]});
    let put = w
        .app
        .put("/api/v1/models/alpha/coder/versions/2", &admin, version)
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    w.app
        .create(
            "/api/v1/benchmarks",
            benchmark("inner", &["alpha"], "organisation"),
        )
        .await;
    for bench in ["nace", "inner"] {
        start_run(&w.app, bench, run_of("alpha/coder", "2", &["alpha"])).await;
        let l = lease_one(&w.app, &w.alpha1).await;
        let job = l["job_id"].as_i64().expect("a job id");
        let done = report(
            &w.app,
            &w.alpha1,
            job,
            succeeded(l["lease_token"].as_str().expect("a token"), 0.8),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    }
}

async fn results(w: &World, query: &str, who: &As) -> Value {
    let answer = w.app.get(&format!("{RESULTS}{query}"), who).await;
    assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.text);
    answer.body
}

fn kinds(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["source"]["kind"].as_str().expect("a kind"),
                e["metric"].as_str().expect("a metric")
            )
        })
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_models_results_come_in_one_shape_with_their_source(db: PgPool) {
    let w = world(db).await;
    evaluated(&w).await;
    let all = results(&w, "", &As::Anonymous).await;
    // The public benchmark's run gives two metrics; the organisation-only one is not shown.
    assert_eq!(
        kinds(&all),
        [
            "card:f1",
            "card:accuracy",
            "registry:f1_weighted",
            "registry:accuracy",
            "benchmark:accuracy",
            "benchmark:latency_ms"
        ],
        "{all}"
    );
    assert_eq!(all["total"], 6);
    let card = &all["items"][0];
    assert_eq!(card["value"], 0.87);
    assert_eq!(card["metric_name"], "F1 (weighted)");
    assert_eq!(card["dataset"], "Labour force survey 2024");
    assert_eq!(card["dataset_type"], "alpha/lfs");
    assert_eq!(card["split"], "test");
    assert_eq!(card["task"], "text-classification");
    assert_eq!(card["source"]["reference"], "Evaluation report");
    assert_eq!(card["source"]["verified"], false);
    let text = &all["items"][1];
    assert_eq!(text["value"], Value::Null);
    assert_eq!(text["value_text"], "91.0 ± 0.5");
    let registered = &all["items"][2];
    assert_eq!(
        (
            &registered["value"],
            &registered["dataset"],
            &registered["split"]
        ),
        (&json!(0.86), &json!("lfs-2024"), &json!("validation"))
    );
    assert_eq!(registered["source"]["version"], "2");
    let bench = &all["items"][4];
    assert_eq!(bench["value"], 0.8);
    assert_eq!(bench["dataset"], "alpha-labelled-2024");
    assert_eq!(bench["task"], "coding");
    assert_eq!(bench["source"]["benchmark"], "nace");
    assert_eq!(bench["source"]["organisation"], "alpha");
    assert_eq!(bench["source"]["version"], "2");
    assert!(bench["source"]["run_id"].is_i64(), "{bench}");

    // Alpha's own people see the organisation-only benchmark's run too.
    let admin = w.app.admin().await;
    let seen = results(&w, "?source=benchmark", &admin).await;
    let boards: Vec<&str> = seen["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["source"]["benchmark"].as_str().expect("a benchmark"))
        .collect();
    assert_eq!(
        boards.iter().filter(|b| **b == "inner").count(),
        2,
        "{seen}"
    );
    assert_eq!(seen["total"], 4);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn results_come_a_page_at_a_time_across_sources_and_filter(db: PgPool) {
    let w = world(db).await;
    evaluated(&w).await;
    let all = kinds(&results(&w, "", &As::Anonymous).await);
    let mut paged = Vec::new();
    for page in 1..=4 {
        let body = results(&w, &format!("?per_page=2&page={page}"), &As::Anonymous).await;
        assert_eq!(body["total"], 6);
        paged.extend(kinds(&body));
    }
    assert_eq!(paged, all);
    let body = results(&w, "?per_page=4&page=2", &As::Anonymous).await;
    assert_eq!(kinds(&body), ["benchmark:accuracy", "benchmark:latency_ms"]);

    let accuracy = results(&w, "?metric=ACCURACY", &As::Anonymous).await;
    assert_eq!(
        kinds(&accuracy),
        ["card:accuracy", "registry:accuracy", "benchmark:accuracy"]
    );
    let registry = results(&w, "?source=registry", &As::Anonymous).await;
    assert_eq!(registry["total"], 2);
    for (query, field) in [
        ("?source=paper", "source"),
        ("?per_page=0", "per_page"),
        ("?sort=value", "sort"),
        (&format!("?metric={}", "m".repeat(101)), "metric"),
    ] {
        let answer = w
            .app
            .get(&format!("{RESULTS}{query}"), &As::Anonymous)
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(answer.body["error"]["field"], field, "{query}");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_hidden_model_has_no_results_to_show(db: PgPool) {
    let w = world(db).await;
    w.app
        .create(
            "/api/v1/models",
            json!({"organisation": "alpha", "name": "quiet", "visibility": "organisation"}),
        )
        .await;
    let hidden = w
        .app
        .get("/api/v1/models/alpha/quiet/results", &As::Anonymous)
        .await;
    let missing = w
        .app
        .get("/api/v1/models/alpha/nothing/results", &As::Anonymous)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hidden.text.replace("quiet", "KEY"),
        missing.text.replace("nothing", "KEY")
    );
    let admin = w.app.admin().await;
    let own = w
        .app
        .get("/api/v1/models/alpha/quiet/results", &admin)
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_eq!(own.body["total"], 0);
}
