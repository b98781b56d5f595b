//! `agora-agent dry-run`: what a sync would send, as JSON lines on stdout.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::config::AgentConfig;
use crate::daemon;
use crate::error::Result;
use crate::sync::{self, Output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Print every item, not only those that changed since the last sync.
    #[arg(long)]
    pub all: bool,
    /// Read every item again rather than only what changed.
    #[arg(long)]
    pub full: bool,
}

pub async fn run(config: &AgentConfig, args: Args) -> Result<ExitCode> {
    let defs = daemon::select(config, &args.sources)?;
    let organisation = config.organisation()?.clone();
    let mut failed = false;
    for def in &defs {
        let report = sync::sync_source(
            config,
            &organisation,
            def,
            Output::Print { all: args.all },
            args.full,
            Arc::new(AtomicBool::new(false)),
        )
        .await?;
        failed |= !report.complete;
        eprintln!(
            "dry-run: source {} listed {} items, {} would be sent, {} rejected here{}",
            report.source,
            report.listed,
            if args.all {
                report.listed - report.rejected_here
            } else {
                report.changed
            },
            report.rejected_here,
            report
                .error
                .map(|e| format!("; listing incomplete: {e}"))
                .unwrap_or_default()
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
