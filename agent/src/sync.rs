//! One sync of one source: list it, filter and hash each item, batch what changed, spool
//! the batches and deliver them, then close the epoch with every key the listing saw.
//!
//! A listing that fails part-way sends what it had read but closes no epoch, so the hub
//! withdraws nothing. Every request goes through the spool, in order.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use agora_schemas::Slug;
use agora_schemas::sync::{
    BatchResult, EpochCompletion, EpochSummary, ItemOutcome, ItemResult, SyncBatch, SyncItem,
};
use sha2::{Digest, Sha256};

use crate::client::HubClient;
use crate::config::{AgentConfig, SourceDef};
use crate::error::{Error, Result};
use crate::sources::{self, Entry, ListContext};
use crate::spool::{Request, Spool};
use crate::state::{self, SourceState};

/// Hex SHA-256 of a payload as it will be sent.
pub fn hash(payload: &serde_json::Value) -> String {
    let bytes = serde_json::to_vec(payload).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// Delivers spooled requests to the hub, in order, and keeps the counts of the answers.
pub struct Delivery {
    hub: HubClient,
    spool: Spool,
    spool_dir: PathBuf,
    /// Set when the hub could not be reached: later batches are only spooled.
    pub hub_down: bool,
    pub stats: DeliveryStats,
}

/// What the hub answered, over a run of the agent.
#[derive(Debug, Default, Clone)]
pub struct DeliveryStats {
    pub batches: u64,
    pub items: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub replayed: u64,
    pub withdrawn: u64,
    pub epochs: u64,
    /// Time spent waiting for the hub's answers to batches.
    pub hub_time: Duration,
}

/// The state of the spool after a delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Everything spooled has been delivered.
    All,
    /// The hub is unreachable; requests wait in the spool.
    Waiting(usize),
}

impl Delivery {
    pub fn new(config: &AgentConfig) -> Result<Self> {
        let token = config.token.clone().ok_or_else(|| {
            Error::Config("`token`: required to send to the hub (set AGORA_AGENT_TOKEN)".into())
        })?;
        Ok(Self {
            hub: HubClient::new(config.hub_url.clone(), Some(token), config.request_timeout)?,
            spool: Spool::open(&config.spool_dir)?,
            spool_dir: config.spool_dir.clone(),
            hub_down: false,
            stats: DeliveryStats::default(),
        })
    }

    pub fn spool(&mut self) -> &mut Spool {
        &mut self.spool
    }

    pub fn pending(&self) -> Result<usize> {
        Ok(self.spool.pending()?.len())
    }

    /// Sends what waits in the spool, oldest first. A 401, 403, 404, 405 or 426 stops delivery (the
    /// token, the hub URL or a version must be fixed; the spool waits); another 4xx moves that request
    /// to `rejected/` and takes its items out of the state, so they are sent again later.
    pub async fn deliver(&mut self) -> Result<Delivered> {
        let pending = self.spool.pending()?;
        for (i, seq) in pending.iter().enumerate() {
            let request = self.spool.read(*seq)?;
            let started = Instant::now();
            match self.hub.post(&request.path, &request.body).await {
                Ok(answer) => {
                    self.hub_down = false;
                    self.record(&request, answer, started.elapsed());
                    self.spool.done(*seq)?;
                }
                Err(Error::Unreachable(why)) => {
                    if !self.hub_down {
                        tracing::warn!(reason = %why, waiting = pending.len() - i,
                            "hub unreachable: requests stay in the spool");
                    }
                    self.hub_down = true;
                    return Ok(Delivered::Waiting(pending.len() - i));
                }
                Err(Error::Refused { status, message })
                    if matches!(status, 401 | 403 | 404 | 405 | 426) =>
                {
                    self.hub_down = true;
                    return Err(Error::Refused { status, message });
                }
                Err(Error::Refused { status, message }) => {
                    let reason = format!("{status}: {message}");
                    tracing::error!(seq, path = %request.path, %reason,
                        "the hub refused a spooled request: moved to spool/rejected");
                    self.spool.reject(*seq, &reason)?;
                    let keys = request.item_keys();
                    if !keys.is_empty() {
                        let mut state = SourceState::load(&self.spool_dir, &request.source)?;
                        for key in &keys {
                            state.items.remove(key);
                        }
                        state.save(&self.spool_dir, &request.source)?;
                    }
                }
                Err(other) => return Err(other),
            }
        }
        Ok(Delivered::All)
    }

    fn record(&mut self, request: &Request, answer: serde_json::Value, took: Duration) {
        if request.path.ends_with("/batches") {
            let Ok(result) = serde_json::from_value::<BatchResult>(answer) else {
                tracing::warn!("the hub's batch answer is unreadable");
                return;
            };
            self.stats.hub_time += took;
            self.stats.batches += 1;
            if result.replayed {
                self.stats.replayed += 1;
            }
            let metrics = crate::metrics::global();
            for r in &result.results {
                self.stats.items += 1;
                metrics.sync_items(
                    match r.outcome {
                        ItemOutcome::Added => "added",
                        ItemOutcome::Updated => "updated",
                        ItemOutcome::Unchanged => "unchanged",
                        ItemOutcome::Rejected => "rejected",
                    },
                    1,
                );
                match r.outcome {
                    ItemOutcome::Added => self.stats.added += 1,
                    ItemOutcome::Updated => self.stats.updated += 1,
                    ItemOutcome::Unchanged => self.stats.unchanged += 1,
                    ItemOutcome::Rejected => {
                        self.stats.rejected += 1;
                        tracing::warn!(source = %request.source, key = %r.key,
                            field = r.field.as_deref().unwrap_or("-"),
                            reason = r.reason.as_deref().unwrap_or("-"), "the hub rejected an item");
                    }
                }
            }
        } else if let Ok(summary) = serde_json::from_value::<EpochSummary>(answer) {
            let c = &summary.counts;
            self.stats.epochs += 1;
            self.stats.withdrawn += c.withdrawn;
            crate::metrics::global().sync_items("withdrawn", c.withdrawn);
            tracing::info!(source = %summary.source, epoch = %summary.epoch, added = c.added,
                updated = c.updated, unchanged = c.unchanged, withdrawn = c.withdrawn,
                rejected = c.rejected, "epoch completed");
        }
    }
}

/// Where listed items go.
pub enum Output<'a> {
    /// Spool and deliver.
    Send(&'a mut Delivery),
    /// Print as JSON lines (`all`: also unchanged items); send and write nothing.
    Print { all: bool },
}

/// What one sync of one source did.
#[derive(Debug, Default, Clone)]
pub struct SourceReport {
    pub source: String,
    pub listed: u64,
    pub changed: u64,
    pub rejected_here: u64,
    pub batches: u64,
    pub complete: bool,
    pub error: Option<String>,
    pub elapsed: Duration,
}

/// Receives a source's listing: filters, hashes, batches and spools.
pub struct Collector<'a> {
    def: &'a SourceDef,
    epoch: String,
    batch_size: usize,
    output: Output<'a>,
    spool_dir: &'a Path,
    previous: &'a SourceState,
    /// The state on disk: the previous one plus every item spooled so far.
    persisted: SourceState,
    /// The state the complete listing gives.
    next: SourceState,
    batch: Vec<SyncItem>,
    keys: Vec<String>,
    rejected: Vec<ItemResult>,
    cursor: BTreeMap<String, String>,
    stop: Arc<AtomicBool>,
    pub report: SourceReport,
}

impl<'a> Collector<'a> {
    /// Takes one entry of the listing.
    pub async fn push(&mut self, entry: Entry) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Error::Stopped);
        }
        match entry {
            Entry::Item(mut listed) => {
                if self.next.items.contains_key(&listed.key) {
                    tracing::warn!(key = %listed.key, "listed twice: the second is ignored");
                    return Ok(());
                }
                self.def.release.apply(listed.kind, &mut listed.payload);
                let hash = hash(&listed.payload);
                self.keys.push(listed.key.clone());
                self.report.listed += 1;
                let entry = state::Entry {
                    hash: hash.clone(),
                    stamp: listed.stamp,
                };
                let unchanged = self.previous.unchanged(&listed.key, &hash);
                self.next.items.insert(listed.key.clone(), entry);
                let print_all = matches!(self.output, Output::Print { all: true });
                if !unchanged || print_all {
                    self.report.changed += u64::from(!unchanged);
                    self.batch.push(SyncItem {
                        key: listed.key,
                        hash,
                        kind: listed.kind,
                        payload: listed.payload,
                        commit: listed.commit,
                    });
                    if self.batch.len() >= self.batch_size {
                        self.flush().await?;
                    }
                }
            }
            Entry::Kept(key) => {
                if let Some(entry) = self.previous.items.get(&key) {
                    self.report.listed += 1;
                    self.next.items.insert(key.clone(), entry.clone());
                    self.keys.push(key);
                }
            }
            Entry::Rejected { key, field, reason } => {
                self.report.listed += 1;
                self.report.rejected_here += 1;
                if let Some(entry) = self.previous.items.get(&key) {
                    self.next.items.insert(key.clone(), entry.clone());
                }
                self.keys.push(key.clone());
                self.rejected.push(ItemResult {
                    key,
                    outcome: ItemOutcome::Rejected,
                    field,
                    reason: Some(reason),
                    warnings: Vec::new(),
                });
            }
        }
        Ok(())
    }

    /// Source-specific positions to keep if the listing completes.
    pub fn set_cursor(&mut self, cursor: BTreeMap<String, String>) {
        self.cursor = cursor;
    }

    async fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.batch);
        self.report.batches += 1;
        match &mut self.output {
            Output::Print { .. } => {
                let mut out = std::io::stdout().lock();
                for item in &items {
                    let line = serde_json::json!({"key": item.key, "kind": item.kind,
                        "hash": item.hash, "payload": item.payload});
                    writeln!(out, "{line}")?;
                }
                Ok(())
            }
            Output::Send(delivery) => {
                for item in &items {
                    if let Some(e) = self.next.items.get(&item.key) {
                        self.persisted.items.insert(item.key.clone(), e.clone());
                    }
                }
                let batch = SyncBatch {
                    batch_id: uuid::Uuid::new_v4().to_string(),
                    source: self.def.name.clone(),
                    epoch: self.epoch.clone(),
                    items,
                };
                let body = serde_json::to_value(&batch).map_err(std::io::Error::other)?;
                delivery.spool().push(&Request {
                    path: "/api/v1/agent/sync/batches".into(),
                    source: self.def.name.to_string(),
                    body,
                })?;
                self.persisted.save(self.spool_dir, &self.def.name)?;
                if !delivery.hub_down {
                    delivery.deliver().await?;
                }
                Ok(())
            }
        }
    }

    /// Ends the listing: sends what remains and, if the listing was complete, closes the
    /// epoch and keeps the new state.
    async fn finish(mut self, complete: bool) -> Result<SourceReport> {
        self.flush().await?;
        self.report.complete = complete;
        if let Output::Send(delivery) = &mut self.output
            && complete
        {
            let completion = EpochCompletion {
                source: self.def.name.clone(),
                keys: std::mem::take(&mut self.keys),
                rejected: std::mem::take(&mut self.rejected),
            };
            let body = serde_json::to_value(&completion).map_err(std::io::Error::other)?;
            delivery.spool().push(&Request {
                path: format!("/api/v1/agent/sync/epochs/{}/complete", self.epoch),
                source: self.def.name.to_string(),
                body,
            })?;
            self.next.cursor = std::mem::take(&mut self.cursor);
            self.next.save(self.spool_dir, &self.def.name)?;
            if !delivery.hub_down {
                delivery.deliver().await?;
            }
        }
        Ok(self.report)
    }
}

/// A new epoch id: the time, then random characters.
pub fn new_epoch() -> String {
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let tail = &uuid::Uuid::new_v4().simple().to_string()[..8];
    format!("{now}-{tail}")
}

/// Syncs one source completely.
pub async fn sync_source(
    config: &AgentConfig,
    organisation: &Slug,
    def: &SourceDef,
    output: Output<'_>,
    full: bool,
    stop: Arc<AtomicBool>,
) -> Result<SourceReport> {
    let started = Instant::now();
    let previous = SourceState::load(&config.spool_dir, &def.name)?;
    let epoch = new_epoch();
    tracing::info!(source = %def.name, %epoch, "sync started");
    let ctx = ListContext {
        source: &def.name,
        organisation,
        previous: &previous,
        full,
        spool_dir: &config.spool_dir,
        timeout: config.request_timeout,
    };
    let mut collector = Collector {
        def,
        epoch,
        batch_size: config.batch_size,
        output,
        spool_dir: &config.spool_dir,
        previous: &previous,
        persisted: previous.clone(),
        next: SourceState::default(),
        batch: Vec::new(),
        keys: Vec::new(),
        rejected: Vec::new(),
        cursor: BTreeMap::new(),
        stop,
        report: SourceReport {
            source: def.name.to_string(),
            ..SourceReport::default()
        },
    };
    let listed = sources::list(def, &ctx, &mut collector).await;
    let mut report = match listed {
        Ok(()) => collector.finish(true).await?,
        Err(e @ (Error::Source(_) | Error::Stopped | Error::Config(_))) => {
            tracing::error!(source = %def.name, error = %e,
                "the listing stopped part-way: its epoch stays open and nothing is withdrawn");
            let mut report = collector.finish(false).await?;
            report.error = Some(e.to_string());
            report
        }
        Err(e) => return Err(e),
    };
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The process's peak resident memory in KiB (Linux), for reports.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_follow_the_payload_not_its_key_order() {
        let a = serde_json::json!({"b": 1, "a": [1, 2]});
        let b: serde_json::Value = serde_json::from_str(r#"{"a":[1,2],"b":1}"#).unwrap();
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&serde_json::json!({"b": 2, "a": [1, 2]})));
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn epochs_are_valid_protocol_tokens_and_distinct() {
        let e = new_epoch();
        assert!(
            e.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':')),
            "{e}"
        );
        assert_ne!(e, new_epoch());
    }
}
