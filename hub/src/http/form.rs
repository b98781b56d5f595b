//! Forms that change state: read only after their CSRF token is checked.

use axum::extract::{FromRequest, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::auth::identity;
use crate::app::AppState;
use crate::auth::Identity;
use crate::auth::csrf::{PRE_SESSION_COOKIE, verify};
use crate::cookies::read_cookie;
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct CsrfField {
    csrf: Option<String>,
}

/// A URL-encoded form whose `csrf` field was checked against the session's token (or the
/// pre-sign-in cookie when there is no session) before the handler runs.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &AppState) -> Result<Self> {
        let (mut parts, body) = req.into_parts();
        // A stale session cookie must not block signing in again: it reads as anonymous here.
        let who = identity(&mut parts, state)
            .await
            .unwrap_or_else(|_| Identity::anonymous());
        let expected = who
            .csrf_token()
            .map(str::to_string)
            .or_else(|| read_cookie(&parts.headers, PRE_SESSION_COOKIE).map(str::to_string));
        let req = Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| Error::TooLarge)?;
        let given: CsrfField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Error::Malformed(format!("form: {e}")))?;
        verify(expected.as_deref(), given.csrf.as_deref())?;
        crate::http::input::check_form(&bytes)?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Error::invalid("form", e.to_string()))?;
        Ok(CsrfForm(form))
    }
}
