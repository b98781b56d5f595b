//! `agora-agent dry-run`: what a sync would send, as JSON lines on stdout, and what the
//! agent refuses, item by item.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::json;

use super::EXIT_REFUSED;
use crate::config::AgentConfig;
use crate::daemon;
use crate::error::Result;
use crate::report::{Format, Reporter, Stream};
use crate::sync::{self, Output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Print every item, not only those that changed since the last sync.
    #[arg(long)]
    pub all: bool,
    /// Read every item again, as `sync --full` does (which sends them all).
    #[arg(long)]
    pub full: bool,
    /// Print refused and warned items and the summaries on stdout as JSON lines, each with
    /// an `event` (`refused`, `warning`, `dry-run`), beside the items (which have none).
    #[arg(long)]
    pub json: bool,
}

pub async fn run(config: &AgentConfig, args: Args) -> Result<ExitCode> {
    let defs = daemon::select(config, &args.sources)?;
    let organisation = config.organisation()?.clone();
    let reporter = Arc::new(if args.json {
        Reporter::new(Format::Json, Stream::Stdout)
    } else {
        Reporter::new(Format::Text, Stream::Stderr)
    });
    let mut failed = false;
    for def in &defs {
        let report = sync::sync_source(
            config,
            &organisation,
            def,
            Output::Print {
                all: args.all || args.full,
            },
            &reporter,
            args.full,
            Arc::new(AtomicBool::new(false)),
        )
        .await?;
        failed |= !report.complete;
        let would_send = if args.all || args.full {
            report.listed - report.rejected_here - report.waiting
        } else {
            report.changed
        };
        if args.json {
            reporter.summary(
                "dry-run",
                &[
                    ("source", json!(report.source)),
                    ("listed", json!(report.listed)),
                    ("would_send", json!(would_send)),
                    ("rejected_here", json!(report.rejected_here)),
                    ("complete", json!(report.complete)),
                    ("error", json!(report.error)),
                ],
            );
        } else {
            eprintln!(
                "dry-run: source {} listed {} items, {} would be sent, {} rejected here{}",
                report.source,
                report.listed,
                would_send,
                report.rejected_here,
                report
                    .error
                    .map(|e| format!("; listing incomplete: {e}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else if reporter.refused() > 0 {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    })
}
