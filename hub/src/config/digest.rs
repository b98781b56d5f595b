//! Digest settings: `[digest]` and `[digest.smtp]` in the TOML file, or
//! `AGORA_DIGEST__<KEY>` / `AGORA_DIGEST__SMTP__<KEY>` in the environment.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Secret;
use crate::error::Error;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
    #[default]
    Starttls,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

/// The SMTP server digests are handed to.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// Host name of the server (`AGORA_DIGEST__SMTP__HOST`); also the name checked in
    /// its TLS certificate.
    pub host: String,
    /// Port (`AGORA_DIGEST__SMTP__PORT`); defaults to 465 for `tls`, 587 for `starttls`
    /// and 25 for `none`.
    pub port: Option<u16>,
    /// `tls`, `starttls` or `none` (`AGORA_DIGEST__SMTP__SECURITY`).
    pub security: SmtpSecurity,
    /// User name for SMTP authentication (`AGORA_DIGEST__SMTP__USERNAME`); none: no AUTH.
    pub username: Option<String>,
    /// Password for SMTP authentication (`AGORA_DIGEST__SMTP__PASSWORD`).
    pub password: Option<Secret>,
    /// Seconds to wait for the server at each step (`AGORA_DIGEST__SMTP__TIMEOUT_SECS`).
    pub timeout_secs: u64,
    /// Connections kept open to the server (`AGORA_DIGEST__SMTP__MAX_CONNECTIONS`).
    pub max_connections: u32,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: None,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            timeout_secs: 30,
            max_connections: 4,
        }
    }
}

impl SmtpConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Tls => 465,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::None => 25,
        })
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port())
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("timeout_secs", &self.timeout_secs)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// Digest settings.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DigestConfig {
    /// Run the digest scheduler inside `serve` (`AGORA_DIGEST__ENABLED`). Several replicas
    /// may all run it: rows are claimed with `FOR UPDATE SKIP LOCKED`.
    pub enabled: bool,
    /// Seconds between two rounds of the scheduler (`AGORA_DIGEST__INTERVAL_SECS`).
    pub interval_secs: u64,
    /// Key of the HMAC that signs unsubscribe links and derives Message-IDs
    /// (`AGORA_DIGEST__SECRET`; at least 32 characters). Required to send; changing it
    /// invalidates links in digests already sent.
    pub secret: Option<Secret>,
    /// The `From:` address (`AGORA_DIGEST__FROM`), such as `Agora <digest@agora.example.org>`.
    pub from: String,
    /// Messages handed to SMTP at once (`AGORA_DIGEST__CONCURRENCY`).
    pub concurrency: usize,
    /// Attempts before a message that keeps failing transiently is given up
    /// (`AGORA_DIGEST__MAX_ATTEMPTS`).
    pub max_attempts: i32,
    /// Wait before the first retry, in seconds; doubled at each attempt
    /// (`AGORA_DIGEST__RETRY_BASE_SECS`).
    pub retry_base_secs: u64,
    /// Longest wait between retries, in seconds (`AGORA_DIGEST__RETRY_MAX_SECS`).
    pub retry_max_secs: u64,
    /// An agent unseen for this many hours counts as silent (`AGORA_DIGEST__SILENT_AFTER_HOURS`).
    pub silent_after_hours: u32,
    pub smtp: SmtpConfig,
}

impl Default for DigestConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_secs: 60,
            secret: None,
            from: "Agora <digest@localhost>".into(),
            concurrency: 4,
            max_attempts: 10,
            retry_base_secs: 60,
            retry_max_secs: 6 * 3600,
            silent_after_hours: 72,
            smtp: SmtpConfig::default(),
        }
    }
}

impl fmt::Debug for DigestConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DigestConfig")
            .field("enabled", &self.enabled)
            .field("interval_secs", &self.interval_secs)
            .field("secret", &self.secret)
            .field("from", &self.from)
            .field("concurrency", &self.concurrency)
            .field("max_attempts", &self.max_attempts)
            .field("retry_base_secs", &self.retry_base_secs)
            .field("retry_max_secs", &self.retry_max_secs)
            .field("silent_after_hours", &self.silent_after_hours)
            .field("smtp", &self.smtp)
            .finish()
    }
}

impl DigestConfig {
    /// Checks what types alone cannot say, naming the key at fault.
    pub fn check(&self) -> Result<(), Error> {
        let bad = |key: &str, why: &str| Err(Error::Config(format!("`digest.{key}`: {why}")));
        if self.interval_secs == 0 {
            return bad("interval_secs", "must be positive (seconds)");
        }
        if self.concurrency == 0 || self.concurrency > 64 {
            return bad("concurrency", "must be between 1 and 64");
        }
        if self.max_attempts < 1 {
            return bad("max_attempts", "must be at least 1");
        }
        if self.retry_base_secs == 0 || self.retry_max_secs < self.retry_base_secs {
            return bad(
                "retry_base_secs",
                "must be positive and at most `retry_max_secs`",
            );
        }
        if let Some(secret) = &self.secret
            && secret.expose().len() < 32
        {
            return bad("secret", "must be at least 32 characters");
        }
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            return bad(
                "from",
                "must be an address such as `Agora <digest@example.org>`",
            );
        }
        if self.smtp.host.is_empty() {
            return bad("smtp.host", "must not be empty");
        }
        if self.smtp.password.is_some() && self.smtp.username.is_none() {
            return bad("smtp.username", "is needed when a password is set");
        }
        if self.smtp.max_connections == 0 {
            return bad("smtp.max_connections", "must be positive");
        }
        Ok(())
    }

    /// The signing key, or a configuration error naming the key to set.
    pub fn secret(&self) -> Result<&[u8], Error> {
        self.secret
            .as_ref()
            .map(|s| s.expose().as_bytes())
            .ok_or_else(|| {
                Error::Config(
                    "`digest.secret` is not set (AGORA_DIGEST__SECRET): digests need it to \
                     sign unsubscribe links"
                        .into(),
                )
            })
    }
}
