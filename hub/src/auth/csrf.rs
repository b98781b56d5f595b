//! CSRF protection. Signed-in pages embed the session's token in every form that changes
//! state (a hidden `csrf` field); scripts that use the session cookie send it as
//! `X-CSRF-Token`. Forms shown before sign-in (development sign-in) use a double-submit
//! token: a random value in a cookie and in the form, which must match.

use axum::http::HeaderMap;

use super::{random_secret, same_secret};
use crate::cookies::{read_cookie, set_cookie};
use crate::error::{Error, Result};

/// The header scripts send with cookie-authenticated writes.
pub const HEADER: &str = "x-csrf-token";
/// The form field pages embed.
pub const FIELD: &str = "csrf";
/// The cookie of the double-submit token used before sign-in.
pub const PRE_SESSION_COOKIE: &str = "agora_csrf";

/// Accepts `given` only when it equals `expected`; 403 otherwise.
pub fn verify(expected: Option<&str>, given: Option<&str>) -> Result<()> {
    match (expected, given) {
        (Some(e), Some(g)) if !e.is_empty() && same_secret(e, g) => Ok(()),
        (_, None) => Err(Error::Forbidden(
            "the CSRF token is missing: reload the page and try again".into(),
        )),
        _ => Err(Error::Forbidden(
            "the CSRF token does not match: reload the page and try again".into(),
        )),
    }
}

/// The pre-sign-in token from the request's cookie, or a new one with the `Set-Cookie`
/// header that stores it.
pub fn pre_session_token(headers: &HeaderMap, secure: bool) -> (String, Option<String>) {
    match read_cookie(headers, PRE_SESSION_COOKIE) {
        Some(token) if token.len() >= 32 => (token.to_string(), None),
        _ => {
            let token = random_secret();
            let cookie = set_cookie(PRE_SESSION_COOKIE, &token, "/auth", 3600, secure);
            (token, Some(cookie))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_must_be_present_and_equal() {
        assert!(verify(Some("abc"), Some("abc")).is_ok());
        assert_eq!(verify(Some("abc"), None).unwrap_err().status_code(), 403);
        assert_eq!(
            verify(Some("abc"), Some("abd")).unwrap_err().status_code(),
            403
        );
        assert_eq!(verify(None, Some("abc")).unwrap_err().status_code(), 403);
        assert_eq!(verify(Some(""), Some("")).unwrap_err().status_code(), 403);
    }

    #[test]
    fn the_pre_session_token_is_kept_in_a_cookie() {
        let (token, cookie) = pre_session_token(&HeaderMap::new(), false);
        let cookie = cookie.unwrap();
        assert!(cookie.starts_with(&format!("agora_csrf={token};")));
        assert!(cookie.contains("HttpOnly"));
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            format!("agora_csrf={token}").parse().unwrap(),
        );
        let (again, none) = pre_session_token(&headers, false);
        assert_eq!(again, token);
        assert!(none.is_none());
    }
}
