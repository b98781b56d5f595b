//! The sign-in pages: `/auth/login` (providers, and development sign-in when enabled),
//! `/auth/login/{provider}` (off to the provider), `/auth/callback/{provider}` (back, signed
//! in), `/auth/dev-login` and `/auth/logout` (forms with CSRF tokens).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::Layout;
use crate::app::AppState;
use crate::auth::Identity;
use crate::auth::csrf::pre_session_token;
use crate::auth::dev_login::{self, DemoUser};
use crate::auth::oidc::{self, CallbackQuery, LOGIN_COOKIE};
use crate::auth::safe_return_to;
use crate::auth::session::{self, cookie_name};
use crate::cookies::{read_cookie, set_cookie};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::i18n::{self, Lang};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login_page))
        .route("/auth/login/{provider}", get(start))
        .route("/auth/callback/{provider}", get(callback))
        .route("/auth/dev-login", post(dev_sign_in))
        .route("/auth/logout", post(sign_out))
}

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

#[derive(Deserialize)]
pub(crate) struct EmptyForm {}

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
