//! The sign-in pages: `/auth/login` (providers, and development sign-in when enabled),
//! `/auth/login/{provider}` (off to the provider), `/auth/callback/{provider}` (back, signed
//! in), `/auth/dev-login` and `/auth/logout` (forms with CSRF tokens).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::csrf::pre_session_token;
use crate::auth::dev_login::{self, DemoUser};
use crate::auth::oidc::{self, CallbackQuery, LOGIN_COOKIE};
use crate::auth::session::{self, cookie_name};
use crate::auth::{Identity, safe_return_to};
use crate::cookies::{read_cookie, set_cookie};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::Layout;
use crate::http::pages::view::account::{EmptyForm, PageError, in_lang_of, page};
use crate::i18n;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login_page))
        .route("/auth/login/{provider}", get(start))
        .route("/auth/callback/{provider}", get(callback))
        .route("/auth/dev-login", post(dev_sign_in))
        .route("/auth/logout", post(sign_out))
}

/// Adds `Set-Cookie` headers to a response.
pub fn with_cookies(mut response: Response, cookies: impl IntoIterator<Item = String>) -> Response {
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

struct ProviderLink {
    label: String,
    href: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    signed_in_as: Option<String>,
    message: Option<String>,
    providers: Vec<ProviderLink>,
    dev_users: Option<Vec<DemoUser>>,
    csrf: String,
    return_to: String,
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, PageError> {
    let config = &state.config;
    let return_to = safe_return_to(q.return_to.as_deref());
    let encoded: String = form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    let providers = config
        .oidc
        .providers
        .iter()
        .map(|p| ProviderLink {
            label: p.label().to_string(),
            href: format!("/auth/login/{}?return_to={encoded}", p.name),
        })
        .collect();
    let (mut csrf, mut new_cookie) = (String::new(), None);
    let dev_users = if config.dev_login {
        match who.csrf_token() {
            Some(token) => csrf = token.to_string(),
            None => (csrf, new_cookie) = pre_session_token(&headers, config.secure_cookies()),
        }
        Some(in_lang_of(
            &who,
            dev_login::users(&state.db).await.map_err(PageError::from),
        )?)
    } else {
        None
    };
    // The language switcher comes back to this page with the checked return path only.
    let mut here = who.clone();
    here.here = format!("/auth/login?return_to={encoded}");
    let body = LoginPage {
        layout: Layout::new(&here, "account", who.lang.t("signin-description")),
        signed_in_as: who
            .user
            .as_ref()
            .map(|u| format!("{} ({})", u.name, u.email)),
        message: None,
        providers,
        dev_users,
        csrf,
        return_to,
    };
    Ok(with_cookies(page(StatusCode::OK, &body), new_cookie))
}

async fn start(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(provider): Path<String>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, PageError> {
    let return_to = safe_return_to(q.return_to.as_deref());
    let (url, cookie) = oidc::begin(
        &state.db,
        &state.config,
        &state.providers,
        &provider,
        &return_to,
    )
    .await
    .map_err(|e| PageError::from(e).on_page_of(&who))?;
    Ok(with_cookies(Redirect::to(&url).into_response(), [cookie]))
}

/// Ends the session a request came with, if any (a new sign-in replaces it).
async fn end_current_session(state: &AppState, headers: &HeaderMap) -> Result<(), Error> {
    if let Some(old) = read_cookie(headers, cookie_name(state.config.secure_cookies())) {
        session::delete(&state.db, old).await?;
    }
    Ok(())
}

async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let clear_attempt = set_cookie(LOGIN_COOKIE, "", "/auth", 0, state.config.secure_cookies());
    let outcome = async {
        let (new, return_to) = oidc::finish(
            &state.db,
            &state.config,
            &state.providers,
            &provider,
            &headers,
            &q,
        )
        .await?;
        end_current_session(&state, &headers).await?;
        Ok::<_, Error>((new, return_to))
    }
    .await;
    match outcome {
        Ok((new, return_to)) => with_cookies(
            Redirect::to(&return_to).into_response(),
            [
                clear_attempt,
                session::session_cookie(&state.config, &new.cookie_value),
            ],
        ),
        Err(e) => {
            let mut who = Identity::anonymous();
            who.lang = i18n::from_headers(&headers);
            with_cookies(
                PageError::from(e).on_page_of(&who).into_response(),
                [clear_attempt],
            )
        }
    }
}

#[derive(Deserialize)]
struct DevLoginForm {
    email: String,
    return_to: Option<String>,
}

async fn dev_sign_in(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<DevLoginForm>,
) -> Result<Response, PageError> {
    in_lang_of(&who, dev_sign_in_as(&state, &headers, form).await)
}

async fn dev_sign_in_as(
    state: &AppState,
    headers: &HeaderMap,
    form: DevLoginForm,
) -> Result<Response, PageError> {
    if !state.config.dev_login {
        return Err(Error::NotFound("development sign-in (it is off)".into()).into());
    }
    let user_id = dev_login::user_id(&state.db, &form.email).await?;
    end_current_session(state, headers).await?;
    let new = session::create(&state.db, &state.config, user_id, "dev").await?;
    tracing::info!(user_id, "signed in through development sign-in");
    let return_to = safe_return_to(form.return_to.as_deref());
    Ok(with_cookies(
        Redirect::to(&return_to).into_response(),
        [session::session_cookie(&state.config, &new.cookie_value)],
    ))
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    end_current_session(&state, &headers).await?;
    Ok(with_cookies(
        Redirect::to("/auth/login").into_response(),
        [session::clear_session_cookie(&state.config)],
    ))
}
