//! `agora-hub agent create|list|revoke`: agent identities and their tokens.

use agora_schemas::Slug;
use clap::Subcommand;

use crate::app;
use crate::config::Config;
use crate::db::agents::{self, AgentInfo};
use crate::error::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Create an agent for an organisation and print its token, once: the hub keeps only
    /// its hash.
    Create {
        /// The organisation's slug, such as `insee`.
        #[arg(long, value_parser = parse_slug)]
        org: Slug,
        /// The agent's name, unique within its organisation, such as `paris-1`.
        #[arg(long, value_parser = parse_slug)]
        name: Slug,
    },
    /// List agents: organisation, name, token prefix, version, last contact, the latest
    /// epoch's counts and whether the token is revoked.
    List {
        /// Only this organisation's agents.
        #[arg(long, value_parser = parse_slug)]
        org: Option<Slug>,
    },
    /// Revoke an agent's token: its requests are refused (401) from then on.
    Revoke {
        #[arg(long, value_parser = parse_slug)]
        org: Slug,
        #[arg(long, value_parser = parse_slug)]
        name: Slug,
    },
}

pub async fn run(config: Config, command: AgentCommand) -> Result<()> {
    let db = app::pool(&config)?;
    app::migrate(&db).await?;
    let mut conn = db.acquire().await?;
    match command {
        AgentCommand::Create { org, name } => {
            let token = agents::create(&mut conn, &org, &name).await?;
            eprintln!("agent {org}/{name} created; its token follows. It is shown only this once:");
            eprintln!("give it to the agent as AGORA_AGENT_TOKEN.");
            println!("{token}");
        }
        AgentCommand::List { org } => {
            let list = agents::list(&mut conn, org.as_deref()).await?;
            print!("{}", table(&list));
        }
        AgentCommand::Revoke { org, name } => {
            if !agents::revoke(&mut conn, &org, &name).await? {
                return Err(Error::invalid("name", format!("no agent `{org}/{name}`")));
            }
            println!("agent {org}/{name} revoked");
        }
    }
    Ok(())
}

/// The agent list as a text table.
pub fn table(list: &[AgentInfo]) -> String {
    let mut rows = vec![[
        "ORG".to_string(),
        "NAME".into(),
        "TOKEN".into(),
        "VERSION".into(),
        "LAST SEEN".into(),
        "LAST EPOCH (added/updated/unchanged/withdrawn/rejected)".into(),
        "REVOKED".into(),
    ]];
    for a in list {
        let epochs = if a.last_epochs.is_empty() {
            "-".to_string()
        } else {
            a.last_epochs
                .iter()
                .map(|e| {
                    let c = &e.counts;
                    let open = if e.completed_at.is_none() {
                        " (open)"
                    } else {
                        ""
                    };
                    format!(
                        "{}: {}/{}/{}/{}/{}{open}",
                        e.source, c.added, c.updated, c.unchanged, c.withdrawn, c.rejected
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        rows.push([
            a.organisation.clone(),
            a.name.clone(),
            format!("{}…", a.token_prefix),
            a.version.clone().unwrap_or_else(|| "-".into()),
            a.last_seen_at
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| "never".into()),
            epochs,
            if a.revoked { "yes" } else { "no" }.into(),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn parse_slug(value: &str) -> std::result::Result<Slug, String> {
    Slug::parse(value)
}
