//! `argo`: the job as an Argo Workflow through the Argo Server REST API
//! (<https://argo-workflows.readthedocs.io/en/latest/swagger/>: `WorkflowService`).
//! One template, `evaluate`, a container with the benchmark's image, the argv as
//! `command`, the job's variables, CPU, memory and `nvidia.com/gpu` resources. `{output}`
//! is a file the workflow reads back as the output parameter `metrics`, so the metrics
//! come back in the workflow's status. Submit with `POST /api/v1/workflows/{ns}`, follow
//! with `GET …/{name}`, read the log with `GET …/{name}/log`, stop with `PUT …/{name}/stop`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use agora_schemas::job::ExecutorKind;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use super::http::{Api, command, env_list, resources};
use super::{
    BoxFuture, ExecError, ExecResult, Executor, Handle, JobSpec, LogChunk, Metrics, Status,
    parse_metrics,
};

/// `[jobs.argo]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgoConfig {
    /// The Argo Server, such as `https://argo-server.argo:2746`.
    pub server_url: Url,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// A file holding the bearer token.
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// Or an environment variable holding it.
    #[serde(default)]
    pub token_env: Option<String>,
    /// The server's CA bundle (PEM).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// The image for benchmarks that give a command and no image.
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub service_account: Option<String>,
    /// The node label that names the GPU model (default `nvidia.com/gpu.product`).
    #[serde(default = "default_gpu_label")]
    pub gpu_type_label: String,
}

fn default_namespace() -> String {
    "argo".into()
}
fn default_gpu_label() -> String {
    "nvidia.com/gpu.product".into()
}

const TEMPLATE: &str = "evaluate";
/// Where the container writes its metrics, read back as the output parameter `metrics`.
pub const OUTPUT: &str = "/tmp/agora-metrics.json";

pub struct ArgoExecutor {
    config: ArgoConfig,
    api: Api,
    stopped: Mutex<HashSet<String>>,
}

impl ArgoExecutor {
    pub fn new(config: ArgoConfig, timeout: Duration) -> Result<Self, String> {
        let api = Api::new(
            "Argo Server",
            config.server_url.clone(),
            config.token_file.clone(),
            config.token_env.clone(),
            config.ca_file.as_deref(),
            timeout,
        )?;
        Ok(Self {
            config,
            api,
            stopped: Mutex::new(HashSet::new()),
        })
    }

    fn path(&self, name: &str) -> String {
        format!("/api/v1/workflows/{}/{name}", self.config.namespace)
    }

    /// The `WorkflowCreateRequest` for a job.
    pub fn request(&self, spec: &JobSpec) -> ExecResult<Value> {
        let image = spec
            .image
            .clone()
            .or_else(|| self.config.image.clone())
            .ok_or_else(|| {
                ExecError::new("no image: the benchmark has none and `jobs.argo.image` is not set")
            })?;
        let mut container = json!({
            "image": image,
            "env": env_list(&spec.environment(OUTPUT)),
            "resources": resources(&spec.resources),
        });
        if let Some(argv) = spec.argv(OUTPUT)? {
            container["command"] = command(&argv);
        }
        let mut template = json!({
            "name": TEMPLATE,
            "container": container,
            "outputs": {"parameters": [{"name": "metrics", "valueFrom": {"path": OUTPUT}}]},
        });
        if let (true, Some(t)) = (spec.resources.gpus > 0, &spec.resources.gpu_type) {
            template["nodeSelector"] = json!({ self.config.gpu_type_label.clone(): t });
        }
        let mut workflow_spec = json!({
            "entrypoint": TEMPLATE,
            "activeDeadlineSeconds": spec.resources.time_limit_seconds,
            "templates": [template],
        });
        if let Some(sa) = &self.config.service_account {
            workflow_spec["serviceAccountName"] = json!(sa);
        }
        Ok(json!({
            "namespace": self.config.namespace,
            "workflow": {
                "apiVersion": "argoproj.io/v1alpha1",
                "kind": "Workflow",
                "metadata": {
                    "name": spec.name(),
                    "namespace": self.config.namespace,
                    "labels": {"app.kubernetes.io/managed-by": "agora-agent", "agora.job-id": spec.job_id.to_string()},
                },
                "spec": workflow_spec,
            },
        }))
    }

    async fn workflow(&self, name: &str) -> ExecResult<Value> {
        self.api.json(Method::GET, &self.path(name), None).await
    }

    fn was_stopped(&self, name: &str) -> bool {
        self.stopped.lock().is_ok_and(|s| s.contains(name))
    }
}

/// The workflow's pod nodes.
fn pods(workflow: &Value) -> impl Iterator<Item = &Value> {
    workflow["status"]["nodes"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter(|n| n["type"] == "Pod")
}

impl Executor for ArgoExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Argo
    }

    fn unable(&self, spec: &JobSpec) -> Option<String> {
        if spec.image.is_none() && self.config.image.is_none() {
            return Some("the benchmark has no image and `jobs.argo.image` is not set".into());
        }
        template_marker(spec)
    }

    fn submit<'a>(&'a self, spec: &'a JobSpec) -> BoxFuture<'a, ExecResult<Handle>> {
        Box::pin(async move {
            let request = self.request(spec)?;
            let created = self
                .api
                .json(
                    Method::POST,
                    &format!("/api/v1/workflows/{}", self.config.namespace),
                    Some(&request),
                )
                .await?;
            let name = created["metadata"]["name"]
                .as_str()
                .unwrap_or(&spec.name())
                .to_string();
            tracing::info!(job = spec.job_id, workflow = %name, "argo workflow submitted");
            Ok(Handle {
                job_id: spec.job_id,
                external_id: name,
                workdir: spec.workdir.clone(),
            })
        })
    }

    fn status<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Status>> {
        Box::pin(async move {
            let name = &handle.external_id;
            let workflow = self.workflow(name).await?;
            let status = &workflow["status"];
            let phase = status["phase"].as_str().unwrap_or("");
            let finished = matches!(phase, "Succeeded" | "Failed" | "Error");
            if finished && self.was_stopped(name) {
                return Ok(Status::Cancelled);
            }
            Ok(match phase {
                "Succeeded" => Status::Succeeded,
                "Failed" | "Error" => Status::Failed(format!(
                    "the workflow ended {}: {}",
                    phase.to_lowercase(),
                    status["message"].as_str().unwrap_or("no message")
                )),
                "Running" => Status::Running(
                    pods(&workflow)
                        .find_map(|n| n["hostNodeName"].as_str())
                        .map(str::to_string),
                ),
                _ => Status::Pending,
            })
        })
    }

    fn cancel<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<()>> {
        Box::pin(async move {
            let name = &handle.external_id;
            if let Ok(mut s) = self.stopped.lock() {
                s.insert(name.clone());
            }
            let body = json!({"name": name, "namespace": self.config.namespace});
            let answer = self
                .api
                .send(
                    Method::PUT,
                    &format!("{}/stop", self.path(name)),
                    Some(&body),
                )
                .await?;
            // Stopping a finished workflow is refused; that is fine.
            if answer.ok() || answer.status == 404 || answer.status == 400 || answer.status == 409 {
                Ok(())
            } else {
                Err(ExecError::new(format!(
                    "stopping the workflow: {} {}",
                    answer.status,
                    answer.message()
                )))
            }
        })
    }

    fn log<'a>(
        &'a self,
        handle: &'a Handle,
        from: u64,
        max: usize,
    ) -> BoxFuture<'a, ExecResult<LogChunk>> {
        Box::pin(async move {
            let answer = self
                .api
                .send(
                    Method::GET,
                    &format!(
                        "{}/log?logOptions.container=main",
                        self.path(&handle.external_id)
                    ),
                    None,
                )
                .await?;
            if !answer.ok() {
                return Ok(LogChunk {
                    start: from,
                    bytes: Vec::new(),
                });
            }
            // A stream of `{"result":{"content":"…","podName":"…"}}` lines.
            let mut text = Vec::new();
            for line in answer.body.split(|b| *b == b'\n') {
                if let Ok(entry) = serde_json::from_slice::<Value>(line)
                    && let Some(content) = entry["result"]["content"].as_str()
                {
                    text.extend_from_slice(content.as_bytes());
                    text.push(b'\n');
                }
            }
            Ok(LogChunk::from_whole(&text, from, max))
        })
    }

    fn metrics<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Metrics>> {
        Box::pin(async move {
            let workflow = self.workflow(&handle.external_id).await?;
            let value = pods(&workflow)
                .filter(|n| n["templateName"] == TEMPLATE)
                .flat_map(|n| n["outputs"]["parameters"].as_array().into_iter().flatten())
                .find(|p| p["name"] == "metrics")
                .and_then(|p| p["value"].as_str())
                .ok_or_else(|| {
                    ExecError::new(format!(
                        "the workflow has no output parameter `metrics` (written at {OUTPUT})"
                    ))
                })?;
            parse_metrics(value.as_bytes())
        })
    }

    fn node<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let workflow = self.workflow(&handle.external_id).await.ok()?;
            pods(&workflow)
                .find_map(|n| n["hostNodeName"].as_str())
                .map(str::to_string)
        })
    }

    fn forget(&self, handle: &Handle) {
        if let Ok(mut s) = self.stopped.lock() {
            s.remove(&handle.external_id);
        }
    }

    fn check(&self) -> BoxFuture<'_, ExecResult<String>> {
        Box::pin(async move {
            let version = self.api.json(Method::GET, "/api/v1/version", None).await?;
            self.api
                .json(
                    Method::GET,
                    &format!(
                        "/api/v1/workflows/{}?listOptions.limit=1",
                        self.config.namespace
                    ),
                    None,
                )
                .await?;
            Ok(format!(
                "Argo {} at {}, workflows readable in namespace {}",
                version["version"].as_str().unwrap_or("?"),
                self.config.server_url,
                self.config.namespace
            ))
        })
    }
}

/// Argo reads `{{…}}` anywhere in a workflow as one of its own templates or expressions:
/// an argument or a variable holding it would not reach the job literally, so such a job
/// is not submitted.
pub fn template_marker(spec: &JobSpec) -> Option<String> {
    let argv = spec.argv(OUTPUT).ok().flatten().unwrap_or_default();
    let env = spec.environment(OUTPUT);
    let found = argv
        .iter()
        .enumerate()
        .find(|(_, a)| a.contains("{{"))
        .map(|(i, _)| format!("argument {i}"))
        .or_else(|| {
            env.iter()
                .find(|(_, v)| v.contains("{{"))
                .map(|(k, _)| format!("variable {k}"))
        })?;
    Some(format!(
        "the {found} holds `{{{{`, which Argo would read as a template of its own"
    ))
}
