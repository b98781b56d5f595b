//! A real Prometheus server (Debian's `prometheus` package) scraping the binaries'
//! `/metrics` once a second, and queried through its HTTP API.
//!
//! The package is fetched with `apt-get download` and unpacked with `dpkg-deb -x` into
//! `~/.cache/agora/prometheus` on first use: only the binary is needed, and installing the
//! package would start a system service.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{cache_dir, free_port};

/// A Prometheus server on a free loopback port, killed on drop.
pub struct Prometheus {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    /// Starts Prometheus scraping `targets` (`host:port` of `/metrics` endpoints) every
    /// second as job `agora`, and waits until it is ready.
    pub async fn start(targets: &[&str]) -> Self {
        let binary = binary();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let list = targets
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n\
                 scrape_configs:\n  - job_name: agora\n    static_configs:\n      - targets: [{list}]\n"
            ),
        )
        .expect("write prometheus.yml");
        let port = free_port();
        let child = Command::new(&binary)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(crate::peer_stderr())
            .spawn()
            .expect("prometheus starts");
        let server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/-/ready", server.url)).send().await
                && r.status().is_success()
            {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "Prometheus did not become ready within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// An instant query: the `data.result` vector.
    pub async fn query(&self, promql: &str) -> Vec<Value> {
        let mut url = url::Url::parse(&format!("{}/api/v1/query", self.url)).expect("a URL");
        url.query_pairs_mut().append_pair("query", promql);
        let answer: Value = reqwest::Client::new()
            .get(url)
            .send()
            .await
            .expect("Prometheus answers")
            .json()
            .await
            .expect("a JSON answer");
        assert_eq!(answer["status"], "success", "{promql}: {answer}");
        answer["data"]["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The single value of a query (`None` when it has no result).
    pub async fn value(&self, promql: &str) -> Option<f64> {
        let result = self.query(promql).await;
        result.first()?["value"][1].as_str()?.parse().ok()
    }

    /// Polls `promql` until its value is `want`; fails after `limit` with the last value.
    pub async fn wait_for(&self, promql: &str, want: f64, limit: Duration) {
        let started = Instant::now();
        loop {
            let got = self.value(promql).await;
            if got == Some(want) {
                return;
            }
            assert!(
                started.elapsed() < limit,
                "{promql}: {got:?}, not {want}, after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Checks an exposition with `promtool check metrics` (the format and the naming
/// conventions: units, `_total` counters, help texts); panics with its findings.
pub fn lint(exposition: &str) {
    use std::io::Write;
    let promtool = binary().with_file_name("promtool");
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool runs");
    child
        .stdin
        .take()
        .expect("promtool's input")
        .write_all(exposition.as_bytes())
        .expect("write to promtool");
    let out = child.wait_with_output().expect("promtool ends");
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `prometheus` binary, unpacked from Debian's package on first use.
fn binary() -> PathBuf {
    let dir = cache_dir("prometheus");
    let path = dir.join("usr/bin/prometheus");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("cache folder");
    let lock = std::fs::File::create(dir.with_extension("lock")).expect("lock file");
    lock.lock().expect("lock the Prometheus folder");
    if !path.exists() {
        eprintln!(
            "fetching Debian's prometheus package into {}",
            dir.display()
        );
        let download = tempfile::tempdir().expect("a temporary folder");
        let fetch = || {
            Command::new("apt-get")
                .args(["download", "-qq", "prometheus"])
                .current_dir(download.path())
                .status()
                .is_ok_and(|s| s.success())
        };
        // A fresh machine may not have the package lists yet.
        if !fetch() {
            let updated = Command::new("apt-get")
                .args(["update", "-qq"])
                .status()
                .is_ok_and(|s| s.success());
            assert!(updated && fetch(), "apt-get download prometheus failed");
        }
        let deb = std::fs::read_dir(download.path())
            .expect("the download folder")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "deb"))
            .expect("a .deb file");
        let status = Command::new("dpkg-deb")
            .arg("-x")
            .arg(&deb)
            .arg(&dir)
            .status()
            .expect("dpkg-deb runs");
        assert!(status.success() && path.exists(), "dpkg-deb -x failed");
    }
    let _ = lock.unlock();
    path
}
