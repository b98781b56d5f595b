//! Delivery of the spool to the hub, in order, and what its answers change: counts, a
//! notice for each refused or warned item, and the state of the refused items' sources (a
//! refused item leaves the state, so it is sent again at the next sync).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agora_schemas::sync::{BatchResult, EpochSummary, ItemOutcome};

use crate::client::HubClient;
use crate::config::AgentConfig;
use crate::error::{Error, Result};
use crate::report::{By, Reporter};
use crate::spool::{Request, Spool};
use crate::state::{Refused, SourceState};

/// Delivers spooled requests to the hub, in order, and keeps the counts of the answers.
pub struct Delivery {
    hub: HubClient,
    spool: Spool,
    spool_dir: PathBuf,
    /// Set when the hub could not be reached: later batches are only spooled.
    pub hub_down: bool,
    pub stats: DeliveryStats,
    pub reporter: Arc<Reporter>,
    /// Items the hub refused, by source, until a listing in progress takes them.
    refusals: BTreeMap<String, Vec<(String, Refused)>>,
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
    pub warnings: u64,
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
    pub fn new(config: &AgentConfig, reporter: Arc<Reporter>) -> Result<Self> {
        let token = config.token.clone().ok_or_else(|| {
            Error::Config("`token`: required to send to the hub (set AGORA_AGENT_TOKEN)".into())
        })?;
        Ok(Self {
            hub: HubClient::new(config.hub_url.clone(), Some(token), config.request_timeout)?,
            spool: Spool::open(&config.spool_dir)?,
            spool_dir: config.spool_dir.clone(),
            hub_down: false,
            stats: DeliveryStats::default(),
            reporter,
            refusals: BTreeMap::new(),
        })
    }

    pub fn spool(&mut self) -> &mut Spool {
        &mut self.spool
    }

    pub fn pending(&self) -> Result<usize> {
        Ok(self.spool.pending()?.len())
    }

    /// The items of `source` the hub refused since the last call.
    pub fn take_refusals(&mut self, source: &str) -> Vec<(String, Refused)> {
        self.refusals.remove(source).unwrap_or_default()
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
                    self.record(&request, answer, started.elapsed())?;
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
                    let refused: Vec<(String, Refused)> = request
                        .item_keys()
                        .into_iter()
                        .map(|key| {
                            let why = Refused {
                                field: None,
                                reason: format!("the hub refused the whole batch: {reason}"),
                            };
                            (key, why)
                        })
                        .collect();
                    self.refuse(&request.source, refused)?;
                }
                Err(other) => return Err(other),
            }
        }
        Ok(Delivered::All)
    }

    /// Reports items the hub refused, takes them out of their source's state and keeps them
    /// for the listing in progress.
    fn refuse(&mut self, source: &str, refused: Vec<(String, Refused)>) -> Result<()> {
        if refused.is_empty() {
            return Ok(());
        }
        for (key, why) in &refused {
            self.reporter
                .refusal(source, key, why.field.as_deref(), &why.reason, By::Hub);
        }
        let mut state = SourceState::load(&self.spool_dir, source)?;
        state.mark_refused(refused.iter().map(|(k, w)| (k.as_str(), w.clone())));
        state.save(&self.spool_dir, source)?;
        self.refusals
            .entry(source.to_string())
            .or_default()
            .extend(refused);
        Ok(())
    }

    fn record(
        &mut self,
        request: &Request,
        answer: serde_json::Value,
        took: Duration,
    ) -> Result<()> {
        if request.path.ends_with("/batches") {
            let Ok(result) = serde_json::from_value::<BatchResult>(answer) else {
                tracing::warn!("the hub's batch answer is unreadable");
                return Ok(());
            };
            self.stats.hub_time += took;
            self.stats.batches += 1;
            if result.replayed {
                self.stats.replayed += 1;
            }
            let metrics = crate::metrics::global();
            let mut refused = Vec::new();
            for r in result.results {
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
                for w in &r.warnings {
                    self.stats.warnings += 1;
                    self.reporter
                        .warning(&request.source, &r.key, &w.field, &w.reason, By::Hub);
                }
                match r.outcome {
                    ItemOutcome::Added => self.stats.added += 1,
                    ItemOutcome::Updated => self.stats.updated += 1,
                    ItemOutcome::Unchanged => self.stats.unchanged += 1,
                    ItemOutcome::Rejected => {
                        self.stats.rejected += 1;
                        let why = Refused {
                            field: r.field,
                            reason: r.reason.unwrap_or_else(|| "no reason given".into()),
                        };
                        refused.push((r.key, why));
                    }
                }
            }
            self.refuse(&request.source, refused)?;
        } else if let Ok(summary) = serde_json::from_value::<EpochSummary>(answer) {
            let c = &summary.counts;
            self.stats.epochs += 1;
            self.stats.withdrawn += c.withdrawn;
            crate::metrics::global().sync_items("withdrawn", c.withdrawn);
            tracing::info!(source = %summary.source, epoch = %summary.epoch, added = c.added,
                updated = c.updated, unchanged = c.unchanged, withdrawn = c.withdrawn,
                rejected = c.rejected, "epoch completed");
        }
        Ok(())
    }
}
