//! Benchmark jobs end to end: a hub with organisations, a model whose versions are rule
//! files, a benchmark whose evaluation is a real Python script scoring a small labelled
//! CSV, and agents running it through the local executor or a real single-node Slurm.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::agent::AgentHome;
use crate::{Hub, admin_token, create_agent};

/// The evaluation: predicts a label by the first keyword of the model's rules found in
/// the text, writes accuracy and error rate to `--out`.
const SCORE_PY: &str = r#"import argparse, csv, json, os
p = argparse.ArgumentParser()
p.add_argument("--data")
p.add_argument("--model")
p.add_argument("--out")
a = p.parse_args()
if os.path.exists(a.data + ".hang"):
    # A stand-in for an evaluation that hangs: the tests kill it by its pid.
    import time
    open(a.data + ".pid", "w").write(str(os.getpid()))
    time.sleep(600)
rules = json.load(open(a.model[len("file://"):] if a.model.startswith("file://") else a.model))
rows = list(csv.DictReader(open(a.data)))
def predict(text):
    for word, label in rules.items():
        if word in text.lower():
            return label
    return "unknown"
correct = sum(predict(r["text"]) == r["label"] for r in rows)
accuracy = correct / len(rows)
print(f"scored {len(rows)} rows of {a.data}: {correct} correct (split {os.environ.get('AGORA_PARAM_SPLIT', '-')})")
with open(a.out, "w") as f:
    json.dump({"accuracy": accuracy, "error_rate": 1 - accuracy}, f)
"#;

/// Eight labelled rows; the rules of version 1 get 6 right (0.75), those of version 2
/// all 8 (1.0).
const DATA_CSV: &str = "text,label\n\
bakery selling bread,food\n\
wholesale of bread and cakes,food\n\
taxi driver,transport\n\
road freight transport,transport\n\
software publisher,it\n\
computer programming services,it\n\
retail of shoes,retail\n\
dentist practice,health\n";

pub const RULES_V1: &str = r#"{"bread": "food", "taxi": "transport", "freight": "transport", "software": "it", "shoes": "retail"}"#;
pub const RULES_V2: &str = r#"{"bread": "food", "taxi": "transport", "freight": "transport", "software": "it", "computer": "it", "shoes": "retail", "dentist": "health"}"#;

/// A hub with two organisations (`insee`, `inegi`), the model `insee/naf-coder` with two
/// versions, and the public benchmark `nace-coding` in which both take part.
pub struct JobWorld {
    pub hub: Hub,
    pub database_url: String,
    pub admin: String,
    pub dir: tempfile::TempDir,
    pub command: Vec<String>,
}

impl JobWorld {
    pub async fn new(database_url: &str, hub_env: &[(&str, &str)]) -> Self {
        let hub = Hub::start_with_env(database_url, crate::free_port(), None, hub_env).await;
        let admin = admin_token(database_url).await;
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("score.py"), SCORE_PY).expect("score.py");
        for org in ["insee", "inegi"] {
            std::fs::write(dir.path().join(format!("{org}.csv")), DATA_CSV).expect("data");
        }
        std::fs::write(dir.path().join("rules-1.json"), RULES_V1).expect("rules");
        std::fs::write(dir.path().join("rules-2.json"), RULES_V2).expect("rules");
        let command: Vec<String> = [
            "/usr/bin/python3",
            &dir.path().join("score.py").display().to_string(),
            "--data",
            "{dataset}",
            "--model",
            "{model_uri}",
            "--out",
            "{output}",
        ]
        .map(String::from)
        .to_vec();
        let world = Self {
            hub,
            database_url: database_url.to_string(),
            admin,
            dir,
            command,
        };
        for (org, country) in [("insee", "FR"), ("inegi", "MX")] {
            world
                .post(
                    "/api/v1/organisations",
                    json!({"slug": org, "name": format!("Office {org}"), "kind": "national-statistical-office", "country": country}),
                )
                .await;
        }
        world
            .post(
                "/api/v1/models",
                json!({"organisation": "insee", "name": "naf-coder", "visibility": "public"}),
            )
            .await;
        for v in ["1", "2"] {
            let uri = format!(
                "file://{}",
                world.dir.path().join(format!("rules-{v}.json")).display()
            );
            world
                .post(
                    "/api/v1/models/insee/naf-coder/versions",
                    json!({"version": v, "artifact_uri": uri}),
                )
                .await;
        }
        world
            .post(
                "/api/v1/benchmarks",
                json!({
                    "slug": "nace-coding", "title": "NACE activity coding",
                    "description": "Code business descriptions to activity sections.",
                    "task": "coding",
                    "metrics": [{"name": "accuracy", "direction": "maximize"},
                                {"name": "error_rate", "direction": "minimize"}],
                    "primary_metric": "accuracy",
                    "command": world.command,
                    "resources": {"cpus": 1, "memory_mb": 200, "time_limit_seconds": 300},
                    "participants": [
                        {"organisation": "insee", "dataset": "sirene-sample"},
                        {"organisation": "inegi", "dataset": "denue-sample"}
                    ],
                    "visibility": "public"
                }),
            )
            .await;
        world
    }

    /// POSTs as the administrator and insists on 2xx; the answer.
    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .post(self.hub.url(path))
            .bearer_auth(&self.admin)
            .json(&body)
            .send()
            .await
            .expect("the hub answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str) -> Value {
        crate::get_json_as(&self.hub.url(path), &self.admin).await
    }

    /// Starts a run of `insee/naf-coder` version `version` at `orgs`; its id.
    pub async fn start_run(&self, version: &str, orgs: &[&str]) -> i64 {
        let run = self
            .post(
                "/api/v1/benchmarks/nace-coding/runs",
                json!({"model": {"organisation": "insee", "name": "naf-coder", "version": version},
                       "organisations": orgs, "parameters": {"split": "test"}}),
            )
            .await;
        run["id"].as_i64().expect("a run id")
    }

    pub async fn run(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/benchmarks/nace-coding/runs/{id}"))
            .await
    }

    /// Waits until every job of the run satisfies `done`; the run.
    pub async fn wait_run(&self, id: i64, limit: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let run = self.run(id).await;
            let jobs = run["jobs"].as_array().cloned().unwrap_or_default();
            if !jobs.is_empty() && jobs.iter().all(&done) {
                return run;
            }
            assert!(
                started.elapsed() < limit,
                "run {id} after {limit:?}: {run:#}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// An agent of `org` running jobs with `executor` (`local` or `slurm`).
    pub fn agent(&self, org: &str, name: &str, executor: &str, extra: &str) -> JobAgent {
        let data = self.dir.path().join(format!("{org}.csv"));
        self.agent_with_data(org, name, executor, extra, &data)
    }

    /// An agent whose copy of its office's dataset is the file `data`.
    pub fn agent_with_data(
        &self,
        org: &str,
        name: &str,
        executor: &str,
        extra: &str,
        data: &Path,
    ) -> JobAgent {
        let allowed = self
            .command
            .iter()
            .map(|a| format!("{a:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.agent_allowing(org, name, executor, extra, data, &format!("[{allowed}]"))
    }

    /// An agent whose `jobs.allowed_commands` entries are `allowed` (TOML, comma-separated).
    pub fn agent_allowing(
        &self,
        org: &str,
        name: &str,
        executor: &str,
        extra: &str,
        data: &Path,
        allowed: &str,
    ) -> JobAgent {
        let token = create_agent(&self.database_url, org, name);
        let dataset = match org {
            "insee" => "sirene-sample",
            _ => "denue-sample",
        };
        let mut jobs = format!(
            "[jobs]\nexecutors = [\"{executor}\"]\nlease_wait = \"30s\"\npoll_interval = \"200ms\"\n\
             drain_timeout = \"10s\"\nallowed_commands = [{allowed}]\n{extra}\n\
             [jobs.datasets]\n{dataset} = \"{}\"\n",
            data.display()
        );
        if executor == "slurm" {
            jobs.push_str(&format!(
                "[jobs.slurm]\nconf = \"{}\"\n",
                slurm_conf().display()
            ));
        }
        let home = AgentHome::new(&self.hub.base_url, &token, org, &jobs);
        let child = home.spawn(&["run"]);
        JobAgent { home, child }
    }
}

/// A running `agora-agent run`, killed on drop.
pub struct JobAgent {
    pub home: AgentHome,
    pub child: Child,
}

impl JobAgent {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: the agent dies without a word to the hub.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the agent's stderr once it exited.
    pub fn stop(mut self) -> (Option<i32>, String) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().expect("the agent exits");
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        (status.code(), err)
    }
}

impl Drop for JobAgent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The slurm.conf of the local single-node cluster, started (and installed) once by
/// `deploy/local/slurm.sh`.
pub fn slurm_conf() -> PathBuf {
    static CONF: OnceLock<PathBuf> = OnceLock::new();
    CONF.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/local/slurm.sh");
        let out = Command::new(&script)
            .output()
            .expect("deploy/local/slurm.sh runs");
        assert!(
            out.status.success(),
            "the local Slurm cluster did not start:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
    .clone()
}
