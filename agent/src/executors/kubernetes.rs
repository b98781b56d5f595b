//! `kubernetes`: the job as a `batch/v1` Job through the Kubernetes REST API
//! (<https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/>).
//! One container, `evaluate`, with the benchmark's image (or the configured default for a
//! command-only benchmark), the argv as `command` (no shell), the job's variables as
//! `env`, CPU and memory requests and limits, `nvidia.com/gpu` limits and a node selector
//! on the GPU type. `{output}` is the container's termination message file: the metrics
//! come back in the pod's status (`state.terminated.message`), no volume needed. Status
//! from the Job's conditions, the log from the pod's `log` subresource, cancellation by
//! deleting the Job with its pods.

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

/// `[jobs.kubernetes]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesConfig {
    /// The API server, such as `https://kubernetes.default.svc`.
    pub api_url: Url,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// A file holding the bearer token (default in a pod: the service account's).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// Or an environment variable holding it.
    #[serde(default)]
    pub token_env: Option<String>,
    /// The cluster's CA bundle (PEM).
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
    /// Mount the dataset's path from the node, read-only, at the same path.
    #[serde(default)]
    pub mount_datasets: bool,
}

fn default_namespace() -> String {
    "default".into()
}
fn default_gpu_label() -> String {
    "nvidia.com/gpu.product".into()
}

const SERVICE_ACCOUNT_TOKEN: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";
const CONTAINER: &str = "evaluate";
/// Where the container writes its metrics: its termination message.
pub const OUTPUT: &str = "/dev/termination-log";

pub struct KubernetesExecutor {
    config: KubernetesConfig,
    api: Api,
    cancelled: Mutex<HashSet<String>>,
}

impl KubernetesExecutor {
    pub fn new(config: KubernetesConfig, timeout: Duration) -> Result<Self, String> {
        let token_file = config.token_file.clone().or_else(|| {
            let default = PathBuf::from(SERVICE_ACCOUNT_TOKEN);
            (config.token_env.is_none() && default.exists()).then_some(default)
        });
        let api = Api::new(
            "Kubernetes API",
            config.api_url.clone(),
            token_file,
            config.token_env.clone(),
            config.ca_file.as_deref(),
            timeout,
        )?;
        Ok(Self {
            config,
            api,
            cancelled: Mutex::new(HashSet::new()),
        })
    }

    fn jobs_path(&self) -> String {
        format!("/apis/batch/v1/namespaces/{}/jobs", self.config.namespace)
    }

    /// The Job object for a job.
    pub fn manifest(&self, spec: &JobSpec) -> ExecResult<Value> {
        let name = spec.name();
        let image = spec
            .image
            .clone()
            .or_else(|| self.config.image.clone())
            .ok_or_else(|| {
                ExecError::new(
                    "no image: the benchmark has none and `jobs.kubernetes.image` is not set",
                )
            })?;
        let mut container = json!({
            "name": CONTAINER,
            "image": image,
            "env": env_list(&spec.environment(OUTPUT)),
            "resources": resources(&spec.resources),
            "terminationMessagePath": OUTPUT,
            "terminationMessagePolicy": "File",
        });
        if let Some(argv) = spec.argv(OUTPUT)? {
            container["command"] = command(&argv);
        }
        let labels = json!({
            "app.kubernetes.io/managed-by": "agora-agent",
            "agora.job-id": spec.job_id.to_string(),
        });
        let mut pod = json!({
            "restartPolicy": "Never",
            "containers": [container],
        });
        if let Some(sa) = &self.config.service_account {
            pod["serviceAccountName"] = json!(sa);
        }
        if let (true, Some(t)) = (spec.resources.gpus > 0, &spec.resources.gpu_type) {
            pod["nodeSelector"] = json!({ self.config.gpu_type_label.clone(): t });
        }
        if self.config.mount_datasets {
            let path = spec.dataset.to_string_lossy();
            pod["volumes"] = json!([{"name": "dataset", "hostPath": {"path": path}}]);
            pod["containers"][0]["volumeMounts"] =
                json!([{"name": "dataset", "mountPath": path, "readOnly": true}]);
        }
        Ok(json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": name, "namespace": self.config.namespace, "labels": labels},
            "spec": {
                "backoffLimit": 0,
                "activeDeadlineSeconds": spec.resources.time_limit_seconds,
                "ttlSecondsAfterFinished": 86_400,
                "template": {"metadata": {"labels": labels}, "spec": pod},
            },
        }))
    }

    /// The Job's pod (the newest, should there be several).
    async fn pod(&self, name: &str) -> ExecResult<Option<Value>> {
        let list = self
            .api
            .json(
                Method::GET,
                &format!(
                    "/api/v1/namespaces/{}/pods?labelSelector=job-name%3D{name}",
                    self.config.namespace
                ),
                None,
            )
            .await?;
        let mut pods = list["items"].as_array().cloned().unwrap_or_default();
        pods.sort_by(|a, b| {
            a["metadata"]["creationTimestamp"]
                .as_str()
                .cmp(&b["metadata"]["creationTimestamp"].as_str())
        });
        Ok(pods.pop())
    }

    fn was_cancelled(&self, name: &str) -> bool {
        self.cancelled.lock().is_ok_and(|c| c.contains(name))
    }

    async fn state(&self, handle: &Handle) -> ExecResult<Status> {
        let name = &handle.external_id;
        let answer = self
            .api
            .send(Method::GET, &format!("{}/{name}", self.jobs_path()), None)
            .await?;
        if answer.status == 404 {
            return Ok(if self.was_cancelled(name) {
                Status::Cancelled
            } else {
                Status::Failed("the Kubernetes Job was deleted".into())
            });
        }
        if !answer.ok() {
            return Err(ExecError::new(format!(
                "Kubernetes API answered {}: {}",
                answer.status,
                answer.message()
            )));
        }
        let job = answer.json()?;
        let status = &job["status"];
        let condition = |kind: &str| {
            status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["type"] == kind && c["status"] == "True")
                .cloned()
        };
        if self.was_cancelled(name) {
            return Ok(Status::Cancelled);
        }
        if condition("Complete").is_some() {
            return Ok(Status::Succeeded);
        }
        if let Some(c) = condition("Failed") {
            return Ok(Status::Failed(match c["reason"].as_str() {
                Some("DeadlineExceeded") => "the time limit was reached".into(),
                _ => format!(
                    "the Kubernetes Job failed: {}",
                    c["message"]
                        .as_str()
                        .or(c["reason"].as_str())
                        .unwrap_or("no reason given")
                ),
            }));
        }
        if status["active"].as_u64().unwrap_or(0) > 0 {
            let node = self
                .pod(name)
                .await
                .ok()
                .flatten()
                .and_then(|p| p["spec"]["nodeName"].as_str().map(str::to_string));
            return Ok(Status::Running(node));
        }
        Ok(Status::Pending)
    }
}

impl Executor for KubernetesExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Kubernetes
    }

    fn unable(&self, spec: &JobSpec) -> Option<String> {
        (spec.image.is_none() && self.config.image.is_none()).then(|| {
            "the benchmark has no image and `jobs.kubernetes.image` is not set".to_string()
        })
    }

    fn submit<'a>(&'a self, spec: &'a JobSpec) -> BoxFuture<'a, ExecResult<Handle>> {
        Box::pin(async move {
            let manifest = self.manifest(spec)?;
            let created = self
                .api
                .json(Method::POST, &self.jobs_path(), Some(&manifest))
                .await?;
            let name = created["metadata"]["name"]
                .as_str()
                .unwrap_or(&spec.name())
                .to_string();
            tracing::info!(job = spec.job_id, kubernetes_job = %name, "kubernetes job created");
            Ok(Handle {
                job_id: spec.job_id,
                external_id: name,
                workdir: spec.workdir.clone(),
            })
        })
    }

    fn status<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Status>> {
        Box::pin(self.state(handle))
    }

    fn cancel<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<()>> {
        Box::pin(async move {
            let name = &handle.external_id;
            if let Ok(mut c) = self.cancelled.lock() {
                c.insert(name.clone());
            }
            let answer = self
                .api
                .send(
                    Method::DELETE,
                    &format!("{}/{name}?propagationPolicy=Background", self.jobs_path()),
                    None,
                )
                .await?;
            if answer.ok() || answer.status == 404 {
                Ok(())
            } else {
                Err(ExecError::new(format!(
                    "deleting the Kubernetes Job: {} {}",
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
            let empty = LogChunk {
                start: from,
                bytes: Vec::new(),
            };
            let Some(pod) = self.pod(&handle.external_id).await? else {
                return Ok(empty);
            };
            let Some(pod_name) = pod["metadata"]["name"].as_str() else {
                return Ok(empty);
            };
            let answer = self
                .api
                .send(
                    Method::GET,
                    &format!(
                        "/api/v1/namespaces/{}/pods/{pod_name}/log?container={CONTAINER}",
                        self.config.namespace
                    ),
                    None,
                )
                .await?;
            // A container still waiting to start has no log yet (400).
            if !answer.ok() {
                return Ok(empty);
            }
            Ok(LogChunk::from_whole(&answer.body, from, max))
        })
    }

    fn metrics<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Metrics>> {
        Box::pin(async move {
            let pod = self
                .pod(&handle.external_id)
                .await?
                .ok_or_else(|| ExecError::new("the Job's pod is gone: no metrics"))?;
            let message = pod["status"]["containerStatuses"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["name"] == CONTAINER)
                .and_then(|c| c["state"]["terminated"]["message"].as_str())
                .ok_or_else(|| {
                    ExecError::new(format!(
                        "the container wrote no metrics to {OUTPUT} (its termination message)"
                    ))
                })?;
            parse_metrics(message.as_bytes())
        })
    }

    fn node<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let pod = self.pod(&handle.external_id).await.ok()??;
            pod["spec"]["nodeName"].as_str().map(str::to_string)
        })
    }

    fn forget(&self, handle: &Handle) {
        if let Ok(mut c) = self.cancelled.lock() {
            c.remove(&handle.external_id);
        }
    }

    fn check(&self) -> BoxFuture<'_, ExecResult<String>> {
        Box::pin(async move {
            let version = self.api.json(Method::GET, "/version", None).await?;
            self.api
                .json(Method::GET, &format!("{}?limit=1", self.jobs_path()), None)
                .await?;
            Ok(format!(
                "Kubernetes {} at {}, Jobs readable in namespace {}",
                version["gitVersion"].as_str().unwrap_or("?"),
                self.config.api_url,
                self.config.namespace
            ))
        })
    }
}
