//! The agent's settings: a TOML file, then `AGORA_AGENT_…` environment variables. Every
//! mistake is reported with the path of the key at fault, such as `sources[1].url`.
//! `[[sources]]` is read and checked in [`crate::sources::config`].

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_schemas::Slug;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::jobs::config::JobsConfig;
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
    #[serde(default = "default_spool_dir")]
    pub spool_dir: PathBuf,
    /// Time between two syncs of a source in `run`, such as `5m` (default `15m`).
    #[serde(
        default = "default_interval",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub interval: Duration,
    /// Most items in one batch, 1 to 500 (default 200).
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Longest wait between two attempts to reach the hub (default `5m`).
    #[serde(
        default = "default_max_backoff",
        deserialize_with = "crate::duration::deserialize"
    )]
    pub max_backoff: Duration,
    /// Timeout of one request to the hub or a source (default `60s`).
    #[serde(
        default = "default_timeout",
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
    /// Benchmark jobs (`[jobs]`, see `crate::jobs::config`); none are leased without it.
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

fn default_spool_dir() -> PathBuf {
    PathBuf::from("/var/lib/agora-agent")
}
fn default_interval() -> Duration {
    Duration::from_secs(15 * 60)
}
fn default_batch_size() -> usize {
    200
}
fn default_max_backoff() -> Duration {
    Duration::from_secs(300)
}
fn default_timeout() -> Duration {
    Duration::from_secs(60)
}

/// `["sources", "1", "url"]` as `sources[1].url`.
fn key_path(path: &[String]) -> String {
    let mut out = String::new();
    for part in path {
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

impl AgentConfig {
    /// Loads the file, applies environment overrides and checks the result; errors name
    /// the key.
    pub fn load(file: &Path) -> Result<Self> {
        if !file.exists() {
            return Err(Error::Config(format!(
                "configuration file {} does not exist",
                file.display()
            )));
        }
        let config: Self = Figment::from(Toml::file(file))
            .merge(
                Env::prefixed("AGORA_AGENT_")
                    .filter(|k| k != "config")
                    .split("__"),
            )
            .extract()
            .map_err(|e| {
                Error::Config(
                    e.into_iter()
                        .map(|e| match key_path(&e.path) {
                            key if key.is_empty() => e.kind.to_string(),
                            key => format!("`{key}`: {}", e.kind),
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        if !(1..=agora_schemas::sync::MAX_BATCH_ITEMS).contains(&self.batch_size) {
            return Err(Error::Config(format!(
                "`batch_size`: must be between 1 and {}",
                agora_schemas::sync::MAX_BATCH_ITEMS
            )));
        }
        for (i, s) in self.sources.iter().enumerate() {
            if self.sources[..i].iter().any(|o| o.name == s.name) {
                return Err(Error::Config(format!(
                    "`sources[{i}].name`: `{}` is used by another source",
                    s.name
                )));
            }
        }
        if let Some(jobs) = &self.jobs {
            jobs.check()?;
        }
        self.source_defs().map(|_| ())
    }

    /// The organisation, required by the commands that list sources.
    pub fn organisation(&self) -> Result<&Slug> {
        self.organisation.as_ref().ok_or_else(|| {
            Error::Config("`organisation`: required (the agent's organisation slug)".into())
        })
    }

    /// The checked sources.
    pub fn source_defs(&self) -> Result<Vec<SourceDef>> {
        self.sources
            .iter()
            .enumerate()
            .map(|(i, s)| s.check(i, self.interval))
            .collect()
    }
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

#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use agora_schemas::Visibility;

    use super::*;

    fn load(jail: &mut figment::Jail, text: &str) -> Result<AgentConfig> {
        jail.create_file("agent.toml", text).unwrap();
        AgentConfig::load(Path::new("agent.toml"))
    }

    #[test]
    fn environment_overrides_the_file_and_secrets_stay_hidden() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_AGENT_TOKEN", "agt_secret");
            jail.set_env("AGORA_AGENT_INTERVAL", "90s");
            let c = load(
                jail,
                "hub_url = \"http://127.0.0.1:8080\"\ninterval = \"5m\"\n",
            )
            .unwrap();
            assert_eq!(c.token.as_deref(), Some("agt_secret"));
            assert_eq!(c.interval, Duration::from_secs(90));
            assert!(!format!("{c:?}").contains("agt_secret"));
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_its_key() {
        figment::Jail::expect_with(|jail| {
            let err = load(jail, "hub_url = \"not a url\"\n")
                .unwrap_err()
                .to_string();
            assert!(err.contains("`hub_url`"), "{err}");
            let err = load(jail, "hub_url = \"http://h\"\nspool = \"/x\"\n")
                .unwrap_err()
                .to_string();
            assert!(err.contains("spool"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn sources_are_checked_with_their_paths() {
        figment::Jail::expect_with(|jail| {
            let base = "hub_url = \"http://h\"\norganisation = \"insee\"\n";
            let err = load(
                jail,
                &format!("{base}[[sources]]\nname = \"m\"\ntype = \"mlflow\"\n"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`sources[0].name`"), "{err}");
            let err = load(
                jail,
                &format!("{base}[[sources]]\nname = \"ml\"\ntype = \"mlflow\"\n"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`sources[0].url`: required"), "{err}");
            let err = load(
                jail,
                &format!(
                    "{base}[[sources]]\nname = \"ml\"\ntype = \"mlflow\"\nurl = \"http://m\"\n\
                     release = [\"model_version.artifact_url\"]\n"
                ),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("`sources[0].release[0]`"), "{err}");
            let err = load(
                jail,
                &format!(
                    "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\n\
                     [[sources.repositories]]\nurl = \"file:///srv/r.git\"\nbranch = \"main\"\nfoo = 1\n"
                ),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("foo"), "{err}");
            let ok = load(
                jail,
                &format!(
                    "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\ninterval = \"1h\"\n\
                     [[sources.repositories]]\nurl = \"file:///srv/Naf_Coder.git\"\n"
                ),
            )
            .unwrap();
            let defs = ok.source_defs().unwrap();
            match &defs[0].kind {
                SourceDetail::Git { repositories, .. } => {
                    assert_eq!(repositories[0].name.as_str(), "naf-coder");
                    assert_eq!(repositories[0].visibility, None);
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(defs[0].interval, Duration::from_secs(3600));
            // Visibility: per folder source, per git source, per repository.
            let ok = load(
                jail,
                &format!(
                    "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\nvisibility = \"members\"\n\
                     [[sources.repositories]]\nurl = \"file:///srv/alpha.git\"\n\
                     [[sources.repositories]]\nurl = \"file:///srv/beta.git\"\nvisibility = \"public\"\n\
                     [[sources]]\nname = \"drive\"\ntype = \"folder\"\npath = \"/srv/m\"\n\
                     visibility = \"public\"\n"
                ),
            )
            .unwrap();
            let defs = ok.source_defs().unwrap();
            match &defs[0].kind {
                SourceDetail::Git { repositories, .. } => {
                    assert_eq!(repositories[0].visibility, Some(Visibility::Members));
                    assert_eq!(repositories[1].visibility, Some(Visibility::Public));
                }
                other => panic!("{other:?}"),
            }
            match &defs[1].kind {
                SourceDetail::Folder { visibility, .. } => {
                    assert_eq!(*visibility, Some(Visibility::Public))
                }
                other => panic!("{other:?}"),
            }
            Ok(())
        });
    }

    #[test]
    fn metrics_are_off_by_default_and_set_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            let c = load(jail, "hub_url = \"http://h\"\n").unwrap();
            assert_eq!(c.metrics_listen, None);
            assert_eq!(c.log_format, LogFormat::Text);
            jail.set_env("AGORA_AGENT_METRICS_LISTEN", "127.0.0.1:9465");
            jail.set_env("AGORA_AGENT_LOG_FORMAT", "json");
            let c = load(jail, "hub_url = \"http://h\"\n").unwrap();
            assert_eq!(c.metrics_listen.unwrap().port(), 9465);
            assert_eq!(c.log_format, LogFormat::Json);
            jail.set_env("AGORA_AGENT_METRICS_LISTEN", "nowhere");
            let err = load(jail, "hub_url = \"http://h\"\n")
                .unwrap_err()
                .to_string();
            assert!(err.contains("`metrics_listen`"), "{err}");
            Ok(())
        });
    }
}
