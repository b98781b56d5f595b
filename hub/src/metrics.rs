//! Prometheus metrics of the hub, in the text exposition format (version 0.0.4).
//!
//! Counters and histograms are recorded where things happen (one registry per process,
//! [`global`]); the gauges that describe the database (job queue depth, search index lag)
//! are read at scrape time with one small query each, so they cost nothing between
//! scrapes. The metrics are served on their own address, `metrics_listen`, never on the
//! public listener (see [`crate::http::metrics`]).
//!
//! | series | type | labels |
//! | --- | --- | --- |
//! | `agora_http_request_duration_seconds` | histogram | `method`, `route` (the route template, `unmatched` for none), `status` (`2xx`…) |
//! | `agora_sync_items_total` | counter | `outcome`: `added`, `updated`, `unchanged`, `rejected`, `withdrawn` |
//! | `agora_jobs` | gauge | `state`: `queued`, `leased`, `running` |
//! | `agora_job_lease_requests_waiting` | gauge | — (agents' long polls open on this replica) |
//! | `agora_job_lease_expiries_total` | counter | `outcome`: `requeued`, `failed` |
//! | `agora_job_queue_timeouts_total` | counter | — |
//! | `agora_digest_messages_total` | counter | `outcome`: `sent`, `empty`, `cancelled`, `deferred`, `failed` |
//! | `agora_search_index_lag_events` | gauge | — |
//! | `agora_search_index_lag_seconds` | gauge | — |
//! | `agora_search_index_documents` | gauge | — |

use std::sync::LazyLock;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sqlx::PgPool;

use crate::db::jobs::Reaped;
use crate::search::{Cursor, Search};

/// Upper bounds of the latency buckets, in seconds: 1 ms to 30 s (long-polled leases).
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The job states that make up the queue (terminal states are history, not depth).
pub const ACTIVE_JOB_STATES: [&str; 3] = ["queued", "leased", "running"];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

type HistogramFamily = Family<HttpLabels, Histogram, fn() -> Histogram>;

/// Every series of the hub, and the registry that encodes them.
pub struct Metrics {
    registry: Registry,
    http: HistogramFamily,
    sync_items: Family<OutcomeLabel, Counter>,
    jobs: Family<StateLabel, Gauge>,
    lease_waiting: Gauge,
    lease_expiries: Family<OutcomeLabel, Counter>,
    queue_timeouts: Counter,
    digests: Family<OutcomeLabel, Counter>,
    index_lag_events: Gauge,
    index_lag_seconds: Gauge<f64, AtomicU64>,
    index_documents: Gauge,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::default();
        let http: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "agora_http_request_duration_seconds",
            "Time to answer HTTP requests, by method, route template and status class",
            http.clone(),
        );
        let sync_items = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "agora_sync_items",
            "Items agents synced, by what became of them (withdrawn: by completed epochs)",
            sync_items.clone(),
        );
        let jobs = Family::<StateLabel, Gauge>::default();
        registry.register(
            "agora_jobs",
            "Benchmark jobs queued, leased or running, read at scrape time",
            jobs.clone(),
        );
        let lease_waiting = Gauge::default();
        registry.register(
            "agora_job_lease_requests_waiting",
            "Agents' lease requests waiting for a job on this replica (long polls)",
            lease_waiting.clone(),
        );
        let lease_expiries = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "agora_job_lease_expiries",
            "Job leases this replica found expired, by what it did (requeued or failed)",
            lease_expiries.clone(),
        );
        let queue_timeouts = Counter::default();
        registry.register(
            "agora_job_queue_timeouts",
            "Jobs this replica expired because no agent leased them in time",
            queue_timeouts.clone(),
        );
        let digests = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "agora_digest_messages",
            "Digest outbox rows this replica handled, by outcome",
            digests.clone(),
        );
        let index_lag_events = Gauge::default();
        registry.register(
            "agora_search_index_lag_events",
            "Events this replica's search index has not applied yet",
            index_lag_events.clone(),
        );
        let index_lag_seconds = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "agora_search_index_lag_seconds",
            "Age of the oldest event this replica's search index has not applied (0 when none)",
            index_lag_seconds.clone(),
        );
        let index_documents = Gauge::default();
        registry.register(
            "agora_search_index_documents",
            "Documents searches see in this replica's index",
            index_documents.clone(),
        );
        let metrics = Self {
            registry,
            http,
            sync_items,
            jobs,
            lease_waiting,
            lease_expiries,
            queue_timeouts,
            digests,
            index_lag_events,
            index_lag_seconds,
            index_documents,
        };
        // Known outcomes start at zero, so rates and sums work before the first event.
        for outcome in ["added", "updated", "unchanged", "rejected", "withdrawn"] {
            drop(metrics.sync_items.get_or_create(&OutcomeLabel { outcome }));
        }
        for outcome in ["requeued", "failed"] {
            drop(
                metrics
                    .lease_expiries
                    .get_or_create(&OutcomeLabel { outcome }),
            );
        }
        for outcome in ["sent", "empty", "cancelled", "deferred", "failed"] {
            drop(metrics.digests.get_or_create(&OutcomeLabel { outcome }));
        }
        for state in ACTIVE_JOB_STATES {
            drop(metrics.jobs.get_or_create(&StateLabel { state }));
        }
        metrics
    }

    /// One answered HTTP request.
    pub fn http_request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let labels = HttpLabels {
            method: method.to_string(),
            route: route.to_string(),
            status: format!("{}xx", status / 100),
        };
        self.http.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// `n` synced items with this outcome (`added`, `updated`, `unchanged`, `rejected`,
    /// `withdrawn`).
    pub fn sync_items(&self, outcome: &'static str, n: u64) {
        if n > 0 {
            self.sync_items
                .get_or_create(&OutcomeLabel { outcome })
                .inc_by(n);
        }
    }

    /// What one pass of the lease reaper did.
    pub fn reaped(&self, reaped: &Reaped) {
        for (outcome, n) in [("requeued", reaped.requeued), ("failed", reaped.failed)] {
            if n > 0 {
                self.lease_expiries
                    .get_or_create(&OutcomeLabel { outcome })
                    .inc_by(n);
            }
        }
        if reaped.expired > 0 {
            self.queue_timeouts.inc_by(reaped.expired);
        }
    }

    /// One digest outbox row handled (`sent`, `empty`, `cancelled`, `deferred`, `failed`).
    pub fn digest(&self, outcome: &'static str) {
        self.digests.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    /// Reads the gauges from the database and the index, then encodes every series. A
    /// gauge that cannot be read keeps its last value (and the failure is logged).
    /// `lease_waiting` is the number of lease requests waiting for a job.
    pub async fn render(&self, db: &PgPool, search: &Search, lease_waiting: usize) -> String {
        self.lease_waiting
            .set(i64::try_from(lease_waiting).unwrap_or(i64::MAX));
        if let Err(e) = self.refresh_jobs(db).await {
            tracing::warn!(error = %e, "metrics: cannot count jobs");
        }
        if let Err(e) = self.refresh_index(db, search).await {
            tracing::warn!(error = %e, "metrics: cannot measure the search index lag");
        }
        let mut out = String::new();
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
        {
            tracing::warn!(error = %e, "metrics: cannot encode");
        }
        out
    }

    async fn refresh_jobs(&self, db: &PgPool) -> crate::error::Result<()> {
        let counts: Vec<(String, i64)> = sqlx::query_as(
            "SELECT state::text, count(*) FROM benchmark_jobs \
             WHERE state IN ('queued', 'leased', 'running') GROUP BY state",
        )
        .fetch_all(db)
        .await?;
        for state in ACTIVE_JOB_STATES {
            let n = counts
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n);
            self.jobs.get_or_create(&StateLabel { state }).set(n);
        }
        Ok(())
    }

    async fn refresh_index(&self, db: &PgPool, search: &Search) -> crate::error::Result<()> {
        // Before the first build every event is still to apply.
        let cursor = search.cursor().await.unwrap_or(Cursor { tx: 0, id: 0 });
        let (events, seconds): (i64, Option<f64>) = sqlx::query_as(
            "SELECT count(*), extract(epoch FROM now() - min(at))::float8 FROM events \
             WHERE (tx, id) > ($1::text::xid8, $2)",
        )
        .bind(cursor.tx.to_string())
        .bind(cursor.id)
        .fetch_one(db)
        .await?;
        self.index_lag_events.set(events);
        self.index_lag_seconds.set(seconds.unwrap_or(0.0).max(0.0));
        self.index_documents
            .set(i64::try_from(search.num_docs()).unwrap_or(i64::MAX));
        Ok(())
    }
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_named_and_labelled_as_documented() {
        let m = Metrics::new();
        m.http_request(
            "GET",
            "/api/v1/projects/{slug}",
            404,
            Duration::from_millis(3),
        );
        m.sync_items("added", 2);
        m.reaped(&Reaped {
            requeued: 1,
            failed: 0,
            expired: 3,
        });
        m.digest("sent");
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &m.registry).unwrap();
        for line in [
            "agora_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/projects/{slug}\",status=\"4xx\",le=\"0.005\"} 1",
            "agora_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/projects/{slug}\",status=\"4xx\"} 1",
            "agora_sync_items_total{outcome=\"added\"} 2",
            "agora_sync_items_total{outcome=\"withdrawn\"} 0",
            "agora_job_lease_expiries_total{outcome=\"requeued\"} 1",
            "agora_job_queue_timeouts_total 3",
            "agora_digest_messages_total{outcome=\"sent\"} 1",
            "agora_jobs{state=\"queued\"} 0",
            "# TYPE agora_search_index_lag_seconds gauge",
        ] {
            assert!(out.lines().any(|l| l == line), "missing `{line}` in\n{out}");
        }
    }
}
