//! Running the real `agora-agent` binary with a configuration written for the test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::binary;

/// An agent's folder: its configuration file and spool.
pub struct AgentHome {
    pub dir: tempfile::TempDir,
    pub token: String,
}

impl AgentHome {
    /// Writes `agent.toml`: the hub, the organisation, the spool folder, then `sources`
    /// (TOML for `[[sources]]` tables).
    pub fn new(hub_url: &str, token: &str, organisation: &str, sources: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = format!(
            "hub_url = \"{hub_url}\"\norganisation = \"{organisation}\"\nspool_dir = \"{}\"\n\
             request_timeout = \"20s\"\nmax_backoff = \"1s\"\n{sources}",
            dir.path().join("spool").display()
        );
        std::fs::write(dir.path().join("agent.toml"), config).expect("write agent.toml");
        Self {
            dir,
            token: token.to_string(),
        }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("agent.toml")
    }

    pub fn spool(&self) -> PathBuf {
        self.dir.path().join("spool/spool")
    }

    /// Files waiting in the spool.
    pub fn spooled(&self) -> usize {
        count_json(&self.spool())
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(binary("agora-agent"));
        c.arg("--config")
            .arg(self.config())
            .args(args)
            .env("AGORA_AGENT_TOKEN", &self.token)
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
            );
        c
    }

    /// Runs the agent to the end (off the async runtime's threads).
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut command = self.command(args);
        tokio::task::spawn_blocking(move || command.output().expect("agora-agent runs"))
            .await
            .expect("the agent's thread")
    }

    /// Starts the agent in the background.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("agora-agent starts")
    }
}

fn count_json(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

/// The value of `name=` in the agent's summary lines, such as `added` in the `hub` line.
pub fn summary_value(stdout: &[u8], line_start: &str, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(stdout);
    let line = text.lines().find(|l| l.starts_with(line_start))?;
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .map(str::to_string)
}

/// Summary value as a number (0 when missing).
pub fn summary_number(stdout: &[u8], line_start: &str, name: &str) -> u64 {
    summary_value(stdout, line_start, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The JSON lines of `sync --json` or `dry-run --json` with this `event` (`refused`,
/// `warning`, `waiting`, `source`, `hub`). Every line of such output is JSON.
pub fn json_events(stdout: &[u8], event: &str) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{l}: {e}"))
        })
        .filter(|v| v["event"] == event)
        .collect()
}

/// Prints an agent's output, for failing assertions.
pub fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Makes a git repository in `dir` with `files` committed on `main`; returns the commit id.
pub fn git_commit(dir: &Path, files: &[(&str, &str)], message: &str) -> String {
    if !dir.join(".git").exists() {
        std::fs::create_dir_all(dir).expect("repository folder");
        git(dir, &["init", "-q", "-b", "main"]);
    }
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("folders");
        std::fs::write(&file, text).expect("write a file");
    }
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
        ],
    );
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs git in `dir`, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
