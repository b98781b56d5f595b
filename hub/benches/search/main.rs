//! Search benchmark: a deterministic corpus loaded through the hub's data layer, indexed
//! by the hub's indexer, then a fixed set of queries over HTTP with 16 connections, and
//! the same queries against PostgreSQL full-text search (tsvector, GIN, websearch_to_tsquery,
//! ts_rank) on the same data. Run with:
//!
//! ```sh
//! cargo bench -p agora-hub --bench search -- --items 100000
//! ```
//!
//! Options: `--items N` (default 100000, half projects, half model cards), `--queries N`
//! (default 1000), `--connections N` (default 16). The database comes from `DATABASE_URL`
//! (default the local server); a fresh database is made for the run and dropped after it.

mod corpus;
mod postgres;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agora_hub::db::SaveMode;
use agora_hub::search::Search;
use agora_hub::{AppState, Config};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};

struct Args {
    items: usize,
    queries: usize,
    connections: usize,
}

fn args() -> Args {
    let mut a = Args {
        items: 100_000,
        queries: 1000,
        connections: 16,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).and_then(|v| v.parse().ok());
        match (argv[i].as_str(), value) {
            ("--items", Some(v)) => a.items = v,
            ("--queries", Some(v)) => a.queries = v,
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

/// Latency figures of one engine.
pub struct Figures {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub qps: f64,
}

impl Figures {
    pub fn from(mut latencies: Vec<Duration>, wall: Duration) -> Self {
        latencies.sort();
        let at =
            |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        Self {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            qps: latencies.len() as f64 / wall.as_secs_f64(),
        }
    }

    fn print(&self, name: &str) {
        println!(
            "{name:<28} p50 {:>8.2} ms   p95 {:>8.2} ms   p99 {:>8.2} ms   {:>8.0} queries/s",
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            self.qps
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU seconds this process has used (user and system), from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1.to_string();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(f64::NAN);
    // USER_HZ is 100 on Linux.
    ticks / 100.0
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn load(db: &PgPool, items: usize) -> usize {
    let projects = items / 2;
    let models = items - projects;
    let mut conn = db.acquire().await.unwrap();
    for org in corpus::ORGANISATIONS {
        let input = serde_json::from_value(serde_json::json!({
            "slug": org, "name": format!("Statistics office {org}"), "kind": "national-statistical-office"
        }))
        .unwrap();
        agora_hub::db::organisations::save(&mut conn, &input, "bench", SaveMode::Upsert)
            .await
            .unwrap();
    }
    for (i, ws) in corpus::WORKSTREAMS.iter().enumerate() {
        let input = serde_json::from_value(serde_json::json!({
            "slug": ws, "code": format!("WS{}", i + 1), "title": format!("Workstream {}", i + 1),
            "goal": "Machine learning for official statistics, shared across offices."
        }))
        .unwrap();
        agora_hub::db::workstreams::save(&mut conn, &input, "bench", SaveMode::Upsert)
            .await
            .unwrap();
    }
    drop(conn);
    // Four loaders, 1000 items per transaction.
    const CHUNK: usize = 1000;
    let run = |count: usize, f: fn(usize, usize) -> LoadItem| {
        let chunks = count.div_ceil(CHUNK);
        let next = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let db = db.clone();
                let next = next.clone();
                tokio::spawn(async move {
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break;
                        }
                        let mut tx = db.begin().await.unwrap();
                        for i in c * CHUNK..((c + 1) * CHUNK).min(count) {
                            match f(i, projects) {
                                LoadItem::Project(p) => {
                                    let input = serde_json::from_value(p).unwrap();
                                    agora_hub::db::projects::save(
                                        &mut tx,
                                        &input,
                                        "bench",
                                        SaveMode::Create,
                                        None,
                                    )
                                    .await
                                    .unwrap();
                                }
                                LoadItem::Model(m) => {
                                    let input = serde_json::from_value(m).unwrap();
                                    agora_hub::db::models::save_card(
                                        &mut tx,
                                        &input,
                                        "bench",
                                        SaveMode::Create,
                                        None,
                                    )
                                    .await
                                    .unwrap();
                                }
                            }
                        }
                        tx.commit().await.unwrap();
                    }
                })
            })
            .collect();
        tasks
    };
    for t in run(projects, |i, _| LoadItem::Project(corpus::project(i))) {
        t.await.unwrap();
    }
    for t in run(models, |i, projects| {
        LoadItem::Model(corpus::model(i, projects).0)
    }) {
        t.await.unwrap();
    }
    items + corpus::ORGANISATIONS.len() + corpus::WORKSTREAMS.len()
}

enum LoadItem {
    Project(serde_json::Value),
    Model(serde_json::Value),
}

fn main() {
    // `cargo test --all-targets` runs benches without `--bench`: build-checked, not run.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("the search benchmark runs with `cargo bench -p agora-hub --bench search`");
        return;
    }
    let args = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(args));
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
    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(url.as_str())
        .await
        .unwrap();
    agora_hub::app::migrate(&db).await.unwrap();

    println!(
        "corpus: {} items ({} projects, {} model cards), {} queries, {} connections",
        args.items,
        args.items / 2,
        args.items - args.items / 2,
        args.queries,
        args.connections
    );
    let started = Instant::now();
    let expected = load(&db, args.items).await as u64;
    let load_time = started.elapsed();
    println!(
        "loaded through the data layer in {:.1} s ({:.0} items/s)",
        load_time.as_secs_f64(),
        args.items as f64 / load_time.as_secs_f64()
    );

    // The hub, in this process: index folder, indexer task, HTTP server.
    let dir = tempfile::tempdir().unwrap();
    let search = Search::open(&dir.path().join("index")).unwrap();
    let started = Instant::now();
    let indexer = tokio::spawn(search.clone().run_indexer(db.clone()));
    while search.num_docs() < expected {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "indexed {} documents from PostgreSQL in {:.1} s",
        search.num_docs(),
        started.elapsed().as_secs_f64()
    );
    // Let the indexer finish its merges.
    tokio::time::sleep(Duration::from_millis(500)).await;
    search.catch_up(&db).await.unwrap();
    println!("index segments: {}", search.num_segments());
    let state = AppState::with_search(db.clone(), Config::default(), search.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, agora_hub::http::router(state)).await });

    let queries = corpus::queries(args.queries);
    let urls: Arc<Vec<String>> = Arc::new(
        queries
            .iter()
            .map(|query| {
                let mut s = form_urlencoded::Serializer::new(String::new());
                s.append_pair("q", &query.q);
                for (k, v) in &query.filters {
                    s.append_pair(k, v);
                }
                if query.by_date {
                    s.append_pair("sort", "updated");
                }
                format!("http://{addr}/api/v1/search?{}", s.finish())
            })
            .collect(),
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .build()
        .unwrap();
    // Warm-up: one pass, not measured.
    http_pass(&client, &urls, args.connections).await;
    let cpu = cpu_seconds();
    let (hub, took) = http_pass(&client, &urls, args.connections).await;
    let cpu_per_query = (cpu_seconds() - cpu) / urls.len() as f64;
    let rss = rss_mib();
    let size = search.size_on_disk();

    let started = Instant::now();
    postgres::prepare(&db).await;
    println!(
        "PostgreSQL baseline table and GIN index built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    postgres::pass(&db, &queries, args.connections).await;
    let pg = postgres::pass(&db, &queries, args.connections).await;

    let started = Instant::now();
    let rebuilt = search.rebuild(&db, &|_, _| {}).await.unwrap();
    let reindex = started.elapsed();
    indexer.abort();

    println!();
    hub.print("hub search over HTTP");
    pg.print("PostgreSQL full-text search");
    print_classes(&queries, &took);
    println!(
        "CPU per query over HTTP: {:.2} ms (the hub and the benchmark's client share this process)",
        cpu_per_query * 1000.0
    );
    println!(
        "ratio (PostgreSQL / hub)     p50 {:.1}x   p95 {:.1}x   p99 {:.1}x   throughput {:.1}x",
        ms(pg.p50) / ms(hub.p50),
        ms(pg.p95) / ms(hub.p95),
        ms(pg.p99) / ms(hub.p99),
        hub.qps / pg.qps
    );
    println!(
        "hub process RSS {rss:.0} MiB; index {:.1} MiB on disk; full reindex of {rebuilt} documents in {:.1} s",
        size as f64 / 1048576.0,
        reindex.as_secs_f64()
    );

    drop(search);
    db.close().await;
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
}

/// Time spent in the index (the answer's `took_ms`) by class of query: where a query's
/// time goes, without the waiting for a core that 16 connections on 2 cores bring.
fn print_classes(queries: &[corpus::Query], took: &[f64]) {
    println!("time in the index (took_ms) by class of query:");
    for class in corpus::Class::ALL {
        let mut t: Vec<f64> = queries
            .iter()
            .zip(took)
            .filter(|(q, _)| q.class == class)
            .map(|(_, t)| *t)
            .collect();
        if t.is_empty() {
            continue;
        }
        t.sort_by(f64::total_cmp);
        let at = |p: f64| t[((t.len() as f64 * p) as usize).min(t.len() - 1)];
        let mean = t.iter().sum::<f64>() / t.len() as f64;
        println!(
            "  {:<16} {:>4} queries   mean {mean:>6.2} ms   p50 {:>6.2} ms   p99 {:>6.2} ms",
            class.name(),
            t.len(),
            at(0.5),
            at(0.99)
        );
    }
    let mut slowest: Vec<(&corpus::Query, f64)> =
        queries.iter().zip(took.iter().copied()).collect();
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("slowest in the index:");
    for (q, t) in slowest.iter().take(5) {
        let filters: Vec<String> = q.filters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("  {t:>6.2} ms  {} {}", q.q, filters.join(" "));
    }
}

/// The `took_ms` of an answer, read without parsing the whole body.
fn took_ms(body: &[u8]) -> f64 {
    let key = b"\"took_ms\":";
    body.windows(key.len())
        .rposition(|w| w == key)
        .and_then(|at| {
            let rest = &body[at + key.len()..];
            let end = rest
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b'e' || *b == b'-'))
                .unwrap_or(rest.len());
            std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
        })
        .unwrap_or(f64::NAN)
}

/// Runs every query once over `connections` connections: the latency figures, and each
/// query's `took_ms` in query order.
async fn http_pass(
    client: &reqwest::Client,
    urls: &Arc<Vec<String>>,
    connections: usize,
) -> (Figures, Vec<f64>) {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let client = client.clone();
            let urls = urls.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let t = Instant::now();
                    let response = client.get(url).send().await.unwrap();
                    assert!(
                        response.status().is_success(),
                        "{url}: {}",
                        response.status()
                    );
                    let body = response.bytes().await.unwrap();
                    latencies.push((i, t.elapsed(), took_ms(&body)));
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    let mut took = vec![f64::NAN; urls.len()];
    for (i, _, t) in &all {
        took[*i] = *t;
    }
    let latencies = all.into_iter().map(|(_, l, _)| l).collect();
    (Figures::from(latencies, wall), took)
}
