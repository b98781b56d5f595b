//! Two `agora-hub serve` replicas on two ports against one PostgreSQL database, with the
//! real binaries: a write through one is searchable through the other within a second;
//! the lease reaper never handles an expired lease twice though both run it; killing a
//! replica in the middle of an agent's sync loses nothing; `/metrics` counts what
//! happened; SIGTERM stops a replica at once though an agent's lease request waits.
//!
//! Two digest schedulers sending each digest once is checked in `digests.rs`
//! (`two_hub_replicas_schedule_and_send_each_digest_once`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agora_e2e::agent::{AgentHome, show};
use agora_e2e::jobs::JobWorld;
use agora_e2e::prometheus::Prometheus;
use agora_e2e::proxy::{Phase, Proxy};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, free_port, get_json, hub_command};
use serde_json::json;
use sqlx::{Connection, PgConnection};

/// One test at a time: each starts two hubs and agents, and the search deadline is about
/// the replicas, not about sharing the machine's cores with the other tests' six hubs.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// An agent daemon, killed on drop if a failing test leaves it running.
struct Daemon(std::process::Child);

impl Daemon {
    /// SIGTERM, then its exit status.
    async fn terminate(mut self) -> std::process::ExitStatus {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        loop {
            if let Some(status) = self.0.try_wait().expect("the agent's status") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A replica and the address of its `/metrics`.
struct Replica {
    hub: Hub,
    metrics: String,
}

impl Replica {
    /// `host:port` of its metrics listener.
    fn target(&self) -> &str {
        self.metrics
            .trim_start_matches("http://")
            .trim_end_matches("/metrics")
    }
}

async fn replica(db: &TestDb, env: &[(&str, &str)]) -> Replica {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut env: Vec<(&str, &str)> = env.to_vec();
    env.push(("AGORA_METRICS_LISTEN", &listen));
    let hub = Hub::start_with_env(&db.url, free_port(), None, &env).await;
    Replica {
        hub,
        metrics: format!("http://{listen}/metrics"),
    }
}

/// Waits until the replica's index is built and has applied every event, as its metrics
/// say (a replica answers requests before its first index build ends).
async fn caught_up(r: &Replica) {
    let started = Instant::now();
    loop {
        let text = scrape(&r.metrics).await;
        if value(&text, "agora_search_index_lag_events") == 0.0
            && value(&text, "agora_search_index_documents") > 0.0
        {
            assert_eq!(value(&text, "agora_search_index_lag_seconds"), 0.0);
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the index did not catch up: {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The exposition at `url`.
async fn scrape(url: &str) -> String {
    let response = reqwest::get(url)
        .await
        .expect("the metrics listener answers");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.text().await.expect("a text body")
}

/// The value of one series (`name{labels}`), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

/// A folder of `n` project manifests of `org`, each with a word no other item has.
fn manifests(org: &str, word: &str, n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let sub = dir.path().join(format!("p{i:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join("agora.yaml"),
            format!(
                "slug: {org}-{word}-{i:02}\ntitle: {word} pilot {i}\n\
                 summary: A {word} pilot study of {org}.\n\
                 organisations: [{org}]\nstage: pilot\nvisibility: public\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn folder_source(dir: &std::path::Path) -> String {
    format!(
        "batch_size = 2\n[[sources]]\nname = \"drive\"\ntype = \"folder\"\npath = \"{}\"\n",
        dir.display()
    )
}

/// How many public hits `q` has through a replica.
async fn hits(hub: &Hub, q: &str) -> u64 {
    get_json(&hub.url(&format!("/api/v1/search?q={q}&kind=project&per_page=100"))).await["total"]
        .as_u64()
        .unwrap_or(0)
}

/// Polls `hub`'s search until `q` has `want` hits; fails past one second after `since`.
async fn searchable_within_a_second(hub: &Hub, q: &str, want: u64, since: Instant) {
    let limit = Duration::from_secs(1);
    loop {
        let found = hits(hub, q).await;
        if found == want {
            return;
        }
        assert!(
            since.elapsed() < limit,
            "`{q}`: {found} of {want} hits through the other replica after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_write_through_one_replica_is_searchable_through_the_other_within_a_second() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let a = replica(&db, &[]).await;
    let b = replica(&db, &[]).await;
    // A real Prometheus scrapes both replicas and the daemon agent below.
    let agent_port = free_port();
    let agent_target = format!("127.0.0.1:{agent_port}");
    let prometheus = Prometheus::start(&[a.target(), b.target(), &agent_target]).await;
    for r in [&a, &b] {
        caught_up(r).await;
    }

    // One agent syncs through replica A, once.
    let paris = create_agent(&db.url, "insee", "paris-1");
    let insee = manifests("insee", "quokka", 5);
    let agent_a = AgentHome::new(
        &a.hub.base_url,
        &paris,
        "insee",
        &folder_source(insee.path()),
    );
    let out = agent_a.run(&["sync", "--once"]).await;
    assert!(out.status.success(), "{}", show(&out));
    searchable_within_a_second(&b.hub, "quokka", 5, Instant::now()).await;

    // A write through B's API is found through A.
    let admin = admin_token(&db.url).await;
    let written = reqwest::Client::new()
        .post(b.hub.url("/api/v1/projects"))
        .bearer_auth(&admin)
        .json(&json!({"slug": "wombat-census", "title": "Wombat census",
                      "summary": "Counting wombats with imagery.", "organisations": ["inegi"],
                      "stage": "idea", "visibility": "public"}))
        .send()
        .await
        .unwrap();
    let at = Instant::now();
    assert!(written.status().is_success(), "{}", written.status());
    searchable_within_a_second(&a.hub, "wombat", 1, at).await;

    // The other office's agent runs as a daemon through B, with its own metrics.
    let mexico = create_agent(&db.url, "inegi", "aguascalientes-1");
    let inegi = manifests("inegi", "axolotl", 4);
    let agent_b = AgentHome::new(
        &b.hub.base_url,
        &mexico,
        "inegi",
        &format!(
            "interval = \"1h\"\nmetrics_listen = \"127.0.0.1:{agent_port}\"\n{}",
            folder_source(inegi.path())
        ),
    );
    let daemon = Daemon(agent_b.spawn(&["run"]));
    let agent_metrics = format!("http://127.0.0.1:{agent_port}/metrics");
    let started = Instant::now();
    loop {
        if let Ok(r) = reqwest::get(&agent_metrics).await
            && let Ok(text) = r.text().await
            && value(&text, "agora_agent_sync_items_total{outcome=\"added\"}") == 4.0
            && value(&text, "agora_agent_spool_batches") == 0.0
        {
            // Everything delivered, the epoch completion too.
            assert_eq!(value(&text, "agora_agent_spool_bytes"), 0.0, "{text}");
            assert_eq!(value(&text, "agora_agent_jobs{state=\"running\"}"), 0.0);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the daemon did not sync through B"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let synced = Instant::now();
    searchable_within_a_second(&a.hub, "axolotl", 4, synced).await;

    // Each replica counted what went through it, under the route template.
    let (ma, mb) = (scrape(&a.metrics).await, scrape(&b.metrics).await);
    agora_e2e::prometheus::lint(&ma);
    agora_e2e::prometheus::lint(&scrape(&agent_metrics).await);
    for (text, added) in [(&ma, 5.0), (&mb, 4.0)] {
        assert_eq!(
            value(text, "agora_sync_items_total{outcome=\"added\"}"),
            added,
            "{text}"
        );
        assert_eq!(
            value(text, "agora_sync_items_total{outcome=\"withdrawn\"}"),
            0.0
        );
        // Two items a batch: ceil(5 / 2) and ceil(4 / 2).
        let batches = value(
            text,
            "agora_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/agent/sync/batches\",status=\"2xx\"}",
        );
        assert_eq!(batches, (added / 2.0).ceil(), "{text}");
        assert!(
            text.contains("route=\"/api/v1/agent/sync/epochs/{epoch}/complete\""),
            "{text}"
        );
        assert!(value(text, "agora_search_index_documents") > 0.0);
        assert!(text.contains("# TYPE agora_digest_messages_total counter"));
        assert!(text.contains("agora_jobs{state=\"queued\"}"), "{text}");
    }
    // Both indexes catch up with every event (the last writes may be a poll away).
    for r in [&a, &b] {
        caught_up(r).await;
    }
    // Prometheus reads all three and adds them up.
    let limit = Duration::from_secs(30);
    prometheus
        .wait_for("count(up{job=\"agora\"} == 1)", 3.0, limit)
        .await;
    prometheus
        .wait_for("sum(agora_sync_items_total{outcome=\"added\"})", 9.0, limit)
        .await;
    prometheus
        .wait_for(
            "sum(agora_agent_sync_items_total{outcome=\"added\"})",
            4.0,
            limit,
        )
        .await;
    let route = "route=\"/api/v1/agent/sync/batches\"";
    prometheus
        .wait_for(
            &format!("sum(agora_http_request_duration_seconds_count{{{route}}})"),
            5.0,
            limit,
        )
        .await;
    let slowest = prometheus
        .value(&format!(
            "histogram_quantile(1, sum by (le) (agora_http_request_duration_seconds_bucket{{{route}}}))"
        ))
        .await
        .expect("a latency quantile");
    assert!(slowest > 0.0 && slowest <= 30.0, "{slowest}");
    // Metrics are not served on the public listener.
    let public = reqwest::get(a.hub.url("/metrics")).await.unwrap();
    assert_eq!(public.status(), 404);

    let status = daemon.terminate().await;
    assert!(status.success(), "{status:?}");
    drop((a, b, prometheus));
    db.drop_now().await;
}

#[tokio::test]
async fn a_replica_killed_while_an_agent_syncs_through_it_loses_nothing() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let a = replica(&db, &[]).await;
    let b = replica(&db, &[]).await;
    caught_up(&b).await;
    let a_pid = a.hub.pid();
    let batches = Arc::new(AtomicUsize::new(0));
    let seen = batches.clone();
    // The load balancer in front of the replicas: A applies the third batch, then dies
    // (SIGKILL) before its answer leaves.
    let balancer = Proxy::start(
        &a.hub.base_url,
        Box::new(move |phase, _, what| {
            if phase == Phase::After
                && what.contains("/sync/batches")
                && seen.fetch_add(1, Ordering::SeqCst) + 1 == 3
            {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &a_pid.to_string()])
                    .status();
                return true;
            }
            false
        }),
    )
    .await;
    let folder = manifests("insee", "pangolin", 12);
    let agent = AgentHome::new(
        &balancer.url,
        &token,
        "insee",
        &format!("interval = \"1h\"\n{}", folder_source(folder.path())),
    );
    let daemon = Daemon(agent.spawn(&["run"]));
    let started = Instant::now();
    while batches.load(Ordering::SeqCst) < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the agent did not sync"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The balancer notices A is gone and sends everything to B; the agent replays its
    // spool there with back-off.
    balancer.set_upstream(&b.hub.base_url);
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    loop {
        let completed: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sync_epochs WHERE completed_at IS NOT NULL")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        if completed == 1 && agent.spooled() == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the agent did not finish through B (spooled: {})",
            agent.spooled()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Every project once, with one event each, and found through B.
    let created: Vec<(String, i64)> = sqlx::query_as(
        "SELECT subject, count(*) FROM events WHERE kind = 'project.created' \
         AND subject LIKE 'insee-pangolin-%' GROUP BY subject ORDER BY subject",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let expected: Vec<String> = (1..=12).map(|i| format!("insee-pangolin-{i:02}")).collect();
    let seen: Vec<String> = created
        .iter()
        .flat_map(|(subject, n)| std::iter::repeat_n(subject.clone(), *n as usize))
        .collect();
    let (lost, duplicated) = agora_e2e::faults::lost_and_duplicated(&expected, &seen);
    agora_e2e::faults::report("replica-killed-mid-sync", lost, duplicated);
    assert_eq!(created.len(), 12, "{created:?}");
    assert!(created.iter().all(|(_, n)| *n == 1), "{created:?}");
    let unanswered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sync_batches WHERE result IS NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(unanswered, 0);
    let synced = Instant::now();
    searchable_within_a_second(&b.hub, "pangolin", 12, synced).await;
    // B applied the three batches A never answered for, and answered the one A had
    // applied (which the agent sent again) from its stored result, counting it nowhere.
    let mb = scrape(&b.metrics).await;
    assert_eq!(
        value(&mb, "agora_sync_items_total{outcome=\"added\"}"),
        6.0,
        "{mb}"
    );
    let status = daemon.terminate().await;
    assert!(status.success(), "{status:?}");
    drop((a, b, balancer));
    db.drop_now().await;
}

/// Leases every queued job of `org` through `hub` as its agent, without ever reporting.
async fn lease_all(hub: &Hub, token: &str) -> usize {
    let client = reqwest::Client::new();
    let mut leased = 0;
    loop {
        let answer = client
            .post(hub.url("/api/v1/agent/jobs/lease"))
            .bearer_auth(token)
            .header("agora-protocol", "1")
            .header("user-agent", "agora-agent/0.1.0")
            .json(&json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 0}))
            .send()
            .await
            .expect("the hub answers");
        match answer.status().as_u16() {
            200 => leased += 1,
            204 => return leased,
            other => panic!("lease: {other} {}", answer.text().await.unwrap_or_default()),
        }
    }
}

#[tokio::test]
async fn two_reapers_return_each_expired_lease_to_the_queue_once() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let db = TestDb::create().await;
    // Short leases and a reaper pass every second on both replicas.
    let env = [
        ("AGORA_JOB_LEASE_SECONDS", "3"),
        ("AGORA_JOB_HEARTBEAT_SECONDS", "1"),
        ("AGORA_JOB_REAPER_SECONDS", "1"),
    ];
    let mut env_a = env.to_vec();
    let metrics_a = format!("127.0.0.1:{}", free_port());
    env_a.push(("AGORA_METRICS_LISTEN", &metrics_a));
    let world = JobWorld::new(&db.url, &env_a).await;
    let b = replica(&db, &env).await;
    for _ in 0..6 {
        world.start_run("1", &["insee", "inegi"]).await;
    }
    let insee = create_agent(&db.url, "insee", "paris-1");
    let inegi = create_agent(&db.url, "inegi", "aguascalientes-1");
    // Leased through both replicas; nobody reports, so every lease expires.
    let leased = lease_all(&world.hub, &insee).await + lease_all(&b.hub, &inegi).await;
    assert_eq!(leased, 12);
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let started = Instant::now();
    loop {
        let states: Vec<(String, i32, i64)> = sqlx::query_as(
            "SELECT state::text, attempts, count(*) FROM benchmark_jobs GROUP BY 1, 2",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        if states == [("queued".to_string(), 1, 12)] {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the leases were not returned to the queue: {states:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Between them the two reapers handled each expired lease exactly once.
    let series = "agora_job_lease_expiries_total{outcome=\"requeued\"}";
    let (ma, mb) = (
        scrape(&format!("http://{metrics_a}/metrics")).await,
        scrape(&b.metrics).await,
    );
    let handled = (value(&ma, series) + value(&mb, series)) as usize;
    agora_e2e::faults::report(
        "replicas-racing-for-leases",
        12usize.saturating_sub(handled),
        handled.saturating_sub(12),
    );
    assert_eq!(handled, 12, "{ma}\n{mb}");
    assert_eq!(
        value(&ma, "agora_job_lease_expiries_total{outcome=\"failed\"}"),
        0.0
    );
    for text in [&ma, &mb] {
        assert_eq!(value(text, "agora_jobs{state=\"queued\"}"), 12.0, "{text}");
        assert_eq!(value(text, "agora_jobs{state=\"leased\"}"), 0.0, "{text}");
    }
    drop((world, b));
    db.drop_now().await;
}

#[tokio::test]
async fn sigterm_stops_a_replica_at_once_while_a_lease_request_waits() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let db = TestDb::create().await;
    // The longest wait a lease request may ask for: 30 s.
    let mut r = replica(&db, &[("AGORA_JOB_MAX_WAIT_SECONDS", "30")]).await;
    // An office with no job queued, so the request waits.
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query(
        "INSERT INTO organisations (slug, name, kind, country) \
         VALUES ('insee', 'INSEE', 'national-statistical-office', 'FR')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let token = create_agent(&db.url, "insee", "paris-1");
    let url = r.hub.url("/api/v1/agent/jobs/lease");
    let poll = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .header("agora-protocol", "1")
            .header("user-agent", "agora-agent/0.1.0")
            .json(&json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 30}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    let started = Instant::now();
    while value(
        &scrape(&r.metrics).await,
        "agora_job_lease_requests_waiting",
    ) < 1.0
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the lease request never waited"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Far less than the 30 s the request may wait: it is answered, then the hub exits 0.
    let status = r.hub.terminate(Duration::from_secs(10)).await;
    let status = status.expect("the hub exits without waiting for the long poll");
    assert!(status.success(), "{status:?}");
    let answered = poll.await.unwrap();
    assert_eq!(answered.ok(), Some(204));
    db.drop_now().await;
}
