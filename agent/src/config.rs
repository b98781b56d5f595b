//! The agent's settings: a TOML file, then `AGORA_AGENT_…` environment variables. Every
//! mistake is reported with the path of the key at fault, such as `sources[1].url`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_schemas::{Slug, Visibility};
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::jobs::config::JobsConfig;
use crate::release::Release;

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

/// One source as written in the file; checked into a [`SourceDef`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// The source's name, sent with its batches, such as `mlflow-prod`.
    pub name: Slug,
    #[serde(rename = "type")]
    pub kind: SourceKind,
    /// MLflow: the tracking server's URL.
    #[serde(default)]
    pub url: Option<Url>,
    /// MLflow and git over https: the environment variable holding a token.
    #[serde(default)]
    pub token_env: Option<String>,
    /// git over https: the user name sent with the token (default `oauth2`).
    #[serde(default)]
    pub username: Option<String>,
    /// git: the repositories to read.
    #[serde(default)]
    pub repositories: Vec<RepositoryConfig>,
    /// folder: the directory to read.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// MLflow: items per page of a listing, 1 to 1000 (default 1000).
    #[serde(default)]
    pub page_size: Option<u32>,
    /// MLflow: how often the listing reads every version and run again instead of only
    /// what changed since the last sync (default `24h`).
    #[serde(default, deserialize_with = "crate::duration::deserialize_optional")]
    pub full_every: Option<Duration>,
    /// Visibility of the items that do not set their own: MLflow, model cards whose model
    /// has no `agora.visibility` tag; git (for every repository that does not set its own)
    /// and folder, projects and model cards whose file does not say.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// This source's interval in `run`, overriding the global one.
    #[serde(default, deserialize_with = "crate::duration::deserialize_optional")]
    pub interval: Option<Duration>,
    /// The fields that may leave the office, as `kind.field` (`model_version.artifact_uri`)
    /// or `kind.*`. Replaces the default, which keeps everything except artifact URIs,
    /// run parameters and user ids.
    #[serde(default)]
    pub release: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Mlflow,
    Git,
    Folder,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mlflow => "mlflow",
            Self::Git => "git",
            Self::Folder => "folder",
        }
    }
}

/// A git repository to read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryConfig {
    /// `file://…` or `https://…`.
    pub url: Url,
    /// The branch to read (default: the remote's default branch).
    #[serde(default)]
    pub branch: Option<String>,
    /// A short name for keys and the local clone (default: the URL's last part).
    #[serde(default)]
    pub name: Option<Slug>,
    /// Visibility of this repository's projects and model cards that do not set their own
    /// (default: the source's `visibility`, else the hub's, `organisation`).
    #[serde(default)]
    pub visibility: Option<Visibility>,
}

/// A checked source, ready to list.
#[derive(Debug, Clone)]
pub struct SourceDef {
    pub name: Slug,
    pub kind: SourceDetail,
    pub interval: Duration,
    pub release: Release,
}

#[derive(Debug, Clone)]
pub enum SourceDetail {
    Mlflow {
        url: Url,
        token_env: Option<String>,
        page_size: u32,
        full_every: Duration,
        visibility: Visibility,
    },
    Git {
        repositories: Vec<Repository>,
        token_env: Option<String>,
        username: String,
    },
    Folder {
        path: PathBuf,
        /// Visibility of items whose file does not set one.
        visibility: Option<Visibility>,
    },
}

/// A checked repository.
#[derive(Debug, Clone)]
pub struct Repository {
    pub url: Url,
    pub branch: Option<String>,
    pub name: Slug,
    /// Visibility of items whose file does not set one (the repository's, else the
    /// source's).
    pub visibility: Option<Visibility>,
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

impl SourceConfig {
    fn check(&self, i: usize, interval: Duration) -> Result<SourceDef> {
        let at = |key: &str| format!("sources[{i}].{key}");
        let bad = |key: &str, msg: &str| Err(Error::Config(format!("`{}`: {msg}", at(key))));
        let kind = self.kind.as_str();
        let not_for = |key: &str, set: bool| -> Result<()> {
            if set {
                Err(Error::Config(format!(
                    "`{}`: not a setting of a {kind} source",
                    at(key)
                )))
            } else {
                Ok(())
            }
        };
        if let Some(var) = &self.token_env
            && (var.is_empty() || var.contains('='))
        {
            return bad("token_env", "must name an environment variable");
        }
        let release = Release::from_config(self.release.as_deref(), &at("release"))?;
        let detail = match self.kind {
            SourceKind::Mlflow => {
                not_for("repositories", !self.repositories.is_empty())?;
                not_for("path", self.path.is_some())?;
                not_for("username", self.username.is_some())?;
                let Some(url) = self.url.clone() else {
                    return bad("url", "required for an mlflow source");
                };
                let page_size = self.page_size.unwrap_or(1000);
                if !(1..=1000).contains(&page_size) {
                    return bad("page_size", "must be between 1 and 1000");
                }
                SourceDetail::Mlflow {
                    url,
                    token_env: self.token_env.clone(),
                    page_size,
                    full_every: self.full_every.unwrap_or(Duration::from_secs(86_400)),
                    visibility: self.visibility.unwrap_or_default(),
                }
            }
            SourceKind::Git => {
                not_for("url", self.url.is_some())?;
                not_for("path", self.path.is_some())?;
                not_for("page_size", self.page_size.is_some())?;
                not_for("full_every", self.full_every.is_some())?;
                if self.repositories.is_empty() {
                    return bad("repositories", "a git source needs at least one repository");
                }
                let mut repositories: Vec<Repository> = Vec::new();
                for (j, r) in self.repositories.iter().enumerate() {
                    let here = format!("repositories[{j}]");
                    if !matches!(r.url.scheme(), "file" | "https" | "http") {
                        return bad(&format!("{here}.url"), "use a file:// or https:// URL");
                    }
                    let name = match &r.name {
                        Some(n) => n.clone(),
                        None => {
                            let last = r
                                .url
                                .path_segments()
                                .and_then(|mut s| s.rfind(|p| !p.is_empty()))
                                .unwrap_or_default()
                                .trim_end_matches(".git");
                            match Slug::parse(crate::sources::slugify(last)) {
                                Ok(s) => s,
                                Err(_) => {
                                    return bad(
                                        &format!("{here}.name"),
                                        "cannot be derived from the URL: set it",
                                    );
                                }
                            }
                        }
                    };
                    if repositories.iter().any(|o| o.name == name) {
                        return bad(
                            &format!("{here}.name"),
                            &format!("`{name}` names another repository of this source"),
                        );
                    }
                    repositories.push(Repository {
                        url: r.url.clone(),
                        branch: r.branch.clone(),
                        name,
                        visibility: r.visibility.or(self.visibility),
                    });
                }
                SourceDetail::Git {
                    repositories,
                    token_env: self.token_env.clone(),
                    username: self.username.clone().unwrap_or_else(|| "oauth2".into()),
                }
            }
            SourceKind::Folder => {
                not_for("url", self.url.is_some())?;
                not_for("repositories", !self.repositories.is_empty())?;
                not_for("token_env", self.token_env.is_some())?;
                not_for("page_size", self.page_size.is_some())?;
                not_for("full_every", self.full_every.is_some())?;
                let Some(path) = self.path.clone() else {
                    return bad("path", "required for a folder source");
                };
                SourceDetail::Folder {
                    path,
                    visibility: self.visibility,
                }
            }
        };
        Ok(SourceDef {
            name: self.name.clone(),
            kind: detail,
            interval: self.interval.unwrap_or(interval),
            release,
        })
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
