//! The `agora-agent` command line.

mod check;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::AgentConfig;
use crate::error::Error;

/// Agora agent: one per statistical office. It sends the metadata the office allows
/// (model registry entries, project manifests) to the Agora hub and runs the hub's
/// benchmark jobs on the office's own cluster. Data never leaves the office.
///
/// Settings come from the TOML file given with --config, then AGORA_AGENT_* environment
/// variables (AGORA_AGENT_HUB_URL, AGORA_AGENT_TOKEN, AGORA_AGENT_SPOOL_DIR).
/// Log levels come from RUST_LOG.
#[derive(Debug, Parser)]
#[command(name = "agora-agent", version, propagate_version = true)]
pub struct Cli {
    /// TOML configuration file.
    #[arg(
        long,
        short,
        global = true,
        env = "AGORA_AGENT_CONFIG",
        value_name = "FILE",
        default_value = "/etc/agora-agent/agent.toml"
    )]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the configuration and reach the hub, reporting each check.
    Check,
}

/// Runs the command; exit code 0 on success, 2 for bad configuration, 1 otherwise.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match AgentConfig::load(&cli.config) {
        Ok(c) => c,
        Err(e) => return report(e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(Error::Io(e)),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Check => check::run(&config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

fn report(e: Error) -> ExitCode {
    eprintln!("agora-agent: {e}");
    match e {
        Error::Config(_) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
