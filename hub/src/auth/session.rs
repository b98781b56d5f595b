//! Browser sessions: a random id in an `HttpOnly; SameSite=Lax` cookie (`Secure` unless the
//! hub runs on plain-HTTP loopback), its SHA-256 in the `sessions` table with the user, a
//! CSRF token, an absolute expiry and an idle limit. Every sign-in makes a new id.

use chrono::{DateTime, Duration, Utc};
use sqlx::{FromRow, PgExecutor};

use super::{hash_secret, random_secret};
use crate::config::Config;
use crate::cookies::set_cookie;
use crate::error::Result;

/// The session cookie's name. With `Secure`, the `__Host-` prefix also pins it to this
/// host and path `/`.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-agora_session"
    } else {
        "agora_session"
    }
}

/// The session cookie for a new session.
pub fn session_cookie(config: &Config, value: &str) -> String {
    let secure = config.secure_cookies();
    set_cookie(
        cookie_name(secure),
        value,
        "/",
        i64::try_from(config.session_ttl).unwrap_or(i64::MAX),
        secure,
    )
}

/// The header that removes the session cookie.
pub fn clear_session_cookie(config: &Config) -> String {
    let secure = config.secure_cookies();
    set_cookie(cookie_name(secure), "", "/", 0, secure)
}

/// A session made at sign-in: the cookie value (shown to the browser only) and its CSRF token.
pub struct NewSession {
    pub cookie_value: String,
    pub csrf_token: String,
}

/// Starts a session for a user. `method` records how: a provider's name, or `dev`.
pub async fn create(
    ex: impl PgExecutor<'_>,
    config: &Config,
    user_id: i64,
    method: &str,
) -> Result<NewSession> {
    let cookie_value = random_secret();
    let csrf_token = random_secret();
    let ttl = Duration::seconds(i64::try_from(config.session_ttl).unwrap_or(i64::MAX / 1000));
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, method, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_secret(&cookie_value))
    .bind(user_id)
    .bind(&csrf_token)
    .bind(method)
    .bind(Utc::now() + ttl)
    .execute(ex)
    .await?;
    Ok(NewSession {
        cookie_value,
        csrf_token,
    })
}

/// A live session.
#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What a session cookie turned out to be.
#[derive(Debug)]
pub enum Lookup {
    Live(Session),
    /// Past its absolute or idle limit: removed now.
    Expired,
    Unknown,
}

/// Finds the session a cookie names; an expired one is deleted and reported as such. The
/// last-seen time is refreshed at most once a minute.
pub async fn lookup(
    conn: &mut sqlx::PgConnection,
    config: &Config,
    cookie_value: &str,
) -> Result<Lookup> {
    let hash = hash_secret(cookie_value);
    let found: Option<Session> = sqlx::query_as(
        "SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(session) = found else {
        return Ok(Lookup::Unknown);
    };
    let now = Utc::now();
    let idle =
        Duration::seconds(i64::try_from(config.session_idle_timeout).unwrap_or(i64::MAX / 1000));
    if session.expires_at <= now || session.last_seen_at + idle <= now {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
        return Ok(Lookup::Expired);
    }
    if now - session.last_seen_at > Duration::seconds(60) {
        sqlx::query("UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1")
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Lookup::Live(session))
}

/// Ends the session a cookie names (sign-out).
pub async fn delete(ex: impl PgExecutor<'_>, cookie_value: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash_secret(cookie_value))
        .execute(ex)
        .await?;
    Ok(())
}

/// Removes sessions and sign-ins in progress that have expired.
pub async fn purge_expired(ex: impl PgExecutor<'_> + Copy) -> Result<u64> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= now()")
        .execute(ex)
        .await?
        .rows_affected();
    let attempts = sqlx::query("DELETE FROM login_attempts WHERE expires_at <= now()")
        .execute(ex)
        .await?
        .rows_affected();
    Ok(sessions + attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_off_loopback() {
        let mut config = Config::default();
        let local = session_cookie(&config, "abc");
        assert!(local.starts_with("agora_session=abc; Path=/;"), "{local}");
        assert!(local.contains("HttpOnly"));
        assert!(local.contains("SameSite=Lax"));
        assert!(!local.contains("Secure"));
        config.public_url = Some(url::Url::parse("https://agora.example.org").unwrap());
        let public = session_cookie(&config, "abc");
        assert!(public.starts_with("__Host-agora_session=abc;"), "{public}");
        assert!(public.ends_with("; Secure"));
        assert!(clear_session_cookie(&config).contains("Max-Age=0"));
    }
}
