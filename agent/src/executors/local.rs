//! `local`: the job as a child process of the agent. The argv comes from the template
//! (never a shell), the environment is the job's `AGORA_*` variables plus a few harmless
//! ones of the agent's (never its token), stdout and stderr go to `output.log` in the job's
//! folder, and the metrics are the JSON file the command writes at `{output}`. The process
//! runs in its own process group, so a time limit or a cancellation stops whatever it
//! started too: SIGTERM, then SIGKILL after a grace period.

use std::collections::HashMap;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agora_schemas::job::ExecutorKind;
use serde::Deserialize;
use tokio::sync::Notify;

use super::{
    BoxFuture, ExecError, ExecResult, Executor, Handle, JobSpec, LogChunk, Metrics, Status,
    inherited_environment, read_log_file, read_metrics_file,
};

/// `[jobs.local]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalConfig {
    /// Time between SIGTERM and SIGKILL when a job is stopped (default `10s`).
    #[serde(
        default = "default_grace",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub kill_grace: Duration,
}

impl Default for LocalConfig {
    fn default() -> Self {
        Self {
            kill_grace: default_grace(),
        }
    }
}

fn default_grace() -> Duration {
    Duration::from_secs(10)
}

pub const LOG_FILE: &str = "output.log";
pub const METRICS_FILE: &str = "metrics.json";

#[derive(Debug, Clone)]
enum Outcome {
    Running,
    Exited(ExitStatus),
    TimedOut(Duration),
    Cancelled,
    Lost(String),
}

struct Process {
    outcome: Arc<Mutex<Outcome>>,
    stop: Arc<Notify>,
}

pub struct LocalExecutor {
    config: LocalConfig,
    processes: Mutex<HashMap<i64, Process>>,
}

impl LocalExecutor {
    pub fn new(config: LocalConfig) -> Self {
        Self {
            config,
            processes: Mutex::new(HashMap::new()),
        }
    }

    fn outcome(&self, job_id: i64) -> Option<Outcome> {
        let processes = self.processes.lock().ok()?;
        let p = processes.get(&job_id)?;
        p.outcome.lock().ok().map(|o| o.clone())
    }

    async fn start(&self, spec: &JobSpec) -> ExecResult<Handle> {
        let io = |what: &str, e: std::io::Error| ExecError::new(format!("{what}: {e}"));
        std::fs::create_dir_all(&spec.workdir)
            .map_err(|e| io(&spec.workdir.display().to_string(), e))?;
        let output = spec.workdir.join(METRICS_FILE);
        let _ = std::fs::remove_file(&output);
        let output = output.to_string_lossy().into_owned();
        let Some(argv) = spec.argv(&output)? else {
            return Err(ExecError::new("the local executor needs a command"));
        };
        let log = std::fs::File::create(spec.workdir.join(LOG_FILE))
            .map_err(|e| io("the log file", e))?;
        let log2 = log.try_clone().map_err(|e| io("the log file", e))?;
        let mut command = tokio::process::Command::new(&argv[0]);
        command
            .args(&argv[1..])
            .env_clear()
            .envs(inherited_environment())
            .envs(spec.environment(&output))
            .current_dir(&spec.workdir)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .process_group(0);
        let mut child = command
            .spawn()
            .map_err(|e| io(&format!("cannot start `{}`", argv[0]), e))?;
        let pid = child
            .id()
            .ok_or_else(|| ExecError::new("the process ended before it was seen"))?;
        let outcome = Arc::new(Mutex::new(Outcome::Running));
        let stop = Arc::new(Notify::new());
        let limit = Duration::from_secs(spec.resources.time_limit_seconds);
        let grace = self.config.kill_grace;
        {
            let outcome = outcome.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let end = tokio::select! {
                    r = child.wait() => match r {
                        Ok(status) => Outcome::Exited(status),
                        Err(e) => Outcome::Lost(e.to_string()),
                    },
                    () = tokio::time::sleep(limit) => {
                        stop_group(pid, &mut child, grace).await;
                        Outcome::TimedOut(limit)
                    }
                    () = stop.notified() => {
                        stop_group(pid, &mut child, grace).await;
                        Outcome::Cancelled
                    }
                };
                if let Ok(mut o) = outcome.lock() {
                    *o = end;
                }
            });
        }
        if let Ok(mut processes) = self.processes.lock() {
            processes.insert(spec.job_id, Process { outcome, stop });
        }
        tracing::info!(job = spec.job_id, pid, program = %argv[0], "local job started");
        Ok(Handle {
            job_id: spec.job_id,
            external_id: pid.to_string(),
            workdir: spec.workdir.clone(),
        })
    }
}

/// SIGTERM to the process group, SIGKILL after `grace`, then reap the child.
async fn stop_group(pid: u32, child: &mut tokio::process::Child, grace: Duration) {
    let group = -(pid as libc::pid_t);
    // SAFETY: kill(2) with a negative pid signals that process group; no memory is shared.
    unsafe { libc::kill(group, libc::SIGTERM) };
    if tokio::time::timeout(grace, child.wait()).await.is_err() {
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = child.wait().await;
    }
    // The leader is gone; whatever it started and ignored SIGTERM goes too.
    // SAFETY: as above.
    unsafe { libc::kill(group, libc::SIGKILL) };
}

impl Executor for LocalExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Local
    }

    fn unable(&self, spec: &JobSpec) -> Option<String> {
        if spec.command.is_none() {
            return Some(
                "the local executor runs commands, and the benchmark has only an image".into(),
            );
        }
        (spec.resources.gpus > 0).then(|| "the local executor does not hand out GPUs".to_string())
    }

    fn submit<'a>(&'a self, spec: &'a JobSpec) -> BoxFuture<'a, ExecResult<Handle>> {
        Box::pin(self.start(spec))
    }

    fn status<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Status>> {
        Box::pin(async move {
            Ok(match self.outcome(handle.job_id) {
                None => Status::Failed("the agent lost track of the process".into()),
                Some(Outcome::Running) => Status::Running(hostname()),
                Some(Outcome::Exited(s)) if s.success() => Status::Succeeded,
                Some(Outcome::Exited(s)) => Status::Failed(format!("the command {}", describe(s))),
                Some(Outcome::TimedOut(limit)) => Status::Failed(format!(
                    "the time limit of {} s was reached",
                    limit.as_secs()
                )),
                Some(Outcome::Cancelled) => Status::Cancelled,
                Some(Outcome::Lost(e)) => Status::Failed(format!("waiting for the process: {e}")),
            })
        })
    }

    fn cancel<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<()>> {
        Box::pin(async move {
            if let Ok(processes) = self.processes.lock()
                && let Some(p) = processes.get(&handle.job_id)
            {
                p.stop.notify_one();
            }
            Ok(())
        })
    }

    fn log<'a>(
        &'a self,
        handle: &'a Handle,
        from: u64,
        max: usize,
    ) -> BoxFuture<'a, ExecResult<LogChunk>> {
        Box::pin(async move { read_log_file(&handle.workdir.join(LOG_FILE), from, max) })
    }

    fn metrics<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Metrics>> {
        Box::pin(async move { read_metrics_file(&handle.workdir.join(METRICS_FILE)) })
    }

    fn forget(&self, handle: &Handle) {
        // A process still stopping keeps its own handle on its outcome; only the entry goes.
        if let Ok(mut processes) = self.processes.lock() {
            processes.remove(&handle.job_id);
        }
    }

    fn node<'a>(&'a self, _handle: &'a Handle) -> BoxFuture<'a, Option<String>> {
        Box::pin(async { hostname() })
    }

    fn check(&self) -> BoxFuture<'_, ExecResult<String>> {
        Box::pin(async {
            Ok(format!(
                "child processes on {}",
                hostname().unwrap_or_default()
            ))
        })
    }
}

fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        _ => "ended abnormally".into(),
    }
}

/// This machine's name, for the hardware report.
pub fn hostname() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
