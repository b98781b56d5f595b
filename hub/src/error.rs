//! The hub's one error type, and how it reads to an API client.

use agora_schemas::{DecodeError, FieldError};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("configuration: {0}")]
    Config(String),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("{0}")]
    Invalid(FieldError),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(FieldError),
    #[error("this route does not answer that method; see /api/v1/openapi.json")]
    MethodNotAllowed,
    #[error("the request body is larger than the hub accepts")]
    TooLarge,
    #[error("send the body as JSON, with `Content-Type: application/json`")]
    UnsupportedMediaType,
    #[error("{0}")]
    UpgradeRequired(String),
    #[error("demo data: {0}")]
    Demo(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Self::Invalid(FieldError::new(field, message))
    }

    pub fn conflict(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Self::Conflict(FieldError::new(field, message))
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UpgradeRequired(_) => StatusCode::UPGRADE_REQUIRED,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Database(e) if database_unreachable(e) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Config(_)
            | Self::Demo(_)
            | Self::Database(_)
            | Self::Migrate(_)
            | Self::Io(_)
            | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::Invalid(_) => "invalid",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::UpgradeRequired(_) => "upgrade_required",
            Self::TooLarge => "too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Database(e) if database_unreachable(e) => "unavailable",
            Self::Unavailable(_) => "unavailable",
            _ => "internal",
        }
    }

    /// Turns a unique-constraint violation into a 409 naming `field`; other errors pass.
    pub fn on_unique(self, field: &str, message: impl std::fmt::Display) -> Self {
        match &self {
            Self::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                Self::conflict(field, message)
            }
            _ => self,
        }
    }
}

/// The database is down or restarting, not wrong: no connection in time, a refused or cut
/// connection, or PostgreSQL's own "shutting down" and "starting up" answers (SQLSTATE
/// classes 08, connection exception, and 57P, operator intervention). The client may try
/// again shortly: 503.
fn database_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::Syntax { .. } => Self::Malformed(e.to_string()),
            DecodeError::Invalid(field) => Self::Invalid(field),
        }
    }
}

/// The body of every error answer: `{"error":{"code","message","field"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `malformed`, `invalid`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `method_not_allowed`, `too_large`, `unsupported_media_type`, `upgrade_required`,
    /// `unavailable` or `internal`.
    pub code: String,
    pub message: String,
    /// The offending field as a JSON path, when one field is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let (message, field) = match &self {
            Self::Invalid(f) | Self::Conflict(f) => (f.message.clone(), Some(f.field.clone())),
            Self::Unavailable(message) => (message.clone(), None),
            _ if status.is_server_error() => {
                tracing::error!(error = %self, "request failed");
                let message = if status == StatusCode::SERVICE_UNAVAILABLE {
                    "the database is not reachable; try again shortly"
                } else {
                    "something went wrong on the hub; it has been logged"
                };
                (message.to_string(), None)
            }
            _ => (self.to_string(), None),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().into(),
                message,
                field,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"agora\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_map_to_their_status() {
        assert_eq!(Error::invalid("stage", "bad").status_code(), 422);
        assert_eq!(Error::conflict("slug", "taken").status_code(), 409);
        assert_eq!(Error::NotFound("project `x`".into()).status_code(), 404);
        assert_eq!(Error::Malformed("x".into()).status_code(), 400);
        assert_eq!(Error::Unauthorized("x".into()).status_code(), 401);
        assert_eq!(Error::Forbidden("x".into()).status_code(), 403);
        assert_eq!(Error::Unauthorized("x".into()).code(), "unauthorized");
        assert_eq!(Error::Forbidden("x".into()).code(), "forbidden");
        assert_eq!(Error::TooLarge.status_code(), 413);
        assert_eq!(Error::Unauthorized("x".into()).status_code(), 401);
        assert_eq!(Error::Forbidden("x".into()).status_code(), 403);
        assert_eq!(Error::UpgradeRequired("x".into()).status_code(), 426);
        assert_eq!(
            Error::Database(sqlx::Error::PoolTimedOut).status_code(),
            503
        );
        assert_eq!(Error::Internal("x".into()).status_code(), 500);
    }

    #[test]
    fn a_database_that_is_down_or_restarting_is_a_503() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = Error::Database(sqlx::Error::Io(refused));
        assert_eq!(error.status_code(), 503);
        assert_eq!(error.code(), "unavailable");
        assert_eq!(Error::Database(sqlx::Error::PoolClosed).status_code(), 503);
        assert_eq!(Error::Database(sqlx::Error::RowNotFound).status_code(), 500);
    }

    #[tokio::test]
    async fn server_errors_hide_their_cause() {
        let response = Error::Internal("password=hunter2".into()).into_response();
        let bytes = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(!text.contains("hunter2"));
        assert!(text.contains("\"code\":\"internal\""));
    }

    #[tokio::test]
    async fn field_errors_carry_the_field() {
        let response = Error::invalid("stage", "unknown variant").into_response();
        let bytes = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["error"]["field"], "stage");
        assert_eq!(json["error"]["code"], "invalid");
    }
}
