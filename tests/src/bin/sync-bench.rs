//! Sync benchmark: a real MLflow registry with many model versions (10,000 by default),
//! the real hub and the real agent. Prints the first sync's time, the no-change re-sync's
//! time, the hub's ingest rate and the agent's peak memory.
//!
//! ```sh
//! cargo build --release --bins
//! cargo run --release -p agora-e2e --bin sync-bench -- [MODELS] [VERSIONS_PER_MODEL]
//! ```
//!
//! The registry is filled once (a few minutes) and cached in `~/.cache/agora/bench/`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use agora_e2e::agent::{AgentHome, show, summary_number};
use agora_e2e::mlflow::{Mlflow, venv};
use agora_e2e::{Hub, TestDb, create_agent, free_port, hub_command};

fn populated_store(models: usize, per_model: usize) -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    let dir = PathBuf::from(home).join(".cache/agora/bench");
    std::fs::create_dir_all(&dir).expect("the cache folder");
    let db = dir.join(format!("mlflow-{models}x{per_model}.db"));
    if db.exists() {
        return db;
    }
    let partial = db.with_extension("partial.db");
    let _ = std::fs::remove_file(&partial);
    eprintln!("filling an MLflow store with {models} models x {per_model} versions (once)...");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/mlflow_populate.py");
    let status = Command::new(venv().join("python"))
        .arg(script)
        .arg(format!("sqlite:///{}", partial.display()))
        .arg(models.to_string())
        .arg(per_model.to_string())
        .status()
        .expect("python runs");
    assert!(status.success(), "filling the MLflow store failed");
    std::fs::rename(&partial, &db).expect("keep the filled store");
    db
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("MODELS and VERSIONS_PER_MODEL are numbers")
        })
        .collect();
    let models = args.first().copied().unwrap_or(1000);
    let per_model = args.get(1).copied().unwrap_or(10);
    let store = populated_store(models, per_model);
    let work = tempfile::tempdir().expect("a temporary folder");
    let db_copy = work.path().join("mlflow.db");
    std::fs::copy(&store, &db_copy).expect("copy the store");
    // As `mlflow server` runs by default: four workers.
    let mlflow = Mlflow::on_store_with_workers(&db_copy, free_port(), 4).await;

    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "bench-1");
    let hub = Hub::start(&db.url).await;
    let sources = format!(
        "batch_size = 500\n[[sources]]\nname = \"mlflow-bench\"\ntype = \"mlflow\"\nurl = \"{}\"\n",
        mlflow.url()
    );
    let agent = AgentHome::new(&hub.base_url, &token, "insee", &sources);

    let started = Instant::now();
    let first = agent.run(&["sync", "--once"]).await;
    let first_time = started.elapsed();
    assert!(first.status.success(), "{}", show(&first));
    let started = Instant::now();
    let second = agent.run(&["sync", "--once"]).await;
    let second_time = started.elapsed();
    assert!(second.status.success(), "{}", show(&second));
    assert_eq!(
        summary_number(&second.stdout, "hub ", "batches"),
        0,
        "{}",
        show(&second)
    );

    let items = summary_number(&first.stdout, "hub ", "items");
    println!("model versions in MLflow:   {}", models * per_model);
    println!("items sent (cards+versions): {items}");
    println!(
        "first sync:                 {:.2} s",
        first_time.as_secs_f64()
    );
    println!(
        "no-change re-sync:          {:.2} s",
        second_time.as_secs_f64()
    );
    println!(
        "hub ingest rate:            {} items/s",
        summary_number(&first.stdout, "hub ", "items_per_second")
    );
    println!(
        "agent peak RSS:             {:.1} MB (first sync), {:.1} MB (re-sync)",
        summary_number(&first.stdout, "hub ", "peak_rss_kib") as f64 / 1024.0,
        summary_number(&second.stdout, "hub ", "peak_rss_kib") as f64 / 1024.0
    );
    drop(hub);
    drop(mlflow);
    db.drop_now().await;
}
