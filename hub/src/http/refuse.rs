//! The middleware that refuses a page request whose path or query no page can use (see
//! [`super::input`]), with the error page.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use super::input::{MAX_SEGMENT, check_query, decoded, fault};
use super::pages::view::errors;
use crate::auth::Identity;
use crate::error::Error;

/// Refuses a page request whose path or query no page can use.
pub async fn refuse_unusable_text(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if errors::is_api(path) {
        return next.run(request).await;
    }
    let bad_path = path
        .split('/')
        .any(|segment| fault(&decoded(segment), MAX_SEGMENT).is_some());
    let refusal = if bad_path {
        Some(Error::NotFound("page".into()))
    } else {
        request.uri().query().and_then(|q| check_query(q).err())
    };
    match refusal {
        Some(error) => {
            // The path is shown back on the error page: only its readable part.
            let shown = String::from_utf8_lossy(&decoded(path))
                .replace('\0', "\u{fffd}")
                .chars()
                .take(200)
                .collect::<String>();
            errors::page(&Identity::anonymous(), &shown, error)
        }
        None => next.run(request).await,
    }
}
