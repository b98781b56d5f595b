//! Who is calling: the [`Caller`], [`Identity`] and [`PageIdentity`] extractors. A request is
//!
//! - authenticated by `Authorization: Bearer agp_…` (a personal API token), or
//! - authenticated by the session cookie (pages and API alike; a cookie-authenticated API
//!   request that changes state must carry the session's `X-CSRF-Token`), or
//! - anonymous when it brings neither.
//!
//! A credential that is malformed, unknown, expired or revoked is refused with 401 rather
//! than read as anonymous; an agent token (`agt_…`) on these routes is refused with 403.
//! What the caller may then read or write is for [`crate::policy`] to say.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::auth::session::{self, Lookup, cookie_name};
use crate::auth::{
    AGENT_TOKEN_PREFIX, Credential, Identity, PERSONAL_TOKEN_PREFIX, csrf, load_user, tokens,
};
use crate::cookies::read_cookie;
use crate::error::{Error, Result};
use crate::policy::Caller;

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        Ok(identity(parts, state).await?.caller)
    }
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        identity(parts, state).await
    }
}

/// The request's identity, resolved once and kept in the request's extensions.
pub async fn identity(parts: &mut Parts, state: &AppState) -> Result<Identity> {
    if let Some(found) = parts.extensions.get::<Identity>() {
        return Ok(found.clone());
    }
    let mut found = resolve(parts, state).await?;
    localise(&mut found, parts);
    parts.extensions.insert(found.clone());
    Ok(found)
}

/// Gives an identity the request's language and address, which pages need.
pub fn localise(who: &mut Identity, parts: &Parts) {
    who.lang = crate::i18n::from_headers(&parts.headers);
    who.here = parts
        .uri
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn resolve(parts: &Parts, state: &AppState) -> Result<Identity> {
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .ok_or_else(|| {
                Error::Unauthorized("send the token as `Authorization: Bearer <token>`".into())
            })?;
        if token.starts_with(AGENT_TOKEN_PREFIX) {
            return Err(Error::Forbidden(
                "agent tokens are accepted on the agent routes only: use a personal API token"
                    .into(),
            ));
        }
        if !token.starts_with(PERSONAL_TOKEN_PREFIX) {
            return Err(Error::Unauthorized("this is not an Agora API token".into()));
        }
        let mut conn = state.db.acquire().await?;
        let (user_id, token_id) =
            tokens::authenticate(&mut conn, token)
                .await?
                .ok_or_else(|| {
                    Error::Unauthorized("the API token is unknown, expired or revoked".into())
                })?;
        let mut found = load_user(&mut *conn, user_id)
            .await?
            .ok_or_else(|| Error::Unauthorized("the token's user no longer exists".into()))?;
        found.credential = Credential::Token { token_id };
        return Ok(found);
    }

    let config = &state.config;
    let Some(cookie) = read_cookie(&parts.headers, cookie_name(config.secure_cookies())) else {
        return Ok(Identity::anonymous());
    };
    let mut conn = state.db.acquire().await?;
    let live = match session::lookup(&mut conn, config, cookie).await? {
        Lookup::Live(s) => s,
        Lookup::Expired => {
            return Err(Error::Unauthorized(
                "your session has expired: sign in again".into(),
            ));
        }
        Lookup::Unknown => {
            return Err(Error::Unauthorized(
                "your session is unknown or has ended: sign in again".into(),
            ));
        }
    };
    if parts.uri.path().starts_with("/api/") && changes_state(&parts.method) {
        let given = parts
            .headers
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok());
        csrf::verify(Some(&live.csrf_token), given)?;
    }
    let mut found = load_user(&mut *conn, live.user_id)
        .await?
        .ok_or_else(|| Error::Unauthorized("the session's user no longer exists".into()))?;
    found.credential = Credential::Session {
        csrf_token: live.csrf_token,
    };
    Ok(found)
}

/// The identity of a request, for page handlers: a bad credential reads as anonymous.
pub struct PageIdentity(pub Identity);

impl FromRequestParts<AppState> for PageIdentity {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self> {
        let who = match identity(parts, state).await {
            Ok(who) => who,
            Err(_) => {
                let mut who = Identity::anonymous();
                localise(&mut who, parts);
                who
            }
        };
        Ok(PageIdentity(who))
    }
}
