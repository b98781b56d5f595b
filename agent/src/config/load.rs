//! Reading the settings: the TOML file, then `AGORA_AGENT_…` variables over it (`__`
//! between levels), then the checks; every error names the key at fault.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Toml};

use super::AgentConfig;
use crate::error::{Error, Result};

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
}
