//! `/healthz` (the process is up) and `/readyz` (the database answers).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// What a probe found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable`.
    pub status: &'static str,
    /// `ok`, `unreachable` or absent when not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
}

/// Liveness: answers while the process runs.
#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "operations_healthz", responses((status = 200, description = "Success", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        database: None,
    })
}

/// Readiness: answers 200 when PostgreSQL answers within two seconds, else 503.
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "operations_readyz",
    responses((status = 200, description = "Success", body = Health), (status = 503, description = "The database is unreachable", body = Health)))]
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: Some("ok"),
            }),
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database: Some("unreachable"),
                }),
            )
        }
        Err(_) => {
            tracing::warn!("readiness check: database did not answer within 2 s");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database: Some("unreachable"),
                }),
            )
        }
    }
}

/// This document (OpenAPI 3.1). Served by `http::router`; listed in the document through
/// `ApiDoc`'s `paths`, so the document describes itself.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", operation_id = "operations_openapi_json",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
#[allow(dead_code)]
pub(super) async fn openapi_json() {}
