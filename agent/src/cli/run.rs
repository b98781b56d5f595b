//! `agora-agent run`: the daemon: the sync loop and, with `[jobs]`, the job loop.

use std::process::ExitCode;

use crate::config::AgentConfig;
use crate::daemon;
use crate::error::Result;
use crate::jobs;
use crate::shutdown::Stop;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these sources (repeatable); all by default.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
}

pub async fn run(config: &AgentConfig, args: Args) -> Result<ExitCode> {
    let defs = daemon::select(config, &args.sources)?;
    let stop = Stop::on_signals();
    let metrics = start_metrics(config, &stop).await?;
    let sync = async {
        // An agent that only runs jobs needs no organisation and has no sources.
        if defs.is_empty() && config.jobs.is_some() {
            return Ok(());
        }
        daemon::run(config, &defs, &stop).await
    };
    let jobs = async {
        match &config.jobs {
            Some(jobs) => jobs::run(config, jobs, &stop).await,
            None => Ok(()),
        }
    };
    let (synced, ran) = tokio::join!(sync, jobs);
    // Both loops have returned: stop the metrics listener too (a sync-only agent whose
    // loop failed has not been asked to stop yet).
    stop.request();
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    synced?;
    ran?;
    tracing::info!("agora-agent stopped");
    Ok(ExitCode::SUCCESS)
}

/// Starts `/metrics` on `metrics_listen`, when set; it stops with `stop`.
pub async fn start_metrics(
    config: &AgentConfig,
    stop: &Stop,
) -> Result<Option<tokio::task::JoinHandle<()>>> {
    match config.metrics_listen {
        Some(addr) => Ok(Some(
            crate::metrics::start(addr, config.spool_dir.clone(), stop.clone()).await?,
        )),
        None => Ok(None),
    }
}
