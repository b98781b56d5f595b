//! E-mail digests end to end: the real `agora-hub digest send-due` against a real SMTP
//! server (aiosmtpd) on the demo data. One message per subscriber and period, with the
//! headers and both parts; nothing private reaches someone who may not read it; a second
//! run, two racing runs, a crash after the server accepted a message, and a server that is
//! down for a while all end with the right messages; the one-click link unsubscribes.

use std::process::{Command, Output};

use agora_e2e::faults::{lost_and_duplicated, report};
use agora_e2e::smtp::{Received, SmtpServer};
use agora_e2e::{Hub, TestDb, binary, free_port, hub_command};
use sqlx::{Connection, PgConnection};

const SECRET: &str = "an-e2e-secret-that-is-long-enough-to-sign";
/// An organisation-only item of INEGI in WS2: only INEGI's people may read it.
const PRIVATE: &str = "INEGI confidential pilot";

struct Setup {
    db: TestDb,
    config: tempfile::NamedTempFile,
    /// Half an hour after the end of today (UTC): today's daily digests are due.
    now: String,
    hub_port: u16,
}

fn write_config(smtp_port: u16, hub_port: u16) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("a config file");
    write_config_to(&file, smtp_port, hub_port, 60);
    file
}

fn write_config_to(file: &tempfile::NamedTempFile, smtp_port: u16, hub_port: u16, interval: u64) {
    std::fs::write(
        file.path(),
        format!(
            r#"public_url = "http://127.0.0.1:{hub_port}"
[digest]
secret = "{SECRET}"
from = "Agora digests <digest@agora.test>"
concurrency = 2
interval_secs = {interval}
retry_base_secs = 60
[digest.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_secs = 5
"#
        ),
    )
    .expect("write the config");
}

async fn connect(db: &TestDb) -> PgConnection {
    PgConnection::connect(&db.url)
        .await
        .expect("the test database")
}

/// The demo data, a private INEGI event and a benchmark result in WS2, and daily WS2
/// subscriptions (UTC) for the given people.
async fn setup(smtp_port: u16, subscribers: &[&str]) -> Setup {
    let db = TestDb::create().await;
    let out = hub_command(&db.url, &["seed-demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = connect(&db).await;
    // The demo people's own weekly subscriptions (and time zones) are the subject of their
    // own test; here everyone reads daily digests cut in UTC.
    sqlx::raw_sql("DELETE FROM digest_subscriptions; DELETE FROM digest_preferences")
        .execute(&mut conn)
        .await
        .expect("clear the demo subscriptions");
    sqlx::query(
        "INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams, organisations, visibility, payload) VALUES \
         ('test', 'project.created', 'project', 'inegi-secret', 'New project “INEGI confidential pilot” (idea)', '{ws2}', '{inegi}', 'organisation', '{}'), \
         ('test', 'benchmark_result.recorded', 'benchmark_result', 'r1', 'result', '{ws2}', '{insee}', 'public', \
          '{\"benchmark\": \"coicop-2026\", \"model\": \"naf-coder\", \"version\": \"3\", \"organisation\": \"insee\", \"metric\": \"f1\", \"value\": 0.91, \"rank\": 1}')",
    )
    .execute(&mut conn)
    .await
    .expect("events");
    for email in subscribers {
        sqlx::query(
            "INSERT INTO users (email, name, organisation_id) \
             VALUES ($1, $1, (SELECT id FROM organisations WHERE slug = 'insee')) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .execute(&mut conn)
        .await
        .expect("user");
        sqlx::query(
            "INSERT INTO digest_subscriptions (user_id, workstream_id, frequency, next_due_at) \
             SELECT u.id, w.id, 'daily', date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day' \
             FROM users u, workstreams w WHERE u.email = $1 AND w.slug = 'ws2'",
        )
        .bind(email)
        .execute(&mut conn)
        .await
        .expect("subscription");
    }
    let now: String = sqlx::query_scalar(
        "SELECT to_char(date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day 30 minutes', \
                'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    )
    .fetch_one(&mut conn)
    .await
    .expect("now");
    let hub_port = free_port();
    Setup {
        config: write_config(smtp_port, hub_port),
        db,
        now,
        hub_port,
    }
}

fn digest_command(s: &Setup, args: &[&str]) -> Command {
    let mut command = Command::new(binary("agora-hub"));
    command
        .arg("--config")
        .arg(s.config.path())
        .arg("digest")
        .args(args)
        .env("AGORA_DATABASE_URL", &s.db.url)
        .env(
            "RUST_LOG",
            std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
        );
    command
}

fn send_due(s: &Setup, now: &str) -> String {
    let out: Output = digest_command(s, &["send-due", "--now", now])
        .output()
        .expect("agora-hub runs");
    assert!(
        out.status.success(),
        "send-due failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn to(m: &Received) -> String {
    m.rcpt.join(",")
}

async fn states(s: &Setup) -> Vec<(String, String, i32)> {
    let mut conn = connect(&s.db).await;
    sqlx::query_as(
        "SELECT u.email, o.state, o.attempts FROM digest_outbox o JOIN users u ON u.id = o.user_id \
         ORDER BY u.email",
    )
    .fetch_all(&mut conn)
    .await
    .expect("outbox")
}

#[tokio::test]
async fn send_due_delivers_one_correct_digest_per_subscriber_once_and_the_link_unsubscribes() {
    let smtp = SmtpServer::start().await;
    let s = setup(
        smtp.port,
        &["claire.dubois@insee.fr", "ana.lopez@inegi.org.mx"],
    )
    .await;
    let report = send_due(&s, &s.now);
    assert!(report.starts_with("planned 2, sent 2,"), "{report}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2);

    // The digests cover today, the day that ended just before `now`.
    let day = previous_day(&s.now[..10]);
    let for_ana = messages
        .iter()
        .find(|m| to(m) == "ana.lopez@inegi.org.mx")
        .expect("Ana's digest");
    let for_claire = messages
        .iter()
        .find(|m| to(m) == "claire.dubois@insee.fr")
        .expect("Claire's digest");
    for m in [for_ana, for_claire] {
        assert_eq!(m.content_type, "multipart/alternative");
        let subject = m.header("Subject").unwrap();
        assert!(subject.starts_with("[WS2 "), "{subject}");
        assert!(subject.contains(" benchmark results"), "{subject}");
        let id = m.header("Message-ID").unwrap();
        assert!(
            id.starts_with(&format!("<digest.{day}.ws2.")) && id.ends_with("@127.0.0.1>"),
            "{id}"
        );
        let link = m.header("List-Unsubscribe").unwrap();
        assert!(
            link.starts_with(&format!(
                "<http://127.0.0.1:{}/digests/unsubscribe?u=",
                s.hub_port
            )),
            "{link}"
        );
        assert!(link.contains("&w=ws2&t="), "{link}");
        assert!(!link.contains(SECRET) && !m.raw.contains(SECRET));
        assert_eq!(
            m.header("List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
        assert_eq!(m.header("From"), Some("Agora digests <digest@agora.test>"));
        for body in [&m.text, &m.html] {
            assert!(
                body.contains("naf-coder 3 (insee) on coicop-2026: f1 0.91"),
                "{body}"
            );
            assert!(body.contains("rank 1"), "{body}");
            assert!(body.contains("/account/digests"), "{body}");
        }
        assert!(m.html.contains("color-scheme"));
    }
    assert_ne!(
        for_ana.header("Message-ID"),
        for_claire.header("Message-ID")
    );
    // Ana (INEGI) reads INEGI's private project; Claire (INSEE) finds it nowhere.
    assert!(for_ana.text.contains(PRIVATE) && for_ana.html.contains(PRIVATE));
    assert!(!for_claire.raw.contains("INEGI confidential"));
    assert!(!for_claire.text.contains(PRIVATE) && !for_claire.html.contains(PRIVATE));

    // A second run sends nothing.
    let again = send_due(&s, &s.now);
    assert!(again.starts_with("planned 0, sent 0,"), "{again}");
    assert_eq!(smtp.messages().len(), 2);

    // One click (RFC 8058): a POST to the link, without signing in.
    let hub = Hub::start_with(&s.db.url, s.hub_port, Some(s.config.path())).await;
    let link = for_claire.header("List-Unsubscribe").unwrap();
    let url = &link[1..link.len() - 1];
    let page = reqwest::get(url).await.expect("the hub answers");
    assert_eq!(page.status(), 200);
    let done = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(done.status(), 200);
    let mut conn = connect(&s.db).await;
    let frequency: String = sqlx::query_scalar(
        "SELECT s.frequency FROM digest_subscriptions s JOIN users u ON u.id = s.user_id \
         WHERE u.email = 'claire.dubois@insee.fr'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("subscription");
    assert_eq!(frequency, "off");
    drop(hub);
    s.db.drop_now().await;
}

#[tokio::test]
async fn two_schedulers_racing_send_one_message_per_subscriber() {
    let smtp = SmtpServer::start().await;
    let people: Vec<String> = (0..16).map(|i| format!("person{i:02}@insee.fr")).collect();
    let refs: Vec<&str> = people.iter().map(String::as_str).collect();
    let s = setup(smtp.port, &refs).await;
    let spawn = || {
        digest_command(&s, &["send-due", "--now", &s.now])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("agora-hub runs")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());
    let sent = |o: &Output| -> u64 {
        let text = String::from_utf8_lossy(&o.stdout);
        text.split("sent ")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a report: {text}"))
    };
    assert_eq!(sent(&a) + sent(&b), 16);
    let messages = smtp.messages();
    let mut recipients: Vec<String> = messages.iter().map(to).collect();
    recipients.sort();
    let (lost, duplicated) = lost_and_duplicated(&people, &recipients);
    report("schedulers-racing-for-digests", lost, duplicated);
    assert_eq!(recipients, people, "exactly one message per subscriber");
    s.db.drop_now().await;
}

#[tokio::test]
async fn a_crash_after_the_server_accepted_a_message_resends_it_with_the_same_message_id() {
    let pid_dir = tempfile::tempdir().unwrap();
    let pid_file = pid_dir.path().join("pid");
    let pid_path = pid_file.to_string_lossy().to_string();
    let smtp = SmtpServer::with_env(&[("KILL_PID_FILE", &pid_path)]).await;
    let people = ["a1@insee.fr", "a2@insee.fr", "a3@insee.fr"];
    let s = setup(smtp.port, &people).await;
    // The server stores the first message, then kills the sender before answering 250.
    let child = digest_command(&s, &["send-due", "--now", &s.now])
        .env("AGORA_DIGEST__CONCURRENCY", "1")
        .spawn()
        .expect("agora-hub runs");
    std::fs::write(&pid_file, child.id().to_string()).unwrap();
    let status = child.wait_with_output().unwrap().status;
    assert!(!status.success(), "the sender was killed");
    let first = smtp.messages();
    assert_eq!(first.len(), 1, "the server holds one message");
    // Nothing was recorded as sent: every row is still pending, none attempted.
    assert!(
        states(&s)
            .await
            .iter()
            .all(|(_, st, n)| st == "pending" && *n == 0)
    );

    // After the restart: every digest goes out; the one the server already had goes again.
    let report = send_due(&s, &s.now);
    assert!(report.starts_with("planned 0, sent 3,"), "{report}");
    let all = smtp.messages();
    assert_eq!(all.len(), 4);
    let twice: Vec<&Received> = all.iter().filter(|m| to(m) == to(&first[0])).collect();
    assert_eq!(
        twice.len(),
        2,
        "at least once: the accepted message is sent again"
    );
    assert_eq!(twice[0].header("Message-ID"), twice[1].header("Message-ID"));
    assert_eq!(twice[0].header("Subject"), twice[1].header("Subject"));
    assert_eq!(twice[0].text, twice[1].text);
    assert_eq!(twice[0].html, twice[1].html);
    for p in people {
        assert!(all.iter().any(|m| to(m) == p), "{p} got a digest");
    }
    assert!(states(&s).await.iter().all(|(_, st, _)| st == "sent"));
    let third = send_due(&s, &s.now);
    assert!(third.starts_with("planned 0, sent 0,"), "{third}");
    assert_eq!(smtp.messages().len(), 4);
    s.db.drop_now().await;
}

#[tokio::test]
async fn with_the_smtp_server_down_digests_wait_and_go_out_later() {
    let mut smtp = SmtpServer::stopped(&[]);
    let s = setup(
        smtp.port,
        &["b1@insee.fr", "b2@insee.fr", "reject@insee.fr"],
    )
    .await;
    let down = send_due(&s, &s.now);
    assert!(down.contains("retry later 3"), "{down}");
    assert!(
        states(&s)
            .await
            .iter()
            .all(|(_, st, n)| st == "pending" && *n == 1)
    );
    // Before the back-off has passed, nothing is tried.
    let soon = send_due(&s, &s.now);
    assert!(
        soon.contains("sent 0") && soon.contains("retry later 0"),
        "{soon}"
    );

    smtp.restart().await;
    let later = s.now.replace("T00:30:00Z", "T03:00:00Z");
    let up = send_due(&s, &later);
    assert!(up.contains("sent 2") && up.contains("failed 1"), "{up}");
    let mut recipients: Vec<String> = smtp.messages().iter().map(to).collect();
    recipients.sort();
    // The refused address is not lost: the server said no, and the refusal is kept.
    let (lost, duplicated) = lost_and_duplicated(
        &["b1@insee.fr".to_string(), "b2@insee.fr".into()],
        &recipients,
    );
    report("smtp-down-during-digests", lost, duplicated);
    assert_eq!(recipients, ["b1@insee.fr", "b2@insee.fr"]);
    assert_eq!(
        states(&s).await,
        vec![
            ("b1@insee.fr".into(), "sent".into(), 2),
            ("b2@insee.fr".into(), "sent".into(), 2),
            ("reject@insee.fr".into(), "failed".into(), 2),
        ]
    );
    // The refusal is shown to administrators.
    let out = digest_command(&s, &["failures"]).output().unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("reject@insee.fr") && listing.contains("550"),
        "{listing}"
    );
    s.db.drop_now().await;
}

#[tokio::test]
async fn two_hub_replicas_schedule_and_send_each_digest_once() {
    let smtp = SmtpServer::start().await;
    let people: Vec<String> = (0..8).map(|i| format!("replica{i}@insee.fr")).collect();
    let refs: Vec<&str> = people.iter().map(String::as_str).collect();
    let s = setup(smtp.port, &refs).await;
    // Yesterday (UTC) had news, and the daily digests have been due since midnight.
    let mut conn = connect(&s.db).await;
    sqlx::query(
        "INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams, organisations, visibility, at) \
         VALUES ('test', 'project.updated', 'project', 'p', 'Yesterday''s news', '{ws2}', '{insee}', 'public', \
                 date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '12 hours')",
    )
    .execute(&mut conn)
    .await
    .expect("an event");
    sqlx::query(
        "UPDATE digest_subscriptions SET next_due_at = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
    )
    .execute(&mut conn)
    .await
    .expect("due subscriptions");
    write_config_to(&s.config, smtp.port, s.hub_port, 1);
    let metrics: Vec<String> = (0..2)
        .map(|_| format!("127.0.0.1:{}", free_port()))
        .collect();
    let a = Hub::start_with_env(
        &s.db.url,
        s.hub_port,
        Some(s.config.path()),
        &[("AGORA_METRICS_LISTEN", &metrics[0])],
    )
    .await;
    let b = Hub::start_with_env(
        &s.db.url,
        free_port(),
        Some(s.config.path()),
        &[("AGORA_METRICS_LISTEN", &metrics[1])],
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let st = states(&s).await;
        if st.len() == people.len() && st.iter().all(|(_, state, _)| state == "sent") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the schedulers did not send: {st:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Between them the replicas' metrics count each message once (a row is counted just
    // after its commit: wait for the last count).
    let sent = loop {
        let mut sent = 0.0;
        for addr in &metrics {
            let text = reqwest::get(format!("http://{addr}/metrics"))
                .await
                .expect("the metrics listener answers")
                .text()
                .await
                .expect("a text body");
            sent += text
                .lines()
                .find_map(|l| l.strip_prefix("agora_digest_messages_total{outcome=\"sent\"} "))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0);
        }
        if sent >= people.len() as f64 || std::time::Instant::now() >= deadline {
            break sent;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(sent, people.len() as f64);
    drop((a, b));
    let messages = smtp.messages();
    let mut recipients: Vec<String> = messages.iter().map(to).collect();
    recipients.sort();
    let (lost, duplicated) = lost_and_duplicated(&people, &recipients);
    report("replicas-racing-for-digests", lost, duplicated);
    assert_eq!(recipients, people, "exactly one message per subscriber");
    assert!(messages.iter().all(|m| m.text.contains("Yesterday's news")));
    s.db.drop_now().await;
}

#[tokio::test]
async fn preview_prints_the_digest_and_writes_the_html() {
    let s = setup(free_port(), &["ana.lopez@inegi.org.mx"]).await;
    let html = tempfile::NamedTempFile::new().unwrap();
    let day = &s.now[..10];
    // The period that holds the activity is the day before `now`.
    let out = digest_command(
        &s,
        &[
            "preview",
            "--workstream",
            "ws2",
            "--user",
            "ana.lopez@inegi.org.mx",
            "--period",
        ],
    )
    .arg(previous_day(day))
    .arg("--html")
    .arg(html.path())
    .output()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("Subject: [WS2 "), "{text}");
    assert!(text.contains(PRIVATE));
    assert!(
        std::fs::read_to_string(html.path())
            .unwrap()
            .contains(PRIVATE)
    );
    let bad = digest_command(
        &s,
        &[
            "preview",
            "--workstream",
            "ws2",
            "--user",
            "ana.lopez@inegi.org.mx",
            "--period",
            "2026-W99",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("period"));
    // In another language on request; one the hub does not speak is refused by name.
    let base = [
        "preview",
        "--workstream",
        "ws2",
        "--user",
        "ana.lopez@inegi.org.mx",
    ];
    let spanish = digest_command(&s, &base)
        .arg("--period")
        .arg(previous_day(day))
        .args(["--lang", "es"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&spanish.stdout);
    assert!(
        spanish.status.success(),
        "{}",
        String::from_utf8_lossy(&spanish.stderr)
    );
    assert!(text.contains("Recibe este resumen"), "{text}");
    let german = digest_command(&s, &base)
        .arg("--period")
        .arg(previous_day(day))
        .args(["--lang", "de"])
        .output()
        .unwrap();
    assert_eq!(german.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&german.stderr).contains("lang"));
    s.db.drop_now().await;
}

/// `YYYY-MM-DD` of the day before, by the database's calendar.
fn previous_day(day: &str) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("{day} - 1 day"), "+%Y-%m-%d"])
        .output()
        .expect("date runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test]
async fn the_demo_people_get_one_weekly_digest_per_workstream_they_follow() {
    let smtp = SmtpServer::start().await;
    let db = TestDb::create().await;
    let out = hub_command(&db.url, &["seed-demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = Setup {
        config: write_config(smtp.port, free_port()),
        hub_port: free_port(),
        db,
        now: String::new(),
    };
    let mut conn = connect(&s.db).await;
    // Next Monday at noon UTC: this week has ended in every demo time zone, next week not.
    let now: String = sqlx::query_scalar(
        "SELECT to_char(date_trunc('week', now() AT TIME ZONE 'UTC') + interval '7 days 12 hours', \
                'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    )
    .fetch_one(&mut conn)
    .await
    .expect("now");
    // Whether the seeding fell in the same week in the person's time zone as in UTC: for a
    // few hours after Monday 00:00 UTC it is still last week west of UTC, and that week's
    // digest (not this one) holds the seeding for them.
    let subscriptions: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT u.email, w.code, \
                date_trunc('week', max_at AT TIME ZONE coalesce(p.time_zone, 'UTC')) \
                  = date_trunc('week', max_at AT TIME ZONE 'UTC') \
         FROM digest_subscriptions s JOIN users u ON u.id = s.user_id \
         JOIN workstreams w ON w.id = s.workstream_id \
         LEFT JOIN digest_preferences p ON p.user_id = u.id \
         CROSS JOIN (SELECT max(at) AS max_at FROM events) e \
         WHERE s.frequency = 'weekly' ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .expect("subscriptions");
    assert!(subscriptions.len() >= 20, "{subscriptions:?}");
    let followed: Vec<(String, String)> = subscriptions
        .iter()
        .filter(|(.., this_week)| *this_week)
        .map(|(email, code, _)| (email.clone(), code.clone()))
        .collect();
    let elsewhere = subscriptions.len() - followed.len();
    assert!(followed.len() >= 10, "{subscriptions:?}");

    let report = send_due(&s, &now);
    let n = followed.len();
    assert!(
        report.starts_with(&format!(
            "planned {}, sent {n}, nothing to say {elsewhere},",
            subscriptions.len()
        )),
        "{report}"
    );
    // Each person's own week: the seeding's new members, projects and models.
    let mut got: Vec<(String, String)> = smtp
        .messages()
        .iter()
        .map(|m| {
            let subject = m.header("Subject").unwrap_or_default().to_string();
            assert!(subject.contains(" — week "), "{subject}");
            let code = subject[1..]
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(m.text.contains("/account/digests"), "{}", m.text);
            (to(m), code)
        })
        .collect();
    got.sort();
    assert_eq!(got, followed);
    let again = send_due(&s, &now);
    assert!(again.starts_with("planned 0, sent 0,"), "{again}");
    assert_eq!(smtp.messages().len(), n);
    s.db.drop_now().await;
}
