//! `slurm`: the job as a batch job. The agent writes a batch script into the job's folder
//! (every command line quoted for `sh`, the job's variables exported in it, since sbatch
//! runs with a cleared environment so the agent's token never reaches the job), submits it
//! with `sbatch --parsable` and the resources as options (`--cpus-per-task`, `--mem`,
//! `--time`, `--gres=gpu:<type>:<n>`), follows it with `squeue` (then `sacct`, then the
//! exit code the script leaves behind) and stops it with `scancel`. The job's folder must
//! be on a file system the compute nodes share with the agent.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use agora_schemas::job::ExecutorKind;
use serde::Deserialize;

use super::argv::{shell_line, shell_quote};
use super::{
    BoxFuture, ExecError, ExecResult, Executor, Handle, JobSpec, LogChunk, Metrics, Status,
    inherited_environment, read_log_file, read_metrics_file,
};

/// `[jobs.slurm]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlurmConfig {
    /// `--partition`.
    #[serde(default)]
    pub partition: Option<String>,
    /// `--account`.
    #[serde(default)]
    pub account: Option<String>,
    /// More sbatch options, such as `["--qos=short"]`.
    #[serde(default)]
    pub sbatch_args: Vec<String>,
    /// The folder holding sbatch, squeue, sacct and scancel (default: found on `PATH`).
    #[serde(default)]
    pub bin_dir: Option<PathBuf>,
    /// The cluster's `slurm.conf`, when not the default one (sets `SLURM_CONF`).
    #[serde(default)]
    pub conf: Option<PathBuf>,
}

pub const LOG_FILE: &str = "output.log";
pub const METRICS_FILE: &str = "metrics.json";
pub const SCRIPT_FILE: &str = "job.sbatch";
pub const EXIT_FILE: &str = "exit_code";

pub struct SlurmExecutor {
    config: SlurmConfig,
}

struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl SlurmExecutor {
    pub fn new(config: SlurmConfig) -> Self {
        Self { config }
    }

    fn program(&self, name: &str) -> PathBuf {
        match &self.config.bin_dir {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    }

    /// Runs a Slurm command with the agent's harmless variables and `SLURM_*` ones only.
    async fn run(&self, name: &str, args: &[String]) -> ExecResult<Output> {
        let mut command = tokio::process::Command::new(self.program(name));
        command
            .args(args)
            .env_clear()
            .envs(inherited_environment())
            .envs(std::env::vars().filter(|(k, _)| k.starts_with("SLURM_")))
            .stdin(Stdio::null());
        if let Some(conf) = &self.config.conf {
            command.env("SLURM_CONF", conf);
        }
        let out = command
            .output()
            .await
            .map_err(|e| ExecError::new(format!("cannot run {name}: {e}")))?;
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).trim().to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }

    async fn start(&self, spec: &JobSpec) -> ExecResult<Handle> {
        let io = |e: std::io::Error| ExecError::new(format!("{}: {e}", spec.workdir.display()));
        std::fs::create_dir_all(&spec.workdir).map_err(io)?;
        let output = spec.workdir.join(METRICS_FILE);
        for stale in [METRICS_FILE, EXIT_FILE, LOG_FILE] {
            let _ = std::fs::remove_file(spec.workdir.join(stale));
        }
        let script = batch_script(spec, &output)?;
        let script_path = spec.workdir.join(SCRIPT_FILE);
        std::fs::write(&script_path, script).map_err(io)?;
        let args = self.sbatch_args(spec, &script_path);
        let out = self.run("sbatch", &args).await?;
        if !out.ok {
            return Err(ExecError::new(format!(
                "sbatch refused the job: {}",
                out.stderr
            )));
        }
        // `--parsable` prints `jobid` or `jobid;cluster`.
        let id = out.stdout.split(';').next().unwrap_or_default().trim();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(ExecError::new(format!(
                "sbatch answered `{}` instead of a job id",
                out.stdout
            )));
        }
        tracing::info!(job = spec.job_id, slurm_job = id, "slurm job submitted");
        Ok(Handle {
            job_id: spec.job_id,
            external_id: id.to_string(),
            workdir: spec.workdir.clone(),
        })
    }

    /// The sbatch options, as separate arguments (no shell reads them).
    pub fn sbatch_args(&self, spec: &JobSpec, script: &Path) -> Vec<String> {
        let r = &spec.resources;
        let mut args = vec![
            "--parsable".to_string(),
            format!("--job-name={}", spec.name()),
            format!("--chdir={}", spec.workdir.display()),
            format!("--output={}", spec.workdir.join(LOG_FILE).display()),
            "--ntasks=1".to_string(),
            format!("--cpus-per-task={}", r.cpus.max(1)),
            format!("--mem={}M", r.memory_mb.max(1)),
            format!("--time={}", slurm_time(r.time_limit_seconds)),
        ];
        if r.gpus > 0 {
            args.push(match &r.gpu_type {
                Some(t) => format!("--gres=gpu:{t}:{}", r.gpus),
                None => format!("--gres=gpu:{}", r.gpus),
            });
        }
        if let Some(p) = &self.config.partition {
            args.push(format!("--partition={p}"));
        }
        if let Some(a) = &self.config.account {
            args.push(format!("--account={a}"));
        }
        args.extend(self.config.sbatch_args.iter().cloned());
        args.push(script.display().to_string());
        args
    }

    async fn state(&self, handle: &Handle) -> ExecResult<Status> {
        let id = handle.external_id.clone();
        let out = self
            .run(
                "squeue",
                &[
                    "-h".into(),
                    "-t".into(),
                    "all".into(),
                    "-j".into(),
                    id.clone(),
                    "-o".into(),
                    "%T %N".into(),
                ],
            )
            .await?;
        if out.ok
            && let Some(line) = out.stdout.lines().next()
        {
            let mut parts = line.split_whitespace();
            let state = parts.next().unwrap_or_default();
            let node = parts.next().map(str::to_string);
            return Ok(self.interpret(handle, state, node));
        }
        // Gone from the controller's memory: ask the accounting database, if there is one.
        let out = self
            .run(
                "sacct",
                &[
                    "-n".into(),
                    "-X".into(),
                    "-P".into(),
                    "-j".into(),
                    id,
                    "-o".into(),
                    "State".into(),
                ],
            )
            .await;
        if let Ok(out) = out
            && out.ok
            && let Some(state) = out.stdout.split_whitespace().next()
        {
            return Ok(self.interpret(handle, state, None));
        }
        // Neither knows it: the exit code the script left says how it ended.
        Ok(match exit_code(&handle.workdir) {
            Some(0) => Status::Succeeded,
            Some(code) => Status::Failed(format!("the command exited with status {code}")),
            None => Status::Failed(format!(
                "Slurm no longer knows job {} and it left no exit code",
                handle.external_id
            )),
        })
    }

    fn interpret(&self, handle: &Handle, state: &str, node: Option<String>) -> Status {
        let node = node.filter(|n| !n.is_empty() && !n.starts_with('('));
        match state.trim_end_matches('+') {
            "PENDING" | "CONFIGURING" | "REQUEUED" | "REQUEUE_HOLD" | "RESV_DEL_HOLD" => {
                Status::Pending
            }
            "RUNNING" | "COMPLETING" | "SUSPENDED" | "STAGE_OUT" | "SIGNALING" | "RESIZING" => {
                Status::Running(node)
            }
            "COMPLETED" => Status::Succeeded,
            "CANCELLED" => Status::Cancelled,
            "TIMEOUT" | "DEADLINE" => Status::Failed("the time limit was reached".into()),
            "OUT_OF_MEMORY" => Status::Failed("the job ran out of memory".into()),
            "FAILED" => Status::Failed(match exit_code(&handle.workdir) {
                Some(code) => format!("the command exited with status {code}"),
                None => "the batch job failed".into(),
            }),
            other => Status::Failed(format!("Slurm reports the job as {other}")),
        }
    }
}

/// `D-HH:MM:SS`, rounded up to a whole minute (Slurm's granularity).
pub fn slurm_time(seconds: u64) -> String {
    let minutes = seconds.div_ceil(60).max(1);
    format!(
        "{}-{:02}:{:02}:00",
        minutes / 1440,
        (minutes % 1440) / 60,
        minutes % 60
    )
}

/// The batch script: `cd`, the job's variables, the command, its exit code kept in a file.
pub fn batch_script(spec: &JobSpec, output: &Path) -> ExecResult<String> {
    let output = output.to_string_lossy();
    let Some(argv) = spec.argv(&output)? else {
        return Err(ExecError::new("the slurm executor needs a command"));
    };
    let mut s = format!(
        "#!/bin/sh\n# Agora benchmark job {} (attempt {}), written by agora-agent.\n",
        spec.job_id, spec.attempt
    );
    s.push_str(&format!(
        "cd {} || exit 1\n",
        shell_quote(&spec.workdir.to_string_lossy())
    ));
    for (k, v) in spec.environment(&output) {
        s.push_str(&format!("export {k}={}\n", shell_quote(&v)));
    }
    s.push_str(&shell_line(&argv));
    s.push_str("\nstatus=$?\n");
    s.push_str(&format!(
        "printf '%s\\n' \"$status\" > {}\nexit \"$status\"\n",
        shell_quote(&spec.workdir.join(EXIT_FILE).to_string_lossy())
    ));
    Ok(s)
}

fn exit_code(workdir: &Path) -> Option<i32> {
    std::fs::read_to_string(workdir.join(EXIT_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

impl Executor for SlurmExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Slurm
    }

    fn unable(&self, spec: &JobSpec) -> Option<String> {
        spec.command
            .is_none()
            .then(|| "the slurm executor runs commands, and the benchmark has only an image".into())
    }

    fn submit<'a>(&'a self, spec: &'a JobSpec) -> BoxFuture<'a, ExecResult<Handle>> {
        Box::pin(self.start(spec))
    }

    fn status<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Status>> {
        Box::pin(self.state(handle))
    }

    fn cancel<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<()>> {
        Box::pin(async move {
            let out = self
                .run("scancel", std::slice::from_ref(&handle.external_id))
                .await?;
            if out.ok {
                Ok(())
            } else {
                Err(ExecError::new(format!("scancel: {}", out.stderr)))
            }
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

    fn node<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let args = ["-h", "-t", "all", "-j", &handle.external_id, "-o", "%N"].map(String::from);
            let out = self.run("squeue", &args).await.ok()?;
            let node = out.stdout.lines().next()?.trim().to_string();
            (out.ok && !node.is_empty() && !node.starts_with('(')).then_some(node)
        })
    }

    fn check(&self) -> BoxFuture<'_, ExecResult<String>> {
        Box::pin(async move {
            let version = self.run("sbatch", &["--version".into()]).await?;
            if !version.ok {
                return Err(ExecError::new(format!(
                    "sbatch --version: {}",
                    version.stderr
                )));
            }
            let ping = self
                .run("squeue", &["-h".into(), "-o".into(), "%i".into()])
                .await?;
            if !ping.ok {
                return Err(ExecError::new(format!(
                    "{} is present but the controller does not answer: {}",
                    version.stdout, ping.stderr
                )));
            }
            Ok(format!("{}, controller answers", version.stdout))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_round_up_to_minutes() {
        assert_eq!(slurm_time(30), "0-00:01:00");
        assert_eq!(slurm_time(3600), "0-01:00:00");
        assert_eq!(slurm_time(90_061), "1-01:02:00");
    }
}
