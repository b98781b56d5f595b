//! The job queue as agents use it, over HTTP against Postgres: leases that never go to two
//! agents, long polls woken by a queued job, heartbeats, cancellation, expired leases and
//! retries, metrics checked against the benchmark, and the log tail by offset.

mod jobs_support;

use std::collections::BTreeSet;

use agora_hub::jobs::reaper::reap_once;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use jobs_support::*;
use serde_json::{Value, json};
use sqlx::PgPool;

fn job_id(lease: &Value) -> i64 {
    lease["job_id"].as_i64().expect("job_id")
}

fn token(lease: &Value) -> String {
    lease["lease_token"]
        .as_str()
        .expect("lease_token")
        .to_string()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_lease_carries_the_job_and_only_the_agents_organisation_gets_it(db: PgPool) {
    let w = world(db).await;
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "2", &["alpha"])).await;
    assert_eq!(run["jobs"][0]["state"], "queued");
    assert_eq!(
        lease(&w.app, &w.beta, 0).await.status,
        StatusCode::NO_CONTENT
    );
    let l = lease_one(&w.app, &w.alpha1).await;
    assert_eq!(l["run_id"], run["id"]);
    assert_eq!(l["attempt"], 1);
    assert_eq!(l["dataset"], "alpha-labelled-2024");
    assert_eq!(l["benchmark"]["slug"], "nace");
    assert_eq!(l["benchmark"]["primary_metric"], "accuracy");
    assert_eq!(l["benchmark"]["command"][3], "{dataset}");
    assert_eq!(l["benchmark"]["resources"]["memory_mb"], 4096);
    assert_eq!(l["model"]["artifact_uri"], "s3://models/coder/2");
    assert!(token(&l).starts_with("lease_"));
    // Only the hash of the token is stored.
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT lease_token_hash FROM benchmark_jobs WHERE id = $1")
            .bind(job_id(&l))
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&token(&l)));
    assert_eq!(
        lease(&w.app, &w.alpha2, 0).await.status,
        StatusCode::NO_CONTENT
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agents_racing_for_jobs_never_get_the_same_one(db: PgPool) {
    let w = world(db).await;
    for _ in 0..3 {
        start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    }
    let tokens = [w.alpha1.clone(), w.alpha2.clone()];
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = handle(&w.app);
        let token = tokens[i % 2].clone();
        tasks.push(tokio::spawn(async move { lease(&app, &token, 0).await }));
    }
    let mut leased = Vec::new();
    for t in tasks {
        let answer = t.await.unwrap();
        match answer.status {
            StatusCode::OK => leased.push(job_id(&answer.body)),
            StatusCode::NO_CONTENT => {}
            other => panic!("{other}: {}", answer.text),
        }
    }
    leased.sort();
    let distinct: BTreeSet<i64> = leased.iter().copied().collect();
    assert_eq!(leased.len(), 3, "every job leased once: {leased:?}");
    assert_eq!(distinct.len(), 3, "no job leased twice: {leased:?}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_waiting_lease_answers_as_soon_as_a_job_is_queued(db: PgPool) {
    let w = world(db).await;
    let app = handle(&w.app);
    let token = w.alpha1.clone();
    // The hub's longest wait: only a wake-up answers with a job before it ends.
    let poll = tokio::spawn(async move { lease(&app, &token, 30).await });
    while w.app.state.jobs.waiting() == 0 {
        tokio::task::yield_now().await;
    }
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let answer = poll.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["run_id"], run["id"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_waiting_lease_answers_no_content_at_once_when_the_hub_shuts_down(db: PgPool) {
    let w = world(db).await;
    let app = handle(&w.app);
    let token = w.alpha1.clone();
    let poll = tokio::spawn(async move { lease(&app, &token, 30).await });
    while w.app.state.jobs.waiting() == 0 {
        tokio::task::yield_now().await;
    }
    w.app.state.shutdown.trigger();
    // Well before the 30 s wait: the answer comes from the stop request, not the clock.
    let answer = tokio::time::timeout(std::time::Duration::from_secs(10), poll)
        .await
        .expect("the lease request answers when the hub stops")
        .unwrap();
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    // Requests arriving while the hub stops do not wait either.
    let late = lease(&w.app, &w.alpha1, 30).await;
    assert_eq!(late.status, StatusCode::NO_CONTENT);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn heartbeats_renew_the_lease_and_hear_of_cancellation(db: PgPool) {
    let w = world(db).await;
    let run = start_run(
        &w.app,
        "nace",
        run_of("alpha/coder", "1", &["alpha", "beta"]),
    )
    .await;
    let l = lease_one(&w.app, &w.alpha1).await;
    let job = job_id(&l);
    let beat = report(&w.app, &w.alpha1, job, running(&token(&l))).await;
    assert_eq!(beat.status, StatusCode::OK, "{}", beat.text);
    assert_eq!(beat.body["cancel"], false);
    assert_eq!(beat.body["heartbeat_interval_seconds"], 15);
    let deadline = beat.body["lease_deadline"].as_str().unwrap().to_string();
    assert!(deadline.as_str() >= l["lease_deadline"].as_str().unwrap());
    let admin = w.app.admin().await;
    let id = run["id"].as_i64().unwrap();
    let cancelled = w
        .app
        .post(
            &format!("/api/v1/benchmarks/nace/runs/{id}/cancel"),
            &admin,
            json!({"reason": "wrong version"}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(cancelled.body["state"], "cancelled");
    let states: Vec<&str> = cancelled.body["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["cancelled", "cancelled"]);
    let beat = report(&w.app, &w.alpha1, job, running(&token(&l))).await;
    assert_eq!(beat.status, StatusCode::OK, "{}", beat.text);
    assert_eq!(beat.body["cancel"], true);
    let stopped = json!({"lease_token": token(&l), "state": "cancelled", "executor": "slurm"});
    assert_eq!(
        report(&w.app, &w.alpha1, job, stopped).await.body["cancel"],
        true
    );
    // The queued job of beta is gone from the queue.
    assert_eq!(
        lease(&w.app, &w.beta, 0).await.status,
        StatusCode::NO_CONTENT
    );
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE kind = 'benchmark_run.cancelled' AND subject = $1",
    )
    .bind(id.to_string())
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(events, 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_expired_lease_is_queued_again_and_the_old_token_is_refused(db: PgPool) {
    let w = world(db).await;
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let first = lease_one(&w.app, &w.alpha1).await;
    let job = job_id(&first);
    // Not expired yet: the reaper leaves it alone.
    assert_eq!(reap_once(&w.app.db, 3600).await.unwrap().requeued, 0);
    expire_lease(&w.app, job).await;
    assert_eq!(reap_once(&w.app.db, 3600).await.unwrap().requeued, 1);
    let second = lease_one(&w.app, &w.alpha2).await;
    assert_eq!(job_id(&second), job);
    assert_eq!(second["attempt"], 2);
    let stale = report(&w.app, &w.alpha1, job, running(&token(&first))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.body["error"]["field"], "lease_token");
    let late = report(&w.app, &w.alpha1, job, succeeded(&token(&first), 0.9)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let done = report(&w.app, &w.alpha2, job, succeeded(&token(&second), 0.91)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let results: i64 = sqlx::query_scalar("SELECT count(*) FROM benchmark_results")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(results, 1, "one result recorded");
    // A retried final report is answered the same way and records nothing more.
    let again = report(&w.app, &w.alpha2, job, succeeded(&token(&second), 0.91)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["cancel"], false);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_job_whose_leases_keep_expiring_fails_with_the_reason(db: PgPool) {
    let w = world(db).await;
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    for attempt in 1..=2 {
        let l = lease_one(&w.app, &w.alpha1).await;
        assert_eq!(l["attempt"], attempt);
        expire_lease(&w.app, job_id(&l)).await;
        reap_once(&w.app.db, 3600).await.unwrap();
    }
    assert_eq!(
        lease(&w.app, &w.alpha1, 0).await.status,
        StatusCode::NO_CONTENT
    );
    let id = run["id"].as_i64().unwrap();
    let got = w
        .app
        .get(
            &format!("/api/v1/benchmarks/nace/runs/{id}"),
            &auth::As::Anonymous,
        )
        .await;
    let job = &got.body["jobs"][0];
    assert_eq!(job["state"], "failed", "{}", got.text);
    assert_eq!(job["attempts"], 2);
    assert_eq!(
        job["reason"],
        "lease expired on attempt 2 of 2: the agent stopped reporting"
    );
    assert_eq!(got.body["state"], "finished");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn metrics_that_do_not_match_the_benchmark_are_refused_with_the_field(db: PgPool) {
    let w = world(db).await;
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let l = lease_one(&w.app, &w.alpha1).await;
    let (job, t) = (job_id(&l), token(&l));
    let with = |metrics: Value| json!({"lease_token": t, "state": "succeeded", "executor": "local", "metrics": metrics});
    for (metrics, field) in [
        (json!({"latency_ms": 3.0}), "metrics.accuracy"),
        (json!({"accuracy": 0.9, "f1": 0.8}), "metrics.f1"),
    ] {
        let answer = report(&w.app, &w.alpha1, job, with(metrics)).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.text
        );
        assert_eq!(answer.body["error"]["field"], field);
    }
    let none = json!({"lease_token": t, "state": "succeeded", "executor": "local"});
    assert_eq!(
        report(&w.app, &w.alpha1, job, none).await.body["error"]["field"],
        "metrics"
    );
    // Still leased: a correct report goes through.
    let ok = report(&w.app, &w.alpha1, job, with(json!({"accuracy": 0.9}))).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_refused_job_ends_refused_with_the_agents_reason_and_is_not_offered_again(db: PgPool) {
    let w = world(db).await;
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let l = lease_one(&w.app, &w.alpha1).await;
    let refused = json!({"lease_token": token(&l), "state": "refused", "executor": "local",
                         "reason": "the command is not on this agent's allowlist: its hash is sha256:ab"});
    let answer = report(&w.app, &w.alpha1, job_id(&l), refused.clone()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["cancel"], false);
    let id = run["id"].as_i64().unwrap();
    let got = w
        .app
        .get(
            &format!("/api/v1/benchmarks/nace/runs/{id}"),
            &auth::As::Anonymous,
        )
        .await;
    let job = &got.body["jobs"][0];
    assert_eq!(job["state"], "refused", "{job}");
    assert_eq!(got.body["state"], "finished", "{}", got.body);
    let reason = job["reason"].as_str().unwrap();
    assert!(
        reason.contains("refused by agent agent:alpha/alpha-1")
            && reason.contains("not on this agent's allowlist: its hash is sha256:ab"),
        "{reason}"
    );
    assert_eq!(job["attempts"], 1);
    // The run's page shows the state and the reason.
    let page = w
        .app
        .get(&format!("/benchmarks/nace/runs/{id}"), &auth::As::Anonymous)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(">refused<br>"), "{}", page.text);
    assert!(
        page.text.contains("not on this agent&#39;s allowlist")
            || page.text.contains("not on this agent&#x27;s allowlist"),
        "{}",
        page.text
    );
    // The benchmark's page gives the pin an operator would add to allow it.
    let argv: Vec<String> =
        serde_json::from_value(benchmark("nace", &["alpha"], "public")["command"].clone()).unwrap();
    let pin = agora_schemas::benchmark::command_hash(&argv);
    let bench = w.app.get("/benchmarks/nace", &auth::As::Anonymous).await;
    assert!(bench.text.contains(&pin), "{pin} not on {}", bench.text);
    // Not retried at the organisation: neither agent of alpha is offered it again, the
    // reaper leaves it alone, and a repeated report changes nothing.
    for token in [&w.alpha1, &w.alpha2] {
        assert_eq!(lease(&w.app, token, 0).await.status, StatusCode::NO_CONTENT);
    }
    expire_lease(&w.app, job_id(&l)).await;
    assert_eq!(
        reap_once(&w.app.db, 3600).await.unwrap(),
        agora_hub::db::jobs::Reaped::default()
    );
    assert_eq!(
        lease(&w.app, &w.alpha2, 0).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        report(&w.app, &w.alpha1, job_id(&l), refused).await.status,
        StatusCode::OK
    );
    let again = w
        .app
        .get(
            &format!("/api/v1/benchmarks/nace/runs/{id}"),
            &auth::As::Anonymous,
        )
        .await;
    assert_eq!(again.body["jobs"][0]["state"], "refused");
    assert_eq!(again.body["jobs"][0]["attempts"], 1);
}

async fn upload(w: &World, job: i64, lease_token: &str, offset: u64, text: &str) -> auth::Answer {
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/agent/jobs/{job}/log?offset={offset}"))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.alpha1))
        .header("agora-protocol", "1")
        .header("agora-lease-token", lease_token)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text.to_string()))
        .unwrap();
    w.app.send(request).await
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_log_tail_is_uploaded_by_offset_and_resumes(db: PgPool) {
    let w = world(db).await;
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let l = lease_one(&w.app, &w.alpha1).await;
    let (job, t) = (job_id(&l), token(&l));
    let first = upload(&w, job, &t, 0, "loading data\n").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["next_offset"], 13);
    // A gap is refused with where to resume.
    let gap = upload(&w, job, &t, 20, "scoring\n").await;
    assert_eq!(gap.status, StatusCode::CONFLICT);
    assert_eq!(gap.body["expected_offset"], 13);
    assert_eq!(gap.body["error"]["field"], "offset");
    // A retried upload overlapping what the hub has adds only the new bytes.
    let retry = upload(&w, job, &t, 0, "loading data\nscoring\n").await;
    assert_eq!(retry.body["next_offset"], 21);
    let next = upload(&w, job, &t, 21, "accuracy 0.93\n").await;
    assert_eq!(next.body["next_offset"], 35);
    // The wrong token, or none, is refused.
    assert_eq!(
        upload(&w, job, "lease_nope", 35, "x").await.status,
        StatusCode::CONFLICT
    );
    let id = run["id"].as_i64().unwrap();
    // The organisation's own people read the tail; others do not.
    let ann = w.app.user("ann@alpha.test", "alpha").await;
    let ann = w.app.token(ann).await;
    let got = w
        .app
        .get(&format!("/api/v1/benchmarks/nace/runs/{id}"), &ann)
        .await;
    assert_eq!(
        got.body["jobs"][0]["log_tail"],
        "loading data\nscoring\naccuracy 0.93\n"
    );
    let anonymous = w
        .app
        .get(
            &format!("/api/v1/benchmarks/nace/runs/{id}"),
            &auth::As::Anonymous,
        )
        .await;
    assert!(anonymous.body["jobs"][0].get("log_tail").is_none());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_log_keeps_the_last_64_kib(db: PgPool) {
    let w = world(db).await;
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let l = lease_one(&w.app, &w.alpha1).await;
    let (job, t) = (job_id(&l), token(&l));
    let chunk = "x".repeat(40_000);
    upload(&w, job, &t, 0, &chunk).await;
    let last = format!("{}END", "y".repeat(39_997));
    let answer = upload(&w, job, &t, 40_000, &last).await;
    assert_eq!(answer.body["next_offset"], 80_000);
    let (tail, length): (Vec<u8>, i64) =
        sqlx::query_as("SELECT log_tail, log_length FROM benchmark_jobs WHERE id = $1")
            .bind(job)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(length, 80_000);
    assert_eq!(tail.len(), 64 * 1024);
    assert!(tail.ends_with(b"END"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn gpu_and_image_jobs_go_only_to_agents_that_can_run_them(db: PgPool) {
    let w = world(db).await;
    let mut gpu = benchmark("gpu-bench", &["alpha"], "public");
    gpu["resources"] = json!({"gpus": 1, "gpu_type": "a100"});
    gpu["image"] = json!(format!(
        "registry.example.org/eval@sha256:{}",
        "a".repeat(64)
    ));
    gpu.as_object_mut().unwrap().remove("command");
    w.app.create("/api/v1/benchmarks", gpu).await;
    start_run(&w.app, "gpu-bench", run_of("alpha/coder", "1", &[])).await;
    let ask = |executors: Value, gpu_types: Value| json!({"capabilities": {"executors": executors, "gpu_types": gpu_types}, "wait_seconds": 0});
    let call = |body: Value| {
        agent_call(
            &w.app,
            Method::POST,
            "/api/v1/agent/jobs/lease",
            &w.alpha1,
            Some(body),
        )
    };
    assert_eq!(
        call(ask(json!(["local"]), json!(["a100"]))).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(ask(json!(["kubernetes"]), json!(["v100"])))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(ask(json!(["kubernetes"]), json!(["a100"])))
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agent_requests_are_checked(db: PgPool) {
    let w = world(db).await;
    let no_executor = agent_call(
        &w.app,
        Method::POST,
        "/api/v1/agent/jobs/lease",
        &w.alpha1,
        Some(json!({"capabilities": {"executors": []}})),
    )
    .await;
    assert_eq!(no_executor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_executor.body["error"]["field"], "capabilities.executors");
    let people = w
        .app
        .call(
            Method::POST,
            "/api/v1/agent/jobs/lease",
            &w.app.admin().await,
            Some(json!({})),
        )
        .await;
    assert_eq!(people.status, StatusCode::UPGRADE_REQUIRED);
    start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
    let l = lease_one(&w.app, &w.alpha1).await;
    // Another organisation's agent cannot see the job.
    let other = report(&w.app, &w.beta, job_id(&l), running(&token(&l))).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn reapers_running_at_once_never_handle_a_job_twice(db: PgPool) {
    let w = world(db).await;
    let mut jobs = Vec::new();
    for _ in 0..6 {
        start_run(&w.app, "nace", run_of("alpha/coder", "1", &["alpha"])).await;
        let l = lease_one(&w.app, &w.alpha1).await;
        expire_lease(&w.app, job_id(&l)).await;
        jobs.push(job_id(&l));
    }
    let (a, b) = tokio::join!(reap_once(&w.app.db, 3600), reap_once(&w.app.db, 3600));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.requeued + b.requeued, 6, "{a:?} {b:?}");
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM benchmark_jobs WHERE state = 'queued' AND attempts = 1",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(queued, 6);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_job_no_agent_leases_in_time_expires(db: PgPool) {
    let w = world(db).await;
    let run = start_run(&w.app, "nace", run_of("alpha/coder", "1", &["beta"])).await;
    sqlx::query("UPDATE benchmark_jobs SET queued_at = now() - interval '2 hours'")
        .execute(&w.app.db)
        .await
        .unwrap();
    let reaped = reap_once(&w.app.db, 3600).await.unwrap();
    assert_eq!(reaped.expired, 1);
    let id = run["id"].as_i64().unwrap();
    let got = w
        .app
        .get(
            &format!("/api/v1/benchmarks/nace/runs/{id}"),
            &auth::As::Anonymous,
        )
        .await;
    assert_eq!(got.body["jobs"][0]["state"], "expired");
    assert_eq!(
        lease(&w.app, &w.beta, 0).await.status,
        StatusCode::NO_CONTENT
    );
}
