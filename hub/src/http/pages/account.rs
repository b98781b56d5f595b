//! `/account`: who you are, your organisation and roles, and your personal API tokens
//! (create — shown once —, list with prefix and last use, revoke). Every form carries the
//! session's CSRF token.

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::{Identity, tokens};
use crate::db::PageRequest;
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::extract::page_request;
use crate::http::form::CsrfForm;
use crate::http::pages::view::account::{EmptyForm, PageError, in_lang_of, page};
use crate::http::pages::view::form;
use crate::http::pages::{Layout, view};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    expires: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    layout: Layout,
    name: String,
    email: String,
    organisation: Option<String>,
    roles: Vec<String>,
    csrf: String,
    /// A page of the tokens, newest first.
    tokens: Vec<TokenRow>,
    pager: view::Pager,
    new_token: Option<String>,
    /// The language of the person's e-mails, named in itself.
    email_language: &'static str,
}

fn when(t: Option<DateTime<Utc>>, otherwise: &str) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| otherwise.to_string())
}

/// The signed-in person and their session's CSRF token (pages need a session).
fn signed_in(who: &Identity) -> Option<(i64, String)> {
    match (&who.user, who.csrf_token()) {
        (Some(user), Some(csrf)) => Some((user.id, csrf.to_string())),
        _ => None,
    }
}

fn first_page() -> PageRequest {
    PageRequest {
        page: 1,
        per_page: TOKENS_PER_PAGE,
    }
}

fn to_sign_in() -> Response {
    Redirect::to("/auth/login?return_to=/account").into_response()
}

/// Tokens per page of the account page.
const TOKENS_PER_PAGE: u32 = 20;

/// The page of tokens asked for.
#[derive(Deserialize)]
struct AccountQuery {
    page: Option<u32>,
}

async fn render(
    state: &AppState,
    who: &Identity,
    new_token: Option<String>,
    tokens_page: PageRequest,
) -> Result<Response, PageError> {
    let (Some((user_id, csrf)), Some(user)) = (signed_in(who), &who.user) else {
        return Ok(to_sign_in());
    };
    let never = who.lang.t("account-never");
    let email_language = crate::db::users::locale(&state.db, user_id).await?.name();
    let mut conn = state.db.acquire().await.map_err(Error::from)?;
    let (tokens, total) = tokens::list_page(&mut conn, user_id, tokens_page).await?;
    let roles = view::account::role_words(
        who.lang,
        &who.caller,
        &view::lookup::organisations(&mut conn).await?,
        &view::lookup::workstreams(&mut conn, &who.caller).await?,
    );
    drop(conn);
    let pager = view::Pager::new(
        "/account",
        &[],
        tokens_page.page,
        tokens_page.per_page,
        total,
    );
    let tokens = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: when(Some(t.created_at), ""),
            last_used: when(t.last_used_at, &never),
            expires: when(t.expires_at, &never),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let body = AccountPage {
        layout: Layout::new(who, "account", who.lang.t("account-description")),
        name: user.name.clone(),
        email: user.email.clone(),
        organisation: user.organisation.clone(),
        roles,
        csrf,
        tokens,
        pager,
        new_token,
        email_language,
    };
    Ok(page(StatusCode::OK, &body))
}

async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let shown = async {
        let q: AccountQuery = form::query(raw.as_deref())?;
        let tokens_page = page_request(q.page, Some(TOKENS_PER_PAGE))?;
        render(&state, &who, None, tokens_page).await
    };
    in_lang_of(&who, shown.await)
}

#[derive(Deserialize)]
struct NewTokenForm {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    CsrfForm(form): CsrfForm<NewTokenForm>,
) -> Result<Response, PageError> {
    let Some((user_id, _)) = signed_in(&who) else {
        return Ok(to_sign_in());
    };
    let created = async {
        let name = form.name.trim();
        agora_schemas::validate::text("name", name, 100).map_err(Error::Invalid)?;
        let (_, secret) = tokens::create(&state.db, user_id, name, None).await?;
        render(&state, &who, Some(secret), first_page()).await
    };
    in_lang_of(&who, created.await)
}

async fn revoke_token(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    let Some((user_id, _)) = signed_in(&who) else {
        return Ok(to_sign_in());
    };
    let revoked = async {
        if !tokens::revoke(&state.db, user_id, id).await? {
            return Err(Error::NotFound(format!("token {id}")));
        }
        Ok(Redirect::to("/account").into_response())
    };
    in_lang_of(&who, revoked.await.map_err(PageError::from))
}
