//! `agora-hub user`: hub roles for people, by e-mail address. Used to make the first
//! administrator; a person not yet known is created and linked at their first sign-in.

use clap::Subcommand;

use crate::app;
use crate::auth::roles::{self, Role};
use crate::config::Config;
use crate::db::Outcome;
use crate::error::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grant a role: `admin`, or `steward` of an organisation (with --org).
    Grant {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["admin", "steward"])]
        role: String,
        /// The organisation's slug, for `steward`.
        #[arg(long)]
        org: Option<String>,
    },
    /// Withdraw a role granted on the hub.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["admin", "steward"])]
        role: String,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(config: Config, command: Command) -> Result<()> {
    let db = app::pool(&config)?;
    app::migrate(&db).await?;
    let mut tx = db.begin().await?;
    match command {
        Command::Grant { email, role, org } => {
            let role: Role = role
                .parse()
                .map_err(|e: String| Error::invalid("role", e))?;
            let outcome = roles::grant(&mut tx, &email, role, org.as_deref()).await?;
            tx.commit().await?;
            let what = describe(role, org.as_deref());
            match outcome {
                Outcome::Created => println!("{email} is now {what}"),
                _ => println!("{email} was already {what}: nothing changed"),
            }
        }
        Command::Revoke { email, role, org } => {
            let role: Role = role
                .parse()
                .map_err(|e: String| Error::invalid("role", e))?;
            let done = roles::revoke(&mut tx, &email, role, org.as_deref()).await?;
            tx.commit().await?;
            let what = describe(role, org.as_deref());
            if done {
                println!("{email} is no longer {what}");
            } else {
                println!("{email} was not {what} (by a hub grant): nothing changed");
            }
        }
    }
    Ok(())
}

fn describe(role: Role, org: Option<&str>) -> String {
    match (role, org) {
        (Role::Admin, _) => "a hub administrator".into(),
        (Role::Steward, Some(org)) => format!("a steward of {org}"),
        (Role::Steward, None) => "a steward".into(),
    }
}
