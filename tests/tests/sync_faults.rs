//! Faults during a sync, with the real binaries: the hub killed in the middle of a sync,
//! the agent killed between the hub's answer and its own record of it, a revoked token, and
//! the daemon stopped by SIGTERM. Nothing is lost and nothing is applied twice.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agora_e2e::agent::{AgentHome, show, summary_number};
use agora_e2e::faults::{lost_and_duplicated, report};
use agora_e2e::proxy::{Phase, Proxy};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use sqlx::{Connection, PgConnection};

/// A folder of `n` project manifests of INSEE.
fn manifests(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let sub = dir.path().join(format!("p{i:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join("agora.yaml"),
            format!(
                "slug: pilot-{i:02}\ntitle: Pilot {i}\nsummary: Pilot study {i}.\n\
                 organisations: [insee]\nstage: pilot\nvisibility: public\n"
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

fn kill(signal: &str, pid: u32) {
    let _ = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status();
}

/// The fault matrix's line for a sync of `n` manifests: a project or its creation event
/// missing is lost, a second copy of either is duplicated.
async fn report_projects(scenario: &str, db: &TestDb, n: usize) {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let created: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM events WHERE kind = 'project.created' AND subject LIKE 'pilot-%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT slug::text FROM projects WHERE slug LIKE 'pilot-%' AND withdrawn_at IS NULL",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let expected: Vec<String> = (1..=n).map(|i| format!("pilot-{i:02}")).collect();
    let (lost_e, dup_e) = lost_and_duplicated(&expected, &created);
    let (lost_p, dup_p) = lost_and_duplicated(&expected, &stored);
    report(scenario, lost_e + lost_p, dup_e + dup_p);
}

/// Every project was created once, with one event each.
async fn assert_each_created_once(db: &TestDb, n: usize) {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT subject, count(*) FROM events WHERE kind = 'project.created' \
         AND subject LIKE 'pilot-%' GROUP BY subject ORDER BY subject",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(counts.len(), n, "{counts:?}");
    assert!(counts.iter().all(|(_, c)| *c == 1), "{counts:?}");
    let projects: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM projects WHERE slug LIKE 'pilot-%' AND withdrawn_at IS NULL",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(projects, n as i64);
    let batches: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_batches WHERE result IS NULL")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(batches, 0, "every received batch has its stored answer");
}

#[tokio::test]
async fn the_hub_killed_mid_sync_loses_nothing_and_duplicates_nothing() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let hub_pid = hub.pid();
    let batches = Arc::new(AtomicUsize::new(0));
    let seen = batches.clone();
    // The hub applies the third batch, then dies before its answer reaches the agent.
    let proxy = Proxy::start(
        &hub.base_url,
        Box::new(move |phase, _, what| {
            if phase == Phase::After
                && what.contains("/sync/batches")
                && seen.fetch_add(1, Ordering::SeqCst) + 1 == 3
            {
                kill("-KILL", hub_pid);
                return true;
            }
            false
        }),
    )
    .await;
    let folder = manifests(12);
    let agent = AgentHome::new(&proxy.url, &token, "insee", &folder_source(folder.path()));

    let first = agent.run(&["sync", "--once"]).await;
    assert_eq!(first.status.code(), Some(75), "{}", show(&first));
    assert!(
        agent.spooled() >= 2,
        "the rest waits in the spool: {}",
        show(&first)
    );
    drop(hub);

    let hub = Hub::start(&db.url).await;
    proxy.set_upstream(&hub.base_url);
    let second = agent.run(&["sync", "--once"]).await;
    assert!(second.status.success(), "{}", show(&second));
    assert_eq!(agent.spooled(), 0);
    assert!(
        summary_number(&second.stdout, "hub ", "replayed") >= 1,
        "{}",
        show(&second)
    );
    report_projects("hub-killed-mid-sync", &db, 12).await;
    assert_each_created_once(&db, 12).await;
    let detail = get_json_as(
        &hub.url("/api/v1/agents/insee/paris-1"),
        &admin_token(&db.url).await,
    )
    .await;
    let epochs = detail["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 2, "{detail}");
    assert!(epochs.iter().all(|e| e["completed_at"].is_string()));
    assert_eq!(
        epochs
            .iter()
            .map(|e| e["counts"]["added"].as_u64().unwrap())
            .sum::<u64>(),
        12
    );
    assert!(epochs.iter().all(|e| e["counts"]["withdrawn"] == 0));

    drop(hub);
    db.drop_now().await;
}

#[tokio::test]
async fn the_agent_killed_after_the_hub_answered_replays_without_duplicates() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let agent_pid = Arc::new(AtomicU32::new(0));
    let pid = agent_pid.clone();
    let batches = Arc::new(AtomicUsize::new(0));
    let seen = batches.clone();
    let proxy = Proxy::start(
        &hub.base_url,
        Box::new(move |phase, _, what| {
            if phase == Phase::After
                && what.contains("/sync/batches")
                && seen.fetch_add(1, Ordering::SeqCst) + 1 == 2
            {
                kill("-KILL", pid.load(Ordering::SeqCst));
                return true;
            }
            false
        }),
    )
    .await;
    let folder = manifests(8);
    let agent = AgentHome::new(&proxy.url, &token, "insee", &folder_source(folder.path()));
    let child = agent.spawn(&["sync", "--once"]);
    agent_pid.store(child.id(), Ordering::SeqCst);
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        None,
        "killed by a signal: {}",
        show(&out)
    );
    assert!(
        agent.spooled() >= 1,
        "the answered batch is still in the spool"
    );

    let again = agent.run(&["sync", "--once"]).await;
    assert!(again.status.success(), "{}", show(&again));
    assert!(
        summary_number(&again.stdout, "hub ", "replayed") >= 1,
        "{}",
        show(&again)
    );
    assert_eq!(agent.spooled(), 0);
    report_projects("agent-killed-mid-sync", &db, 8).await;
    assert_each_created_once(&db, 8).await;

    drop(hub);
    db.drop_now().await;
}

#[tokio::test]
async fn a_revoked_agent_keeps_its_spool_and_says_why() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let revoked = hub_command(
        &db.url,
        &["agent", "revoke", "--org", "insee", "--name", "paris-1"],
    );
    assert!(revoked.status.success());
    let listed = hub_command(&db.url, &["agent", "list"]);
    let table = String::from_utf8_lossy(&listed.stdout);
    assert!(
        table.contains("paris-1") && table.contains("yes"),
        "{table}"
    );
    assert!(!table.contains(&token), "the token is never shown again");

    let folder = manifests(2);
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &folder_source(folder.path()),
    );
    let out = agent.run(&["sync", "--once"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("revoked"),
        "{}",
        show(&out)
    );
    assert!(agent.spooled() >= 1, "nothing is thrown away");
    let projects = get_json(&hub.url("/api/v1/projects?organisation=insee&per_page=100")).await;
    assert!(
        !projects["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["slug"] == "pilot-01"),
        "a revoked agent writes nothing"
    );

    drop(hub);
    db.drop_now().await;
}

#[tokio::test]
async fn the_daemon_syncs_on_its_own_and_stops_cleanly_on_sigterm() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let folder = manifests(3);
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &format!("interval = \"1h\"\n{}", folder_source(folder.path())),
    );
    let child = agent.spawn(&["run"]);
    let started = Instant::now();
    loop {
        let detail = get_json_as(
            &hub.url("/api/v1/agents/insee/paris-1"),
            &admin_token(&db.url).await,
        )
        .await;
        if detail["last_epochs"][0]["completed_at"].is_string() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the daemon did not sync: {detail}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    kill("-TERM", child.id());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert_each_created_once(&db, 3).await;

    drop(hub);
    db.drop_now().await;
}
