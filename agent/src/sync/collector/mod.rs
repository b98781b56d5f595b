//! The receiving end of a listing: each entry is filtered, hashed, compared with the state
//! and batched; batches are spooled and delivered; the hub's refusals come back into the
//! state; a model version whose card was refused waits; the epoch is closed at the end.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use agora_schemas::ModelCardInput;
use agora_schemas::sync::{
    EpochCompletion, ItemKind, ItemOutcome, ItemResult, SyncBatch, SyncItem,
};

use super::{Output, SourceReport, hash};
use crate::error::{Error, Result};
use crate::report::{By, Reporter};
use crate::sources::config::SourceDef;
use crate::sources::{Entry, Sink};
use crate::spool::Request;
use crate::state::{self, Refused, SourceState};

/// Receives a source's listing: filters, hashes, batches and spools.
pub struct Collector<'a> {
    pub(super) def: &'a SourceDef,
    pub(super) epoch: String,
    pub(super) batch_size: usize,
    pub(super) output: Output<'a>,
    pub(super) reporter: Arc<Reporter>,
    pub(super) spool_dir: &'a Path,
    pub(super) previous: &'a SourceState,
    /// Send every item, changed or not (`--full`).
    pub(super) send_all: bool,
    /// The state on disk: the previous one plus every item spooled so far, less what the
    /// hub refused.
    pub(super) persisted: SourceState,
    /// The state the complete listing gives.
    pub(super) next: SourceState,
    pub(super) batch: Vec<SyncItem>,
    pub(super) keys: Vec<String>,
    /// Items not sent (the agent could not read them, or they wait), for the epoch.
    pub(super) rejected: Vec<ItemResult>,
    /// Items refused during this listing, by the agent or the hub, with the reason.
    pub(super) refused_now: HashMap<String, String>,
    pub(super) cursor: BTreeMap<String, String>,
    pub(super) stop: Arc<AtomicBool>,
    pub report: SourceReport,
}

impl Sink for Collector<'_> {
    async fn push(&mut self, entry: Entry) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Error::Stopped);
        }
        match entry {
            Entry::Item(mut listed) => {
                if self.next.items.contains_key(&listed.key)
                    || self.next.refused.contains_key(&listed.key)
                {
                    tracing::warn!(key = %listed.key, "listed twice: the second is ignored");
                    return Ok(());
                }
                self.report.listed += 1;
                self.keys.push(listed.key.clone());
                for w in &listed.warnings {
                    self.reporter.warning(
                        &self.def.name,
                        &listed.key,
                        &w.field,
                        &w.reason,
                        By::Agent,
                    );
                }
                if let Some(needs) = &listed.needs
                    && let Some(why) = self.waits_for(needs)
                {
                    let why = why.to_string();
                    self.hold_back(listed.key, needs.clone(), why);
                    return Ok(());
                }
                self.def.release.apply(listed.kind, &mut listed.payload);
                let hash = hash(&listed.payload);
                let entry = state::Entry {
                    hash: hash.clone(),
                    stamp: listed.stamp,
                };
                let unchanged = self.previous.unchanged(&listed.key, &hash);
                self.next.items.insert(listed.key.clone(), entry);
                let print_all = matches!(self.output, Output::Print { all: true });
                if !unchanged || self.send_all || print_all {
                    self.report.changed += u64::from(!unchanged);
                    if matches!(self.output, Output::Print { .. }) {
                        self.warn_locally(&listed.key, listed.kind, &listed.payload);
                    }
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
                self.reporter
                    .refusal(&self.def.name, &key, field.as_deref(), &reason, By::Agent);
                // The hub keeps what it had: so does the state.
                if let Some(entry) = self.previous.items.get(&key) {
                    self.next.items.insert(key.clone(), entry.clone());
                }
                self.refused_now.insert(key.clone(), reason.clone());
                self.next.refused.insert(
                    key.clone(),
                    Refused {
                        field: field.clone(),
                        reason: reason.clone(),
                    },
                );
                self.keys.push(key.clone());
                self.note_not_sent(key, field, reason);
            }
        }
        Ok(())
    }

    async fn settle(&mut self) -> Result<()> {
        self.flush().await
    }

    fn set_cursor(&mut self, cursor: BTreeMap<String, String>) {
        self.cursor = cursor;
    }
}

impl Collector<'_> {
    /// A dry run has no hub to answer: a model card's warnings are worked out here, with the
    /// hub's own rules.
    fn warn_locally(&self, key: &str, kind: ItemKind, payload: &serde_json::Value) {
        if kind != ItemKind::ModelCard {
            return;
        }
        if let Ok(card) = serde_json::from_value::<ModelCardInput>(payload.clone()) {
            for w in card.warnings() {
                self.reporter
                    .warning(&self.def.name, key, &w.field, &w.reason, By::Agent);
            }
        }
    }

    /// Why an item needing `needs` must wait: `needs` was refused in this listing and the
    /// hub holds no earlier accepted copy of it.
    fn waits_for(&self, needs: &str) -> Option<&str> {
        if self.previous.items.contains_key(needs) {
            return None;
        }
        self.refused_now.get(needs).map(String::as_str)
    }

    fn hold_back(&mut self, key: String, needs: String, why: String) {
        self.report.waiting += 1;
        self.reporter.held_back(&self.def.name, &key, &needs, &why);
        let reason = format!("waits until its model card `{needs}` is accepted (refused: {why})");
        if let Some(entry) = self.previous.items.get(&key) {
            self.next.items.insert(key.clone(), entry.clone());
        }
        self.next.refused.insert(
            key.clone(),
            Refused {
                field: Some("model".into()),
                reason: reason.clone(),
            },
        );
        self.note_not_sent(key, Some("model".into()), reason);
    }

    /// Adds an item that is not sent to the epoch's list, within the protocol's limits (at
    /// most 10,000 entries, reasons of at most 2,000 characters), so that a long list or a
    /// long message never gets the epoch itself refused. Every one is printed anyway.
    fn note_not_sent(&mut self, key: String, field: Option<String>, reason: String) {
        const MAX_ITEMS: usize = 10_000;
        const MAX_REASON: usize = 1_000;
        if self.rejected.len() >= MAX_ITEMS {
            return;
        }
        let reason = if reason.chars().count() > MAX_REASON {
            format!("{}…", reason.chars().take(MAX_REASON).collect::<String>())
        } else {
            reason
        };
        self.rejected.push(ItemResult {
            key,
            outcome: ItemOutcome::Rejected,
            field,
            reason: Some(reason),
            warnings: Vec::new(),
        });
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
                        self.persisted.refused.remove(&item.key);
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
                self.take_refusals();
                Ok(())
            }
        }
    }

    /// Brings the hub's refusals into the listing's states: the hub keeps what it had
    /// accepted before (so does the state), and the item is sent again next time.
    fn take_refusals(&mut self) {
        let Output::Send(delivery) = &mut self.output else {
            return;
        };
        for (key, why) in delivery.take_refusals(&self.def.name) {
            for state in [&mut self.next, &mut self.persisted] {
                match self.previous.items.get(&key) {
                    Some(before) => {
                        state.items.insert(key.clone(), before.clone());
                    }
                    None => {
                        state.items.remove(&key);
                    }
                }
                state.refused.insert(key.clone(), why.clone());
            }
            self.refused_now.insert(key, why.reason);
        }
    }

    /// Ends the listing: sends what remains and, if the listing was complete, closes the
    /// epoch and keeps the new state.
    pub(super) async fn finish(mut self, complete: bool) -> Result<SourceReport> {
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

#[cfg(test)]
mod tests;
