//! One sync of one source: list it, filter and hash each item, batch what changed (or
//! everything, with `--full`), spool the batches and deliver them, then close the epoch with
//! every key the listing saw.
//!
//! A listing that fails part-way sends what it had read but closes no epoch, so the hub
//! withdraws nothing. Every request goes through the spool, in order. What the hub refuses
//! leaves the state and is sent again at the next sync.

mod collector;
mod delivery;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use agora_schemas::Slug;
use sha2::{Digest, Sha256};

pub use self::collector::Collector;
pub use self::delivery::{Delivered, Delivery, DeliveryStats};
use crate::config::AgentConfig;
use crate::error::{Error, Result};
use crate::report::Reporter;
use crate::sources::config::SourceDef;
use crate::sources::{self, ListContext};
use crate::state::SourceState;

/// Hex SHA-256 of a payload as it will be sent.
pub fn hash(payload: &serde_json::Value) -> String {
    let bytes = serde_json::to_vec(payload).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
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
    /// Items held back because the item they need was refused.
    pub waiting: u64,
    pub batches: u64,
    pub complete: bool,
    pub error: Option<String>,
    pub elapsed: Duration,
}

/// A new epoch id: the time, then random characters.
pub fn new_epoch() -> String {
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let tail = &uuid::Uuid::new_v4().simple().to_string()[..8];
    format!("{now}-{tail}")
}

/// Syncs one source completely. With `full`, every item is read and sent again, changed
/// or not (the hub answers `unchanged` for those it holds).
pub async fn sync_source(
    config: &AgentConfig,
    organisation: &Slug,
    def: &SourceDef,
    mut output: Output<'_>,
    reporter: &Arc<Reporter>,
    full: bool,
    stop: Arc<AtomicBool>,
) -> Result<SourceReport> {
    let started = Instant::now();
    // Refusals answered before this listing (a replayed spool) are already in the state on
    // disk: only those answered during it concern it.
    if let Output::Send(delivery) = &mut output {
        delivery.take_refusals(&def.name);
    }
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
        reporter: reporter.clone(),
        spool_dir: &config.spool_dir,
        previous: &previous,
        send_all: full,
        persisted: previous.clone(),
        next: SourceState::default(),
        batch: Vec::new(),
        keys: Vec::new(),
        rejected: Vec::new(),
        refused_now: HashMap::new(),
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
