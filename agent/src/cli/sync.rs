//! `agora-agent sync --once`: one pass over the sources.

use std::process::ExitCode;

use super::EXIT_SPOOLED;
use crate::config::AgentConfig;
use crate::daemon::{self, PassOutcome, Stop};
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One pass, then exit (without it, keep syncing like `run`).
    #[arg(long)]
    pub once: bool,
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Read every item again rather than only what changed since the last sync (unchanged
    /// items are still not sent).
    #[arg(long)]
    pub full: bool,
}

pub async fn run(config: &AgentConfig, args: Args) -> Result<ExitCode> {
    let defs = daemon::select(config, &args.sources)?;
    let stop = Stop::on_signals();
    if !args.once {
        let metrics = super::run::start_metrics(config, &stop).await?;
        let result = daemon::run(config, &defs, &stop).await;
        stop.request();
        if let Some(metrics) = metrics {
            let _ = metrics.await;
        }
        result?;
        return Ok(ExitCode::SUCCESS);
    }
    Ok(match daemon::once(config, &defs, args.full, &stop).await? {
        PassOutcome::Done => ExitCode::SUCCESS,
        PassOutcome::SourceFailed => ExitCode::FAILURE,
        PassOutcome::Spooled => ExitCode::from(EXIT_SPOOLED),
    })
}
