//! `/account/digests`: choose workstreams, frequency, time zone, pause; `?workstream=<slug>`
//! pre-selects one to follow, saved once confirmed. Unsubscribing by a digest's link is
//! [`super::unsubscribe`].

use std::collections::HashMap;

use agora_schemas::{DigestFrequency, DigestPreferencesInput, DigestSubscriptionInput, Slug};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use sqlx::FromRow;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::users;
use crate::digest::preferences;
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::Layout;
use crate::http::pages::view::account::{PageError, in_lang_of, page};
use crate::i18n::Lang;
use crate::policy::Caller;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/digests", get(show).post(save))
}

struct WorkstreamRow {
    slug: String,
    code: String,
    title: String,
    frequency: String,
    highlighted: bool,
}

#[derive(Template)]
#[template(path = "digest/preferences.html")]
struct PreferencesPage {
    layout: Layout,
    csrf: String,
    workstreams: Vec<WorkstreamRow>,
    time_zone: String,
    paused: bool,
    /// The language of the person's e-mails, and the languages to choose from.
    locale: &'static str,
    languages: Vec<(&'static str, &'static str)>,
    zones: Vec<&'static str>,
    saved: Option<String>,
    error: Option<String>,
    confirm: Option<String>,
}

#[derive(FromRow)]
struct Listed {
    slug: String,
    code: String,
    title: String,
}

/// The workstreams the caller may follow: those the caller may read.
async fn readable_workstreams(state: &AppState, caller: &Caller) -> Result<Vec<Listed>, Error> {
    let mut qb =
        sqlx::QueryBuilder::new("SELECT slug::text AS slug, code, title FROM workstreams WHERE ");
    caller.push_can_read(&mut qb, "visibility", "'{}'::text[]");
    qb.push(" ORDER BY code, slug");
    Ok(qb.build_query_as().fetch_all(&state.db).await?)
}

#[derive(Deserialize)]
struct ShowParams {
    workstream: Option<String>,
}

fn to_sign_in(workstream: Option<&str>) -> Response {
    let back = match workstream {
        Some(w) => format!("/account/digests?workstream={w}"),
        None => "/account/digests".into(),
    };
    let encoded: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("/auth/login?return_to={encoded}")).into_response()
}

struct Outcome {
    saved: Option<String>,
    error: Option<String>,
    /// A workstream to pre-select (from `?workstream=`), and the form's values otherwise.
    preselect: Option<String>,
    form: Option<(String, bool, HashMap<String, String>)>,
}

async fn render(
    state: &AppState,
    who: &Identity,
    outcome: Outcome,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (Some(user), Some(csrf)) = (&who.user, who.csrf_token()) else {
        return Ok(to_sign_in(outcome.preselect.as_deref()));
    };
    let mut conn = state.db.acquire().await.map_err(Error::from)?;
    let current = preferences::get(&mut conn, user.id).await?;
    let listed = readable_workstreams(state, &who.caller).await?;
    let mut confirm = None;
    let workstreams = listed
        .into_iter()
        .map(|w| {
            let mut frequency = current
                .subscriptions
                .iter()
                .find(|s| s.workstream.as_str() == w.slug)
                .map_or("off", |s| s.frequency.as_str())
                .to_string();
            if let Some((_, _, form)) = &outcome.form
                && let Some(f) = form.get(&format!("ws.{}", w.slug))
            {
                frequency = f.clone();
            }
            let highlighted = outcome.preselect.as_deref() == Some(w.slug.as_str());
            if highlighted && frequency == "off" {
                frequency = "weekly".into();
                confirm = Some(format!("{} {}", w.code, w.title));
            }
            WorkstreamRow {
                slug: w.slug,
                code: w.code,
                title: w.title,
                frequency,
                highlighted,
            }
        })
        .collect();
    let (time_zone, paused) = match &outcome.form {
        Some((tz, paused, _)) => (tz.clone(), *paused),
        None => (current.time_zone.clone(), current.paused),
    };
    let chosen = outcome
        .form
        .as_ref()
        .and_then(|(_, _, form)| form.get("locale"))
        .and_then(|code| Lang::ALL.into_iter().find(|l| l.code() == code));
    let locale = match chosen {
        Some(lang) => lang,
        None => users::locale(&mut *conn, user.id).await?,
    };
    let body = PreferencesPage {
        layout: Layout::new(who, "account", who.lang.t("digest-prefs-description")),
        csrf: csrf.to_string(),
        workstreams,
        time_zone,
        paused,
        locale: locale.code(),
        languages: Lang::ALL
            .into_iter()
            .map(|l| (l.code(), l.name()))
            .collect(),
        zones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect(),
        saved: outcome.saved,
        error: outcome.error,
        confirm,
    };
    Ok(page(status, &body))
}

async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Query(params): Query<ShowParams>,
) -> Result<Response, PageError> {
    let preselect = params.workstream.filter(|w| Slug::parse(w.clone()).is_ok());
    let outcome = Outcome {
        saved: None,
        error: None,
        preselect,
        form: None,
    };
    in_lang_of(&who, render(&state, &who, outcome, StatusCode::OK).await)
}

/// The form: `time_zone`, `paused` (a checkbox), `locale` (the language of e-mails: en,
/// fr or es; unchanged when absent) and `ws.<slug>` = off, daily or weekly.
async fn save(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    in_lang_of(&who, save_form(&state, &who, form).await)
}

async fn save_form(
    state: &AppState,
    who: &Identity,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let Some(user) = &who.user else {
        return Ok(to_sign_in(None));
    };
    let time_zone = form.get("time_zone").cloned().unwrap_or_default();
    let paused = form.contains_key("paused");
    let mut subscriptions = Vec::new();
    let mut problem = None;
    let locale = match form.get("locale") {
        None => None,
        Some(code) => match Lang::ALL.into_iter().find(|l| l.code() == code) {
            Some(lang) => Some(lang),
            None => {
                problem = Some((
                    "locale",
                    format!("`{code}` is not a language of the hub: choose en, fr or es"),
                ));
                None
            }
        },
    };
    for (key, value) in &form {
        let Some(slug) = key.strip_prefix("ws.") else {
            continue;
        };
        let frequency = match value.as_str() {
            "daily" => DigestFrequency::Daily,
            "weekly" => DigestFrequency::Weekly,
            "off" => DigestFrequency::Off,
            other => {
                problem = Some((
                    "frequency",
                    format!("`{other}` is not a frequency: choose none, daily or weekly"),
                ));
                continue;
            }
        };
        match Slug::parse(slug) {
            Ok(workstream) => subscriptions.push(DigestSubscriptionInput {
                workstream,
                frequency,
            }),
            Err(e) => problem = Some(("frequency", format!("workstream `{slug}`: {e}"))),
        }
    }
    subscriptions.sort_by(|a, b| a.workstream.cmp(&b.workstream));
    let input = DigestPreferencesInput {
        time_zone: time_zone.trim().to_string(),
        paused,
        subscriptions,
    };
    let result = match problem {
        Some((field, p)) => Err(Error::invalid(field, p)),
        None => match agora_schemas::Validate::validate(&input) {
            Err(e) => Err(Error::Invalid(e)),
            Ok(()) => {
                let mut tx = state.db.begin().await.map_err(Error::from)?;
                let saved =
                    preferences::save(&mut tx, &who.caller, user.id, &input, chrono::Utc::now())
                        .await;
                match (saved, locale) {
                    (Err(e), _) => Err(e),
                    (Ok(_), Some(lang)) => match users::set_locale(&mut *tx, user.id, lang).await {
                        Ok(()) => tx.commit().await.map_err(Error::from),
                        Err(e) => Err(e),
                    },
                    (Ok(_), None) => tx.commit().await.map_err(Error::from),
                }
            }
        },
    };
    match result {
        Ok(()) => {
            let outcome = Outcome {
                saved: Some(who.lang.t("digest-prefs-saved")),
                error: None,
                preselect: None,
                form: None,
            };
            render(state, who, outcome, StatusCode::OK).await
        }
        Err(e) if e.status_code() == StatusCode::UNPROCESSABLE_ENTITY => {
            // The hub's error messages are written in English; other languages say so.
            let message = match who.lang {
                Lang::En => e.to_string(),
                lang => lang
                    .msg("error-detail")
                    .arg("detail", e.to_string())
                    .to_string(),
            };
            let outcome = Outcome {
                saved: None,
                error: Some(message),
                preselect: None,
                form: Some((time_zone, paused, form)),
            };
            render(state, who, outcome, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
