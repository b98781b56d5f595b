//! `[[sources]]`: where the agent reads items, as written in the file ([`SourceConfig`]),
//! and checked into what a listing uses ([`SourceDef`]); errors name the key, such as
//! `sources[1].repositories[0].url`.

use std::path::PathBuf;
use std::time::Duration;

use agora_schemas::{Slug, Visibility};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::release::Release;

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

impl SourceConfig {
    /// Checks the `i`-th source; `interval` is the global one, for a source that sets none.
    pub(crate) fn check(&self, i: usize, interval: Duration) -> Result<SourceDef> {
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
                            match Slug::parse(super::slugify(last)) {
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
