//! What the pages about people's own credentials and settings share: errors shown as
//! pages in the caller's language, rendering that is never cached, and the empty form of
//! a button.

use askama::Template;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Identity;
use crate::error::Error;
use crate::http::pages::Layout;
use crate::i18n::Lang;

/// An error shown as a page, with the right status, in the language of the page it
/// answers (English until [`PageError::on_page_of`] says otherwise).
pub struct PageError {
    pub error: Error,
    lang: Lang,
    here: String,
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        Self {
            error,
            lang: Lang::En,
            here: "/".into(),
        }
    }
}

impl PageError {
    /// The error as a page in the caller's language, linking back to the same address.
    pub fn on_page_of(self, who: &Identity) -> Self {
        Self {
            lang: who.lang,
            here: who.here.clone(),
            ..self
        }
    }
}

/// Answers a page handler's error in the caller's language.
pub fn in_lang_of<T>(who: &Identity, result: Result<T, PageError>) -> Result<T, PageError> {
    result.map_err(|e| e.on_page_of(who))
}

#[derive(Template)]
#[template(path = "auth/error.html")]
struct ErrorPage {
    layout: Layout,
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let lang = self.lang;
        let mut who = Identity::anonymous();
        who.lang = lang;
        who.here = self.here;
        let status = self.error.status_code();
        let error_page = |title: String, message: String| ErrorPage {
            layout: Layout::new(&who, "account", title.clone()),
            title,
            message,
        };
        if status.is_server_error() {
            // The JSON error logs the cause and hides it; pages say the same.
            let _ = self.error.into_response();
            return page(
                status,
                &error_page(
                    lang.t("signin-error-server"),
                    lang.t("signin-error-server-message"),
                ),
            );
        }
        let title = lang.t(match status {
            StatusCode::UNAUTHORIZED => "signin-error-unauthorized",
            StatusCode::FORBIDDEN => "signin-error-forbidden",
            StatusCode::NOT_FOUND => "signin-error-not-found",
            _ => "signin-error-failed",
        });
        // The hub's error messages are written in English; other languages say so.
        let message = match lang {
            Lang::En => self.error.to_string(),
            _ => lang
                .msg("error-detail")
                .arg("detail", self.error.to_string())
                .to_string(),
        };
        page(status, &error_page(title, message))
    }
}

/// Renders a page; pages about credentials are never cached.
pub fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// A person's roles in words: "Hub administrator", "Steward of INSEE", "Lead of WS5
/// QF4SA", "Member". `organisations` and `workstreams` name them by slug.
pub fn role_words(
    lang: Lang,
    caller: &crate::policy::Caller,
    organisations: &std::collections::HashMap<String, String>,
    workstreams: &std::collections::HashMap<String, String>,
) -> Vec<String> {
    let name = |names: &std::collections::HashMap<String, String>, slug: &str| {
        names.get(slug).cloned().unwrap_or_else(|| slug.to_string())
    };
    let mut words = Vec::new();
    if caller.admin {
        words.push(lang.t("account-role-admin"));
    }
    for o in &caller.steward_of {
        words.push(
            lang.msg("account-role-steward")
                .arg("organisation", name(organisations, o))
                .to_string(),
        );
    }
    for w in &caller.lead_of {
        words.push(
            lang.msg("account-role-lead")
                .arg("workstream", name(workstreams, w))
                .to_string(),
        );
    }
    if caller.signed_in {
        words.push(lang.t("account-role-member"));
    }
    words
}
