//! The HTTP client that talks to OpenID providers: bounded responses, no redirects.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

use crate::auth::oidc::MAX_PROVIDER_RESPONSE;
use crate::error::Result;

/// The HTTP client openidconnect talks to providers with: the workspace's reqwest, no
/// redirects followed (a provider that redirects its token endpoint is refused), a timeout
/// and a size limit.
#[derive(Clone)]
pub struct HttpClient(reqwest::Client);

/// Why a call to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{0}")]
    Reqwest(#[from] reqwest::Error),
    #[error("{0}")]
    Http(#[from] http::Error),
    #[error("the provider's answer is larger than {MAX_PROVIDER_RESPONSE} bytes")]
    TooLarge,
}

impl HttpClient {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("agora-hub/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self(client)
    }
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl<'c> AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let mut builder = self
                .0
                .request(parts.method, parts.uri.to_string())
                .body(body);
            for (name, value) in &parts.headers {
                builder = builder.header(name, value);
            }
            let mut response = builder.send().await?;
            if response
                .content_length()
                .is_some_and(|n| n > MAX_PROVIDER_RESPONSE as u64)
            {
                return Err(HttpError::TooLarge);
            }
            let mut answer = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                answer = answer.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_PROVIDER_RESPONSE {
                    return Err(HttpError::TooLarge);
                }
            }
            Ok(answer.body(body)?)
        })
    }
}
