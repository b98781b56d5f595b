//! The `agora-hub` command line: one module per subcommand.

pub mod agent;
mod check_config;
mod digest;
mod reindex;
mod seed_demo;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::Error;

/// Agora hub: the shared index of machine learning work in official statistics.
///
/// Settings come from built-in defaults, then the TOML file given with --config, then
/// AGORA_<KEY> environment variables (AGORA_DATABASE_URL, AGORA_LISTEN, AGORA_PUBLIC_URL,
/// AGORA_INDEX_DIR...; `__` between levels, as in AGORA_DIGEST__SMTP__HOST). OpenID
/// providers are in the file, their client secrets also as AGORA_OIDC_<NAME>_CLIENT_SECRET.
/// Log levels come from RUST_LOG. Every setting, its default and its variable:
/// docs/operator/configuration.md.
#[derive(Debug, Parser)]
#[command(name = "agora-hub", version, propagate_version = true)]
pub struct Cli {
    /// TOML configuration file.
    #[arg(long, short, global = true, env = "AGORA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending database migrations, then serve the API until SIGTERM or Ctrl-C.
    Serve(serve::Args),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo data set (organisations, workstreams, projects, model cards).
    /// Running it again changes nothing.
    SeedDemo,
    /// Check the configuration and that the database answers, then exit.
    CheckConfig,
    /// Manage people's hub roles (admin, steward of an organisation).
    #[command(subcommand)]
    User(user::Command),
    /// Rebuild the search index in `index_dir` from the database, with a progress bar.
    /// Stop the hub that uses the folder first.
    Reindex,
    /// Manage agents: create one (printing its token once), list them, revoke one.
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// E-mail digests: preview one, send what is due, list failures. Settings in `[digest]`
    /// and `[digest.smtp]`, or AGORA_DIGEST__<KEY> and AGORA_DIGEST__SMTP__<KEY>.
    #[command(subcommand)]
    Digest(digest::Command),
}

/// Parses the command line, runs the command and turns its outcome into an exit code:
/// 0 on success, 2 for bad configuration or input, 1 for other failures.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => return report(e),
    };
    crate::telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(Error::Io(e)),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(config, args).await,
            Command::Migrate => {
                let db = crate::app::pool(&config)?;
                crate::app::migrate(&db).await?;
                eprintln!("migrations applied to {}", config.database_url_redacted());
                Ok(())
            }
            Command::SeedDemo => seed_demo::run(config).await,
            Command::CheckConfig => check_config::run(config).await,
            Command::User(command) => user::run(config, command).await,
            Command::Reindex => reindex::run(config).await,
            Command::Agent(command) => agent::run(config, command).await,
            Command::Digest(command) => digest::run(config, command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

fn report(e: Error) -> ExitCode {
    eprintln!("agora-hub: {e}");
    match e {
        Error::Config(_) | Error::Invalid(_) | Error::Demo(_) | Error::Malformed(_) => {
            ExitCode::from(2)
        }
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
    fn serve_takes_a_listen_address() {
        let cli =
            Cli::try_parse_from(["agora-hub", "serve", "--listen", "127.0.0.1:9999"]).unwrap();
        assert!(matches!(cli.command, Command::Serve(_)));
        assert!(Cli::try_parse_from(["agora-hub", "serve", "--listen", "nowhere"]).is_err());
        let cli = Cli::try_parse_from(["agora-hub", "serve", "--dev-login"]).unwrap();
        assert!(matches!(cli.command, Command::Serve(a) if a.dev_login));
    }

    #[test]
    fn roles_are_granted_by_e_mail() {
        let cli = Cli::try_parse_from([
            "agora-hub",
            "user",
            "grant",
            "--email",
            "a@insee.fr",
            "--role",
            "steward",
            "--org",
            "insee",
        ])
        .unwrap();
        assert!(matches!(cli.command, Command::User(_)));
        assert!(
            Cli::try_parse_from([
                "agora-hub",
                "user",
                "grant",
                "--email",
                "a@x.org",
                "--role",
                "king"
            ])
            .is_err()
        );
    }

    #[test]
    fn agent_commands_take_checked_names() {
        let cli = Cli::try_parse_from([
            "agora-hub",
            "agent",
            "create",
            "--org",
            "insee",
            "--name",
            "paris-1",
        ])
        .unwrap();
        assert!(matches!(cli.command, Command::Agent(_)));
        assert!(
            Cli::try_parse_from([
                "agora-hub",
                "agent",
                "create",
                "--org",
                "INSEE",
                "--name",
                "x1"
            ])
            .is_err()
        );
        assert!(Cli::try_parse_from(["agora-hub", "agent", "list"]).is_ok());
    }

    #[test]
    fn digest_commands_take_their_arguments() {
        let preview = [
            "agora-hub",
            "digest",
            "preview",
            "--workstream",
            "ws4",
            "--user",
            "a@insee.fr",
            "--period",
            "2026-W48",
            "--html",
            "out.html",
        ];
        assert!(matches!(
            Cli::try_parse_from(preview).unwrap().command,
            Command::Digest(_)
        ));
        assert!(Cli::try_parse_from(["agora-hub", "digest", "send-due"]).is_ok());
        assert!(
            Cli::try_parse_from([
                "agora-hub",
                "digest",
                "send-due",
                "--now",
                "2026-12-01T06:00:00Z"
            ])
            .is_ok()
        );
        assert!(
            Cli::try_parse_from(["agora-hub", "digest", "send-due", "--now", "monday"]).is_err()
        );
        assert!(Cli::try_parse_from(["agora-hub", "digest", "failures"]).is_ok());
    }
}
