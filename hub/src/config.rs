//! Settings, from layers: built-in defaults, then a TOML file, then `AGORA_…` variables.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::error::Error;

pub use crate::catalog::config::CatalogConfig;
pub use crate::digest::config::{DigestConfig, SmtpConfig, SmtpSecurity};

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

/// OpenID Connect providers people sign in with.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    pub providers: Vec<ProviderConfig>,
}

/// One OpenID provider (Keycloak, an Onyxia realm, Azure AD...).
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short name used in URLs: `/auth/login/<name>`, `/auth/callback/<name>`.
    pub name: String,
    /// Shown on the sign-in page.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The issuer URL; its `/.well-known/openid-configuration` is read on first use.
    pub issuer: String,
    pub client_id: String,
    /// The client secret. Prefer the variable `AGORA_OIDC_<NAME>_CLIENT_SECRET` (name upper
    /// case, `-` as `_`), which is read when this key is absent.
    #[serde(default)]
    pub client_secret: Option<Secret>,
    /// Scopes asked for besides `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// A claim that holds the user's organisation slug (such as `organisation`).
    #[serde(default)]
    pub organisation_claim: Option<String>,
    /// E-mail domain → organisation slug, used when the claim is absent.
    #[serde(default)]
    pub email_domains: BTreeMap<String, String>,
    /// The claim listing the user's groups.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// Groups whose members are hub administrators.
    #[serde(default)]
    pub admin_groups: Vec<String>,
    /// Group → organisation slug whose stewards its members are.
    #[serde(default)]
    pub steward_groups: BTreeMap<String, String>,
    /// A group pattern such as `agora-stewards-{organisation}`: members of
    /// `agora-stewards-inegi` are stewards of `inegi`.
    #[serde(default)]
    pub steward_group_pattern: Option<String>,
}

fn default_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

fn default_groups_claim() -> String {
    "groups".into()
}

impl ProviderConfig {
    /// The label on the sign-in page.
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// The environment variable read for the client secret when the file has none.
    pub fn secret_variable(&self) -> String {
        format!(
            "AGORA_OIDC_{}_CLIENT_SECRET",
            self.name.to_ascii_uppercase().replace('-', "_")
        )
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
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
        let mut names = std::collections::HashSet::new();
        for (i, p) in self.oidc.providers.iter().enumerate() {
            let key = format!("oidc.providers[{i}]");
            let slug_like = !p.name.is_empty()
                && p.name.len() <= 40
                && p.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !slug_like {
                return Err(Error::Config(format!(
                    "`{key}.name`: use lower-case letters, digits and `-` (it appears in URLs)"
                )));
            }
            if !names.insert(p.name.as_str()) {
                return Err(Error::Config(format!(
                    "`{key}.name`: provider `{}` is configured twice",
                    p.name
                )));
            }
            match url::Url::parse(&p.issuer) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => {
                    return Err(Error::Config(format!(
                        "`{key}.issuer`: must be the provider's http(s) issuer URL"
                    )));
                }
            }
            if p.client_id.is_empty() {
                return Err(Error::Config(format!(
                    "`{key}.client_id`: must not be empty"
                )));
            }
            if let Some(pattern) = &p.steward_group_pattern
                && !pattern.contains("{organisation}")
            {
                return Err(Error::Config(format!(
                    "`{key}.steward_group_pattern`: must contain `{{organisation}}`"
                )));
            }
        }
        Ok(())
    }

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
    fn providers_are_read_from_the_file_and_secrets_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "hub.toml",
                r#"
public_url = "https://agora.example.org"
[[oidc.providers]]
name = "keycloak"
issuer = "https://sso.example.org/realms/agora"
client_id = "agora-hub"
admin_groups = ["agora-admins"]
email_domains = { "insee.fr" = "insee" }
"#,
            )?;
            jail.set_env("AGORA_OIDC_KEYCLOAK_CLIENT_SECRET", "s3cret");
            let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
            let p = &c.oidc.providers[0];
            assert_eq!(p.client_secret.as_ref().unwrap().expose(), "s3cret");
            assert_eq!(p.groups_claim, "groups");
            assert_eq!(p.email_domains["insee.fr"], "insee");
            assert!(c.secure_cookies());
            assert!(!format!("{c:?}").contains("s3cret"));
            Ok(())
        });
    }

    #[test]
    fn a_bad_provider_name_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "hub.toml",
                "[[oidc.providers]]\nname = \"Key Cloak\"\nissuer = \"https://x.org\"\nclient_id = \"a\"\n",
            )?;
            let err = Config::load(Some(Path::new("hub.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("oidc.providers[0].name"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn cookies_are_secure_unless_plain_http_on_loopback() {
        let mut c = Config::default();
        assert!(!c.secure_cookies(), "http://127.0.0.1:8080");
        c.public_url = Some(url::Url::parse("http://localhost:8080").unwrap());
        assert!(!c.secure_cookies());
        c.public_url = Some(url::Url::parse("http://agora.example.org").unwrap());
        assert!(c.secure_cookies());
        c.public_url = Some(url::Url::parse("https://127.0.0.1:8443").unwrap());
        assert!(c.secure_cookies());
    }

    #[test]
    fn passwords_stay_out_of_logs() {
        let c = Config {
            database_url: "postgres://agora:s3cret@db:5432/agora".into(),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn digest_settings_nest_in_the_file_and_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "hub.toml",
                "[digest]\nfrom = \"Agora <digest@agora.example.org>\"\n[digest.smtp]\nhost = \"smtp.example.org\"\nsecurity = \"tls\"\nusername = \"agora\"\n",
            )?;
            jail.set_env(
                "AGORA_DIGEST__SECRET",
                "0123456789abcdef0123456789abcdef-s3cret",
            );
            jail.set_env("AGORA_DIGEST__SMTP__PASSWORD", "p4ssw0rd");
            jail.set_env("AGORA_DIGEST__INTERVAL_SECS", "30");
            let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
            assert_eq!(c.digest.smtp.host, "smtp.example.org");
            assert_eq!(c.digest.smtp.security, SmtpSecurity::Tls);
            assert_eq!(c.digest.smtp.port(), 465);
            assert_eq!(c.digest.interval_secs, 30);
            assert_eq!(
                c.digest.smtp.password.as_ref().unwrap().expose(),
                "p4ssw0rd"
            );
            let shown = format!("{c:?}");
            assert!(
                !shown.contains("s3cret") && !shown.contains("p4ssw0rd"),
                "{shown}"
            );
            Ok(())
        });
    }

    #[test]
    fn bad_digest_settings_are_named() {
        figment::Jail::expect_with(|jail| {
            for (file, key) in [
                ("[digest]\nsecret = \"short\"\n", "digest.secret"),
                ("[digest]\nfrom = \"not an address\"\n", "digest.from"),
                ("[digest]\nconcurrency = 0\n", "digest.concurrency"),
                (
                    "[digest.smtp]\nsecurity = \"ssl\"\n",
                    "digest.smtp.security",
                ),
                ("[digest.smtp]\npassword = \"x\"\n", "digest.smtp.username"),
            ] {
                jail.create_file("hub.toml", file)?;
                let err = Config::load(Some(Path::new("hub.toml")))
                    .unwrap_err()
                    .to_string();
                assert!(err.contains(key), "{file}: {err}");
            }
            Ok(())
        });
    }

    #[test]
    fn metrics_are_off_unless_given_their_own_address() {
        figment::Jail::expect_with(|jail| {
            let c = Config::load(None).unwrap();
            assert_eq!(c.metrics_listen, None);
            jail.set_env("AGORA_METRICS_LISTEN", "127.0.0.1:9464");
            let c = Config::load(None).unwrap();
            assert_eq!(c.metrics_listen.unwrap().port(), 9464);
            jail.set_env("AGORA_METRICS_LISTEN", "127.0.0.1:8080");
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("`metrics_listen`"), "{err}");
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
}
