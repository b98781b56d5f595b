//! Job dispatch benchmark: the real hub, many simulated agents long-polling
//! `POST /api/v1/agent/jobs/lease`, and runs queued one after another through the API.
//! Prints the queued-to-leased latency (p50, p99, max, measured on the hub's clock from
//! `benchmark_jobs.queued_at` and `leased_at`) and the hub's resident memory while it holds
//! many open long polls.
//!
//! ```sh
//! cargo build --release --bins
//! cargo run --release -p agora-e2e --bin jobs-bench -- [AGENTS] [JOBS] [POLLS]
//! ```
//!
//! Defaults: 100 agents, 1,000 jobs, 1,000 open long polls (the process needs
//! `ulimit -n` above POLLS + 100). Agents are spread over four organisations; each job goes
//! to one organisation, round robin, and the agent that leases it reports it succeeded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agora_e2e::{Hub, TestDb, admin_token, hub_command};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};

const ORGANISATIONS: [&str; 4] = ["insee", "inegi", "scb", "ons"];

/// Makes `n` agents straight in the database (as `agora-hub agent create` would, without a
/// process per agent) and returns (organisation, token) pairs.
async fn agents(url: &str, n: usize, prefix: &str) -> Vec<(String, String)> {
    let mut conn = PgConnection::connect(url).await.expect("the database");
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let org = ORGANISATIONS[i % ORGANISATIONS.len()];
        let token = format!("agt_{prefix}{i:06}{}", uuid::Uuid::new_v4().simple());
        sqlx::query(
            "INSERT INTO agents (organisation_id, name, token_hash, token_prefix) \
             SELECT id, $2, $3, $4 FROM organisations WHERE slug = $1",
        )
        .bind(org)
        .bind(format!("{prefix}-{i}"))
        .bind(hex(&Sha256::digest(token.as_bytes())))
        .bind(&token[..12])
        .execute(&mut conn)
        .await
        .expect("an agent");
        out.push((org.to_string(), token));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn agent_request(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
) -> reqwest::RequestBuilder {
    client
        .request(method, url)
        .bearer_auth(token)
        .header("Agora-Protocol", "1")
        .header("User-Agent", "agora-agent/bench")
}

/// One simulated agent: lease (long poll), report success at once, again until `stop`.
async fn agent_loop(base: String, token: String, stop: Arc<AtomicBool>, done: Arc<AtomicUsize>) {
    let client = reqwest::Client::new();
    while !stop.load(Ordering::Relaxed) {
        let leased = agent_request(
            &client,
            reqwest::Method::POST,
            format!("{base}/api/v1/agent/jobs/lease"),
            &token,
        )
        .json(&json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 30}))
        .send()
        .await;
        let Ok(answer) = leased else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if answer.status() != reqwest::StatusCode::OK {
            continue;
        }
        let Ok(lease) = answer.json::<serde_json::Value>().await else {
            continue;
        };
        let report = json!({"lease_token": lease["lease_token"], "state": "succeeded",
                            "executor": "local", "metrics": {"accuracy": 0.9}});
        let url = format!("{base}/api/v1/agent/jobs/{}", lease["job_id"]);
        if let Ok(r) = agent_request(&client, reqwest::Method::PUT, url, &token)
            .json(&report)
            .send()
            .await
            && r.status().is_success()
        {
            done.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("AGENTS, JOBS and POLLS are numbers"))
        .collect();
    let n_agents = args.first().copied().unwrap_or(100);
    let n_jobs = args.get(1).copied().unwrap_or(1000);
    let n_polls = args.get(2).copied().unwrap_or(1000);

    let db = TestDb::create().await;
    assert!(
        hub_command(&db.url, &["seed-demo"]).status.success(),
        "seed-demo"
    );
    let hub = Hub::start(&db.url).await;
    let admin = admin_token(&db.url).await;
    let client = reqwest::Client::new();
    let participants: Vec<_> = ORGANISATIONS
        .iter()
        .map(|o| json!({"organisation": o, "dataset": format!("{o}-bench")}))
        .collect();
    let created = client
        .post(hub.url("/api/v1/benchmarks"))
        .bearer_auth(&admin)
        .json(&json!({"slug": "dispatch-bench", "title": "Dispatch benchmark", "description": "Latency.",
                      "task": "coding", "metrics": [{"name": "accuracy", "direction": "maximize"}],
                      "primary_metric": "accuracy", "command": ["true"], "participants": participants,
                      "visibility": "public"}))
        .send()
        .await
        .expect("the hub answers");
    assert!(created.status().is_success(), "{:?}", created.text().await);

    // Agents long-poll; runs are queued one after another.
    let tokens = agents(&db.url, n_agents, "bench").await;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (_, token) in &tokens {
        tasks.push(tokio::spawn(agent_loop(
            hub.base_url.clone(),
            token.clone(),
            stop.clone(),
            done.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    for i in 0..n_jobs {
        let org = ORGANISATIONS[i % ORGANISATIONS.len()];
        let run = client
            .post(hub.url("/api/v1/benchmarks/dispatch-bench/runs"))
            .bearer_auth(&admin)
            .json(
                &json!({"model": {"organisation": "insee", "name": "naf-coder", "version": "3"},
                          "organisations": [org]}),
            )
            .send()
            .await
            .expect("the hub answers");
        assert!(run.status().is_success(), "{:?}", run.text().await);
    }
    let queued_in = started.elapsed();
    while done.load(Ordering::Relaxed) < n_jobs {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "jobs did not all complete"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained_in = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for t in &tasks {
        t.abort();
    }

    let mut conn = PgConnection::connect(&db.url).await.expect("the database");
    let mut latencies: Vec<f64> = sqlx::query_scalar(
        "SELECT (extract(epoch FROM leased_at - queued_at) * 1000)::float8 FROM benchmark_jobs \
         WHERE attempts = 1 AND leased_at IS NOT NULL",
    )
    .fetch_all(&mut conn)
    .await
    .expect("latencies");
    latencies.sort_by(f64::total_cmp);
    let twice: i64 = sqlx::query_scalar("SELECT count(*) FROM benchmark_jobs WHERE attempts > 1")
        .fetch_one(&mut conn)
        .await
        .expect("attempts");

    // Many open long polls: each agent token holds several.
    let pollers = agents(&db.url, n_polls.div_ceil(10).max(1), "poll").await;
    // Let the search indexer take in the runs' events first: its memory is not the polls'.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_rss = rss_kib(hub.pid());
    let mut polls = Vec::new();
    for i in 0..n_polls {
        let (_, token) = pollers[i % pollers.len()].clone();
        let base = hub.base_url.clone();
        polls.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            agent_request(
                &client,
                reqwest::Method::POST,
                format!("{base}/api/v1/agent/jobs/lease"),
                &token,
            )
            .json(&json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 30}))
            .send()
            .await
            .map(|r| r.status().as_u16())
        }));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let polls_rss = rss_kib(hub.pid());
    let still_open = polls.iter().filter(|p| !p.is_finished()).count();
    for p in &polls {
        p.abort();
    }

    println!("agents                     {n_agents}");
    println!(
        "jobs                       {n_jobs} (queued in {queued_in:.2?}, all succeeded after {drained_in:.2?})"
    );
    println!("jobs leased more than once {twice}");
    println!(
        "queued -> leased           p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "hub RSS                    {:.1} MiB idle, {:.1} MiB with {still_open} of {n_polls} long polls open",
        idle_rss as f64 / 1024.0,
        polls_rss as f64 / 1024.0
    );
    drop(hub);
    db.drop_now().await;
}
