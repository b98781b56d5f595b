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
    /// epoch's counts and whether the token is revoked; then each item the latest epochs
    /// refused or accepted with warnings, with its field path and the reason.
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
        "LAST EPOCH (added/updated/unchanged/withdrawn/rejected/warned)".into(),
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
                        "{}: {}/{}/{}/{}/{}/{}{open}",
                        e.source,
                        c.added,
                        c.updated,
                        c.unchanged,
                        c.withdrawn,
                        c.rejected,
                        c.warned
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
    out.push_str(&problems(list));
    out
}

/// Items shown per epoch and kind; the counts say how many there were in all.
const PROBLEMS_SHOWN: usize = 50;

/// The refused and warned items of each agent's latest epochs, one line each:
/// `org/agent source refused|warned KEY FIELD: REASON`.
pub fn problems(list: &[AgentInfo]) -> String {
    let mut out = String::new();
    for a in list {
        for e in &a.last_epochs {
            let who = format!("{}/{} {}", a.organisation, a.name, e.source);
            let mut lines: Vec<String> = Vec::new();
            for r in e.rejected_items.iter().take(PROBLEMS_SHOWN) {
                lines.push(format!(
                    "{who} refused {} {}: {}",
                    r.key,
                    r.field.as_deref().unwrap_or("-"),
                    r.reason.as_deref().unwrap_or("")
                ));
            }
            for r in e.warned_items.iter().take(PROBLEMS_SHOWN) {
                for w in &r.warnings {
                    lines.push(format!("{who} warned {} {}: {}", r.key, w.field, w.reason));
                }
            }
            let hidden = e.rejected_items.len().saturating_sub(PROBLEMS_SHOWN)
                + e.warned_items.len().saturating_sub(PROBLEMS_SHOWN);
            if hidden > 0 {
                lines.push(format!(
                    "{who} … and {hidden} more items (see the agent's page)"
                ));
            }
            for line in lines {
                // One line per problem, whatever the reason holds.
                out.push_str(&line.replace(['\n', '\r'], " "));
                out.push('\n');
            }
        }
    }
    if !out.is_empty() {
        out.insert(0, '\n');
    }
    out
}

fn parse_slug(value: &str) -> std::result::Result<Slug, String> {
    Slug::parse(value)
}
