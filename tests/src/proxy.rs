//! A small HTTP proxy between an agent and a peer (the hub, MLflow), so a test can stop the
//! peer at a chosen request: its hook sees each request before it is forwarded and after
//! the peer answered, and may turn the answer into a 502 (what a reverse proxy answers when
//! its upstream is gone).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};

/// When the hook is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Before,
    After,
}

/// The hook: (phase, 1-based request number, method and path) → answer 502 instead.
pub type Hook = Box<dyn Fn(Phase, usize, &str) -> bool + Send + Sync>;

struct Inner {
    upstream: Mutex<String>,
    count: Mutex<usize>,
    hook: Hook,
    http: reqwest::Client,
}

pub struct Proxy {
    inner: Arc<Inner>,
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream` (a base URL) on a free port.
    pub async fn start(upstream: &str, hook: Hook) -> Self {
        let inner = Arc::new(Inner {
            upstream: Mutex::new(upstream.trim_end_matches('/').to_string()),
            count: Mutex::new(0),
            hook,
            http: reqwest::Client::new(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let app = Router::new().fallback(forward).with_state(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { inner, url, task }
    }

    /// Points the proxy at another upstream (a restarted peer on a new port).
    pub fn set_upstream(&self, upstream: &str) {
        *self.inner.upstream.lock().expect("the proxy's lock") =
            upstream.trim_end_matches('/').to_string();
    }

    /// Requests seen so far.
    pub fn count(&self) -> usize {
        *self.inner.count.lock().expect("the proxy's lock")
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn bad_gateway() -> Response {
    (StatusCode::BAD_GATEWAY, "upstream unavailable").into_response()
}

async fn forward(State(inner): State<Arc<Inner>>, request: Request<Body>) -> Response {
    let n = {
        let mut count = inner.count.lock().expect("the proxy's lock");
        *count += 1;
        *count
    };
    let what = format!(
        "{} {}",
        request.method(),
        request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
    );
    if (inner.hook)(Phase::Before, n, &what) {
        return bad_gateway();
    }
    let upstream = inner.upstream.lock().expect("the proxy's lock").clone();
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return bad_gateway();
    };
    let url = format!(
        "{upstream}{}",
        parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
    );
    let Ok(method) = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()) else {
        return bad_gateway();
    };
    let mut outgoing = inner.http.request(method, url).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return bad_gateway();
    };
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    let bytes: Bytes = answer.bytes().await.unwrap_or_default();
    if (inner.hook)(Phase::After, n, &what) {
        return bad_gateway();
    }
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Body::from(bytes))
        .unwrap_or_else(|_| bad_gateway())
}
