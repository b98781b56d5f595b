//! Personal API tokens: `agp_` and 43 random characters, shown once at creation; the hub
//! keeps the SHA-256 and the first characters (to tell tokens apart in lists), notes the
//! last use, and refuses a revoked or expired token.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgConnection, PgExecutor};
use utoipa::ToSchema;

use super::{PERSONAL_TOKEN_PREFIX, hash_secret, random_secret};
use crate::error::Result;

/// How many leading characters of a token are kept and shown.
pub const SHOWN_PREFIX_LEN: usize = 12;

/// A personal API token as lists show it (never the secret).
#[derive(Debug, Clone, Serialize, FromRow, ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The token's first characters, such as `agp_3fK9xQ2a`.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Makes a token for a user; returns it with the secret, which is not stored.
pub async fn create(
    ex: impl PgExecutor<'_>,
    user_id: i64,
    name: &str,
    expires_in_days: Option<u32>,
) -> Result<(ApiToken, String)> {
    let secret = format!("{PERSONAL_TOKEN_PREFIX}{}", random_secret());
    let prefix: String = secret.chars().take(SHOWN_PREFIX_LEN).collect();
    let expires_at = expires_in_days.map(|d| Utc::now() + Duration::days(i64::from(d)));
    let token: ApiToken = sqlx::query_as(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash, expires_at) \
         VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at",
    )
    .bind(user_id)
    .bind(name)
    .bind(&prefix)
    .bind(hash_secret(&secret))
    .bind(expires_at)
    .fetch_one(ex)
    .await?;
    Ok((token, secret))
}

/// One page of a user's tokens, newest first, revoked ones included, and how many there
/// are in all.
pub async fn list_page(
    conn: &mut sqlx::PgConnection,
    user_id: i64,
    page: crate::db::PageRequest,
) -> Result<(Vec<ApiToken>, i64)> {
    let items = sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at \
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut *conn)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((items, total))
}

/// Revokes one of a user's tokens; `false` when the user has no such live token.
pub async fn revoke(ex: impl PgExecutor<'_>, user_id: i64, token_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now() \
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user and token a presented secret belongs to, if it is live; notes its use
/// (at most once a minute).
pub async fn authenticate(conn: &mut PgConnection, secret: &str) -> Result<Option<(i64, i64)>> {
    let hash = hash_secret(secret);
    let found: Option<(i64, i64, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT id, user_id, last_used_at FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > now())",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((token_id, user_id, last_used)) = found else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| Utc::now() - t > Duration::seconds(60)) {
        sqlx::query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1")
            .bind(token_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some((user_id, token_id)))
}
