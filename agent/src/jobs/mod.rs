//! The job loop of `agora-agent run`: long-poll the hub for jobs while fewer than
//! `max_concurrent` run, follow each in its own task ([`supervise`]), and on SIGTERM stop
//! leasing, let running jobs go on (heartbeating) up to the drain timeout, then cancel
//! what is left, report it, and return.

pub mod hub;
pub mod supervise;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use agora_schemas::job::{ExecutorKind, LeaseRequest, ReportState};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::client::HubClient;
use crate::config::AgentConfig;
use crate::config::jobs::JobsConfig;
use crate::error::{Error, Result};
use crate::executors::Executor;
use crate::executors::argo::ArgoExecutor;
use crate::executors::kubernetes::KubernetesExecutor;
use crate::executors::local::LocalExecutor;
use crate::executors::slurm::SlurmExecutor;
use crate::shutdown::Stop;
use crate::spool::Backoff;

/// What every job task shares.
pub struct Ctx {
    pub hub: HubClient,
    pub jobs: JobsConfig,
    /// The enabled executors, most preferred first.
    pub executors: Vec<Arc<dyn Executor>>,
    pub work_dir: PathBuf,
    pub poll_interval: Duration,
}

/// How a supervised job ended, for the loop's summary and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Reported(ReportState),
    /// The lease went to someone else; nothing was reported.
    LeaseLost,
    /// The final report could not be delivered.
    Unreported,
}

impl Ended {
    /// The label the metrics count it under (one of `metrics::JOB_OUTCOMES`).
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::Reported(state) => state.as_str(),
            Self::LeaseLost => "lease_lost",
            Self::Unreported => "unreported",
        }
    }
}

/// The enabled executors, in the configured order.
pub fn build_executors(jobs: &JobsConfig, timeout: Duration) -> Result<Vec<Arc<dyn Executor>>> {
    jobs.executors
        .iter()
        .map(|kind| -> Result<Arc<dyn Executor>> {
            let missing = |key: &str| Error::Config(format!("`jobs.{key}`: required"));
            Ok(match kind {
                ExecutorKind::Local => Arc::new(LocalExecutor::new(jobs.local.clone())),
                ExecutorKind::Slurm => Arc::new(SlurmExecutor::new(jobs.slurm.clone())),
                ExecutorKind::Kubernetes => {
                    let c = jobs
                        .kubernetes
                        .clone()
                        .ok_or_else(|| missing("kubernetes"))?;
                    Arc::new(
                        KubernetesExecutor::new(c, timeout)
                            .map_err(|e| Error::Config(format!("`jobs.kubernetes`: {e}")))?,
                    )
                }
                ExecutorKind::Argo => {
                    let c = jobs.argo.clone().ok_or_else(|| missing("argo"))?;
                    Arc::new(
                        ArgoExecutor::new(c, timeout)
                            .map_err(|e| Error::Config(format!("`jobs.argo`: {e}")))?,
                    )
                }
            })
        })
        .collect()
}

impl Ctx {
    pub fn new(config: &AgentConfig, jobs: &JobsConfig) -> Result<Self> {
        let hub = HubClient::new(
            config.hub_url.clone(),
            config.token.clone(),
            config.request_timeout,
        )?;
        let work_dir = jobs.work_dir(&config.spool_dir);
        std::fs::create_dir_all(&work_dir).map_err(|e| {
            Error::Config(format!(
                "`jobs.work_dir`: cannot create {}: {e}",
                work_dir.display()
            ))
        })?;
        Ok(Self {
            hub,
            executors: build_executors(jobs, config.request_timeout)?,
            jobs: jobs.clone(),
            work_dir,
            poll_interval: jobs.poll_interval,
        })
    }
}

/// Leases and runs jobs until `stop`, then drains.
pub async fn run(config: &AgentConfig, jobs: &JobsConfig, stop: &Stop) -> Result<()> {
    let ctx = Arc::new(Ctx::new(config, jobs)?);
    let request = LeaseRequest {
        capabilities: jobs.capabilities(),
        wait_seconds: Some(jobs.lease_wait.as_secs() as u32),
    };
    let (drain_tx, drain_rx) = watch::channel(false);
    let mut running: JoinSet<(i64, Ended)> = JoinSet::new();
    let mut backoff = Backoff::new(Duration::from_secs(1), config.max_backoff);
    tracing::info!(
        executors = ?jobs.executors,
        max_concurrent = jobs.max_concurrent,
        "leasing jobs"
    );
    while !stop.requested() {
        while let Some(done) = running.try_join_next() {
            log_end(done);
        }
        if running.len() >= jobs.max_concurrent {
            tokio::select! {
                Some(done) = running.join_next() => log_end(done),
                () = stop.stopped() => {},
            }
            continue;
        }
        let leased = tokio::select! {
            r = ctx.hub.lease(&request, jobs.lease_wait) => r,
            () = stop.stopped() => break,
        };
        match leased {
            Ok(Some(lease)) => {
                backoff.reset();
                let id = lease.job_id;
                tracing::info!(job = id, attempt = lease.attempt, benchmark = %lease.benchmark.slug, "job leased");
                let ctx = ctx.clone();
                let drain = drain_rx.clone();
                crate::metrics::global().job_started();
                running.spawn(async move { (id, supervise::supervise(ctx, lease, drain).await) });
            }
            Ok(None) => backoff.reset(),
            Err(e) if e.is_retryable() => {
                let wait = backoff.next_delay();
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "cannot lease");
                stop.sleep(wait).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "the hub refused the lease request: fix the token, the capabilities or upgrade");
                stop.sleep(config.max_backoff).await;
            }
        }
    }
    if !running.is_empty() {
        tracing::info!(
            running = running.len(),
            drain_timeout_s = jobs.drain_timeout.as_secs(),
            "stopped leasing; waiting for running jobs"
        );
        let deadline = tokio::time::sleep(jobs.drain_timeout);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                next = running.join_next() => match next {
                    Some(done) => log_end(done),
                    None => break,
                },
                () = &mut deadline => {
                    tracing::warn!(running = running.len(), "drain timeout: cancelling the jobs left");
                    let _ = drain_tx.send(true);
                    while let Some(done) = running.join_next().await {
                        log_end(done);
                    }
                    break;
                }
            }
        }
    }
    tracing::info!("job loop stopped");
    Ok(())
}

fn log_end(done: std::result::Result<(i64, Ended), tokio::task::JoinError>) {
    match done {
        Ok((job, ended)) => {
            crate::metrics::global().job_ended(ended.outcome());
            tracing::info!(job, ?ended, "job done");
        }
        Err(e) => {
            crate::metrics::global().job_ended(Ended::Unreported.outcome());
            tracing::error!(error = %e, "a job task failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_a_job_ends_is_counted_under_its_outcome() {
        for state in [
            ReportState::Succeeded,
            ReportState::Failed,
            ReportState::Refused,
            ReportState::Cancelled,
        ] {
            assert_eq!(Ended::Reported(state).outcome(), state.as_str());
        }
        for ended in [
            Ended::Reported(ReportState::Succeeded),
            Ended::Reported(ReportState::Failed),
            Ended::Reported(ReportState::Refused),
            Ended::Reported(ReportState::Cancelled),
            Ended::LeaseLost,
            Ended::Unreported,
        ] {
            assert!(
                crate::metrics::JOB_OUTCOMES.contains(&ended.outcome()),
                "{ended:?}"
            );
        }
    }
}
