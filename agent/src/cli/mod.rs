//! The `agora-agent` command line: one module per command.

mod check;
mod command_hash;
mod dry_run;
mod run;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{AgentConfig, LogFormat};
use crate::error::Error;

/// Agora agent: one per statistical office. It sends the metadata the office allows
/// (model registry entries, project manifests) to the Agora hub and runs the hub's
/// benchmark jobs on the office's own cluster. Data never leaves the office.
///
/// Settings come from the TOML file given with --config, then AGORA_AGENT_* environment
/// variables (AGORA_AGENT_HUB_URL, AGORA_AGENT_TOKEN, AGORA_AGENT_ORGANISATION,
/// AGORA_AGENT_SPOOL_DIR, AGORA_AGENT_INTERVAL, AGORA_AGENT_BATCH_SIZE,
/// AGORA_AGENT_METRICS_LISTEN, AGORA_AGENT_LOG_FORMAT...). Log levels come from RUST_LOG.
/// Every setting, its default and its variable: docs/operator/configuration.md.
///
/// Exit codes: 0 done; 1 a source or the hub failed; 2 bad configuration or usage; 3 some
/// items were refused (by the hub or the agent) or wait for a refused model card: each is
/// printed with its key, field and reason, and is sent again at the next sync; 75 requests
/// wait in the spool for the hub (they are replayed by the next run). When several apply,
/// the first in this list wins (1, then 3, then 75).
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
    /// Run as a daemon: sync every source on its interval, replay the spool while the hub
    /// is away, and with [jobs] lease benchmark jobs and run them; on SIGTERM or Ctrl-C stop
    /// leasing, let running jobs finish up to jobs.drain_timeout, then exit.
    Run(run::Args),
    /// Sync the sources (with --once: one pass, then exit). Each item refused (by the hub or
    /// the agent), accepted with warnings, or waiting for its refused model card is printed
    /// with its key, field and reason (`refused source=… key="…" field="…" reason="…" by=hub`),
    /// then a line per source and one for the hub; exit code 3 when something was refused.
    Sync(sync::Args),
    /// Validate the configuration and reach every source, executor and the hub, reporting
    /// each.
    Check,
    /// Print, as JSON lines, exactly what a sync would send (after the release filter);
    /// sends nothing and writes no state. Items the agent refuses are printed on stderr
    /// with their key, field and reason (on stdout as JSON lines with --json); exit code 3
    /// when something was refused.
    DryRun(dry_run::Args),
    /// Print the hash of an evaluation command (its argv template), the pin to add to
    /// jobs.allowed_commands; needs no configuration. Example:
    /// agora-agent command-hash -- python3 /opt/eval/score.py --data {dataset} --out {output}
    CommandHash(command_hash::Args),
}

/// Exit code when requests wait in the spool (EX_TEMPFAIL).
pub const EXIT_SPOOLED: u8 = 75;
/// Exit code when items were refused or held back (clap's usage errors use 2).
pub const EXIT_REFUSED: u8 = 3;

/// Runs the command and turns its outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::CommandHash(args) = &cli.command {
        return match command_hash::render(args) {
            Ok(out) => {
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => report(Error::Config(e)),
        };
    }
    let config = match AgentConfig::load(&cli.config) {
        Ok(c) => c,
        Err(e) => return report(e),
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(Error::Io(e)),
    };
    runtime.block_on(async move {
        let result = match cli.command {
            Command::Run(args) => run::run(&config, args).await,
            Command::Sync(args) => sync::run(&config, args).await,
            Command::Check => check::run(&config).await,
            Command::DryRun(args) => dry_run::run(&config, args).await,
            Command::CommandHash(_) => Ok(ExitCode::SUCCESS),
        };
        match result {
            Ok(code) => code,
            Err(e) => report(e),
        }
    })
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

    #[test]
    fn the_help_documents_the_exit_code_for_refused_items() {
        let help = Cli::command().render_long_help().to_string();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains("3 some items were refused"), "{help}");
        assert_eq!(EXIT_REFUSED, 3);
    }

    #[test]
    fn sync_once_and_dry_run_take_their_options() {
        let cli =
            Cli::try_parse_from(["agora-agent", "sync", "--once", "--source", "ml", "--full"])
                .unwrap();
        assert!(matches!(cli.command, Command::Sync(_)));
        let cli = Cli::try_parse_from(["agora-agent", "dry-run", "--all"]).unwrap();
        assert!(matches!(cli.command, Command::DryRun(_)));
        let cli = Cli::try_parse_from(["agora-agent", "sync", "--once", "--json"]).unwrap();
        assert!(matches!(cli.command, Command::Sync(ref a) if a.json && a.once));
        let cli = Cli::try_parse_from(["agora-agent", "dry-run", "--json"]).unwrap();
        assert!(matches!(cli.command, Command::DryRun(ref a) if a.json));
        let cli = Cli::try_parse_from(["agora-agent", "command-hash", "--", "python3", "-m", "x"])
            .unwrap();
        match cli.command {
            Command::CommandHash(a) => assert_eq!(a.argv, ["python3", "-m", "x"]),
            other => panic!("{other:?}"),
        }
    }
}
