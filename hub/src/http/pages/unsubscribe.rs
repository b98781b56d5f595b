//! `/digests/unsubscribe`: the signed link of every digest. GET asks; POST (the RFC 8058
//! one-click request or the page's button) unsubscribes, without signing in.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::digest::{preferences, signing};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::Layout;
use crate::http::pages::view::account::{PageError, in_lang_of, page};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/digests/unsubscribe",
        get(confirm_unsubscribe).post(unsubscribe),
    )
}

/// The signed link's parameters: user id, workstream slug, token.
#[derive(Deserialize)]
struct LinkParams {
    u: Option<i64>,
    w: Option<String>,
    t: Option<String>,
}

#[derive(Template)]
#[template(path = "digest/unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    done: bool,
    workstream: String,
    action: String,
}

/// Checks the link; the signed token is what authorises the change, so neither a session
/// nor a CSRF token is needed (a forger would need the token itself).
fn verified(state: &AppState, params: &LinkParams) -> Result<(i64, String, String), Error> {
    let refused = || {
        Error::Forbidden("this unsubscribe link is not valid: use the link of a recent digest, or sign in and choose your digests on /account/digests".into())
    };
    let (Some(user_id), Some(workstream), Some(token)) = (params.u, &params.w, &params.t) else {
        return Err(refused());
    };
    let secret = state.config.digest.secret()?;
    if !signing::verify_unsubscribe(secret, user_id, workstream, token) {
        return Err(refused());
    }
    let action = format!(
        "/digests/unsubscribe?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("u", &user_id.to_string())
            .append_pair("w", workstream)
            .append_pair("t", token)
            .finish()
    );
    Ok((user_id, workstream.clone(), action))
}

async fn confirm_unsubscribe(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Query(params): Query<LinkParams>,
) -> Result<Response, PageError> {
    in_lang_of(&who, confirm_page(&state, &who, &params).await)
}

async fn confirm_page(
    state: &AppState,
    who: &Identity,
    params: &LinkParams,
) -> Result<Response, PageError> {
    let (_, workstream, action) = verified(state, params)?;
    let title: Option<String> =
        sqlx::query_scalar("SELECT code || ' ' || title FROM workstreams WHERE slug = $1")
            .bind(&workstream)
            .fetch_optional(&state.db)
            .await
            .map_err(Error::from)?;
    let Some(title) = title else {
        return Err(Error::NotFound(format!("workstream `{workstream}`")).into());
    };
    Ok(page(
        StatusCode::OK,
        &UnsubscribePage {
            layout: Layout::new(who, "account", who.lang.t("digest-unsubscribe-description")),
            done: false,
            workstream: title,
            action,
        },
    ))
}

/// RFC 8058 one-click: a POST to the link with `List-Unsubscribe=One-Click` (the body is
/// not needed: the link alone decides). Answers 200 with a page saying it is done.
async fn unsubscribe(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Query(params): Query<LinkParams>,
) -> Result<Response, PageError> {
    in_lang_of(&who, unsubscribe_by_link(&state, &who, &params).await)
}

async fn unsubscribe_by_link(
    state: &AppState,
    who: &Identity,
    params: &LinkParams,
) -> Result<Response, PageError> {
    let (user_id, workstream, action) = verified(state, params)?;
    let mut conn = state.db.acquire().await.map_err(Error::from)?;
    let Some(title) = preferences::unsubscribe(&mut conn, user_id, &workstream).await? else {
        return Err(Error::NotFound(format!("workstream `{workstream}`")).into());
    };
    tracing::info!(user_id, workstream = %workstream, "unsubscribed from a digest by its link");
    Ok(page(
        StatusCode::OK,
        &UnsubscribePage {
            layout: Layout::new(who, "account", who.lang.t("digest-unsubscribe-description")),
            done: true,
            workstream: title,
            action,
        },
    ))
}
