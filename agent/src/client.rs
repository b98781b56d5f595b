//! The hub's API as the agent sees it. Errors are split into retryable (network, 5xx,
//! 429) and fatal (other 4xx), because what to do next depends on it.

use std::time::Duration;

use reqwest::StatusCode;
use url::Url;

use crate::error::{Error, Result};

/// The protocol version this agent speaks, sent as `Agora-Protocol`.
pub const PROTOCOL: &str = "1";

pub struct HubClient {
    http: reqwest::Client,
    base: Url,
}

impl HubClient {
    pub fn new(base: Url) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("agora-agent/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, base })
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .map_err(|e| Error::Config(format!("`hub_url`: cannot join {path}: {e}")))
    }

    /// Checks that the hub is up and its database answers.
    pub async fn ready(&self) -> Result<()> {
        let response = self
            .http
            .get(self.url("/readyz")?)
            .header("Agora-Protocol", PROTOCOL)
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        classify(response.status(), || response.text()).await
    }
}

async fn classify<F, Fut>(status: StatusCode, body: F) -> Result<()>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<String>>,
{
    if status.is_success() {
        return Ok(());
    }
    let message = body().await.unwrap_or_default();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        Err(Error::Unreachable(format!("{status}: {message}")))
    } else {
        Err(Error::Refused {
            status: status.as_u16(),
            message,
        })
    }
}
