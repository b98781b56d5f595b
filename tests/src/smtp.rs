//! A real SMTP server for end-to-end tests: Python's `aiosmtpd` (installed into a cached
//! virtual environment on first use) running `peers/smtp/server.py` on a loopback port,
//! storing each message it accepts. It can be stopped and started again on the same port
//! and folder, to test a server that is down for a while.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{free_port, python_venv};

/// The aiosmtpd release the tests run against.
pub const AIOSMTPD: &str = "aiosmtpd==1.4.6";

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub content_type: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Received {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct SmtpServer {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub async fn start() -> Self {
        Self::with_env(&[]).await
    }

    /// Starts a server with extra environment (`KILL_PID_FILE`, `SINK`).
    pub async fn with_env(env: &[(&str, &str)]) -> Self {
        let mut server = Self::stopped(env);
        server.restart().await;
        server
    }

    /// A server that is not running yet: its port is chosen, nothing listens there.
    pub fn stopped(env: &[(&str, &str)]) -> Self {
        Self {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().expect("a temporary folder"),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Starts (again) on the same port and folder and waits until it accepts connections.
    pub async fn restart(&mut self) {
        self.stop();
        let bin = python_venv("aiosmtpd", &[AIOSMTPD]);
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/smtp/server.py");
        let mut command = Command::new(bin.join("python"));
        command
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(crate::peer_stderr());
        for (k, v) in &self.env {
            command.env(k, v);
        }
        self.child = Some(command.spawn().expect("the SMTP server starts"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the SMTP server did not listen within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server (SIGTERM, then waits); what it stored stays.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("the server's folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let v: Value = serde_json::from_slice(&std::fs::read(&p).expect("a message"))
                    .expect("a JSON summary");
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                Received {
                    rcpt: v["rcpt"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|r| r.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default(),
                    headers: v["headers"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|h| {
                                    (
                                        h[0].as_str().unwrap_or_default().to_string(),
                                        h[1].as_str().unwrap_or_default().to_string(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    content_type: s("content_type"),
                    text: s("text"),
                    html: s("html"),
                    raw: std::fs::read_to_string(p.with_extension("eml")).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Messages counted by a `SINK=1` server (written at least every 100 and on stop).
    pub fn sink_count(&self) -> u64 {
        std::fs::read_to_string(self.dir.path().join("count"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
