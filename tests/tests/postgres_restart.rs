//! PostgreSQL restarted while requests flow, with the real hub on a private PostgreSQL
//! server (never the machine's shared one): writes and reads go on while the server stops
//! and starts again. `/readyz` answers 503 while it is down and 200 once it is back; the
//! hub reconnects by itself; no request hangs; the only 5xx answers are 503s during the
//! outage; every write is stored exactly once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agora_e2e::faults::{lost_and_duplicated, report};
use agora_e2e::postgres::PrivatePostgres;
use agora_e2e::{Hub, admin_token, hub_command};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use tokio::sync::Mutex;

/// Writes made before the outage, and after it, before the writer stops.
const WRITES_EACH_SIDE: usize = 10;
/// A request that takes longer than this is a hang.
const HANG: Duration = Duration::from_secs(20);

/// One answered (or failed) request: when it was sent and answered, what it was, and its
/// status (`None`: no answer at all, such as a refused connection).
#[derive(Debug, Clone)]
struct Exchange {
    sent: Instant,
    answered: Instant,
    what: String,
    status: Option<u16>,
    timed_out: bool,
}

type Log = Arc<Mutex<Vec<Exchange>>>;

async fn send(log: &Log, what: String, request: reqwest::RequestBuilder) -> Option<u16> {
    let sent = Instant::now();
    let result = request.timeout(HANG).send().await;
    let (status, timed_out) = match &result {
        Ok(r) => (Some(r.status().as_u16()), false),
        Err(e) => (None, e.is_timeout()),
    };
    log.lock().await.push(Exchange {
        sent,
        answered: Instant::now(),
        what,
        status,
        timed_out,
    });
    status
}

fn slug(i: usize) -> String {
    format!("flow-{i:03}")
}

/// Creates organisations in order until told to stop, and returns how many; a write that
/// failed is sent again until it is stored (201) or found stored already (409: the first
/// try was committed, its answer lost). The stop is only seen between two organisations.
async fn writer(
    base: String,
    token: String,
    log: Log,
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) -> usize {
    let http = reqwest::Client::new();
    let mut i = 0;
    while !stop.load(Ordering::SeqCst) {
        loop {
            let body = json!({"slug": slug(i), "name": format!("Flow {i}"), "kind": "other"});
            let request = http
                .post(format!("{base}/api/v1/organisations"))
                .bearer_auth(&token)
                .json(&body);
            match send(&log, format!("POST {}", slug(i)), request).await {
                Some(201 | 409) => break,
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        i += 1;
        done.store(i, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    i
}

/// Reads the list and probes `/readyz` until told to stop.
async fn reader(base: String, log: Log, stop: Arc<AtomicBool>) {
    let http = reqwest::Client::new();
    while !stop.load(Ordering::SeqCst) {
        let list = http.get(format!("{base}/api/v1/organisations?per_page=100"));
        send(&log, "GET /api/v1/organisations".into(), list).await;
        let ready = http.get(format!("{base}/readyz"));
        send(&log, "GET /readyz".into(), ready).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "waited in vain for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn readyz(base: &str) -> Option<u16> {
    reqwest::Client::new()
        .get(format!("{base}/readyz"))
        .timeout(HANG)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test]
async fn postgres_restarted_while_requests_flow_loses_and_duplicates_nothing() {
    let pg = PrivatePostgres::start();
    let url = pg.url("postgres");
    let migrated = hub_command(&url, &["migrate"]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let token = admin_token(&url).await;
    let hub = Hub::start(&url).await;
    let base = hub.base_url.clone();

    let log: Log = Arc::default();
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writing = tokio::spawn(writer(
        base.clone(),
        token,
        log.clone(),
        done.clone(),
        stop.clone(),
    ));
    let reading = tokio::spawn(reader(base.clone(), log.clone(), stop.clone()));

    wait_for("the first writes", Duration::from_secs(60), async || {
        done.load(Ordering::SeqCst) >= WRITES_EACH_SIDE
    })
    .await;

    // The outage: from the stop until `/readyz` answers 200 again.
    let outage_start = Instant::now();
    let stopping = tokio::task::spawn_blocking(move || {
        pg.stop_server();
        pg
    });
    let pg = stopping.await.expect("pg_ctl stop");
    let mut down_answer = None;
    wait_for("/readyz to report the outage", HANG, async || {
        down_answer = readyz(&base).await;
        down_answer == Some(503)
    })
    .await;
    // Requests keep flowing into the outage: wait until a write has failed in it.
    wait_for("a write to meet the outage", HANG * 2, async || {
        log.lock()
            .await
            .iter()
            .any(|e| e.what.starts_with("POST") && e.sent >= outage_start && e.status != Some(201))
    })
    .await;
    let pg = tokio::task::spawn_blocking(move || {
        pg.start_server();
        pg
    })
    .await
    .expect("pg_ctl start");
    wait_for(
        "/readyz to report the recovery",
        Duration::from_secs(60),
        async || readyz(&base).await == Some(200),
    )
    .await;
    let outage_end = Instant::now();
    let at_recovery = done.load(Ordering::SeqCst);
    wait_for(
        "writes after the restart",
        Duration::from_secs(60),
        async || done.load(Ordering::SeqCst) >= at_recovery + WRITES_EACH_SIDE,
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    let written = tokio::time::timeout(HANG * 2, writing)
        .await
        .expect("the writer stops")
        .expect("the writer");
    reading.await.expect("the reader");

    let log = log.lock().await.clone();
    let hung: Vec<&Exchange> = log.iter().filter(|e| e.timed_out).collect();
    assert!(hung.is_empty(), "requests hung: {hung:?}");
    // A 5xx (or no answer) only for a request that overlapped the outage, and then a 503.
    let in_outage = |e: &Exchange| e.answered >= outage_start && e.sent <= outage_end;
    let bad: Vec<&Exchange> = log
        .iter()
        .filter(|e| match e.status {
            Some(s) if s >= 500 => !(in_outage(e) && s == 503),
            None => !in_outage(e),
            Some(_) => false,
        })
        .collect();
    assert!(
        bad.is_empty(),
        "5xx outside the outage, or other than 503: {bad:#?}"
    );
    let during = log.iter().filter(|e| in_outage(e)).count();
    let failed = log
        .iter()
        .filter(|e| in_outage(e) && e.status.is_none_or(|s| s >= 500))
        .count();
    assert!(failed > 0, "some requests met the outage");
    let after = log
        .iter()
        .filter(|e| e.sent > outage_end && e.status == Some(201))
        .count();
    assert!(
        after > 0,
        "writes succeed after the restart: the hub reconnected"
    );
    eprintln!(
        "{} requests, {during} during the outage ({failed} answered 503 or not at all), \
         {written} writes, {after} of them after it",
        log.len()
    );

    let mut conn = PgConnection::connect(&url).await.expect("the database");
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT slug::text FROM organisations WHERE slug LIKE 'flow-%' ORDER BY slug",
    )
    .fetch_all(&mut conn)
    .await
    .expect("organisations");
    let created: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM events WHERE kind = 'organisation.created' AND subject LIKE 'flow-%'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("events");
    // Every write the writer saw confirmed, before, during and after the outage.
    let expected: Vec<String> = (0..written).map(slug).collect();
    let (lost, duplicated) = lost_and_duplicated(&expected, &stored);
    let (lost_events, duplicated_events) = lost_and_duplicated(&expected, &created);
    report(
        "postgres-restarted",
        lost + lost_events,
        duplicated + duplicated_events,
    );
    drop(hub);
    drop(pg);
}
