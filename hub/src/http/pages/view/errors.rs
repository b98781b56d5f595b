//! Error pages for browsers: what went wrong and where to go next. The API keeps its JSON
//! errors; anything outside `/api/` and `/static/` is answered with a page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Identity;
use crate::error::Error;
use crate::http::pages::{Layout, render};
use crate::i18n::Lang;

/// Whether a path belongs to the JSON API, the probes or the assets, which answer errors
/// as JSON.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/static/")
        || matches!(path, "/healthz" | "/readyz")
}

struct Hint {
    href: String,
    text: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: String,
    message: String,
    hints: Vec<Hint>,
}

fn hint(href: impl Into<String>, text: impl Into<String>) -> Hint {
    Hint {
        href: href.into(),
        text: text.into(),
    }
}

/// The words of the address, as a search to suggest on a 404.
fn words_of(path: &str) -> String {
    path.rsplit('/')
        .find(|s| !s.is_empty() && *s != "edit")
        .unwrap_or_default()
        .replace(['-', '_'], " ")
        .chars()
        .take(100)
        .collect()
}

fn sign_in_link(path: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
    format!("/auth/login?return_to={encoded}")
}

/// The page for an error met while answering `path`.
pub fn page(who: &Identity, path: &str, error: Error) -> Response {
    let status = error.status_code();
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&sign_in_link(path)).into_response();
    }
    let signed_in = who.user.is_some();
    let lang = who.lang;
    // The cause of a refusal or a bad request is the API's English sentence; pages in
    // other languages show it as a detail after their own words.
    let detail = |error: &Error| match lang {
        Lang::En => error.to_string(),
        _ => lang
            .msg("error-detail")
            .arg("detail", error.to_string())
            .to_string(),
    };
    let (title, message, mut hints) = match status {
        StatusCode::NOT_FOUND => {
            let words = words_of(path);
            let mut hints = Vec::new();
            if !words.is_empty() {
                let q: String = form_urlencoded::byte_serialize(words.as_bytes()).collect();
                hints.push(hint(
                    format!("/search?q={q}"),
                    lang.msg("error-search-for").arg("words", &words),
                ));
            }
            hints.push(hint("/projects", lang.t("error-browse-projects")));
            hints.push(hint("/models", lang.t("error-browse-models")));
            hints.push(hint("/workstreams", lang.t("error-browse-workstreams")));
            let message = if signed_in {
                lang.t("error-not-found-member")
            } else {
                lang.t("error-not-found-visitor")
            };
            (lang.t("error-not-found"), message, hints)
        }
        StatusCode::FORBIDDEN => {
            let who = who
                .user
                .as_ref()
                .map(|u| {
                    let named = lang
                        .msg("error-forbidden-signed-in-as")
                        .arg("name", &u.name);
                    format!(" {named}")
                })
                .unwrap_or_default();
            let cause = match lang {
                Lang::En => format!("{error}."),
                _ => detail(&error),
            };
            (
                lang.t("error-forbidden"),
                format!("{cause}{who} {}", lang.t("error-forbidden-explain")),
                vec![hint("/account", lang.t("error-your-account"))],
            )
        }
        s if s.is_server_error() => {
            // Logs the cause; the page shows none of it.
            let _ = error.into_response();
            (
                lang.t("error-server"),
                lang.t("error-server-explain"),
                vec![],
            )
        }
        _ => (lang.t("error-other"), detail(&error), vec![]),
    };
    if !signed_in && status != StatusCode::FORBIDDEN {
        hints.push(hint(sign_in_link(path), lang.t("error-sign-in")));
    }
    hints.push(hint("/", lang.t("error-home")));
    let body = ErrorPage {
        layout: Layout::new(who, "", format!("{title}: {message}")),
        status: status.as_u16(),
        title,
        message,
        hints,
    };
    render(status, &body)
}

/// Marks the answer given for a handler that panicked.
#[derive(Clone, Copy)]
struct Panicked;

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let mut response = Error::Internal("a request handler panicked".into()).into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// Shows browsers the error page when a page's handler panicked (the API answers its JSON).
async fn panic_pages(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if response.extensions().get::<Panicked>().is_some() && !is_api(&path) {
        page(
            &Identity::anonymous(),
            &path,
            Error::Internal("a request handler panicked".into()),
        )
    } else {
        response
    }
}

/// Answers a panic inside a handler with a 500 (a page for browsers) instead of a dropped
/// connection.
pub fn catch_panics<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    router
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn(panic_pages))
}

/// Answers a page handler's outcome, turning an error into its page.
pub fn or_page(who: &Identity, path: &str, outcome: Result<Response, Error>) -> Response {
    outcome.unwrap_or_else(|e| page(who, path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_a_500_page_for_browsers_and_json_for_the_api() {
        use axum::routing::get;
        use tower::ServiceExt;
        async fn boom() -> &'static str {
            panic!("boom")
        }
        let app = catch_panics(
            axum::Router::new()
                .route("/page", get(boom))
                .route("/api/v1/boom", get(boom)),
        );
        for (path, expect) in [
            ("/page", "Something went wrong"),
            ("/api/v1/boom", "\"code\":\"internal\""),
        ] {
            let request = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(response.into_body(), 100_000)
                .await
                .unwrap();
            let text = String::from_utf8_lossy(&body);
            assert!(text.contains(expect), "{path}: {text}");
            assert!(!text.contains("boom"), "{path}: the cause stays in the log");
        }
    }

    #[test]
    fn a_missing_page_suggests_a_search_for_its_words() {
        assert_eq!(words_of("/projects/insee-ape-coding"), "insee ape coding");
        assert_eq!(words_of("/models/insee/naf-coder/edit"), "naf coder");
        assert_eq!(words_of("/"), "");
        assert!(is_api("/api/v1/nothing"));
        assert!(is_api("/readyz"));
        assert!(!is_api("/projects/x"));
    }
}
