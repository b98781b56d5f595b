//! A real MLflow tracking server (with its model registry) for end-to-end tests: installed
//! into a cached virtual environment on first use, started on a free port with a SQLite
//! store in its own process group, and killed (the whole group) on drop.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{free_port, python_venv};

/// The MLflow release the tests run against.
pub const MLFLOW: &str = "mlflow==3.17.2";

pub struct Mlflow {
    child: Option<Child>,
    pub port: u16,
    pub db: PathBuf,
    _dir: Option<tempfile::TempDir>,
    http: reqwest::Client,
}

/// The `bin` folder of the MLflow virtual environment (made on first use, ~2 min).
pub fn venv() -> PathBuf {
    python_venv("mlflow", &[MLFLOW])
}

impl Mlflow {
    /// Starts a server on a fresh store and waits until it answers.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("mlflow.db");
        let mut server = Self::on_store(&db, free_port()).await;
        server._dir = Some(dir);
        server
    }

    /// Starts a server on an existing store (`mlflow.db`) and port, with one worker.
    pub async fn on_store(db: &Path, port: u16) -> Self {
        Self::on_store_with_workers(db, port, 1).await
    }

    /// Starts a server on an existing store with `workers` worker processes (`mlflow
    /// server` itself starts four).
    pub async fn on_store_with_workers(db: &Path, port: u16, workers: u16) -> Self {
        let bin = venv();
        let log = std::fs::File::create(db.with_extension("log")).expect("a log file");
        let mut command = Command::new(bin.join("mlflow"));
        command
            .args(["server", "--backend-store-uri"])
            .arg(format!("sqlite:///{}", db.display()))
            .arg("--default-artifact-root")
            .arg(db.with_file_name("artifacts"))
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--workers",
                &workers.to_string(),
            ])
            .current_dir(db.parent().expect("the store has a folder"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .process_group(0);
        let child = command.spawn().expect("mlflow server starts");
        let server = Self {
            child: Some(child),
            port,
            db: db.to_path_buf(),
            _dir: None,
            http: reqwest::Client::new(),
        };
        server.wait_healthy(Duration::from_secs(120)).await;
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_healthy(&self, limit: Duration) {
        let started = Instant::now();
        loop {
            let ok = self
                .http
                .get(format!("{}/health", self.url()))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                return;
            }
            assert!(
                started.elapsed() < limit,
                "MLflow did not answer /health within {limit:?}; see {}",
                self.db.with_extension("log").display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Kills the server's whole process group (the server spawns workers) and waits.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(child.id());
            let _ = child.wait();
        }
    }

    /// The process group id, for killing from another thread.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Calls the REST API and returns the JSON answer, panicking on an error status.
    pub async fn call(&self, method: &str, endpoint: &str, body: Value) -> Value {
        let url = format!("{}/api/2.0/mlflow/{endpoint}", self.url());
        let request = match method {
            "GET" => self.http.get(url),
            "PATCH" => self.http.patch(url).json(&body),
            "DELETE" => self.http.delete(url).json(&body),
            _ => self.http.post(url).json(&body),
        };
        let response = request.send().await.expect("MLflow answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "MLflow {endpoint}: {status}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Creates a registered model with a description and tags.
    pub async fn create_model(&self, name: &str, description: &str, tags: &[(&str, &str)]) {
        let tags: Vec<Value> = tags
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        self.call(
            "POST",
            "registered-models/create",
            json!({"name": name, "description": description, "tags": tags}),
        )
        .await;
    }

    /// Creates a run with metrics, parameters and tags, then a version of `model` from it.
    pub async fn create_version(
        &self,
        model: &str,
        metrics: &[(&str, f64)],
        params: &[(&str, &str)],
        tags: &[(&str, &str)],
    ) -> String {
        let run = self
            .call(
                "POST",
                "runs/create",
                json!({"experiment_id": "0", "user_id": "jdupont"}),
            )
            .await;
        let run_id = run["run"]["info"]["run_id"]
            .as_str()
            .expect("a run id")
            .to_string();
        let now = 1_700_000_000_000_i64;
        let metrics: Vec<Value> = metrics
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v, "timestamp": now, "step": 0}))
            .collect();
        let params: Vec<Value> = params
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        let tags: Vec<Value> = tags
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        self.call(
            "POST",
            "runs/log-batch",
            json!({"run_id": run_id, "metrics": metrics, "params": params, "tags": tags}),
        )
        .await;
        let v = self
            .call(
                "POST",
                "model-versions/create",
                json!({"name": model, "source": format!("runs:/{run_id}/model"), "run_id": run_id}),
            )
            .await;
        v["model_version"]["version"]
            .as_str()
            .expect("a version")
            .to_string()
    }
}

/// SIGKILL to a whole process group.
pub fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
}

impl Drop for Mlflow {
    fn drop(&mut self) {
        self.stop();
    }
}
