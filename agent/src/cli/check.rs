//! `agora-agent check`: the configuration is valid and the hub answers.

use crate::client::HubClient;
use crate::config::AgentConfig;
use crate::error::{Error, Result};

pub async fn run(config: &AgentConfig) -> Result<()> {
    println!("configuration    ok");
    match &config.token {
        Some(_) => println!("agent token      set"),
        None => println!("agent token      missing (set AGORA_AGENT_TOKEN)"),
    }
    let hub = HubClient::new(config.hub_url.clone())?;
    match hub.ready().await {
        Ok(()) => {
            println!("hub              ok ({})", config.hub_url);
            Ok(())
        }
        Err(e) => {
            println!("hub              FAILED ({}): {e}", config.hub_url);
            Err(match e {
                Error::Config(_) => e,
                other => Error::Unreachable(format!("hub check failed: {other}")),
            })
        }
    }
}
