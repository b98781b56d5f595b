//! Reading the layers (defaults, the file, `AGORA_…` variables) and the checks across keys.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};

use super::{Config, Secret};
use crate::error::Error;

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
        // `__` separates nested keys: `AGORA_DIGEST__SMTP__HOST` is `digest.smtp.host`.
        figment = figment.merge(Env::prefixed("AGORA_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            // Client secrets are read per provider below; `AGORA_AGENT_…` belongs to an
            // agent running beside the hub.
            key != "config" && !key.starts_with("oidc_") && !key.starts_with("agent_")
        }));
        let mut config: Config = figment
            .extract()
            .map_err(|e| Error::Config(config_error(e)))?;
        config.check()?;
        for provider in &mut config.oidc.providers {
            if provider.client_secret.is_none() {
                provider.client_secret = std::env::var(provider.secret_variable())
                    .ok()
                    .filter(|s| !s.is_empty())
                    .map(Secret::new);
            }
        }
        Ok(config)
    }

    /// Checks what types alone cannot say, naming the key at fault.
    fn check(&self) -> Result<(), Error> {
        if let Some(url) = &self.public_url
            && !matches!(url.scheme(), "http" | "https")
        {
            return Err(Error::Config("`public_url`: must be an http(s) URL".into()));
        }
        if self.session_ttl == 0 || self.session_idle_timeout == 0 {
            return Err(Error::Config(
                "`session_ttl` and `session_idle_timeout` must be positive (seconds)".into(),
            ));
        }
        if self.job_lease_seconds == 0
            || self.job_heartbeat_seconds == 0
            || self.job_heartbeat_seconds >= self.job_lease_seconds
        {
            return Err(Error::Config(
                "`job_heartbeat_seconds` must be positive and below `job_lease_seconds`".into(),
            ));
        }
        if self.job_max_attempts == 0 || self.job_reaper_seconds == 0 {
            return Err(Error::Config(
                "`job_max_attempts` and `job_reaper_seconds` must be positive".into(),
            ));
        }
        if let Some(metrics) = self.metrics_listen
            && metrics == self.listen
        {
            return Err(Error::Config(
                "`metrics_listen`: must differ from `listen` (metrics are not public)".into(),
            ));
        }
        if self.job_max_wait_seconds > 300 {
            return Err(Error::Config(
                "`job_max_wait_seconds` must be at most 300".into(),
            ));
        }
        self.digest.check()?;
        self.oidc.check()?;
        Ok(())
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
