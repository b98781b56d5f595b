//! Benchmark jobs end to end: the real hub, real agents, a real evaluation script run by
//! the local executor and by a real single-node Slurm, results on the leaderboard.

use std::time::Duration;

use agora_e2e::TestDb;
use agora_e2e::jobs::JobWorld;
use serde_json::Value;

fn job_of<'a>(run: &'a Value, org: &str) -> &'a Value {
    run["jobs"]
        .as_array()
        .and_then(|jobs| jobs.iter().find(|j| j["organisation"] == org))
        .unwrap_or_else(|| panic!("no job for {org}: {run:#}"))
}

fn succeeded(job: &Value) -> bool {
    job["state"] == "succeeded"
}

fn finished(job: &Value) -> bool {
    matches!(
        job["state"].as_str(),
        Some("succeeded" | "failed" | "refused" | "cancelled" | "expired")
    )
}

#[tokio::test]
async fn a_run_at_two_offices_goes_through_the_local_executor_and_slurm_onto_the_leaderboard() {
    let db = TestDb::create().await;
    let world = JobWorld::new(&db.url, &[]).await;
    let insee = world.agent("insee", "insee-local", "local", "");
    let inegi = world.agent("inegi", "inegi-hpc", "slurm", "");
    let run = world.start_run("2", &["insee", "inegi"]).await;
    let done = world
        .wait_run(run, Duration::from_secs(180), finished)
        .await;
    for org in ["insee", "inegi"] {
        let job = job_of(&done, org);
        assert_eq!(job["state"], "succeeded", "{job:#}");
        assert_eq!(job["metrics"]["accuracy"], 1.0, "{job:#}");
        let log = job["log_tail"].as_str().unwrap_or_default();
        assert!(
            log.contains("scored 8 rows") && log.contains("split test"),
            "{log}"
        );
    }
    let slurm_job = job_of(&done, "inegi");
    assert_eq!(slurm_job["executor"], "slurm");
    assert!(
        slurm_job["external_id"]
            .as_str()
            .is_some_and(|id| id.parse::<u64>().is_ok())
    );
    assert_eq!(slurm_job["hardware"]["node"], "localhost", "{slurm_job:#}");

    let board = world
        .get("/api/v1/benchmarks/nace-coding/leaderboard")
        .await;
    let entries = board["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{board:#}");
    let mut by_org: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            assert_eq!(e["value"], 1.0, "{e}");
            assert_eq!(e["rank"], 1, "{e}");
            (
                e["organisation"].as_str().unwrap_or_default().to_string(),
                e["executor"].as_str().unwrap_or_default().to_string(),
                e["agent"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    by_org.sort();
    assert_eq!(
        by_org,
        [
            (
                "inegi".to_string(),
                "slurm".to_string(),
                "inegi/inegi-hpc".to_string()
            ),
            (
                "insee".to_string(),
                "local".to_string(),
                "insee/insee-local".to_string()
            ),
        ]
    );
    // The leaderboard page, as anyone reads it: the chart and both results with who
    // produced them.
    let page = reqwest::get(world.hub.url("/benchmarks/nace-coding"))
        .await
        .expect("the page")
        .text()
        .await
        .expect("its text");
    assert!(page.contains("<svg"), "no chart: {page}");
    for produced_by in ["inegi-hpc · slurm", "insee-local · local"] {
        assert!(page.contains(produced_by), "{produced_by} missing: {page}");
    }
    let csv = reqwest::get(world.hub.url("/benchmarks/nace-coding/leaderboard.csv"))
        .await
        .expect("the CSV")
        .text()
        .await
        .expect("its text");
    assert!(
        csv.contains("inegi") && csv.contains("slurm") && csv.contains("insee"),
        "{csv}"
    );
    drop((insee, inegi));
    db.drop_now().await;
}

#[tokio::test]
async fn the_leaderboard_keeps_each_model_s_best_version_at_each_office() {
    let db = TestDb::create().await;
    let world = JobWorld::new(&db.url, &[]).await;
    let agent = world.agent("insee", "insee-local", "local", "max_concurrent = 2");
    let first = world.start_run("1", &["insee"]).await;
    let second = world.start_run("2", &["insee"]).await;
    let mut values = Vec::new();
    for run in [first, second] {
        let done = world
            .wait_run(run, Duration::from_secs(120), succeeded)
            .await;
        values.push(job_of(&done, "insee")["metrics"]["accuracy"].clone());
    }
    assert_eq!(values, [0.75, 1.0]);
    let board = world
        .get("/api/v1/benchmarks/nace-coding/leaderboard")
        .await;
    let entries = board["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{board:#}");
    assert_eq!(entries[0]["model"]["version"], "2", "{board:#}");
    assert_eq!(entries[0]["value"], 1.0);
    drop(agent);
    db.drop_now().await;
}

#[tokio::test]
async fn two_agents_racing_for_jobs_never_share_one() {
    let db = TestDb::create().await;
    let world = JobWorld::new(&db.url, &[]).await;
    let a = world.agent("insee", "insee-a", "local", "max_concurrent = 2");
    let b = world.agent("insee", "insee-b", "local", "max_concurrent = 2");
    let mut runs = Vec::new();
    for i in 0..8 {
        runs.push(
            world
                .start_run(if i % 2 == 0 { "1" } else { "2" }, &["insee"])
                .await,
        );
    }
    for run in &runs {
        let done = world
            .wait_run(*run, Duration::from_secs(180), finished)
            .await;
        let job = job_of(&done, "insee");
        assert_eq!(job["state"], "succeeded", "{job:#}");
        assert_eq!(job["attempts"], 1, "leased more than once: {job:#}");
    }
    // Neither agent was ever told its lease belonged to someone else.
    for agent in [a, b] {
        let (code, stderr) = agent.stop();
        assert_eq!(code, Some(0), "{stderr}");
        assert!(!stderr.contains("lease lost"), "{stderr}");
    }
    let results = count_results(&db.url).await as usize;
    agora_e2e::faults::report(
        "agents-racing-for-leases",
        8usize.saturating_sub(results),
        results.saturating_sub(8),
    );
    db.drop_now().await;
}

#[tokio::test]
async fn a_killed_agent_s_job_is_requeued_and_completed_once_by_another() {
    let db = TestDb::create().await;
    // Short leases: two seconds without a heartbeat and the job returns to the queue.
    let world = JobWorld::new(
        &db.url,
        &[
            ("AGORA_JOB_LEASE_SECONDS", "3"),
            ("AGORA_JOB_HEARTBEAT_SECONDS", "1"),
            ("AGORA_JOB_REAPER_SECONDS", "1"),
        ],
    )
    .await;
    // The first agent's copy of the data makes the evaluation hang; the second's does not.
    let slow = world.dir.path().join("insee-slow.csv");
    std::fs::copy(world.dir.path().join("insee.csv"), &slow).unwrap();
    std::fs::write(world.dir.path().join("insee-slow.csv.hang"), "").unwrap();
    let mut first = world.agent_with_data("insee", "insee-a", "local", "", &slow);
    let run = world.start_run("2", &["insee"]).await;
    world
        .wait_run(run, Duration::from_secs(60), |j| j["state"] == "running")
        .await;
    first.kill();
    // The orphaned evaluation is this test's to stop.
    let pid_file = world.dir.path().join("insee-slow.csv.pid");
    let orphan = async {
        for _ in 0..100 {
            if let Ok(pid) = std::fs::read_to_string(&pid_file) {
                return pid.trim().to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the evaluation never started");
    }
    .await;
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &orphan])
        .status();
    let second = world.agent("insee", "insee-b", "local", "");
    let done = world
        .wait_run(run, Duration::from_secs(120), finished)
        .await;
    let job = job_of(&done, "insee");
    assert_eq!(job["state"], "succeeded", "{job:#}");
    assert_eq!(job["attempts"], 2, "{job:#}");
    assert_eq!(job["agent"], "insee/insee-b", "{job:#}");
    let results = count_results(&db.url).await as usize;
    agora_e2e::faults::report(
        "agent-killed-mid-job",
        usize::from(results == 0),
        results.saturating_sub(1),
    );
    let board = world
        .get("/api/v1/benchmarks/nace-coding/leaderboard")
        .await;
    assert_eq!(
        board["entries"].as_array().map(Vec::len),
        Some(1),
        "{board:#}"
    );
    assert_eq!(board["entries"][0]["agent"], "insee/insee-b");
    drop(second);
    db.drop_now().await;
}

async fn count_results(url: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("the test database");
    sqlx::query_scalar("SELECT count(*) FROM benchmark_results")
        .fetch_one(&mut conn)
        .await
        .expect("count")
}

#[tokio::test]
async fn cancelling_a_run_on_the_hub_reaches_the_running_slurm_job() {
    let db = TestDb::create().await;
    let world = JobWorld::new(&db.url, &[]).await;
    // This copy of the data makes the evaluation hang until it is cancelled.
    let slow = world.dir.path().join("inegi-slow.csv");
    std::fs::copy(world.dir.path().join("inegi.csv"), &slow).unwrap();
    std::fs::write(world.dir.path().join("inegi-slow.csv.hang"), "").unwrap();
    let agent = world.agent_with_data("inegi", "inegi-hpc", "slurm", "", &slow);
    let run = world.start_run("2", &["inegi"]).await;
    let running = world
        .wait_run(run, Duration::from_secs(120), |j| {
            j["state"] == "running" && j["external_id"].is_string()
        })
        .await;
    let slurm_id = job_of(&running, "inegi")["external_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // The evaluation itself is running inside Slurm.
    let pid_file = world.dir.path().join("inegi-slow.csv.pid");
    wait_until("the evaluation to start", || pid_file.exists()).await;
    assert_eq!(scontrol_state(&slurm_id), "RUNNING");
    world
        .post(
            &format!("/api/v1/benchmarks/nace-coding/runs/{run}/cancel"),
            serde_json::json!({"reason": "wrong model version"}),
        )
        .await;
    wait_until("Slurm to cancel the job", || {
        scontrol_state(&slurm_id) == "CANCELLED"
    })
    .await;
    let done = world.wait_run(run, Duration::from_secs(60), finished).await;
    assert_eq!(job_of(&done, "inegi")["state"], "cancelled", "{done:#}");
    assert_eq!(count_results(&db.url).await, 0);
    drop(agent);
    db.drop_now().await;
}

/// `scontrol show job ID`'s `JobState=` on the local cluster.
fn scontrol_state(id: &str) -> String {
    let out = std::process::Command::new("scontrol")
        .args(["show", "job", id])
        .env("SLURM_CONF", agora_e2e::jobs::slurm_conf())
        .output()
        .expect("scontrol runs");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("JobState="))
        .unwrap_or_default()
        .to_string()
}

async fn wait_until(what: &str, check: impl Fn() -> bool) {
    let started = std::time::Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "waited in vain for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
