//! Helpers for end-to-end tests: fresh databases, and the real `agora-hub` and
//! `agora-agent` binaries started as processes on free ports and stopped on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

pub mod agent;
pub mod mlflow;
pub mod proxy;

/// The path of a workspace binary built next to the running test.
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
}

impl Hub {
    /// Starts the hub and waits until `/readyz` answers 200.
    pub async fn start(database_url: &str) -> Self {
        let port = free_port();
        let child = Command::new(binary("agora-hub"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("AGORA_DATABASE_URL", database_url)
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::null())
            .spawn()
            .expect("agora-hub starts");
        let hub = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
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
    }
}

/// A Python virtual environment with `packages` installed, made on first use under
/// `~/.cache/agora/venvs/<name>` and reused afterwards. Returns its `bin` folder.
///
/// Real peers that come from PyPI (MLflow, aiosmtpd, validators) are started from these.
pub fn python_venv(name: &str, packages: &[&str]) -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    let dir = PathBuf::from(home).join(".cache/agora/venvs").join(name);
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
