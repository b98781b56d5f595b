//! Settings, from layers: built-in defaults, then a TOML file, then `AGORA_…` variables.

mod catalog;
mod digest;
mod load;
mod oidc;
#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests;

pub use catalog::CatalogConfig;
pub use digest::{DigestConfig, SmtpConfig, SmtpSecurity};
pub use oidc::{OidcConfig, ProviderConfig};

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
    /// Address of the Prometheus endpoint `/metrics` (`AGORA_METRICS_LISTEN`), such as
    /// `0.0.0.0:9464` on a pod port the Service does not publish. Unset (the default), no
    /// metrics are served: they are never served on `listen`, where anyone could read them.
    pub metrics_listen: Option<SocketAddr>,
    /// Longest `serve` waits on SIGTERM for requests in flight and background work to
    /// finish before it exits anyway, in seconds (`AGORA_SHUTDOWN_GRACE_SECONDS`); keep it
    /// under the platform's own grace period (30 s on Kubernetes).
    pub shutdown_grace_seconds: u64,
    /// Largest request body accepted, in bytes (`AGORA_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// Most connections the hub opens to PostgreSQL (`AGORA_DATABASE_MAX_CONNECTIONS`).
    pub database_max_connections: u32,
    /// `text` or `json` (`AGORA_LOG_FORMAT`); the level comes from `RUST_LOG`.
    pub log_format: LogFormat,
    /// The address people and providers reach the hub at (`AGORA_PUBLIC_URL`); redirect
    /// URIs are built from it, and cookies are `Secure` unless it is plain-HTTP loopback.
    /// Defaults to `http://<listen>`.
    pub public_url: Option<url::Url>,
    /// Development sign-in as any user in the database, without a provider
    /// (`AGORA_DEV_LOGIN`). Refused unless `listen` is a loopback address.
    pub dev_login: bool,
    /// Longest life of a session, in seconds (`AGORA_SESSION_TTL`).
    pub session_ttl: u64,
    /// A session unused for this many seconds ends (`AGORA_SESSION_IDLE_TIMEOUT`).
    pub session_idle_timeout: u64,
    /// OpenID Connect sign-in.
    pub oidc: OidcConfig,
    /// Folder of the search index (`AGORA_INDEX_DIR`); disposable, rebuilt when missing.
    pub index_dir: PathBuf,
    /// Longest an agent's job lease request waits for a job, in seconds
    /// (`AGORA_JOB_MAX_WAIT_SECONDS`); agents asking for longer are capped here.
    pub job_max_wait_seconds: u32,
    /// How long a lease lasts without a report, in seconds (`AGORA_JOB_LEASE_SECONDS`).
    pub job_lease_seconds: u32,
    /// How often agents are asked to report on a job, in seconds
    /// (`AGORA_JOB_HEARTBEAT_SECONDS`); keep it well under the lease.
    pub job_heartbeat_seconds: u32,
    /// Leases a job may have before an expired one fails it (`AGORA_JOB_MAX_ATTEMPTS`).
    pub job_max_attempts: u32,
    /// How often expired leases are looked for, in seconds (`AGORA_JOB_REAPER_SECONDS`).
    pub job_reaper_seconds: u32,
    /// A job no agent leased within this many seconds expires (`AGORA_JOB_QUEUE_TIMEOUT_SECONDS`).
    pub job_queue_timeout_seconds: u64,
    /// E-mail digests: the scheduler, the signing secret and the SMTP server
    /// (`[digest]` in the file, `AGORA_DIGEST__<KEY>` and `AGORA_DIGEST__SMTP__<KEY>`).
    pub digest: DigestConfig,
    /// The DCAT-AP catalogue's title, description and publisher (`[catalog]` in the file,
    /// `AGORA_CATALOG__<KEY>`).
    pub catalog: CatalogConfig,
}

/// A secret setting: never shown by `Debug`.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "postgres://postgres@127.0.0.1:5432/agora".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            metrics_listen: None,
            shutdown_grace_seconds: 20,
            max_body_bytes: 2 * 1024 * 1024,
            database_max_connections: 16,
            log_format: LogFormat::Text,
            public_url: None,
            dev_login: false,
            session_ttl: 7 * 24 * 3600,
            session_idle_timeout: 12 * 3600,
            oidc: OidcConfig::default(),
            index_dir: PathBuf::from("data/index"),
            job_max_wait_seconds: 30,
            job_lease_seconds: 60,
            job_heartbeat_seconds: 15,
            job_max_attempts: 3,
            job_reaper_seconds: 5,
            job_queue_timeout_seconds: 7 * 24 * 3600,
            digest: DigestConfig::default(),
            catalog: CatalogConfig::default(),
        }
    }
}

impl Config {
    /// Where the hub is reached: `public_url`, else `http://<listen>`.
    pub fn public_url(&self) -> url::Url {
        self.public_url
            .clone()
            .or_else(|| url::Url::parse(&format!("http://{}", self.listen)).ok())
            .unwrap_or_else(|| url::Url::parse("http://127.0.0.1/").expect("a constant URL"))
    }

    /// Cookies carry `Secure` unless the hub is served over plain HTTP on loopback.
    pub fn secure_cookies(&self) -> bool {
        let url = self.public_url();
        !(url.scheme() == "http" && is_loopback_host(&url))
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

/// Whether a URL's host is `localhost` or a loopback address.
pub fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url_redacted())
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("shutdown_grace_seconds", &self.shutdown_grace_seconds)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("database_max_connections", &self.database_max_connections)
            .field("log_format", &self.log_format)
            .field("public_url", &self.public_url.as_ref().map(|u| u.as_str()))
            .field("dev_login", &self.dev_login)
            .field("session_ttl", &self.session_ttl)
            .field("session_idle_timeout", &self.session_idle_timeout)
            .field("oidc", &self.oidc)
            .field("index_dir", &self.index_dir)
            .field("job_max_wait_seconds", &self.job_max_wait_seconds)
            .field("job_lease_seconds", &self.job_lease_seconds)
            .field("job_heartbeat_seconds", &self.job_heartbeat_seconds)
            .field("job_max_attempts", &self.job_max_attempts)
            .field("job_reaper_seconds", &self.job_reaper_seconds)
            .field("job_queue_timeout_seconds", &self.job_queue_timeout_seconds)
            .field("digest", &self.digest)
            .field("catalog", &self.catalog)
            .finish()
    }
}
