//! Helpers for end-to-end tests: fresh databases, the real `agora-hub` and `agora-agent`
//! binaries and real peers (an OpenID provider) started as processes on free ports and
//! stopped on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

pub mod agent;
pub mod browser;
pub mod faults;
pub mod jobs;
pub mod mlflow;
pub mod postgres;
pub mod prometheus;
pub mod proxy;
pub mod smtp;

/// The path of a workspace binary built next to the running test.
/// Where a peer's (an OpenID provider's, an SMTP server's, Prometheus's) standard error
/// goes: the test's own with `TEST_LOG` set, else nowhere.
pub fn peer_stderr() -> Stdio {
    if std::env::var_os("TEST_LOG").is_some() {
        Stdio::inherit()
    } else {
        Stdio::null()
    }
}

pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows where it runs");
    // target/<profile>/deps/<test> -> target/<profile>/<name>; a binary of this crate
    // (the benchmark) lives in target/<profile> itself.
    let parent = exe.parent().expect("binaries live in a folder");
    let dir = if parent.ends_with("deps") {
        parent
            .parent()
            .expect("test binaries live in target/<profile>/deps")
    } else {
        parent
    };
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build --workspace --bins`)",
        path.display()
    );
    path
}

/// The server that `DATABASE_URL` points at (as for `sqlx::test`).
fn server_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A database made for one test and dropped afterwards.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn create() -> Self {
        let admin = server_url();
        let name = format!("agora_e2e_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("DATABASE_URL reaches PostgreSQL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create the test database");
        let url = with_database(&admin, &name);
        Self { name, url }
    }

    pub async fn drop_now(self) {
        if let Ok(mut conn) = PgConnection::connect(&server_url()).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )))
            .execute(&mut conn)
            .await;
        }
    }
}

/// Replaces the database name in a PostgreSQL URL (keeping any query string).
fn with_database(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("DATABASE_URL is a URL");
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Runs `agora-hub` with the given arguments against a database and waits for it.
pub fn hub_command(database_url: &str, args: &[&str]) -> Output {
    Command::new(binary("agora-hub"))
        .args(args)
        .env("AGORA_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("agora-hub runs")
}

/// A running `agora-hub serve`, killed on drop.
pub struct Hub {
    child: Child,
    pub base_url: String,
    /// The hub's own search index folder, removed on drop.
    pub index_dir: PathBuf,
}

impl Hub {
    /// Starts the hub and waits until `/readyz` answers 200.
    pub async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, free_port(), None).await
    }

    /// Starts the hub on a chosen port, with a configuration file, and waits until
    /// `/readyz` answers 200.
    pub async fn start_with(
        database_url: &str,
        port: u16,
        config: Option<&std::path::Path>,
    ) -> Self {
        Self::start_with_env(database_url, port, config, &[]).await
    }

    /// Starts the hub with extra environment variables (settings such as
    /// `AGORA_JOB_LEASE_SECONDS`) and waits until `/readyz` answers 200.
    pub async fn start_with_env(
        database_url: &str,
        port: u16,
        config: Option<&std::path::Path>,
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = Command::new(binary("agora-hub"));
        command.envs(env.iter().copied());
        if let Some(path) = config {
            command.arg("--config").arg(path);
        }
        // Each hub keeps its own index: one folder has one writer.
        let index_dir =
            std::env::temp_dir().join(format!("agora-e2e-index-{}", uuid::Uuid::new_v4().simple()));
        // Quiet unless TEST_LOG is set: refusals the tests provoke are logged as warnings.
        let child = command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("AGORA_DATABASE_URL", database_url)
            .env("AGORA_INDEX_DIR", &index_dir)
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
            )
            .stdout(Stdio::null())
            .spawn()
            .expect("agora-hub starts");
        let hub = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            index_dir,
        };
        hub.wait_ready(Duration::from_secs(30)).await;
        hub
    }

    async fn wait_ready(&self, limit: Duration) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = client.get(format!("{}/readyz", self.base_url)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                started.elapsed() < limit,
                "the hub did not become ready within {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The process id, to stop the hub from a test (`kill -KILL`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits up to `limit` for the hub to exit: its exit status, or
    /// `None` if it still runs.
    pub async fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

/// Creates an agent with `agora-hub agent create` and returns its token.
pub fn create_agent(database_url: &str, org: &str, name: &str) -> String {
    let out = hub_command(
        database_url,
        &["agent", "create", "--org", org, "--name", name],
    );
    assert!(
        out.status.success(),
        "agent create failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// GET a JSON document from the hub.
/// A hub administrator's personal API token, made straight in the test database (as
/// `agora-hub user grant` and `/account` would): for reading what only administrators
/// and an organisation's people see, such as agents.
pub async fn admin_token(database_url: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut conn = PgConnection::connect(database_url)
        .await
        .expect("the test database answers");
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name) VALUES ('e2e-admin@hub.test', 'E2E administrator') \
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .fetch_one(&mut conn)
    .await
    .expect("administrator");
    sqlx::query("INSERT INTO user_roles (user_id, role, source) VALUES ($1, 'admin', 'hub') ON CONFLICT DO NOTHING")
        .bind(user)
        .execute(&mut conn)
        .await
        .expect("administrator role");
    let secret = format!("agp_e2e{}", uuid::Uuid::new_v4().simple());
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash) VALUES ($1, 'e2e', $2, $3)",
    )
    .bind(user)
    .bind(&secret[..12])
    .bind(Sha256::digest(secret.as_bytes()).to_vec())
    .execute(&mut conn)
    .await
    .expect("administrator token");
    secret
}

/// `GET url` with a bearer token, read as JSON.
pub async fn get_json_as(url: &str, token: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("the hub answers")
        .json()
        .await
        .expect("a JSON answer")
}

/// `POST url` of a JSON body with a bearer token, which must create (201).
pub async fn create_as(url: &str, token: &str, body: &serde_json::Value) {
    let reply = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the hub answers");
    let status = reply.status();
    assert_eq!(
        status,
        201,
        "{url}: {}",
        reply.text().await.unwrap_or_default()
    );
}

pub async fn get_json(url: &str) -> serde_json::Value {
    reqwest::get(url)
        .await
        .expect("the hub answers")
        .json()
        .await
        .expect("a JSON answer")
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.index_dir);
    }
}

/// The cache folder for test peers, `~/.cache/agora/<name>`.
pub(crate) fn cache_dir(name: &str) -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    PathBuf::from(home).join(".cache/agora").join(name)
}

/// A real OpenID provider (npm's `oidc-provider`, `tests/peers/oidc/provider.mjs`) on a
/// free loopback port, with the static client `agora-hub` / `agora-hub-secret` and the test
/// accounts alice, bruno and chris. Killed on drop.
///
/// The npm package is installed once (`npm ci`) into `~/.cache/agora/oidc-provider` and
/// reused while `package-lock.json` is unchanged.
pub struct OidcProvider {
    child: Child,
    pub issuer: String,
}

pub const OIDC_CLIENT_ID: &str = "agora-hub";
pub const OIDC_CLIENT_SECRET: &str = "agora-hub-secret";

impl OidcProvider {
    pub async fn start(redirect_uri: &str) -> Self {
        let dir = oidc_provider_dir();
        let port = free_port();
        let child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .current_dir(&dir)
            .env("PORT", port.to_string())
            .env("REDIRECT_URI", redirect_uri)
            .env("CLIENT_ID", OIDC_CLIENT_ID)
            .env("CLIENT_SECRET", OIDC_CLIENT_SECRET)
            .stdout(Stdio::null())
            .stderr(peer_stderr())
            .spawn()
            .expect("node runs (install Debian's nodejs and npm)");
        let provider = Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        };
        let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(&discovery).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the OpenID provider did not start within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        provider
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The provider's folder with its npm packages, installed on first use.
fn oidc_provider_dir() -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/oidc");
    let dir = cache_dir("oidc-provider");
    std::fs::create_dir_all(&dir).expect("cache folder");
    let lock = std::fs::File::create(dir.with_extension("lock")).expect("lock file");
    lock.lock().expect("lock the provider folder");
    let wanted =
        std::fs::read_to_string(source.join("package-lock.json")).expect("package-lock.json");
    let stamp = dir.join(".installed");
    for file in ["package.json", "package-lock.json", "provider.mjs"] {
        std::fs::copy(source.join(file), dir.join(file)).expect("copy the provider's files");
    }
    let installed = std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str())
        && dir.join("node_modules/oidc-provider").exists();
    if !installed {
        eprintln!("installing npm's oidc-provider into {}", dir.display());
        let status = Command::new("npm")
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir)
            .status()
            .expect("npm runs (install Debian's nodejs and npm)");
        assert!(status.success(), "npm ci failed in {}", dir.display());
        std::fs::write(&stamp, &wanted).expect("write the install stamp");
    }
    let _ = lock.unlock();
    dir
}

/// A Python virtual environment with `packages` installed, made on first use under
/// `~/.cache/agora/venvs/<name>` and reused afterwards. Returns its `bin` folder.
///
/// Real peers that come from PyPI (MLflow, aiosmtpd, validators) are started from these.
pub fn python_venv(name: &str, packages: &[&str]) -> PathBuf {
    let dir = cache_dir("venvs").join(name);
    let bin = dir.join("bin");
    let stamp = dir.join(".installed");
    let wanted = packages.join("\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return bin;
    }
    // Several tests may ask at once: one makes the environment, the others wait for it.
    let lock_path = dir.with_extension("lock");
    std::fs::create_dir_all(dir.parent().expect("venv folder has a parent")).expect("cache folder");
    let lock = std::fs::File::create(&lock_path).expect("lock file");
    lock.lock().expect("lock the venv");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        eprintln!(
            "creating the Python environment {} ({})",
            dir.display(),
            packages.join(", ")
        );
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&dir)
            .status()
            .expect("python3 runs");
        assert!(status.success(), "python3 -m venv failed");
        let status = Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(packages)
            .status()
            .expect("pip runs");
        assert!(status.success(), "pip install {packages:?} failed");
        std::fs::write(&stamp, &wanted).expect("write the venv stamp");
    }
    let _ = lock.unlock();
    bin
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres:///postgres?host=/var/run/postgresql", "x"),
            "postgres:///x?host=/var/run/postgresql"
        );
    }
}
