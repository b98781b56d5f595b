//! `agora-agent run`: the daemon.

use std::process::ExitCode;

use crate::config::AgentConfig;
use crate::daemon::{self, Stop};
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
}

pub async fn run(config: &AgentConfig, args: Args) -> Result<ExitCode> {
    let defs = daemon::select(config, &args.sources)?;
    let stop = Stop::on_signals();
    daemon::run(config, &defs, &stop).await?;
    Ok(ExitCode::SUCCESS)
}
