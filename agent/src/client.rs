//! The hub's API as the agent sees it. Errors are split into retryable (network, 5xx,
//! 429) and fatal (other 4xx), because what to do next depends on it.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use url::Url;

use crate::error::{Error, Result};

/// The protocol version this agent speaks, sent as `Agora-Protocol`.
pub const PROTOCOL: &str = "1";

/// What this agent can do, sent as `Agora-Capabilities`.
pub const CAPABILITIES: &str = "sync,mlflow,git,folder";

pub struct HubClient {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

/// Who the hub says the agent is.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Identity {
    pub organisation: String,
    pub name: String,
}

impl HubClient {
    pub fn new(base: Url, token: Option<String>, timeout: Duration) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("agora-agent/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, base, token })
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .map_err(|e| Error::Config(format!("`hub_url`: cannot join {path}: {e}")))
    }

    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> Result<reqwest::RequestBuilder> {
        let mut req = self
            .http
            .request(method, self.url(path)?)
            .header("Agora-Protocol", PROTOCOL)
            .header("Agora-Capabilities", CAPABILITIES);
        if let Some(token) = &self.token {
            req = req.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        Ok(req)
    }

    /// Checks that the hub is up and its database answers.
    pub async fn ready(&self) -> Result<()> {
        let response = self
            .request(reqwest::Method::GET, "/readyz")?
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        classify(response).await.map(|_| ())
    }

    /// Asks the hub who the token belongs to.
    pub async fn me(&self) -> Result<Identity> {
        let response = self
            .request(reqwest::Method::GET, "/api/v1/agent/me")?
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        let bytes = classify(response).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Unreachable(format!("the hub's answer is unreadable: {e}")))
    }

    /// Posts a JSON body and returns the JSON answer.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
        let bytes = serde_json::to_vec(body).map_err(std::io::Error::other)?;
        let response = self
            .request(reqwest::Method::POST, path)?
            .header(CONTENT_TYPE, "application/json")
            .body(bytes)
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        let bytes = classify(response).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Unreachable(format!("the hub's answer is unreadable: {e}")))
    }
}

/// The body of a 2xx answer; otherwise a retryable or a final error.
pub(crate) async fn classify(response: reqwest::Response) -> Result<Vec<u8>> {
    let status = response.status();
    let body = response.bytes().await;
    if status.is_success() {
        return body
            .map(|b| b.to_vec())
            .map_err(|e| Error::Unreachable(format!("the hub's answer was cut: {e}")));
    }
    let text = body
        .ok()
        .map(|b| String::from_utf8_lossy(&b).to_string())
        .unwrap_or_default();
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            let e = &v["error"];
            let msg = e["message"].as_str()?.to_string();
            Some(match e["field"].as_str() {
                Some(f) => format!("{f}: {msg}"),
                None => msg,
            })
        })
        .unwrap_or(text);
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        Err(Error::Unreachable(format!("{status}: {message}")))
    } else {
        Err(Error::Refused {
            status: status.as_u16(),
            message,
        })
    }
}
