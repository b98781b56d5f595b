//! A leaderboard larger than a page: the API pages it without repeating or skipping an
//! entry in every order, the benchmark page shows a page of rows and a chart of the
//! leading models, and the CSV download holds every entry.

mod jobs_support;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use jobs_support::auth::As;
use jobs_support::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Models evaluated at both organisations: 60 entries, more than a page of the table.
const MODELS: usize = 30;

/// Creates `alpha/m00`…: each evaluated at alpha and at beta, the later ones better at
/// alpha and worse at beta. `alpha/hidden` (organisation-only) beats them all at alpha.
async fn big_board(w: &World) {
    let mut names: Vec<(String, &str)> = (0..MODELS)
        .map(|i| (format!("m{i:02}"), "public"))
        .collect();
    names.push(("hidden".to_string(), "organisation"));
    for (i, (name, visibility)) in names.iter().enumerate() {
        w.app
            .create(
                "/api/v1/models",
                json!({"organisation": "alpha", "name": name, "visibility": visibility}),
            )
            .await;
        w.app
            .create(
                &format!("/api/v1/models/alpha/{name}/versions"),
                json!({"version": "1"}),
            )
            .await;
        start_run(
            &w.app,
            "nace",
            run_of(&format!("alpha/{name}"), "1", &["alpha", "beta"]),
        )
        .await;
        let step = i as f64 / 100.0;
        for (agent, accuracy) in [(&w.alpha1, 0.5 + step), (&w.beta, 0.9 - step)] {
            let l = lease_one(&w.app, agent).await;
            let body = json!({"lease_token": l["lease_token"], "state": "succeeded",
                              "executor": "local", "metrics": {"accuracy": accuracy}});
            let done = report(&w.app, agent, l["job_id"].as_i64().unwrap(), body).await;
            assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        }
    }
}

/// An entry's key: organisation, then model.
fn key(e: &Value) -> String {
    format!(
        "{}:{}/{}",
        e["organisation"].as_str().unwrap(),
        e["model"]["organisation"].as_str().unwrap(),
        e["model"]["name"].as_str().unwrap()
    )
}

/// Every entry of the leaderboard in `sort` order, read `per_page` at a time.
async fn every_page(w: &World, who: &As, sort: &str, per_page: usize) -> (Vec<Value>, i64) {
    let mut all = Vec::new();
    let mut total = None;
    for page in 1.. {
        let got = w
            .app
            .get(
                &format!(
                    "/api/v1/benchmarks/nace/leaderboard?sort={sort}&page={page}&per_page={per_page}"
                ),
                who,
            )
            .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text);
        assert_eq!(got.body["page"], page);
        assert_eq!(got.body["per_page"], per_page);
        let t = got.body["total"].as_i64().unwrap();
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "the total changed between pages"
        );
        let entries = got.body["entries"].as_array().unwrap().clone();
        assert!(entries.len() <= per_page);
        if entries.is_empty() {
            break;
        }
        all.extend(entries);
    }
    (all, total.unwrap())
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_leaderboard_comes_a_page_at_a_time_in_every_order(db: PgPool) {
    let w = world(db).await;
    big_board(&w).await;
    let admin = w.app.admin().await;

    for sort in ["rank", "value", "model", "organisation", "recorded"] {
        let (entries, total) = every_page(&w, &As::Anonymous, sort, 7).await;
        assert_eq!(total, 2 * MODELS as i64, "{sort}");
        let keys: Vec<String> = entries.iter().map(key).collect();
        let unique: BTreeSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "{sort}: an entry came twice");
        assert_eq!(keys.len(), 2 * MODELS, "{sort}");
        assert!(!keys.iter().any(|k| k.ends_with("/hidden")), "{sort}");
        // Read at once, the same order.
        let whole = w
            .app
            .get(
                &format!("/api/v1/benchmarks/nace/leaderboard?sort={sort}&per_page=100"),
                &As::Anonymous,
            )
            .await;
        let at_once: Vec<String> = whole.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        assert_eq!(at_once, keys, "{sort}");
    }

    // By value: best first across pages and organisations.
    let (by_value, _) = every_page(&w, &As::Anonymous, "value", 9).await;
    let values: Vec<f64> = by_value
        .iter()
        .map(|e| e["value"].as_f64().unwrap())
        .collect();
    assert!(values.windows(2).all(|p| p[0] >= p[1]), "{values:?}");
    // By rank: alpha's models first, ranked 1 to 30 (m29 is best there), then beta's.
    let (by_rank, _) = every_page(&w, &As::Anonymous, "rank", 11).await;
    assert_eq!(key(&by_rank[0]), "alpha:alpha/m29");
    assert_eq!(by_rank[0]["rank"], 1);
    assert_eq!(key(&by_rank[MODELS - 1]), "alpha:alpha/m00");
    assert_eq!(by_rank[MODELS - 1]["rank"], MODELS);
    assert_eq!(key(&by_rank[MODELS]), "beta:alpha/m00");

    // The administrator sees the hidden model, ranked first at alpha, and ranks move.
    let (seen, total) = every_page(&w, &admin, "rank", 25).await;
    assert_eq!(total, 2 * MODELS as i64 + 2);
    assert_eq!(key(&seen[0]), "alpha:alpha/hidden");
    assert_eq!(key(&seen[1]), "alpha:alpha/m29");
    assert_eq!(seen[1]["rank"], 2);

    // Past the end: no entries, the total still said; out of bounds: the field named.
    let past = w
        .app
        .get(
            "/api/v1/benchmarks/nace/leaderboard?page=40&per_page=5",
            &As::Anonymous,
        )
        .await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(past.body["entries"], json!([]));
    assert_eq!(past.body["total"], 2 * MODELS);
    for (query, field) in [("per_page=101", "per_page"), ("page=0", "page")] {
        let bad = w
            .app
            .get(
                &format!("/api/v1/benchmarks/nace/leaderboard?{query}"),
                &As::Anonymous,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(bad.body["error"]["field"], field, "{query}");
    }
    // Only one organisation's entries, still paged.
    let beta = w
        .app
        .get(
            "/api/v1/benchmarks/nace/leaderboard?organisation=beta&per_page=4",
            &As::Anonymous,
        )
        .await;
    assert_eq!(beta.body["total"], MODELS);
    assert_eq!(key(&beta.body["entries"][0]), "beta:alpha/m00");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_benchmark_page_shows_a_page_of_rows_and_the_csv_holds_them_all(db: PgPool) {
    let w = world(db).await;
    big_board(&w).await;

    let first = w.app.get("/benchmarks/nace", &As::Anonymous).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let rows = |text: &str| text.matches(r#"<th scope="row">"#).count();
    assert_eq!(rows(&first.text), 50);
    assert!(
        first
            .text
            .contains(r#"<a href="/benchmarks/nace?page=2" rel="next">"#),
        "{}",
        first.text
    );
    // The chart: the 25 leading models, at both organisations, and it says so.
    assert!(first.text.contains("25 models by 2 organisations"));
    // 50 cells and the legend's bar.
    assert_eq!(first.text.matches("<rect").count(), 51);
    assert!(
        first
            .text
            .contains("The chart shows the 25 models ranked best at some organisation")
    );
    // Counts in the cells are the organisation's, not the chart's.
    assert!(
        first
            .text
            .contains("alpha/m29 at alpha: accuracy 0.79 (rank 1 of 30)"),
        "{}",
        first.text
    );
    assert!(!first.text.contains("alpha/hidden"));

    let second = w
        .app
        .get("/benchmarks/nace?sort=value&page=2", &As::Anonymous)
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(rows(&second.text), 10);
    assert!(
        second
            .text
            .contains(r#"<a href="/benchmarks/nace?sort=value" rel="prev">"#),
        "{}",
        second.text
    );
    let bad = w.app.get("/benchmarks/nace?page=0", &As::Anonymous).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The download: every entry once, in the order asked for, as the API gives it.
    let csv = w
        .app
        .get(
            "/benchmarks/nace/leaderboard.csv?sort=model",
            &As::Anonymous,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.text.lines().skip(1).collect();
    assert_eq!(lines.len(), 2 * MODELS);
    let from_csv: Vec<String> = lines
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{}:{}", f[1], f[3])
        })
        .collect();
    let (api, _) = every_page(&w, &As::Anonymous, "model", 100).await;
    assert_eq!(from_csv, api.iter().map(key).collect::<Vec<_>>());
}
