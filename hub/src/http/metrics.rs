//! Timing every HTTP request by route template, and serving `/metrics`.
//!
//! `/metrics` is never served on the public listener: on a multi-tenant hub it would tell
//! anyone the traffic of every office. It is served only on `metrics_listen` (off by
//! default), an address meant for the platform's Prometheus (a pod port the Service does
//! not expose, or loopback).

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::app::AppState;
use crate::error::{Error, Result};
use crate::metrics::global;
use crate::shutdown::Shutdown;

/// Middleware: observes each request's latency under its route template (`MatchedPath`,
/// never the raw path, so the number of series stays bounded).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    global().http_request(
        method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Standard methods by name; anything else (a client may send any token) as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The router of the metrics listener: `/metrics` alone.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = global()
        .render(&state.db, &state.search, state.jobs.waiting())
        .await;
    (
        [(
            header::CONTENT_TYPE,
            prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        )],
        body,
    )
}

/// Binds `metrics_listen`; a bad address is a configuration error naming the key.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Config(format!("`metrics_listen`: cannot listen on {addr}: {e}")))
}

/// Serves `/metrics` until a stop is asked for.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: Shutdown) -> Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "metrics on http://{addr}/metrics");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { shutdown.requested().await })
        .await?;
    tracing::info!("metrics listener stopped");
    Ok(())
}
