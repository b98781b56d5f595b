//! The agent's settings: a TOML file, then `AGORA_AGENT_…` environment variables.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};

/// The agent's settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// The hub's base URL, such as `https://agora.example.org`.
    pub hub_url: Url,
    /// The agent token printed once by `agora-hub agent create`
    /// (better set as `AGORA_AGENT_TOKEN` than written in the file).
    #[serde(default)]
    pub token: Option<String>,
    /// Folder for batches waiting while the hub is unreachable, and the sync state.
    #[serde(default = "default_spool_dir")]
    pub spool_dir: PathBuf,
}

fn default_spool_dir() -> PathBuf {
    PathBuf::from("/var/lib/agora-agent")
}

impl AgentConfig {
    /// Loads the file and applies environment overrides; errors name the key.
    pub fn load(file: &Path) -> Result<Self> {
        if !file.exists() {
            return Err(Error::Config(format!(
                "configuration file {} does not exist",
                file.display()
            )));
        }
        Figment::from(Toml::file(file))
            .merge(Env::prefixed("AGORA_AGENT_").filter(|k| k != "config"))
            .extract()
            .map_err(|e| {
                Error::Config(
                    e.into_iter()
                        .map(|e| match e.path.join(".") {
                            key if key.is_empty() => e.kind.to_string(),
                            key => format!("`{key}`: {}", e.kind),
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })
    }
}

impl fmt::Debug for AgentConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentConfig")
            .field("hub_url", &self.hub_url.as_str())
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("spool_dir", &self.spool_dir)
            .finish()
    }
}

#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_secrets_stay_hidden() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("agent.toml", "hub_url = \"http://127.0.0.1:8080\"\n")?;
            jail.set_env("AGORA_AGENT_TOKEN", "agt_secret");
            let c = AgentConfig::load(Path::new("agent.toml")).unwrap();
            assert_eq!(c.token.as_deref(), Some("agt_secret"));
            assert!(!format!("{c:?}").contains("agt_secret"));
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_its_key() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("agent.toml", "hub_url = \"not a url\"\n")?;
            let err = AgentConfig::load(Path::new("agent.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("`hub_url`"), "{err}");
            jail.create_file("agent.toml", "hub_url = \"http://h\"\nspool = \"/x\"\n")?;
            let err = AgentConfig::load(Path::new("agent.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("spool"), "{err}");
            Ok(())
        });
    }
}
