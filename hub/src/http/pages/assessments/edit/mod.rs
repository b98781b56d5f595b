//! The assessment form: `/assessments/new?kind=…&project=…` (or `&organisation=…&model=…
//! &version=…`) and `/assessments/{id}/edit`. Checked on the server; each error is shown
//! next to its field, and the form keeps what was typed.

mod fields;

use std::collections::HashMap;

use agora_schemas::{AssessmentEdit, AssessmentInput, AssessmentKind, Slug, Subject};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use self::fields::build;
use crate::app::AppState;
use crate::assessment::{actions, form};
use crate::error::{Error, Result};
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::assessments::load;
use crate::i18n::Lang;

fn html(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => Error::Internal(format!("template: {e}")).into_response(),
    }
}

fn to_sign_in(back: &str) -> Response {
    let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("/auth/login?return_to={back}")).into_response()
}

fn kind_of(values: &HashMap<String, String>) -> Result<AssessmentKind> {
    match values.get("kind").map(String::as_str) {
        None | Some("") | Some("qf4sa") => Ok(AssessmentKind::Qf4sa),
        Some("ethics") => Ok(AssessmentKind::Ethics),
        Some(other) => Err(Error::invalid(
            "kind",
            format!("`{other}` is not `qf4sa` nor `ethics`"),
        )),
    }
}

/// The subject named by `project`, or `organisation`, `model` and `version`.
fn subject_of(values: &HashMap<String, String>) -> Result<Subject> {
    let get = |k: &str| values.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let slug = |k: &str, v: &str| Slug::parse(v).map_err(|e| Error::invalid(k, e));
    match (
        get("project"),
        get("organisation"),
        get("model"),
        get("version"),
    ) {
        (Some(p), None, None, None) => Ok(Subject::project(slug("project", p)?)),
        (None, Some(o), Some(m), Some(v)) => Ok(Subject::model_version(
            slug("organisation", o)?,
            slug("model", m)?,
            v,
        )),
        _ => Err(Error::invalid(
            "project",
            "name a project, or an organisation, a model and its version",
        )),
    }
}

fn hidden_of(kind: AssessmentKind, s: &Subject) -> Vec<(String, String)> {
    let mut h = vec![("kind".to_string(), kind.as_str().to_string())];
    let mut push = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            h.push((k.to_string(), v.to_string()));
        }
    };
    push("project", s.project.as_deref());
    push("organisation", s.organisation.as_deref());
    push("model", s.model.as_deref());
    push("version", s.version.as_deref());
    h
}

fn heading(lang: Lang, kind: AssessmentKind, subject: &Subject) -> String {
    match (&subject.project, &subject.model) {
        (Some(p), _) => lang
            .msg("assessment-new-project")
            .arg("kind", kind.as_str())
            .arg("project", p.as_str())
            .to_string(),
        (None, m) => lang
            .msg("assessment-new-model")
            .arg("kind", kind.as_str())
            .arg(
                "model",
                format!(
                    "{}/{}",
                    subject.organisation.as_deref().unwrap_or(""),
                    m.as_deref().unwrap_or("")
                ),
            )
            .arg("version", subject.version.as_deref().unwrap_or(""))
            .to_string(),
    }
}

pub(super) async fn new_form(
    PageIdentity(who): PageIdentity,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Response> {
    if who.csrf_token().is_none() {
        return Ok(to_sign_in("/assessments/new"));
    }
    let kind = kind_of(&values)?;
    let subject = subject_of(&values)?;
    let page = build(
        &who,
        kind,
        heading(who.lang, kind, &subject),
        "/assessments/new".into(),
        crate::http::pages::view::assessments::subject_link(&subject),
        hidden_of(kind, &subject),
        &HashMap::new(),
        &form::Errors::new(),
        None,
    );
    Ok(html(&page, StatusCode::OK))
}

/// An error of the hub that the form shows (refusals and conflicts), in `lang` when it is
/// one the form knows, or passes on.
fn shown(lang: Lang, e: Error) -> std::result::Result<String, Error> {
    match e {
        Error::Invalid(f) | Error::Conflict(f) => Ok(format!(
            "{}: {}",
            f.field,
            form::error_message(lang, &f.message)
        )),
        Error::Forbidden(m) => Ok(match m.as_str() {
            "you may not assess another organisation's work: its own people write its assessments" => {
                lang.t("assessment-error-not-allowed-create")
            }
            "you may not change another organisation's assessment" => {
                lang.t("assessment-error-not-allowed-edit")
            }
            _ => m,
        }),
        other => Err(other),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    CsrfForm(values): CsrfForm<HashMap<String, String>>,
) -> Result<Response> {
    let kind = kind_of(&values)?;
    let subject = subject_of(&values)?;
    let again = |errors: &form::Errors, problem: Option<String>| {
        build(
            &who,
            kind,
            heading(who.lang, kind, &subject),
            "/assessments/new".into(),
            crate::http::pages::view::assessments::subject_link(&subject),
            hidden_of(kind, &subject),
            &values,
            errors,
            problem,
        )
    };
    let content = match form::read(kind, &values) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(html(
                &again(&errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let input = AssessmentInput {
        subject: subject.clone(),
        content,
        note: values
            .get("note")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
    };
    match actions::create(&state.db, &who.caller, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response()),
        Err(e) => {
            let problem = shown(who.lang, e)?;
            let page = again(&form::Errors::new(), Some(problem));
            Ok(html(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
) -> Result<Response> {
    if who.csrf_token().is_none() {
        return Ok(to_sign_in(&format!("/assessments/{id}/edit")));
    }
    let a = load(&state, &who, &id).await?;
    let page = build(
        &who,
        a.kind,
        who.lang
            .msg("assessment-edit-heading-now")
            .arg("kind", a.kind.as_str())
            .arg("subject", &a.subject_title)
            .arg("version", a.version.to_string())
            .to_string(),
        format!("/assessments/{}/edit", a.id),
        format!("/assessments/{}", a.id),
        vec![],
        &form::values(&a.content),
        &form::Errors::new(),
        None,
    );
    Ok(html(&page, StatusCode::OK))
}

pub(super) async fn update(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(id): Path<String>,
    CsrfForm(values): CsrfForm<HashMap<String, String>>,
) -> Result<Response> {
    let a = load(&state, &who, &id).await?;
    let again = |errors: &form::Errors, problem: Option<String>| {
        build(
            &who,
            a.kind,
            who.lang
                .msg("assessment-edit-heading")
                .arg("kind", a.kind.as_str())
                .arg("subject", &a.subject_title)
                .to_string(),
            format!("/assessments/{}/edit", a.id),
            format!("/assessments/{}", a.id),
            vec![],
            &values,
            errors,
            problem,
        )
    };
    let content = match form::read(a.kind, &values) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(html(
                &again(&errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let input = AssessmentEdit {
        content,
        note: values
            .get("note")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
    };
    match actions::edit(&state.db, &who.caller, a.id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response()),
        Err(e) => {
            let problem = shown(who.lang, e)?;
            Ok(html(
                &again(&form::Errors::new(), Some(problem)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}
