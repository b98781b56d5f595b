//! Reading and writing cookies with the hub's attributes (`HttpOnly; SameSite=Lax`, and
//! `Secure` unless the hub runs on plain-HTTP loopback).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// A `Set-Cookie` value with the hub's attributes. `max_age` 0 removes the cookie.
pub fn set_cookie(name: &str, value: &str, path: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The value of a cookie in the request, if present (the first one wins).
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; agora_session=xyz; b=2"),
        );
        assert_eq!(read_cookie(&headers, "agora_session"), Some("xyz"));
        assert_eq!(read_cookie(&headers, "missing"), None);
        assert_eq!(read_cookie(&headers, "b"), Some("2"));
    }
}
