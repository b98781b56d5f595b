//! `/api/v1/tokens`: the caller's personal API tokens.

use agora_schemas::{FieldError, Validate};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PageQuery, page_of};
use crate::app::AppState;
use crate::auth::tokens::{self, ApiToken};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, Strict};
use crate::policy::{Caller, write};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
}

page_of!(TokenList, ApiToken);

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// What the token is for, such as `nightly sync script`.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    /// Days until the token stops working (1 to 3650); without it, it works until revoked.
    #[serde(default, deserialize_with = "agora_schemas::whole::optional")]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}

impl Validate for TokenInput {
    fn validate(&self) -> Result<(), FieldError> {
        agora_schemas::validate::text("name", &self.name, 100)?;
        match self.expires_in_days {
            Some(d) if !(1..=3650).contains(&d) => Err(FieldError::new(
                "expires_in_days",
                "must be between 1 and 3650",
            )),
            _ => Ok(()),
        }
    }
}

/// A new token: the secret is shown here once and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    /// Send as `Authorization: Bearer <token>`. Not stored by the hub: keep it now.
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Lists the caller's personal API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", operation_id = "account_tokens_list",
    params(PageQuery),
    responses((status = 200, description = "Success", body = TokenList), (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<PageQuery>,
) -> Result<Json<TokenList>> {
    let user_id = write::require_user(&caller)?;
    let page = q.page()?;
    let mut conn = state.db.acquire().await?;
    let (items, total) = tokens::list_page(&mut conn, user_id, page).await?;
    Ok(Json(TokenList::new(items, total, page)))
}

/// Makes a personal API token; the answer carries the secret, once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", operation_id = "account_tokens_create", request_body = TokenInput,
    responses((status = 201, description = "Created", body = NewToken), (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 413, description = "The body is larger than the hub accepts", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody),
              (status = 403, description = "Missing CSRF token, or not a person", body = ErrorBody),
              (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Strict(input): Strict<TokenInput>,
) -> Result<Response> {
    let user_id = write::require_user(&caller)?;
    let (token, secret) =
        tokens::create(&state.db, user_id, input.name.trim(), input.expires_in_days).await?;
    let body = NewToken {
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        token: secret,
        created_at: token.created_at,
        expires_at: token.expires_at,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Revokes one of the caller's tokens; it is refused from then on.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account", operation_id = "account_tokens_revoke",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such live token of yours", body = ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let user_id = write::require_user(&caller)?;
    if tokens::revoke(&state.db, user_id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(format!("token {id}")))
    }
}
