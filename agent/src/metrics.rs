//! Prometheus metrics of the agent, served on `metrics_listen` (off by default) while
//! `run` (or `sync` without `--once`) goes on.
//!
//! | series | type | labels |
//! | --- | --- | --- |
//! | `agora_agent_sync_items_total` | counter | `outcome`: `added`, `updated`, `unchanged`, `rejected`, `withdrawn` (what the hub answered) |
//! | `agora_agent_spool_batches` | gauge | — requests (batches, epoch completions) waiting for the hub |
//! | `agora_agent_spool_bytes` | gauge | — their size on disk |
//! | `agora_agent_spool_rejected` | gauge | — requests the hub refused for good, kept in `spool/rejected` |
//! | `agora_agent_jobs` | gauge | `state`: `running` (jobs this agent holds a lease on) |
//! | `agora_agent_jobs_finished_total` | counter | `outcome`: `succeeded`, `failed`, `refused`, `cancelled`, `lease_lost`, `unreported` |
//!
//! The spool gauges are read from the folder at scrape time.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::error::{Error, Result};
use crate::shutdown::Stop;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

/// Every series of the agent.
pub struct Metrics {
    registry: Registry,
    sync_items: Family<OutcomeLabel, Counter>,
    spool_batches: Gauge,
    spool_bytes: Gauge,
    spool_rejected: Gauge,
    jobs: Family<StateLabel, Gauge>,
    jobs_finished: Family<OutcomeLabel, Counter>,
}

const SYNC_OUTCOMES: [&str; 5] = ["added", "updated", "unchanged", "rejected", "withdrawn"];
/// How a job this agent followed can end (`jobs::Ended::outcome`).
pub const JOB_OUTCOMES: [&str; 6] = [
    "succeeded",
    "failed",
    "refused",
    "cancelled",
    "lease_lost",
    "unreported",
];

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::default();
        let sync_items = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "agora_agent_sync_items",
            "Items sent to the hub, by what the hub made of them (withdrawn: by completed epochs)",
            sync_items.clone(),
        );
        let spool_batches = Gauge::default();
        registry.register(
            "agora_agent_spool_batches",
            "Requests (batches and epoch completions) waiting in the spool for the hub",
            spool_batches.clone(),
        );
        let spool_bytes = Gauge::default();
        registry.register(
            "agora_agent_spool_bytes",
            "Bytes of the requests waiting in the spool",
            spool_bytes.clone(),
        );
        let spool_rejected = Gauge::default();
        registry.register(
            "agora_agent_spool_rejected",
            "Requests the hub refused for good, kept in spool/rejected with the reason",
            spool_rejected.clone(),
        );
        let jobs = Family::<StateLabel, Gauge>::default();
        registry.register(
            "agora_agent_jobs",
            "Benchmark jobs this agent holds a lease on, by state",
            jobs.clone(),
        );
        let jobs_finished = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "agora_agent_jobs_finished",
            "Benchmark jobs this agent finished, by outcome",
            jobs_finished.clone(),
        );
        for outcome in SYNC_OUTCOMES {
            drop(sync_items.get_or_create(&OutcomeLabel { outcome }));
        }
        for outcome in JOB_OUTCOMES {
            drop(jobs_finished.get_or_create(&OutcomeLabel { outcome }));
        }
        drop(jobs.get_or_create(&StateLabel { state: "running" }));
        Self {
            registry,
            sync_items,
            spool_batches,
            spool_bytes,
            spool_rejected,
            jobs,
            jobs_finished,
        }
    }

    /// `n` items the hub answered with this outcome.
    pub fn sync_items(&self, outcome: &'static str, n: u64) {
        if n > 0 {
            self.sync_items
                .get_or_create(&OutcomeLabel { outcome })
                .inc_by(n);
        }
    }

    /// A leased job starts being followed.
    pub fn job_started(&self) {
        self.jobs
            .get_or_create(&StateLabel { state: "running" })
            .inc();
    }

    /// A followed job ended with `outcome`, one of [`JOB_OUTCOMES`].
    pub fn job_ended(&self, outcome: &'static str) {
        self.jobs
            .get_or_create(&StateLabel { state: "running" })
            .dec();
        self.jobs_finished
            .get_or_create(&OutcomeLabel { outcome })
            .inc();
    }

    /// Reads the spool's size, then encodes every series.
    pub fn render(&self, spool_dir: &Path) -> String {
        let spool = spool_dir.join("spool");
        let (batches, bytes) = json_files(&spool);
        let (rejected, _) = json_files(&spool.join("rejected"));
        self.spool_batches.set(batches);
        self.spool_bytes.set(bytes);
        self.spool_rejected.set(rejected);
        let mut out = String::new();
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
        {
            tracing::warn!(error = %e, "metrics: cannot encode");
        }
        out
    }
}

/// Number and total size of the `*.json` files in a folder (0 when it is missing).
fn json_files(dir: &Path) -> (i64, i64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .fold((0, 0), |(n, size), e| {
            let len = e.metadata().map_or(0, |m| m.len());
            (n + 1, size + i64::try_from(len).unwrap_or(i64::MAX))
        })
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

/// The router of the metrics listener: `/metrics` alone.
pub fn router(spool_dir: PathBuf) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(spool_dir)
}

async fn metrics(State(spool_dir): State<PathBuf>) -> impl IntoResponse {
    let body = tokio::task::spawn_blocking(move || global().render(&spool_dir))
        .await
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        )],
        body,
    )
}

/// Binds `metrics_listen` and serves `/metrics` in the background until `stop`.
pub async fn start(
    addr: SocketAddr,
    spool_dir: PathBuf,
    stop: Stop,
) -> Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Config(format!("`metrics_listen`: cannot listen on {addr}: {e}")))?;
    let bound = listener.local_addr()?;
    tracing::info!(addr = %bound, "metrics on http://{bound}/metrics");
    Ok(tokio::spawn(async move {
        let served = axum::serve(listener, router(spool_dir))
            .with_graceful_shutdown(async move { stop.stopped().await })
            .await;
        match served {
            Ok(()) => tracing::info!("metrics listener stopped"),
            Err(e) => tracing::error!(error = %e, "metrics listener failed"),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spool_and_jobs_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let spool = dir.path().join("spool");
        std::fs::create_dir_all(spool.join("rejected")).unwrap();
        std::fs::write(spool.join("000000000001.json"), b"{\"a\":1}").unwrap();
        std::fs::write(spool.join("000000000002.json"), b"{}").unwrap();
        std::fs::write(spool.join(".000000000003.json.tmp"), b"{").unwrap();
        std::fs::write(spool.join("rejected/000000000000.json"), b"{}").unwrap();
        let m = Metrics::new();
        m.sync_items("added", 3);
        m.job_started();
        m.job_started();
        m.job_ended("succeeded");
        let text = m.render(dir.path());
        for line in [
            "agora_agent_spool_batches 2",
            "agora_agent_spool_bytes 9",
            "agora_agent_spool_rejected 1",
            "agora_agent_sync_items_total{outcome=\"added\"} 3",
            "agora_agent_sync_items_total{outcome=\"withdrawn\"} 0",
            "agora_agent_jobs{state=\"running\"} 1",
            "agora_agent_jobs_finished_total{outcome=\"succeeded\"} 1",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing `{line}` in\n{text}"
            );
        }
    }
}
