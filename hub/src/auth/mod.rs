//! Sign-in and credentials: OpenID Connect ([`oidc`]), browser sessions ([`session`]),
//! CSRF tokens ([`csrf`]), personal API tokens ([`tokens`]), roles ([`roles`]) and the
//! development sign-in ([`dev_login`]). What a credential may do is decided by
//! [`crate::policy`]; this module only says who is calling.

pub mod csrf;
pub mod dev_login;
pub mod oidc;
pub mod roles;
pub mod session;
pub mod tokens;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, PgExecutor};

use crate::error::Result;
use crate::i18n::Lang;
use crate::policy::Caller;

/// Prefix of personal API tokens.
pub const PERSONAL_TOKEN_PREFIX: &str = "agp_";
/// Prefix of agent tokens: accepted on the agent routes only.
pub const AGENT_TOKEN_PREFIX: &str = "agt_";

/// A fresh random secret: 32 bytes from a cryptographic generator, base64url.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a secret: what the database keeps instead of the secret.
pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// How a request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Anonymous,
    /// A browser session: its CSRF token guards state-changing requests.
    Session {
        csrf_token: String,
    },
    /// A personal API token.
    Token {
        token_id: i64,
    },
}

/// The caller and the credential it used; resolved once per request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub caller: Caller,
    pub credential: Credential,
    /// The signed-in person's details, for pages and `/api/v1/me`.
    pub user: Option<UserSummary>,
    /// The language pages are answered in ([`crate::i18n::negotiate`]).
    pub lang: Lang,
    /// The path and query of the request, for links back to it (the language switcher).
    pub here: String,
}

impl Identity {
    pub fn anonymous() -> Self {
        Self {
            caller: Caller::anonymous(),
            credential: Credential::Anonymous,
            user: None,
            lang: Lang::En,
            here: "/".to_string(),
        }
    }

    /// The session's CSRF token, when the caller came with a session cookie.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token } => Some(csrf_token),
            _ => None,
        }
    }
}

/// A signed-in person, as pages show them.
#[derive(Debug, Clone, FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub organisation: Option<String>,
}

#[derive(FromRow)]
struct CallerRow {
    id: i64,
    email: String,
    name: String,
    organisation: Option<String>,
    admin: bool,
    steward_of: Vec<String>,
    lead_of: Vec<String>,
}

/// Loads a user's identity: organisation, hub and provider roles, workstreams led.
pub async fn load_user(ex: impl PgExecutor<'_>, user_id: i64) -> Result<Option<Identity>> {
    let row: Option<CallerRow> = sqlx::query_as(
        r#"SELECT u.id, u.email, u.name, o.slug::text AS organisation,
                  (u.is_admin OR EXISTS (SELECT 1 FROM user_roles r
                                         WHERE r.user_id = u.id AND r.role = 'admin')) AS admin,
                  ARRAY(SELECT DISTINCT so.slug::text FROM user_roles r
                        JOIN organisations so ON so.id = r.organisation_id
                        WHERE r.user_id = u.id AND r.role = 'steward' ORDER BY 1) AS steward_of,
                  ARRAY(SELECT w.slug::text FROM memberships m
                        JOIN workstreams w ON w.id = m.workstream_id
                        WHERE m.user_id = u.id AND m.role = 'lead' ORDER BY 1) AS lead_of
           FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
           WHERE u.id = $1"#,
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Identity {
        caller: Caller {
            signed_in: true,
            user_id: Some(r.id),
            organisations: r.organisation.iter().cloned().collect(),
            admin: r.admin,
            steward_of: r.steward_of,
            lead_of: r.lead_of,
            actor: r.email.clone(),
        },
        credential: Credential::Anonymous,
        user: Some(UserSummary {
            id: r.id,
            email: r.email,
            name: r.name,
            organisation: r.organisation,
        }),
        lang: Lang::En,
        here: "/".to_string(),
    }))
}

/// Where the browser goes after sign-in when it asked for nothing else.
pub const DEFAULT_RETURN_TO: &str = "/account";

/// A path to send the browser back to after sign-in: local paths only (no open redirect).
pub fn safe_return_to(candidate: Option<&str>) -> String {
    let Some(path) = candidate else {
        return DEFAULT_RETURN_TO.into();
    };
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path.len() <= 1000;
    if local {
        path.to_string()
    } else {
        DEFAULT_RETURN_TO.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_secret(&a).len(), 32);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
    }

    #[test]
    fn return_to_must_be_a_local_path() {
        assert_eq!(safe_return_to(Some("/account")), "/account");
        assert_eq!(
            safe_return_to(Some("/projects?x=1#top")),
            "/projects?x=1#top"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "evil",
            "/a\r\nSet-Cookie: x",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_return_to(Some(bad)), DEFAULT_RETURN_TO, "{bad:?}");
        }
        assert_eq!(safe_return_to(None), DEFAULT_RETURN_TO);
    }
}
