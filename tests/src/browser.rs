//! A real browser for page tests: Debian's `chromium` driven headless through
//! `chromedriver` (package `chromium-driver`) with the WebDriver protocol. The driver runs
//! on a free loopback port with a fresh profile and is stopped on drop. The browser's
//! console is read through chromedriver's log endpoint, and Chrome DevTools commands (such
//! as emulating a dark colour scheme) through its CDP endpoint.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use crate::free_port;

/// Where a program is, from the usual places or `PATH`.
fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain(["/usr/bin".into(), "/usr/lib/chromium".into()])
        .collect();
    names
        .iter()
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// A running chromedriver with one browser session.
pub struct Browser {
    driver: Child,
    driver_url: String,
    session: String,
    pub client: Client,
    _profile: tempfile::TempDir,
    http: reqwest::Client,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session with console logging on.
    pub async fn start() -> Self {
        let driver = find(&["chromedriver"]).expect(
            "chromedriver is missing: install Debian's chromium and chromium-driver \
             (deploy/local/test.sh does it)",
        );
        let chromium = find(&["chromium", "chromium-browser"]).expect("chromium is missing");
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver_url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let status = http.get(format!("{driver_url}/status")).send().await;
            if let Ok(r) = status
                && let Ok(body) = r.json::<Value>().await
                && body["value"]["ready"] == true
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a profile folder");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--hide-scrollbars",
                    "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let capabilities = match capabilities {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object"),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver_url)
            .await
            .expect("a browser session");
        let session = client
            .session_id()
            .await
            .expect("the session id")
            .expect("a session");
        Self {
            driver: child,
            driver_url,
            session,
            client,
            _profile: profile,
            http,
        }
    }

    /// Calls one of chromedriver's own endpoints of this session.
    async fn driver_call(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}/{path}", self.driver_url, self.session);
        let reply: Value = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("a JSON answer");
        reply["value"].clone()
    }

    /// The browser console's entries since the last call: (level, message).
    pub async fn console(&self) -> Vec<(String, String)> {
        let entries = self.driver_call("se/log", json!({"type": "browser"})).await;
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
                        (text("level"), text("message"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Runs a Chrome DevTools Protocol command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.driver_call("goog/cdp/execute", json!({"cmd": cmd, "params": params}))
            .await
    }

    /// Saves a PNG of the whole page (up to 6000 pixels tall) under `dir`.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        use base64::Engine;
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().unwrap_or(1280.0);
        let height = size["height"].as_f64().unwrap_or(1000.0).min(6000.0);
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true,
                       "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}),
            )
            .await;
        let png = match shot["data"].as_str() {
            Some(data) => base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("a base64 PNG"),
            None => self.client.screenshot().await.expect("a screenshot"),
        };
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("the screenshot is written");
        path
    }

    /// Ends the browser session; the driver stops on drop.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The folder for one test's screenshots: `walk` under `AGORA_SCREENSHOT_DIR`, or under
/// `browser-screenshots` in the build's target folder. Emptied first; each test has its
/// own, so tests running at once keep each other's.
pub fn screenshot_dir(walk: &str) -> PathBuf {
    let dir = std::env::var_os("AGORA_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().expect("the test knows where it runs");
            // target/<profile>/deps/<test>
            let target = exe
                .ancestors()
                .nth(3)
                .map(Path::to_path_buf)
                .unwrap_or_else(std::env::temp_dir);
            target.join("browser-screenshots")
        })
        .join(walk);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

/// Pinned: the axe-core release the pages are checked with.
const AXE_CORE: &str = "axe-core@4.14.1";

/// axe-core's browser script, from npm, installed on first use into
/// `~/.cache/agora/axe-core`.
pub fn axe_source() -> String {
    let dir = crate::cache_dir("axe-core");
    std::fs::create_dir_all(&dir).expect("cache folder");
    let lock = std::fs::File::create(dir.with_extension("lock")).expect("lock file");
    lock.lock().expect("lock the axe-core folder");
    let stamp = dir.join(".installed");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(AXE_CORE) || !script.exists() {
        eprintln!("installing npm's {AXE_CORE} into {}", dir.display());
        let status = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir)
            .arg(AXE_CORE)
            .status()
            .expect("npm runs (install Debian's nodejs and npm)");
        assert!(status.success(), "npm install {AXE_CORE} failed");
        std::fs::write(&stamp, AXE_CORE).expect("write the install stamp");
    }
    let _ = lock.unlock();
    std::fs::read_to_string(&script).expect("axe.min.js")
}

impl Browser {
    /// Runs axe-core on the current page and returns its violations, one line each: the
    /// rule, its impact and the elements it found.
    pub async fn axe(&self, source: &str) -> Vec<String> {
        let script = format!(
            "{source}\n;const done = arguments[arguments.length - 1]; \
             axe.run(document, {{resultTypes: ['violations']}}).then(r => done(r.violations.map(v => \
               v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')))) \
             .catch(e => done(['axe failed: ' + e]));"
        );
        let found = self
            .client
            .execute_async(&script, vec![])
            .await
            .expect("axe-core runs");
        serde_json::from_value(found).expect("a list of violations")
    }
}
