//! The agent's settings: a TOML file, then `AGORA_AGENT_…` environment variables. Every
//! mistake is reported with the path of the key at fault, such as `sources[1].url`.
//!
//! Each table's settings live with what they configure: `[[sources]]` in
//! [`crate::sources::config`], `[jobs]` in [`jobs`], the executors' in
//! [`crate::executors`]. Here: the top-level keys ([`AgentConfig`]), their defaults
//! (`defaults`), reading the layers (`load`) and the checks across keys (`check`).

mod check;
mod defaults;
pub mod jobs;
mod load;
#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use agora_schemas::Slug;
use serde::Deserialize;
use url::Url;

use self::jobs::JobsConfig;

pub use crate::sources::config::{
    Repository, RepositoryConfig, SourceConfig, SourceDef, SourceDetail, SourceKind,
};

/// The agent's settings, as written in the file.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// The hub's base URL, such as `https://agora.example.org`.
    pub hub_url: Url,
    /// The agent token printed once by `agora-hub agent create`
    /// (better set as `AGORA_AGENT_TOKEN` than written in the file).
    #[serde(default)]
    pub token: Option<String>,
    /// The organisation the agent belongs to; model cards read from registries are theirs.
    #[serde(default)]
    pub organisation: Option<Slug>,
    /// Folder for batches waiting while the hub is unreachable, the sync state and clones.
    #[serde(default = "defaults::spool_dir")]
    pub spool_dir: PathBuf,
    /// Time between two syncs of a source in `run`, such as `5m` (default `15m`).
    #[serde(
        default = "defaults::interval",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub interval: Duration,
    /// Most items in one batch, 1 to 500 (default 200).
    #[serde(default = "defaults::batch_size")]
    pub batch_size: usize,
    /// Longest wait between two attempts to reach the hub (default `5m`).
    #[serde(
        default = "defaults::max_backoff",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub max_backoff: Duration,
    /// Timeout of one request to the hub or a source (default `60s`).
    #[serde(
        default = "defaults::request_timeout",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub request_timeout: Duration,
    /// Address of the Prometheus endpoint `/metrics` while `run` goes on, such as
    /// `127.0.0.1:9465` (`AGORA_AGENT_METRICS_LISTEN`); unset (the default), none is served.
    #[serde(default)]
    pub metrics_listen: Option<SocketAddr>,
    /// `text` (the default) or `json` log lines (`AGORA_AGENT_LOG_FORMAT`); the level comes
    /// from `RUST_LOG`.
    #[serde(default)]
    pub log_format: LogFormat,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    /// Benchmark jobs (`[jobs]`, see [`JobsConfig`]); none are leased without it.
    #[serde(default)]
    pub jobs: Option<JobsConfig>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl fmt::Debug for AgentConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentConfig")
            .field("hub_url", &self.hub_url.as_str())
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("organisation", &self.organisation)
            .field("spool_dir", &self.spool_dir)
            .field("interval", &self.interval)
            .field("batch_size", &self.batch_size)
            .field("metrics_listen", &self.metrics_listen)
            .field("log_format", &self.log_format)
            .field("sources", &self.sources)
            .field("jobs", &self.jobs)
            .finish()
    }
}
