//! A small JSON client for the Kubernetes API and the Argo Server: a bearer token read
//! from a file at each request (service-account tokens are rotated) or from an
//! environment variable, and an optional CA bundle for the cluster's own certificates.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::{ExecError, ExecResult};

pub struct Api {
    http: reqwest::Client,
    base: Url,
    token_file: Option<PathBuf>,
    token_env: Option<String>,
    /// Names the engine in errors: `Kubernetes API`, `Argo Server`.
    label: &'static str,
}

/// An answer: its status and body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> ExecResult<serde_json::Value> {
        serde_json::from_slice(&self.body)
            .map_err(|e| ExecError::new(format!("unreadable answer: {e}")))
    }

    /// The engine's own message (`message` in a Kubernetes `Status` or an Argo error).
    pub fn message(&self) -> String {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&self.body)
                    .chars()
                    .take(300)
                    .collect()
            })
    }
}

impl Api {
    pub fn new(
        label: &'static str,
        base: Url,
        token_file: Option<PathBuf>,
        token_env: Option<String>,
        ca_file: Option<&std::path::Path>,
        timeout: Duration,
    ) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("agora-agent/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout);
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| format!("{}: not a PEM bundle: {e}", path.display()))?;
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            http,
            base,
            token_file,
            token_env,
            label,
        })
    }

    fn token(&self) -> ExecResult<Option<String>> {
        if let Some(path) = &self.token_file {
            return std::fs::read_to_string(path)
                .map(|t| Some(t.trim().to_string()))
                .map_err(|e| ExecError::new(format!("token file {}: {e}", path.display())));
        }
        Ok(self.token_env.as_ref().and_then(|k| std::env::var(k).ok()))
    }

    /// Sends a request; any answer (also 4xx/5xx) comes back, network failures are errors.
    pub async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&serde_json::Value>,
    ) -> ExecResult<Answer> {
        let url = self.base.join(path_and_query).map_err(|e| {
            ExecError::new(format!("{}: bad path {path_and_query}: {e}", self.label))
        })?;
        let mut request = self
            .http
            .request(method, url)
            .header("Accept", "application/json");
        if let Some(token) = self.token()? {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(body).map_err(|e| ExecError::new(e.to_string()))?);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ExecError::new(format!("{} unreachable: {e}", self.label)))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| ExecError::new(format!("{}: answer cut: {e}", self.label)))?
            .to_vec();
        Ok(Answer { status, body })
    }

    /// Sends a request and reads a 2xx JSON answer; other answers are errors with the
    /// engine's message.
    pub async fn json(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&serde_json::Value>,
    ) -> ExecResult<serde_json::Value> {
        let answer = self.send(method.clone(), path_and_query, body).await?;
        if !answer.ok() {
            return Err(ExecError::new(format!(
                "{} answered {} to {method} {path_and_query}: {}",
                self.label,
                answer.status,
                answer.message()
            )));
        }
        answer.json()
    }
}

/// `KEY=value` pairs as a container's `env` list.
pub fn env_list(env: &[(String, String)]) -> serde_json::Value {
    env.iter()
        .map(|(k, v)| serde_json::json!({"name": k, "value": literal(v)}))
        .collect()
}

/// A container's `command` (no shell reads it), each argument kept literal.
pub fn command(argv: &[String]) -> serde_json::Value {
    argv.iter().map(|a| literal(a)).collect()
}

/// `s` as Kubernetes passes it on literally: the kubelet expands `$(NAME)` in a
/// container's `command`, `args` and `env` values and reads `$$` as one `$`, so every `$`
/// is doubled.
pub fn literal(s: &str) -> String {
    s.replace('$', "$$")
}

/// Kubernetes quantities for a container's requests and limits.
pub fn resources(r: &agora_schemas::benchmark::ResourceRequest) -> serde_json::Value {
    let mut limits = serde_json::json!({
        "cpu": r.cpus.max(1).to_string(),
        "memory": format!("{}Mi", r.memory_mb.max(1)),
    });
    if r.gpus > 0 {
        limits["nvidia.com/gpu"] = serde_json::Value::String(r.gpus.to_string());
    }
    serde_json::json!({
        "requests": {"cpu": r.cpus.max(1).to_string(), "memory": format!("{}Mi", r.memory_mb.max(1))},
        "limits": limits,
    })
}
