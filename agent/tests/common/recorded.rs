//! A local HTTP server answering with recorded exchanges: for each method and path, a
//! list of answers given in turn (the last one repeats). Every request is kept, so a test
//! can check what the agent sent.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path_and_query: String,
    pub authorization: Option<String>,
    pub body: Option<serde_json::Value>,
}

/// A method, a path and the answers (status, body) still to give.
type Route = (Method, String, VecDeque<(u16, String)>);

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    seen: Vec<Seen>,
}

#[derive(Clone, Default)]
pub struct Recorded {
    state: Arc<Mutex<State>>,
}

/// A fixture file's text, from `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Recorded {
    /// Answers `method path` with these (status, body) in turn.
    pub fn on(&self, method: Method, path: &str, answers: &[(u16, String)]) -> &Self {
        let mut s = self.state.lock().unwrap();
        s.routes.retain(|(m, p, _)| !(m == method && p == path));
        s.routes
            .push((method, path.to_string(), answers.iter().cloned().collect()));
        self
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Starts serving on a free port; returns the base URL.
    pub async fn serve(&self) -> String {
        let recorded = self.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: axum::http::HeaderMap, body: Bytes| {
                let recorded = recorded.clone();
                async move { recorded.answer(method, uri, headers, body) }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}")
    }

    fn answer(
        &self,
        method: Method,
        uri: Uri,
        headers: axum::http::HeaderMap,
        body: Bytes,
    ) -> Response {
        let mut s = self.state.lock().unwrap();
        s.seen.push(Seen {
            method: method.clone(),
            path_and_query: uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: serde_json::from_slice(&body).ok(),
        });
        let found = s
            .routes
            .iter_mut()
            .find(|(m, p, _)| *m == method && p == uri.path());
        let Some((_, _, answers)) = found else {
            return (
                StatusCode::NOT_FOUND,
                format!("no recorded answer for {method} {}", uri.path()),
            )
                .into_response();
        };
        let (status, text) = if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers.front().cloned().unwrap()
        };
        (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", "application/json")],
            text,
        )
            .into_response()
    }
}
