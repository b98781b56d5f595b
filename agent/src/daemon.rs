//! The agent's loops: one pass over the sources (`sync --once`), and the daemon (`run`)
//! that syncs each source every interval, replays the spool with exponential back-off and
//! full jitter while the hub is away, and stops between two batches on SIGTERM or Ctrl-C.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::config::AgentConfig;
use crate::error::{Error, Result};
use crate::report::{Format, Reporter, Stream};
use crate::shutdown::Stop;
use crate::sources::config::SourceDef;
use crate::spool::Backoff;
use crate::sync::{self, Delivered, Delivery, Output, SourceReport, peak_rss_kib};

/// How a pass ended, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassOutcome {
    /// Every source listed completely and everything delivered.
    Done,
    /// A source could not be listed completely.
    SourceFailed,
    /// Items were refused (by the agent or the hub) or held back; the rest went through.
    Refused,
    /// Requests wait in the spool for the hub.
    Spooled,
}

/// The sources selected by name (all when `only` is empty); an unknown name is an error.
pub fn select(config: &AgentConfig, only: &[String]) -> Result<Vec<SourceDef>> {
    let defs = config.source_defs()?;
    for name in only {
        if !defs.iter().any(|d| d.name.as_str() == name) {
            return Err(Error::Config(format!(
                "no source named `{name}` in the configuration"
            )));
        }
    }
    Ok(defs
        .into_iter()
        .filter(|d| only.is_empty() || only.iter().any(|n| n == d.name.as_str()))
        .collect())
}

fn print_source(reporter: &Reporter, r: &SourceReport) {
    reporter.summary(
        "source",
        &[
            ("source", json!(r.source)),
            ("listed", json!(r.listed)),
            ("changed", json!(r.changed)),
            ("rejected_here", json!(r.rejected_here)),
            ("waiting", json!(r.waiting)),
            ("batches", json!(r.batches)),
            ("complete", json!(r.complete)),
            ("elapsed_ms", json!(r.elapsed.as_millis() as u64)),
            ("error", json!(r.error)),
        ],
    );
}

fn print_delivery(d: &Delivery, spooled: usize) {
    let s = &d.stats;
    let secs = s.hub_time.as_secs_f64();
    let rate = if secs > 0.0 {
        s.items as f64 / secs
    } else {
        0.0
    };
    d.reporter.summary(
        "hub",
        &[
            ("batches", json!(s.batches)),
            ("items", json!(s.items)),
            ("added", json!(s.added)),
            ("updated", json!(s.updated)),
            ("unchanged", json!(s.unchanged)),
            ("rejected", json!(s.rejected)),
            ("warnings", json!(s.warnings)),
            ("withdrawn", json!(s.withdrawn)),
            ("replayed", json!(s.replayed)),
            ("epochs", json!(s.epochs)),
            ("hub_seconds", json!((secs * 1000.0).round() / 1000.0)),
            ("items_per_second", json!(rate.round() as u64)),
            ("spooled", json!(spooled)),
            ("peak_rss_kib", json!(peak_rss_kib().unwrap_or(0))),
        ],
    );
}

/// One pass: replay the spool, sync every selected source, try a few more times if the hub
/// is away, then report.
pub async fn once(
    config: &AgentConfig,
    defs: &[SourceDef],
    full: bool,
    reporter: Arc<Reporter>,
    stop: &Stop,
) -> Result<PassOutcome> {
    let organisation = config.organisation()?.clone();
    let mut delivery = Delivery::new(config, reporter.clone())?;
    if delivery.pending()? > 0 {
        tracing::info!(waiting = delivery.pending()?, "replaying the spool first");
        delivery.deliver().await?;
    }
    let mut failed = false;
    for def in defs {
        if stop.requested() {
            break;
        }
        let report = sync::sync_source(
            config,
            &organisation,
            def,
            Output::Send(&mut delivery),
            &reporter,
            full,
            stop.flag.clone(),
        )
        .await?;
        failed |= !report.complete;
        print_source(&reporter, &report);
    }
    let mut backoff = Backoff::new(Duration::from_millis(500), config.max_backoff);
    for _ in 0..3 {
        if delivery.pending()? == 0 || stop.requested() {
            break;
        }
        stop.sleep(backoff.next_delay()).await;
        delivery.deliver().await?;
    }
    let spooled = delivery.pending()?;
    print_delivery(&delivery, spooled);
    Ok(if failed {
        PassOutcome::SourceFailed
    } else if reporter.refused() + reporter.waiting() > 0 {
        PassOutcome::Refused
    } else if spooled > 0 {
        PassOutcome::Spooled
    } else {
        PassOutcome::Done
    })
}

/// The daemon: every source on its interval, the spool replayed with back-off.
pub async fn run(config: &AgentConfig, defs: &[SourceDef], stop: &Stop) -> Result<()> {
    let organisation = config.organisation()?.clone();
    let reporter = Arc::new(Reporter::new(Format::Text, Stream::Stdout));
    let mut delivery = Delivery::new(config, reporter.clone())?;
    let mut due: Vec<Instant> = defs.iter().map(|_| Instant::now()).collect();
    let mut backoff = Backoff::new(Duration::from_secs(1), config.max_backoff);
    let mut next_delivery = Instant::now();
    tracing::info!(sources = defs.len(), "agent running");
    while !stop.requested() {
        if delivery.pending()? > 0 && Instant::now() >= next_delivery {
            match delivery.deliver().await {
                Ok(Delivered::All) => backoff.reset(),
                Ok(Delivered::Waiting(n)) => {
                    let wait = backoff.next_delay();
                    tracing::info!(
                        waiting = n,
                        retry_in_ms = wait.as_millis() as u64,
                        "hub unreachable"
                    );
                    next_delivery = Instant::now() + wait;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the hub refused the agent: fix the token or upgrade");
                    next_delivery = Instant::now() + config.max_backoff;
                }
            }
        }
        for (i, def) in defs.iter().enumerate() {
            if stop.requested() || Instant::now() < due[i] {
                continue;
            }
            let result = sync::sync_source(
                config,
                &organisation,
                def,
                Output::Send(&mut delivery),
                &reporter,
                false,
                stop.flag.clone(),
            )
            .await;
            match result {
                Ok(report) => print_source(&reporter, &report),
                Err(e) => tracing::error!(source = %def.name, error = %e, "sync failed"),
            }
            due[i] = Instant::now() + def.interval;
            if delivery.hub_down && next_delivery <= Instant::now() {
                next_delivery = Instant::now() + backoff.next_delay();
            }
        }
        let mut wake = due
            .iter()
            .min()
            .copied()
            .unwrap_or_else(|| Instant::now() + config.interval);
        if delivery.pending()? > 0 {
            wake = wake.min(next_delivery);
        }
        stop.sleep(wake.saturating_duration_since(Instant::now()))
            .await;
    }
    let spooled = delivery.pending()?;
    print_delivery(&delivery, spooled);
    tracing::info!(spooled, "agent stopped");
    Ok(())
}
