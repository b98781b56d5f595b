//! Benchmarks, runs and leaderboards through the API and pages: validation naming the
//! field, who may define and run benchmarks, the best result of each model at each
//! organisation in the metric's direction, CSV, and the events written.

mod jobs_support;

use axum::http::StatusCode;
use jobs_support::auth::As;
use jobs_support::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Runs `model@version` at `org` and has that organisation's agent report `metrics`.
async fn evaluate(w: &World, bench: &str, model: &str, version: &str, org: &str, metrics: Value) {
    start_run(&w.app, bench, run_of(model, version, &[org])).await;
    let agent = if org == "alpha" { &w.alpha1 } else { &w.beta };
    let l = lease_one(&w.app, agent).await;
    let body = json!({"lease_token": l["lease_token"], "state": "succeeded", "executor": "local",
                      "hardware": {"cpus": 8, "node": format!("{org}-node")}, "metrics": metrics});
    let done = report(&w.app, agent, l["job_id"].as_i64().unwrap(), body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_benchmark_is_defined_read_and_refused_when_invalid(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    let got = w.app.get("/api/v1/benchmarks/nace", &As::Anonymous).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["participants"][1]["dataset"], "beta-labelled-2024");
    assert_eq!(got.body["resources"]["gpus"], 0);
    assert_eq!(got.body["created_by"], "root@hub.test");
    let list = w
        .app
        .get("/api/v1/benchmarks?organisation=beta", &As::Anonymous)
        .await;
    assert_eq!(list.body["total"], 1);
    let again = w
        .app
        .post(
            "/api/v1/benchmarks",
            &admin,
            benchmark("nace", &["alpha"], "public"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let cases = [
        (json!({"primary_metric": "f1"}), "primary_metric"),
        (json!({"command": ["sh", "-c", "{shell}"]}), "command[2]"),
        (json!({"image": "python:latest"}), "image"),
        (
            json!({"participants": [{"organisation": "gamma", "dataset": "x"}]}),
            "participants[0].organisation",
        ),
        (
            json!({"metrics": [{"name": "acc uracy", "direction": "maximize"}]}),
            "metrics[0].name",
        ),
        (
            json!({"resources": {"time_limit_seconds": 0}}),
            "resources.time_limit_seconds",
        ),
        (json!({"colour": "blue"}), "colour"),
    ];
    for (change, field) in cases {
        let mut body = benchmark("other", &["alpha"], "public");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let answer = w.app.post("/api/v1/benchmarks", &admin, body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.text
        );
        assert_eq!(answer.body["error"]["field"], field, "{}", answer.text);
    }
    let mut changed = benchmark("nace", &["alpha", "beta"], "public");
    changed["title"] = json!("NACE coding, 2025 edition");
    let put = w.app.put("/api/v1/benchmarks/nace", &admin, changed).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(put.body["title"], "NACE coding, 2025 edition");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM events WHERE subject_kind = 'benchmark' ORDER BY id")
            .fetch_all(&w.app.db)
            .await
            .unwrap();
    assert_eq!(kinds, ["benchmark.created", "benchmark.updated"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn stewards_of_participants_and_workstream_leads_define_and_run_benchmarks(db: PgPool) {
    let w = world(db).await;
    let app = &w.app;
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-coding", "code": "WS2", "title": "Coding", "goal": "Code."}),
    )
    .await;
    let member = app.user("m@alpha.test", "alpha").await;
    let member = app.token(member).await;
    let steward_id = app.user("s@alpha.test", "alpha").await;
    app.grant(steward_id, "steward", Some("alpha")).await;
    let steward = app.token(steward_id).await;
    let lead_id = app.user("l@beta.test", "beta").await;
    app.create(
        "/api/v1/memberships",
        json!({"workstream": "ws-coding", "user": "l@beta.test", "role": "lead"}),
    )
    .await;
    let lead = app.token(lead_id).await;

    let anon = app
        .post(
            "/api/v1/benchmarks",
            &As::Anonymous,
            benchmark("b1", &["alpha"], "public"),
        )
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let by_member = app
        .post(
            "/api/v1/benchmarks",
            &member,
            benchmark("b1", &["alpha"], "public"),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let elsewhere = app
        .post(
            "/api/v1/benchmarks",
            &steward,
            benchmark("b1", &["beta"], "public"),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let own = app
        .post(
            "/api/v1/benchmarks",
            &steward,
            benchmark("b1", &["alpha", "beta"], "public"),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text);
    let mut for_ws = benchmark("b2", &["alpha"], "public");
    for_ws["workstreams"] = json!(["ws-coding"]);
    assert_eq!(
        app.post("/api/v1/benchmarks", &lead, for_ws).await.status,
        StatusCode::CREATED
    );

    let run = run_of("alpha/coder", "1", &["alpha"]);
    let refused = app
        .post("/api/v1/benchmarks/b1/runs", &member, run.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let started = app
        .post("/api/v1/benchmarks/b1/runs", &steward, run.clone())
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.text);
    assert_eq!(
        started.location(),
        Some(format!("/api/v1/benchmarks/b1/runs/{}", started.body["id"]).as_str())
    );
    assert_eq!(
        app.post("/api/v1/benchmarks/b2/runs", &lead, run)
            .await
            .status,
        StatusCode::CREATED
    );
    // The lead of b2's workstream cannot cancel runs of b1; its steward can.
    let id = started.body["id"].as_i64().unwrap();
    let cancel = format!("/api/v1/benchmarks/b1/runs/{id}/cancel");
    assert_eq!(
        app.post(&cancel, &lead, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let job = started.body["jobs"][0]["id"].as_i64().unwrap();
    let one = app
        .post(
            &format!("/api/v1/benchmarks/b1/runs/{id}/jobs/{job}/cancel"),
            &steward,
            json!({"reason": "typo"}),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(one.body["jobs"][0]["state"], "cancelled");
    assert_eq!(
        one.body["jobs"][0]["reason"],
        "cancelled by s@alpha.test: typo"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_run_names_taking_part_organisations_and_a_visible_model_version(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    w.app
        .create(
            "/api/v1/organisations",
            jobs_support::auth::organisation("gamma"),
        )
        .await;
    w.app
        .create(
            "/api/v1/models",
            json!({"organisation": "beta", "name": "secret", "visibility": "organisation"}),
        )
        .await;
    w.app
        .create(
            "/api/v1/models/beta/secret/versions",
            json!({"version": "1"}),
        )
        .await;
    let steward_id = w.app.user("s@alpha.test", "alpha").await;
    w.app.grant(steward_id, "steward", Some("alpha")).await;
    let steward = w.app.token(steward_id).await;
    let cases = [
        (
            run_of("alpha/coder", "1", &["alpha", "gamma"]),
            "organisations[1]",
        ),
        (run_of("alpha/coder", "9", &["alpha"]), "model.version"),
        (run_of("beta/secret", "1", &["alpha"]), "model.version"),
        (
            json!({"model": {"organisation": "alpha", "name": "coder", "version": "1"},
                "parameters": {"bad key": "x"}}),
            "parameters.bad key",
        ),
    ];
    for (body, field) in cases {
        let answer = w
            .app
            .post("/api/v1/benchmarks/nace/runs", &steward, body)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.text
        );
        assert_eq!(answer.body["error"]["field"], field);
    }
    // All organisations taking part when none is named.
    let all = w
        .app
        .post(
            "/api/v1/benchmarks/nace/runs",
            &admin,
            json!({"model": {"organisation": "alpha", "name": "coder", "version": "1"}}),
        )
        .await;
    assert_eq!(all.status, StatusCode::CREATED);
    let orgs: Vec<&str> = all.body["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["organisation"].as_str().unwrap())
        .collect();
    assert_eq!(orgs, ["alpha", "beta"]);
    assert_eq!(all.body["state"], "active");
    let missing = w
        .app
        .post(
            "/api/v1/benchmarks/nope/runs",
            &admin,
            run_of("alpha/coder", "1", &[]),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_leaderboard_keeps_the_best_result_of_each_model_at_each_organisation(db: PgPool) {
    let w = world(db).await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "1",
        "alpha",
        json!({"accuracy": 0.80, "latency_ms": 9.0}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "2",
        "alpha",
        json!({"accuracy": 0.90, "latency_ms": 12.0}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "1",
        "alpha",
        json!({"accuracy": 0.85}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "beta/rival",
        "1",
        "alpha",
        json!({"accuracy": 0.95}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "2",
        "beta",
        json!({"accuracy": 0.70}),
    )
    .await;
    let board = w
        .app
        .get("/api/v1/benchmarks/nace/leaderboard", &As::Anonymous)
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text);
    assert_eq!(board.body["direction"], "maximize");
    let rows: Vec<(String, String, String, f64, u64)> = board.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["organisation"].as_str().unwrap().to_string(),
                format!(
                    "{}/{}",
                    e["model"]["organisation"].as_str().unwrap(),
                    e["model"]["name"].as_str().unwrap()
                ),
                e["model"]["version"].as_str().unwrap().to_string(),
                e["value"].as_f64().unwrap(),
                e["rank"].as_u64().unwrap(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        rows,
        [
            (s("alpha"), s("beta/rival"), s("1"), 0.95, 1),
            (s("alpha"), s("alpha/coder"), s("2"), 0.90, 2),
            (s("beta"), s("alpha/coder"), s("2"), 0.70, 1),
        ]
    );
    let best = &board.body["entries"][1];
    // An entry reads as an evaluation result does: metric, value and data set.
    assert_eq!(best["metric"], "accuracy");
    assert_eq!(best["dataset"], "alpha-labelled-2024");
    assert_eq!(board.body["entries"][2]["dataset"], "beta-labelled-2024");
    assert_eq!(best["agent"], "alpha/alpha-1");
    assert_eq!(best["executor"], "local");
    assert_eq!(best["hardware"]["node"], "alpha-node");
    assert_eq!(best["metrics"]["latency_ms"], 12.0);
    let by_value = w
        .app
        .get(
            "/api/v1/benchmarks/nace/leaderboard?sort=value",
            &As::Anonymous,
        )
        .await;
    let values: Vec<f64> = by_value.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [0.95, 0.90, 0.70]);
    let bad = w
        .app
        .get(
            "/api/v1/benchmarks/nace/leaderboard?sort=height",
            &As::Anonymous,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A benchmark whose primary metric is better lower.
    let mut fast = benchmark("speed", &["alpha"], "public");
    fast["primary_metric"] = json!("latency_ms");
    w.app.create("/api/v1/benchmarks", fast).await;
    evaluate(
        &w,
        "speed",
        "alpha/coder",
        "1",
        "alpha",
        json!({"latency_ms": 30.0}),
    )
    .await;
    evaluate(
        &w,
        "speed",
        "alpha/coder",
        "2",
        "alpha",
        json!({"latency_ms": 20.0}),
    )
    .await;
    evaluate(
        &w,
        "speed",
        "beta/rival",
        "1",
        "alpha",
        json!({"latency_ms": 25.0}),
    )
    .await;
    let board = w
        .app
        .get("/api/v1/benchmarks/speed/leaderboard", &As::Anonymous)
        .await;
    assert_eq!(board.body["direction"], "minimize");
    let ranked: Vec<(String, f64)> = board.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["model"]["name"].as_str().unwrap().to_string(),
                e["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranked,
        [("coder".to_string(), 20.0), ("rival".to_string(), 25.0)]
    );

    // Each recorded result wrote an event with its rank.
    let payload: Value = sqlx::query_scalar(
        "SELECT payload FROM events WHERE kind = 'benchmark_result.recorded' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(payload["benchmark"], "speed");
    assert_eq!(payload["model"], "beta/rival");
    assert_eq!(payload["organisation"], "alpha");
    assert_eq!(payload["primary_metric"], "latency_ms");
    assert_eq!(payload["value"], 25.0);
    assert_eq!(payload["rank"], 2);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_leaderboard_page_draws_the_chart_and_offers_csv(db: PgPool) {
    let w = world(db).await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "2",
        "alpha",
        json!({"accuracy": 0.9}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "beta/rival",
        "1",
        "beta",
        json!({"accuracy": 0.75}),
    )
    .await;
    let page = w.app.get("/benchmarks/nace", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("<svg"), "{}", page.text);
    assert!(page.text.contains(
        r#"<title id="chart-title">Best accuracy of each model at each organisation</title>"#
    ));
    assert!(
        page.text
            .contains("alpha/coder at alpha: accuracy 0.9 (rank 1 of 1)")
    );
    assert!(page.text.contains("alpha/coder at beta: not evaluated"));
    assert!(
        page.text
            .contains("alpha/alpha-1 · local · alpha-node · 8 CPU")
    );
    assert!(
        page.text
            .contains(r#"href="/benchmarks/nace/leaderboard.csv""#)
    );
    assert!(!page.text.contains("<script"));
    let csv = w
        .app
        .get("/benchmarks/nace/leaderboard.csv", &As::Anonymous)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("nace-leaderboard.csv")
    );
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("benchmark,organisation,rank,model,version,metric,direction,value")
    );
    assert!(lines[1].starts_with("nace,alpha,1,alpha/coder,2,accuracy,maximize,0.9,accuracy=0.9,alpha/alpha-1,local,alpha-node · 8 CPU,"), "{}", lines[1]);
    assert!(lines[2].starts_with("nace,beta,1,beta/rival,1,accuracy,maximize,0.75,"));
    let list = w.app.get("/benchmarks", &As::Anonymous).await;
    assert!(
        list.text
            .contains(r#"<a href="/benchmarks/nace">Benchmark nace</a>"#)
    );
    let run_id: i64 = sqlx::query_scalar("SELECT min(id) FROM benchmark_runs")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    let run = w
        .app
        .get(&format!("/benchmarks/nace/runs/{run_id}"), &As::Anonymous)
        .await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.text);
    assert!(run.text.contains("succeeded"));
    assert!(run.text.contains("alpha-labelled-2024"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn private_benchmarks_and_results_of_private_models_stay_with_their_organisation(db: PgPool) {
    let w = world(db).await;
    w.app
        .create(
            "/api/v1/benchmarks",
            benchmark("alpha-only", &["alpha"], "organisation"),
        )
        .await;
    w.app
        .create(
            "/api/v1/models",
            json!({"organisation": "alpha", "name": "hidden", "visibility": "organisation"}),
        )
        .await;
    w.app
        .create(
            "/api/v1/models/alpha/hidden/versions",
            json!({"version": "1"}),
        )
        .await;
    evaluate(
        &w,
        "nace",
        "alpha/hidden",
        "1",
        "alpha",
        json!({"accuracy": 0.99}),
    )
    .await;
    evaluate(
        &w,
        "alpha-only",
        "alpha/coder",
        "1",
        "alpha",
        json!({"accuracy": 0.5}),
    )
    .await;
    let ben = w.app.user("ben@beta.test", "beta").await;
    let ben = w.app.token(ben).await;
    let ann = w.app.user("ann@alpha.test", "alpha").await;
    let ann = w.app.token(ann).await;
    for who in [&As::Anonymous, &ben] {
        for url in [
            "/api/v1/benchmarks/alpha-only",
            "/api/v1/benchmarks/alpha-only/leaderboard",
            "/benchmarks/alpha-only",
            "/benchmarks/alpha-only/leaderboard.csv",
        ] {
            assert_eq!(
                w.app.get(url, who).await.status,
                StatusCode::NOT_FOUND,
                "{url}"
            );
        }
        let board = w.app.get("/api/v1/benchmarks/nace/leaderboard", who).await;
        assert_eq!(board.body["entries"], json!([]));
        let csv = w.app.get("/benchmarks/nace/leaderboard.csv", who).await;
        assert!(!csv.text.contains("alpha/hidden"));
        let page = w.app.get("/benchmarks/nace", who).await;
        assert!(!page.text.contains("alpha/hidden"), "{}", page.text);
        let runs = w.app.get("/api/v1/benchmarks/nace/runs", who).await;
        assert_eq!(runs.body["items"], json!([]));
        let events = w
            .app
            .get("/api/v1/events?subject_kind=benchmark_result", who)
            .await;
        assert_eq!(
            events.body.as_array().map(Vec::len).unwrap_or(0),
            0,
            "{}",
            events.text
        );
    }
    let board = w.app.get("/api/v1/benchmarks/nace/leaderboard", &ann).await;
    assert_eq!(board.body["entries"][0]["model"]["name"], "hidden");
    let events = w
        .app
        .get("/api/v1/events?subject_kind=benchmark_result", &ann)
        .await;
    assert_eq!(
        events.body["items"].as_array().unwrap().len(),
        2,
        "{}",
        events.text
    );
    assert_eq!(
        w.app.get("/benchmarks/alpha-only", &ann).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_demo_data_shows_benchmarks_with_recorded_results(db: PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let app = jobs_support::auth::TestApp::new(db);
    let page = app.get("/benchmarks/activity-coding", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("<svg"));
    assert!(page.text.contains("demo data"));
    // Anonymous visitors see the public model's results only; members see all.
    let board = app
        .get(
            "/api/v1/benchmarks/activity-coding/leaderboard",
            &As::Anonymous,
        )
        .await;
    let models: Vec<&str> = board.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["model"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["naf-coder", "naf-coder"]);
    assert_eq!(board.body["entries"][0]["model"]["version"], "3");
    assert_eq!(board.body["entries"][0]["demo"], true);
    let member = app.user("someone@insee.fr", "insee").await;
    let member = app.token(member).await;
    let board = app
        .get("/api/v1/benchmarks/activity-coding/leaderboard", &member)
        .await;
    assert_eq!(board.body["entries"].as_array().unwrap().len(), 7);
    let list = app.get("/benchmarks", &As::Anonymous).await;
    assert!(list.text.contains("Time-series indicator coding"));
    // Seeding again records nothing more.
    let again = agora_hub::demo::seed(&app.db).await.unwrap();
    assert_eq!(again.changed(), 0, "{again}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_model_page_shows_its_benchmark_standings_as_the_caller_may_see_them(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    let secret = w
        .app
        .post(
            "/api/v1/benchmarks",
            &admin,
            benchmark("secret", &["alpha"], "organisation"),
        )
        .await;
    assert_eq!(secret.status, StatusCode::CREATED, "{}", secret.text);
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "2",
        "beta",
        json!({"accuracy": 0.81}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "beta/rival",
        "1",
        "beta",
        json!({"accuracy": 0.86}),
    )
    .await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "1",
        "alpha",
        json!({"accuracy": 0.7}),
    )
    .await;
    evaluate(
        &w,
        "secret",
        "alpha/coder",
        "2",
        "alpha",
        json!({"accuracy": 0.9}),
    )
    .await;

    let page = w.app.get("/models/alpha/coder", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Benchmark results"), "{}", page.text);
    assert!(page.text.contains("href=\"/benchmarks/nace\""));
    // At beta the rival did better; at alpha the coder was alone.
    assert!(page.text.contains("2 of 2"), "{}", page.text);
    assert!(page.text.contains("1 of 1"), "{}", page.text);
    assert!(page.text.contains("0.81") && page.text.contains("0.7"));
    // An organisation's own benchmark stays with it.
    assert!(!page.text.contains("/benchmarks/secret"));
    assert!(!page.text.contains("</span> 0.9</td>"));
    let other = w.app.user("someone@beta.example", "beta").await;
    let other = w.app.token(other).await;
    let page = w.app.get("/models/alpha/coder", &other).await;
    assert!(!page.text.contains("/benchmarks/secret"));
    let insider = w.app.user("someone@alpha.example", "alpha").await;
    let insider = w.app.token(insider).await;
    let page = w.app.get("/models/alpha/coder", &insider).await;
    assert!(
        page.text.contains("href=\"/benchmarks/secret\""),
        "{}",
        page.text
    );

    // A model without results says so.
    let page = w.app.get("/models/beta/rival", &As::Anonymous).await;
    assert!(page.text.contains("href=\"/benchmarks/nace\""));
    w.app
        .create(
            "/api/v1/models",
            json!({"organisation": "alpha", "name": "fresh", "visibility": "public"}),
        )
        .await;
    let page = w.app.get("/models/alpha/fresh", &As::Anonymous).await;
    assert!(
        page.text.contains("no result on a shared benchmark"),
        "{}",
        page.text
    );
}

/// A page fetched in the language a browser asks for.
async fn page_in(w: &World, uri: &str, lang: &str) -> String {
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("accept-language", lang)
        .body(axum::body::Body::empty())
        .unwrap();
    let page = w.app.send(request).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "{uri} in {lang}: {}",
        page.text
    );
    assert!(
        page.text.contains(&format!("<html lang=\"{lang}\">")),
        "{uri} in {lang}"
    );
    assert!(!page.text.contains('⟦'), "{uri} in {lang}: {}", page.text);
    assert!(!page.text.contains("{$"), "{uri} in {lang}: {}", page.text);
    page.text
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn model_and_benchmark_pages_speak_french_and_spanish(db: PgPool) {
    let w = world(db).await;
    evaluate(
        &w,
        "nace",
        "alpha/coder",
        "2",
        "alpha",
        json!({"accuracy": 0.9, "latency_ms": 12.5}),
    )
    .await;
    let run_id: i64 = sqlx::query_scalar("SELECT min(id) FROM benchmark_runs")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    let run = format!("/benchmarks/nace/runs/{run_id}");
    let pages = [
        (
            "/models",
            [
                "Fiches de modèles partagées",
                "Fichas de modelos compartidas",
            ],
        ),
        (
            "/models/alpha/coder",
            ["Fiche de modèle", "Ficha de modelo"],
        ),
        ("/models/alpha/coder", ["1 sur 1", "1 de 1"]),
        (
            "/benchmarks",
            [
                "Des tâches d’évaluation partagées",
                "Tareas de evaluación compartidas",
            ],
        ),
        (
            "/benchmarks/nace",
            ["Télécharger en CSV", "Descargar en CSV"],
        ),
        ("/benchmarks/nace", ["(rang 1 sur 1)", "(posición 1 de 1)"]),
        ("/benchmarks/nace", ["latency_ms 12,5", "latency_ms 12,5"]),
        (&run, ["Tentatives", "Intentos"]),
        (&run, ["réussie", "correcto"]),
    ];
    for (uri, [fr, es]) in pages {
        let text = page_in(&w, uri, "fr").await;
        assert!(text.contains(fr), "{uri}: «{fr}» not in {text}");
        let text = page_in(&w, uri, "es").await;
        assert!(text.contains(es), "{uri}: «{es}» not in {text}");
    }
    // English stays as it was.
    let text = page_in(&w, "/benchmarks/nace", "en").await;
    assert!(text.contains("Download as CSV"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_heat_map_has_a_column_for_a_participant_without_results(db: PgPool) {
    let w = world(db).await;
    w.app
        .create("/api/v1/organisations", auth::organisation("gamma"))
        .await;
    w.app
        .create(
            "/api/v1/benchmarks",
            benchmark("wide", &["alpha", "beta", "gamma"], "public"),
        )
        .await;
    evaluate(
        &w,
        "wide",
        "alpha/coder",
        "2",
        "alpha",
        json!({"accuracy": 0.9}),
    )
    .await;
    let page = w.app.get("/benchmarks/wide", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("1 model by 3 organisations"),
        "{}",
        page.text
    );
    assert!(page.text.contains("alpha/coder at gamma: not evaluated"));
    assert!(page.text.contains(r#"<a href="/models/alpha/coder">"#));
}
