//! The language switcher, `GET /language/{code}?back=/path`, and the headers that tell
//! caches and browsers which language a page is in.
//!
//! Switching sets the `agora_lang` cookie for a year and goes back to the page it came
//! from (a local path only: never an open redirect). It changes no stored state, so it
//! needs no CSRF token; signed-in people choose the language of their e-mails on the
//! digest preferences page.

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CONTENT_LANGUAGE, CONTENT_TYPE, LOCATION, SET_COOKIE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::app::AppState;
use crate::cookies::set_cookie;
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::errors;
use crate::i18n::{self, Lang};

/// How long the choice is remembered: a year.
const REMEMBERED_FOR: i64 = 365 * 24 * 3600;

pub fn router() -> Router<AppState> {
    Router::new().route("/language/{code}", get(switch))
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn switch(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(code): Path<String>,
    Query(back): Query<Back>,
) -> Response {
    let Some(lang) = Lang::from_code(&code).filter(|l| l.code() == code) else {
        let known = Lang::ALL.map(Lang::code).join(", ");
        return errors::page(
            &who,
            "/language",
            Error::invalid("code", format!("the hub speaks {known}, not `{code}`")),
        );
    };
    let to = match back.back {
        Some(path) if crate::auth::safe_return_to(Some(&path)) == path => path,
        _ => "/".to_string(),
    };
    let cookie = set_cookie(
        i18n::COOKIE,
        lang.code(),
        "/",
        REMEMBERED_FOR,
        state.config.secure_cookies(),
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(to), Ok(cookie)) = (HeaderValue::from_str(&to), HeaderValue::from_str(&cookie)) {
        headers.insert(LOCATION, to);
        headers.insert(SET_COOKIE, cookie);
    }
    response
}

/// Marks pages with their language, and tells shared caches that the language depends on
/// `Accept-Language` and the cookie.
pub async fn mark(request: Request, next: Next) -> Response {
    let lang = i18n::from_headers(request.headers());
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if is_page {
        let headers = response.headers_mut();
        headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
        headers.append(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}
