//! Catalogue benchmark: the DCAT-AP catalogue of 100,000 public items, asked for by 16
//! clients at once, against the real `agora-hub serve` in its own process. It prints the
//! hub's resident memory before and at its peak during the requests, the time to the
//! first byte and to the last of each document, and the revalidation (`If-None-Match`)
//! of the same 16 requests. Run with:
//!
//! ```sh
//! cargo bench -p agora-hub --bench catalog -- --items 100000
//! ```
//!
//! Options: `--items N` (default 100000, half projects, half model cards, a third of the
//! cards in a project, half with a version and two results), `--connections N` (default
//! 16, half Turtle, half JSON-LD). The database comes from `DATABASE_URL` (default the
//! local server); a fresh database is made for the run and dropped after it. The hub's
//! peak is its `VmHWM`, reset (`/proc/PID/clear_refs`) once the hub has settled after its
//! start, so the search index it builds at start does not count.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

struct Args {
    items: usize,
    connections: usize,
}

fn args() -> Args {
    let mut a = Args {
        items: 100_000,
        connections: 16,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).and_then(|v| v.parse().ok());
        match (argv[i].as_str(), value) {
            ("--items", Some(v)) => a.items = v,
            ("--connections", Some(v)) => a.connections = v,
            ("--bench", _) => {
                i += 1;
                continue;
            }
            (other, _) => panic!("unknown or incomplete option `{other}`; see the file's header"),
        }
        i += 2;
    }
    a
}

/// The public items, written straight into the tables (the catalogue reads tables; the
/// data layer's events and checks are not what is measured here).
const LOAD: &str = r#"
INSERT INTO organisations (slug, name, kind, website)
SELECT 'office-' || i, 'Statistics office ' || i, 'other', 'https://office-' || i || '.example.org/'
FROM generate_series(1, 40) AS i;

INSERT INTO projects (slug, title, summary, stage, task, languages, repositories, tags, visibility)
SELECT 'project-' || i,
       'Coding of survey answers ' || i,
       'Classifies free-text answers of survey ' || i || ' into a statistical classification, with a model trained on earlier rounds.',
       (ARRAY['idea','pilot','validated','production','maintenance'])[1 + i % 5],
       (ARRAY['coding','classification','imputation','nowcasting'])[1 + i % 4],
       ARRAY['en', 'fr'],
       ARRAY['https://git.example.org/office/project-' || i],
       ARRAY['survey', 'nlp'],
       'public'
FROM generate_series(1, $1) AS i;

INSERT INTO project_organisations (project_id, organisation_id, position)
SELECT p.id, 1 + (p.id % 40), 0 FROM projects p;

INSERT INTO model_cards (organisation_id, name, title, summary, project_id, task, license, language, tags, visibility)
SELECT 1 + (i % 40), 'model-' || i, 'Occupation coder ' || i,
       'Assigns ISCO-08 codes to job titles; fine-tuned on a labelled sample of ' || i || ' answers.',
       CASE WHEN i % 3 = 0 THEN 1 + (i % $1) END,
       'coding', 'apache-2.0', ARRAY['en'], ARRAY['isco', 'text'], 'public'
FROM generate_series(1, $2) AS i;

INSERT INTO model_versions (model_card_id, version, registered_at)
SELECT id, '1.' || (id % 7), now() - (id % 100) * interval '1 day' FROM model_cards WHERE id % 2 = 0;

INSERT INTO evaluation_results (model_version_id, position, metric, value, dataset, split)
SELECT v.id, n, (ARRAY['accuracy','f1'])[n + 1], 0.8 + (v.id % 100) / 1000.0, 'holdout-2025', 'test'
FROM model_versions v, generate_series(0, 1) AS n;
"#;

fn main() {
    // `cargo test --all-targets` runs benches without `--bench`: build-checked, not run.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("the catalogue benchmark runs with `cargo bench -p agora-hub --bench catalog`");
        return;
    }
    let args = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(args));
}

/// `agora-hub serve` on a free port; killed on drop.
struct HubProcess(Child);

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A field of `/proc/PID/status` in MiB (`VmRSS`, `VmHWM`).
fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// CPU ticks the process has used.
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

/// One request: time to the first byte, to the last, the bytes read and the ETag.
struct Fetch {
    first_byte: Duration,
    total: Duration,
    bytes: usize,
    status: u16,
    etag: Option<String>,
    ends_well: bool,
}

async fn fetch(client: &reqwest::Client, url: &str, if_none_match: Option<&str>) -> Fetch {
    let started = Instant::now();
    let mut request = client.get(url);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut first_byte = None;
    let mut bytes = 0;
    let mut tail: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len();
        tail = chunk[chunk.len().saturating_sub(16)..].to_vec();
    }
    let tail = String::from_utf8_lossy(&tail);
    let ends_well = if url.ends_with(".jsonld") {
        tail.trim_end().ends_with("]}")
    } else {
        tail.trim_end().ends_with('.')
    };
    let total = started.elapsed();
    Fetch {
        first_byte: first_byte.unwrap_or(total),
        total,
        bytes,
        status,
        etag,
        ends_well,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn spread(mut values: Vec<Duration>) -> String {
    values.sort();
    let at = |p: f64| values[((values.len() as f64 * p) as usize).min(values.len() - 1)];
    format!(
        "min {:>8.1} ms   median {:>8.1} ms   max {:>8.1} ms",
        ms(values[0]),
        ms(at(0.5)),
        ms(values[values.len() - 1])
    )
}

async fn round(
    client: &reqwest::Client,
    base: &str,
    connections: usize,
    tags: Option<&[Option<String>]>,
) -> Vec<Fetch> {
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let client = client.clone();
            let path = if i % 2 == 0 {
                "catalog.ttl"
            } else {
                "catalog.jsonld"
            };
            let url = format!("{base}/api/v1/{path}");
            let tag = tags.and_then(|t| t[i % 2].clone());
            tokio::spawn(async move { fetch(&client, &url, tag.as_deref()).await })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.unwrap());
    }
    all
}

async fn run(args: Args) {
    let server = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("agora_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(&format!("/{name}"));
    let db = sqlx::PgPool::connect(url.as_str()).await.unwrap();
    agora_hub::app::migrate(&db).await.unwrap();

    let projects = args.items / 2;
    let models = args.items - projects;
    println!(
        "corpus: {} public items ({projects} projects, {models} model cards), {} concurrent requests",
        args.items, args.connections
    );
    let started = Instant::now();
    let mut conn = db.acquire().await.unwrap();
    for statement in LOAD.split(";\n").filter(|s| !s.trim().is_empty()) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(statement.to_string()));
        if statement.contains("$2") {
            query = query.bind(projects as i64).bind(models as i64);
        } else if statement.contains("$1") {
            query = query.bind(projects as i64);
        }
        query.execute(&mut *conn).await.unwrap();
    }
    sqlx::query("ANALYZE").execute(&mut *conn).await.unwrap();
    drop(conn);
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let index = tempfile::tempdir().unwrap();
    let hub = HubProcess(
        Command::new(env!("CARGO_BIN_EXE_agora-hub"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("AGORA_DATABASE_URL", url.as_str())
            .env("AGORA_INDEX_DIR", index.path())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("agora-hub starts"),
    );
    let pid = hub.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let ready = client.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the hub did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Settled: two quiet seconds (the search index is built at start).
    let mut last = cpu_ticks(pid);
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = cpu_ticks(pid);
        if now - last < 5 {
            break;
        }
        last = now;
    }
    println!(
        "hub settled {:.1} s after start; RSS {:.1} MiB (peak while starting {:.1} MiB)",
        started.elapsed().as_secs_f64(),
        status_mib(pid, "VmRSS"),
        status_mib(pid, "VmHWM")
    );
    // Resets the peak resident set size, so VmHWM is the peak of what follows.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("clear_refs is writable");
    let before = status_mib(pid, "VmRSS");

    let cpu = cpu_ticks(pid);
    let wall = Instant::now();
    let fetched = round(&client, &base, args.connections, None).await;
    let wall = wall.elapsed();
    let peak = status_mib(pid, "VmHWM");
    let after = status_mib(pid, "VmRSS");
    assert!(
        fetched.iter().all(|f| f.status == 200 && f.ends_well),
        "a document was cut"
    );
    let sizes: Vec<usize> = fetched.iter().map(|f| f.bytes).collect();
    println!();
    println!(
        "{} concurrent requests (Turtle {:.1} MiB, JSON-LD {:.1} MiB each) in {:.1} s, hub CPU {:.1} s",
        args.connections,
        sizes[0] as f64 / 1048576.0,
        sizes.get(1).copied().unwrap_or(0) as f64 / 1048576.0,
        wall.as_secs_f64(),
        (cpu_ticks(pid) - cpu) as f64 / 100.0
    );
    println!(
        "time to first byte   {}",
        spread(fetched.iter().map(|f| f.first_byte).collect())
    );
    println!(
        "time to last byte    {}",
        spread(fetched.iter().map(|f| f.total).collect())
    );
    println!(
        "hub RSS: {before:.1} MiB before, peak {peak:.1} MiB during the requests (target under 250 MB), {after:.1} MiB after"
    );

    // A harvester that sends back the tags.
    let tags = [
        fetched[0].etag.clone(),
        fetched.get(1).and_then(|f| f.etag.clone()),
    ];
    let wall = Instant::now();
    let again = round(&client, &base, args.connections, Some(&tags)).await;
    let wall = wall.elapsed();
    assert!(
        again.iter().all(|f| f.status == 304),
        "the tags did not match"
    );
    println!(
        "{} concurrent revalidations (If-None-Match, 304) in {:.1} ms: {}",
        args.connections,
        ms(wall),
        spread(again.iter().map(|f| f.total).collect())
    );

    drop(hub);
    db.close().await;
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
}
