//! One leased job from start to end: check it may run here, submit it, follow it while
//! heartbeating at the hub's interval, upload the log as it grows, honour a cancellation
//! from the hub or a lost lease, then report the outcome with the metrics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agora_schemas::job::{
    ExecutorKind, Hardware, JobLease, JobReport, MAX_LOG_TAIL_BYTES, ReportState,
};
use tokio::sync::watch;

use super::hub::{LogAnswer, ReportError};
use super::{Ctx, Ended};
use crate::executors::{Executor, Handle, JobSpec, Status};

/// How long a cancelled job may take to end before the agent reports it anyway.
const STOP_WAIT: Duration = Duration::from_secs(120);

/// Follows one job. `drain` turns true when the agent's drain timeout has passed: the job
/// is cancelled and reported so.
pub async fn supervise(ctx: Arc<Ctx>, lease: JobLease, mut drain: watch::Receiver<bool>) -> Ended {
    let job = Job::new(&ctx, &lease);
    let (executor, spec) = match prepare(&ctx, &lease) {
        Ok(x) => x,
        Err(reason) => {
            tracing::warn!(job = lease.job_id, %reason, "job refused");
            return job
                .finish(&ctx, ReportState::Refused, None, Some(reason))
                .await;
        }
    };
    let job = Job {
        executor: executor.kind(),
        ..job
    };
    let handle = match executor.submit(&spec).await {
        Ok(h) => h,
        Err(e) => {
            let reason = format!("{} executor: {e}", executor.kind().as_str());
            tracing::warn!(job = lease.job_id, %reason, "submission failed");
            return job
                .finish(&ctx, ReportState::Failed, None, Some(reason))
                .await;
        }
    };
    let ended = async {
        let mut job = Job {
            external_id: Some(handle.external_id.clone()),
            hardware: Some(spec.requested_hardware()),
            ..job
        };
        let mut log = LogSync::default();
        let mut interval = Duration::from_secs(u64::from(lease.heartbeat_interval_seconds.max(1)));
        let mut last_beat: Option<Instant> = None;
        let mut cancel_reason: Option<String> = None;
        // A job asked to stop that the executor never reports as ended is given up on.
        let mut give_up: Option<Instant> = None;
        let status = loop {
            if give_up.is_some_and(|t| Instant::now() >= t) {
                tracing::warn!(
                    job = lease.job_id,
                    "the executor did not confirm the cancellation"
                );
                break Status::Cancelled;
            }
            let due = last_beat.is_none_or(|t| t.elapsed() >= interval);
            if due {
                match job.beat(&ctx).await {
                    Ok(answer) => {
                        last_beat = Some(Instant::now());
                        interval = Duration::from_secs(u64::from(
                            answer.heartbeat_interval_seconds.max(1),
                        ));
                        if answer.cancel && cancel_reason.is_none() {
                            tracing::info!(job = lease.job_id, "cancelled on the hub");
                            cancel_reason = Some("cancelled on the hub".into());
                            give_up = Some(Instant::now() + STOP_WAIT);
                            stop(executor.as_ref(), &handle).await;
                        }
                    }
                    Err(ReportError::LeaseLost) => {
                        tracing::warn!(job = lease.job_id, "lease lost: stopping the job");
                        stop(executor.as_ref(), &handle).await;
                        return Ended::LeaseLost;
                    }
                    Err(ReportError::Hub(e)) => {
                        // Keep the job going: the hub may come back before the lease ends.
                        tracing::warn!(job = lease.job_id, error = %e, "heartbeat failed");
                        last_beat = Some(Instant::now());
                    }
                }
            }
            if *drain.borrow() && cancel_reason.is_none() {
                cancel_reason =
                    Some("the agent shut down before the job finished (drain timeout)".into());
                give_up = Some(Instant::now() + STOP_WAIT);
                stop(executor.as_ref(), &handle).await;
            }
            match executor.status(&handle).await {
                Ok(s) if s.is_final() => break s,
                Ok(Status::Running(Some(node))) => {
                    if let Some(h) = job.hardware.as_mut()
                        && h.node.is_none()
                    {
                        h.node = Some(node);
                        last_beat = None;
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(job = lease.job_id, error = %e, "status unknown"),
            }
            if let Err(ReportError::LeaseLost) =
                log.push(&ctx, executor.as_ref(), &handle, &job).await
            {
                stop(executor.as_ref(), &handle).await;
                return Ended::LeaseLost;
            }
            let wait = ctx.poll_interval.min(interval);
            tokio::select! {
                () = tokio::time::sleep(wait) => {},
                _ = drain.changed(), if !*drain.borrow() => {},
            }
        };
        if let Err(ReportError::LeaseLost) = log.push(&ctx, executor.as_ref(), &handle, &job).await
        {
            return Ended::LeaseLost;
        }
        if let Some(h) = job.hardware.as_mut()
            && h.node.is_none()
        {
            h.node = executor.node(&handle).await;
        }
        match (status, cancel_reason) {
            (_, Some(reason)) => {
                job.finish(&ctx, ReportState::Cancelled, None, Some(reason))
                    .await
            }
            (Status::Succeeded, None) => match executor.metrics(&handle).await {
                Ok(metrics) => {
                    job.finish(&ctx, ReportState::Succeeded, Some(metrics), None)
                        .await
                }
                Err(e) => {
                    job.finish(&ctx, ReportState::Failed, None, Some(e.to_string()))
                        .await
                }
            },
            (Status::Cancelled, None) => {
                let reason = format!(
                    "cancelled in {} outside the agent",
                    executor.kind().as_str()
                );
                job.finish(&ctx, ReportState::Cancelled, None, Some(reason))
                    .await
            }
            (Status::Failed(reason), None) => {
                job.finish(&ctx, ReportState::Failed, None, Some(reason))
                    .await
            }
            (other, None) => {
                let reason = format!("ended as {other:?}");
                job.finish(&ctx, ReportState::Failed, None, Some(reason))
                    .await
            }
        }
    }
    .await;
    executor.forget(&handle);
    ended
}

async fn stop(executor: &dyn Executor, handle: &Handle) {
    if let Err(e) = executor.cancel(handle).await {
        tracing::warn!(job = handle.job_id, error = %e, "could not cancel the job");
    }
}

/// Picks the executor and builds the spec, or says why the job cannot run here.
fn prepare(ctx: &Ctx, lease: &JobLease) -> Result<(Arc<dyn Executor>, JobSpec), String> {
    let b = &lease.benchmark;
    if let Some(reason) = ctx.jobs.refusal(b.command.as_deref(), b.image.as_deref()) {
        return Err(reason);
    }
    // The hub checks these too; the agent does not rely on it. Values go to the job as
    // environment variables, never through a shell.
    for (name, value) in &lease.parameters {
        agora_schemas::benchmark::check_name(&format!("parameters.{name}"), name)
            .map_err(|e| format!("{}: {}", e.field, e.message))?;
        if value.contains('\0') || value.chars().count() > 1_000 {
            return Err(format!(
                "parameters.{name}: must be at most 1000 characters, without NUL"
            ));
        }
    }
    let dataset = ctx.jobs.datasets.get(&lease.dataset).ok_or_else(|| {
        format!(
            "this agent has no dataset named `{}` (add it to `jobs.datasets`)",
            lease.dataset
        )
    })?;
    let spec = JobSpec {
        job_id: lease.job_id,
        attempt: lease.attempt,
        command: b.command.clone(),
        image: b.image.clone(),
        dataset: dataset.clone(),
        model: lease.model.name.to_string(),
        version: lease.model.version.clone(),
        model_uri: lease.model.artifact_uri.clone(),
        parameters: lease.parameters.clone(),
        resources: b.resources.clone(),
        workdir: ctx
            .work_dir
            .join(format!("job-{}-{}", lease.job_id, lease.attempt)),
    };
    // The template is checked once here, whatever `{output}` becomes later.
    spec.argv("{output}").map_err(|e| e.to_string())?;
    let mut reasons = Vec::new();
    for executor in &ctx.executors {
        match executor.unable(&spec) {
            None => return Ok((executor.clone(), spec)),
            Some(r) => reasons.push(format!("{}: {r}", executor.kind().as_str())),
        }
    }
    Err(format!("no executor can run it ({})", reasons.join("; ")))
}

/// What a report repeats.
#[derive(Clone)]
struct Job {
    id: i64,
    token: String,
    executor: ExecutorKind,
    external_id: Option<String>,
    hardware: Option<Hardware>,
}

impl Job {
    fn new(ctx: &Ctx, lease: &JobLease) -> Self {
        Self {
            id: lease.job_id,
            token: lease.lease_token.clone(),
            executor: ctx
                .executors
                .first()
                .map(|e| e.kind())
                .unwrap_or(ExecutorKind::Local),
            external_id: None,
            hardware: None,
        }
    }

    fn report(&self, state: ReportState) -> JobReport {
        JobReport {
            lease_token: self.token.clone(),
            state,
            executor: self.executor,
            external_id: self.external_id.clone(),
            hardware: self.hardware.clone(),
            metrics: None,
            reason: None,
        }
    }

    async fn beat(&self, ctx: &Ctx) -> Result<agora_schemas::job::ReportAnswer, ReportError> {
        ctx.hub
            .report(self.id, &self.report(ReportState::Running))
            .await
    }

    /// The final report, retried while the hub is away. A refusal of the metrics (422)
    /// becomes a `failed` report carrying the hub's reason, so the job does not hang.
    async fn finish(
        &self,
        ctx: &Ctx,
        state: ReportState,
        metrics: Option<crate::executors::Metrics>,
        reason: Option<String>,
    ) -> Ended {
        let mut report = self.report(state);
        report.metrics = metrics;
        report.reason = reason.map(|r| r.chars().take(2_000).collect());
        let mut delay = Duration::from_millis(500);
        for _ in 0..12 {
            match ctx.hub.report(self.id, &report).await {
                Ok(_) => {
                    tracing::info!(job = self.id, state = state.as_str(), "job reported");
                    return Ended::Reported(report.state);
                }
                Err(ReportError::LeaseLost) => return Ended::LeaseLost,
                Err(ReportError::Hub(crate::Error::Refused {
                    status: 422,
                    message,
                })) if report.state == ReportState::Succeeded => {
                    tracing::warn!(job = self.id, %message, "the hub refused the metrics");
                    report.state = ReportState::Failed;
                    report.metrics = None;
                    report.reason = Some(format!("the hub refused the metrics: {message}"));
                }
                Err(ReportError::Hub(e)) if e.is_retryable() => {
                    tracing::warn!(job = self.id, error = %e, "final report failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(30));
                }
                Err(ReportError::Hub(e)) => {
                    tracing::error!(job = self.id, error = %e, "the hub refused the final report");
                    return Ended::Unreported;
                }
            }
        }
        Ended::Unreported
    }
}

/// The log as uploaded so far: the hub's length and the executor's position.
#[derive(Default)]
struct LogSync {
    hub_offset: u64,
    position: u64,
}

impl LogSync {
    async fn push(
        &mut self,
        ctx: &Ctx,
        executor: &dyn Executor,
        handle: &Handle,
        job: &Job,
    ) -> Result<(), ReportError> {
        let chunk = match executor
            .log(handle, self.position, MAX_LOG_TAIL_BYTES)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!(job = job.id, error = %e, "log unavailable");
                return Ok(());
            }
        };
        if chunk.bytes.is_empty() {
            return Ok(());
        }
        let mut body = Vec::new();
        if chunk.start > self.position {
            body.extend_from_slice(
                format!("\n[… {} bytes left out …]\n", chunk.start - self.position).as_bytes(),
            );
        }
        body.extend_from_slice(&chunk.bytes);
        for _ in 0..3 {
            match ctx
                .hub
                .append_log(job.id, &job.token, self.hub_offset, body.clone())
                .await
            {
                Ok(LogAnswer::Appended(next)) => {
                    self.hub_offset = next;
                    self.position = chunk.end();
                    return Ok(());
                }
                Ok(LogAnswer::Expected(m)) if m >= self.hub_offset + body.len() as u64 => {
                    // The last upload arrived although its answer did not.
                    self.hub_offset = m;
                    self.position = chunk.end();
                    return Ok(());
                }
                Ok(LogAnswer::Expected(m)) => self.hub_offset = m,
                Err(ReportError::LeaseLost) => return Err(ReportError::LeaseLost),
                Err(ReportError::Hub(e)) => {
                    tracing::debug!(job = job.id, error = %e, "log upload failed; next time");
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}
