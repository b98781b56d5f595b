//! `agora-agent sync --once`: one pass over the sources.

use std::process::ExitCode;
use std::sync::Arc;

use super::{EXIT_REFUSED, EXIT_SPOOLED};
use crate::config::AgentConfig;
use crate::daemon::{self, PassOutcome};
use crate::error::Result;
use crate::report::{Format, Reporter, Stream};
use crate::shutdown::Stop;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One pass, then exit (without it, keep syncing like `run`).
    #[arg(long)]
    pub once: bool,
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Read and send every item again, changed or not (the hub answers `unchanged` for what
    /// it already holds).
    #[arg(long)]
    pub full: bool,
    /// Print refused and warned items and the summaries as JSON lines (each with an `event`:
    /// `refused`, `warning`, `waiting`, `source`, `hub`).
    #[arg(long)]
    pub json: bool,
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
    let format = if args.json {
        Format::Json
    } else {
        Format::Text
    };
    let reporter = Arc::new(Reporter::new(format, Stream::Stdout));
    Ok(
        match daemon::once(config, &defs, args.full, reporter, &stop).await? {
            PassOutcome::Done => ExitCode::SUCCESS,
            PassOutcome::SourceFailed => ExitCode::FAILURE,
            PassOutcome::Refused => ExitCode::from(EXIT_REFUSED),
            PassOutcome::Spooled => ExitCode::from(EXIT_SPOOLED),
        },
    )
}
