//! Settings, from layers: built-in defaults, then a TOML file, then `AGORA_…` variables.

use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The hub's settings. Every key can be set in the TOML file or as `AGORA_<KEY>`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// PostgreSQL connection URL (`AGORA_DATABASE_URL`).
    pub database_url: String,
    /// Address the HTTP server listens on (`AGORA_LISTEN`).
    pub listen: SocketAddr,
    /// Largest request body accepted, in bytes (`AGORA_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// Most connections the hub opens to PostgreSQL (`AGORA_DATABASE_MAX_CONNECTIONS`).
    pub database_max_connections: u32,
    /// `text` or `json` (`AGORA_LOG_FORMAT`); the level comes from `RUST_LOG`.
    pub log_format: LogFormat,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "postgres://postgres@127.0.0.1:5432/agora".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 2 * 1024 * 1024,
            database_max_connections: 16,
            log_format: LogFormat::Text,
        }
    }
}

impl Config {
    /// Loads the settings; `file` is optional, and a missing file is an error only when named.
    pub fn load(file: Option<&Path>) -> Result<Self, Error> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(Error::Config(format!(
                    "configuration file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        // `AGORA_AGENT_…` belongs to an agent running beside the hub.
        figment = figment.merge(Env::prefixed("AGORA_").filter(|key| {
            key != "config" && !key.as_str().to_ascii_lowercase().starts_with("agent_")
        }));
        figment
            .extract()
            .map_err(|e| Error::Config(config_error(e)))
    }

    /// The database URL with any password replaced, fit for logs.
    pub fn database_url_redacted(&self) -> String {
        match url::Url::parse(&self.database_url) {
            Ok(mut u) if u.password().is_some() => {
                let _ = u.set_password(Some("***"));
                u.to_string()
            }
            Ok(u) => u.to_string(),
            Err(_) => "<unparseable database URL>".into(),
        }
    }
}

fn config_error(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if key.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("`{key}`: {}{source}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url_redacted())
            .field("listen", &self.listen)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("database_max_connections", &self.database_max_connections)
            .field("log_format", &self.log_format)
            .finish()
    }
}

#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_loopback() {
        figment::Jail::expect_with(|_| {
            let c = Config::load(None).unwrap();
            assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
            Ok(())
        });
    }

    #[test]
    fn environment_overrides_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "hub.toml",
                "listen = \"127.0.0.1:9000\"\nmax_body_bytes = 10\n",
            )?;
            jail.set_env("AGORA_LISTEN", "127.0.0.1:9100");
            let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
            assert_eq!(c.listen.port(), 9100);
            assert_eq!(c.max_body_bytes, 10);
            Ok(())
        });
    }

    #[test]
    fn a_wrong_key_or_value_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("hub.toml", "listen = \"nowhere\"\n")?;
            let err = Config::load(Some(Path::new("hub.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("`listen`"), "{err}");
            jail.create_file("hub.toml", "lisen = \"127.0.0.1:1\"\n")?;
            let err = Config::load(Some(Path::new("hub.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("lisen"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn an_agents_variables_beside_the_hub_are_not_the_hubs() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("AGORA_AGENT_TOKEN", "agt_x");
            jail.set_env("AGORA_LISTEN", "127.0.0.1:9100");
            let c = Config::load(None).unwrap();
            assert_eq!(c.listen.port(), 9100);
            Ok(())
        });
    }

    #[test]
    fn passwords_stay_out_of_logs() {
        let c = Config {
            database_url: "postgres://agora:s3cret@db:5432/agora".into(),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
