//! `agora-agent check`: the configuration is valid, and every source, executor and the hub
//! answer.

use std::process::ExitCode;

use crate::client::HubClient;
use crate::config::AgentConfig;
use crate::error::{Error, Result};
use crate::sources;

pub async fn run(config: &AgentConfig) -> Result<ExitCode> {
    println!("configuration    ok ({} sources)", config.sources.len());
    let mut ok = true;
    match &config.organisation {
        Some(org) => println!("organisation     {org}"),
        None => {
            ok = false;
            println!("organisation     missing (set `organisation`)");
        }
    }
    let hub = HubClient::new(
        config.hub_url.clone(),
        config.token.clone(),
        config.request_timeout,
    )?;
    match hub.ready().await {
        Ok(()) => println!("hub              ok ({})", config.hub_url),
        Err(e) => {
            ok = false;
            println!("hub              FAILED ({}): {e}", config.hub_url);
        }
    }
    match &config.token {
        None => {
            ok = false;
            println!("agent token      missing (set AGORA_AGENT_TOKEN)");
        }
        Some(_) => match hub.me().await {
            Ok(me) => {
                let mine = config
                    .organisation
                    .as_ref()
                    .is_none_or(|o| o.as_str() == me.organisation);
                if !mine {
                    ok = false;
                }
                println!(
                    "agent token      {} (agent {}/{}{})",
                    if mine { "ok" } else { "WRONG ORGANISATION" },
                    me.organisation,
                    me.name,
                    if mine { "" } else { ": `organisation` differs" }
                );
            }
            Err(e) => {
                ok = false;
                println!("agent token      FAILED: {e}");
            }
        },
    }
    for def in config.source_defs()? {
        let label = format!("source {}", def.name);
        match sources::check(&def, &config.spool_dir, config.request_timeout).await {
            Ok(found) => println!("{label:<16} ok: {found}"),
            Err(e) => {
                ok = false;
                println!("{label:<16} FAILED: {e}");
            }
        }
    }
    if let Some(jobs) = &config.jobs {
        for executor in crate::jobs::build_executors(jobs, config.request_timeout)? {
            let label = format!("executor {}", executor.kind().as_str());
            match executor.check().await {
                Ok(found) => println!("{label:<16} ok: {found}"),
                Err(e) => {
                    ok = false;
                    println!("{label:<16} FAILED: {e}");
                }
            }
        }
        for (name, path) in &jobs.datasets {
            let label = format!("dataset {name}");
            if path.exists() {
                println!("{label:<16} ok ({})", path.display());
            } else {
                ok = false;
                println!("{label:<16} MISSING ({})", path.display());
            }
        }
    }
    let writable =
        std::fs::create_dir_all(&config.spool_dir).and_then(|()| tempfile_in(&config.spool_dir));
    match writable {
        Ok(()) => println!("spool folder     ok ({})", config.spool_dir.display()),
        Err(e) => {
            ok = false;
            println!(
                "spool folder     FAILED ({}): {e}",
                config.spool_dir.display()
            );
        }
    }
    if ok {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Error::Unreachable("some checks failed (see above)".into()))
    }
}

fn tempfile_in(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(".agora-agent-check");
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(&probe)
}
