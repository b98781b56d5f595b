//! Digest benchmark: SUBSCRIBERS people (10,000 by default) following the seven demo
//! workstreams daily, a day of activity in each, and one run of the real
//! `agora-hub digest send-due` handing every digest to a local aiosmtpd server. Prints the
//! time to render and hand over all digests (target: under 60 s for 10,000).
//!
//! ```sh
//! cargo build --release --bins
//! cargo run --release -p agora-e2e --bin digest-bench -- [SUBSCRIBERS] [CONCURRENCY]
//! ```

use std::process::Command;
use std::time::Instant;

use agora_e2e::smtp::SmtpServer;
use agora_e2e::{TestDb, binary, hub_command};
use sqlx::{Connection, PgConnection};

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("SUBSCRIBERS and CONCURRENCY are numbers"))
        .collect();
    let subscribers = args.first().copied().unwrap_or(10_000);
    let concurrency = args.get(1).copied().unwrap_or(8);

    let smtp = SmtpServer::with_env(&[("SINK", "1")]).await;
    let db = TestDb::create().await;
    let out = hub_command(&db.url, &["seed-demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = PgConnection::connect(&db.url).await.expect("the database");
    // Only the benchmark's readers follow workstreams.
    sqlx::raw_sql("DELETE FROM digest_subscriptions; DELETE FROM digest_preferences")
        .execute(&mut conn)
        .await
        .expect("clear the demo subscriptions");
    // People spread over the demo organisations, each following one workstream.
    sqlx::query(
        "INSERT INTO users (email, name, organisation_id) \
         SELECT 'reader' || i || '@bench.test', 'Reader ' || i, \
                (SELECT id FROM organisations ORDER BY id OFFSET (i % (SELECT count(*) FROM organisations)) LIMIT 1) \
         FROM generate_series(1, $1) AS i",
    )
    .bind(subscribers as i64)
    .execute(&mut conn)
    .await
    .expect("users");
    sqlx::query(
        "INSERT INTO digest_subscriptions (user_id, workstream_id, frequency, next_due_at) \
         SELECT u.id, (SELECT id FROM workstreams ORDER BY id OFFSET (u.id % 7) LIMIT 1), 'daily', \
                date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day' \
         FROM users u WHERE u.email LIKE '%@bench.test'",
    )
    .execute(&mut conn)
    .await
    .expect("subscriptions");
    // Extra activity of every visibility, with benchmark results, in every workstream.
    sqlx::query(
        "INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams, organisations, visibility, payload) \
         SELECT 'bench', k.kind, k.subject_kind, 's' || i, 'Event ' || i || ' of ' || w.slug, ARRAY[w.slug::text], \
                ARRAY[(SELECT slug::text FROM organisations ORDER BY id OFFSET (i % 5) LIMIT 1)], \
                (ARRAY['public', 'members', 'organisation'])[1 + i % 3], \
                jsonb_build_object('benchmark', 'b' || (i % 3), 'model', 'm' || (i % 7), 'organisation', 'o', \
                                   'metric', 'f1', 'value', 0.8, 'rank', 1 + i % 5) \
         FROM workstreams w, generate_series(1, 30) AS i, \
              (VALUES ('benchmark_result.recorded', 'benchmark_result'), ('assessment.submitted', 'assessment'), \
                      ('model_version.created', 'model_version')) AS k(kind, subject_kind)",
    )
    .execute(&mut conn)
    .await
    .expect("events");
    let now: String = sqlx::query_scalar(
        "SELECT to_char(date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day 30 minutes', \
                'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    )
    .fetch_one(&mut conn)
    .await
    .expect("now");

    let config = tempfile::NamedTempFile::new().expect("a config file");
    std::fs::write(
        config.path(),
        format!(
            "public_url = \"https://agora.bench.test\"\n[digest]\nsecret = \"a-benchmark-secret-long-enough-to-sign\"\n\
             concurrency = {concurrency}\n[digest.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
             max_connections = {concurrency}\n",
            smtp.port
        ),
    )
    .expect("write the config");
    eprintln!("{subscribers} subscribers ready; sending...");
    let started = Instant::now();
    let out = Command::new(binary("agora-hub"))
        .arg("--config")
        .arg(config.path())
        .args(["digest", "send-due", "--now", &now])
        .env("AGORA_DATABASE_URL", &db.url)
        .env(
            "AGORA_DATABASE_MAX_CONNECTIONS",
            (concurrency + 4).to_string(),
        )
        .env("RUST_LOG", "warn")
        .output()
        .expect("agora-hub runs");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    let mut smtp = smtp;
    smtp.stop();
    println!("digests: {}", report.trim());
    println!(
        "{subscribers} subscribers rendered and handed to SMTP in {:.1} s ({:.0} digests/s, concurrency {concurrency}); the server counted {}",
        took.as_secs_f64(),
        subscribers as f64 / took.as_secs_f64(),
        smtp.sink_count()
    );
    drop(conn);
    db.drop_now().await;
}
