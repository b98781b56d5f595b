//! `GET /api/v1/assessments/compare`: several models' or projects' current QF4SA and ethics
//! assessments side by side, with the QF4SA dimensions and ethics principles on which
//! they differ, in one call.

use agora_schemas::AssessmentKind;
use axum::Json;
use axum::extract::{RawQuery, State};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::assessment::compare::{ComparedSubject, Comparison, compared, differences};
use crate::db::assessments;
use crate::error::{Error, ErrorBody, Result};
use crate::policy::Caller;

/// Most models, and most projects, one comparison takes.
pub const MAX_PER_KIND: usize = 6;
/// Longest subject key, in characters.
pub const MAX_KEY: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(compare))
}

/// The subjects to compare, each repeatable, at most six of each; their bounds are
/// stated in the document by [`crate::http::openapi_rules`].
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Read by hand from the query string, which repeats its keys.
pub struct CompareQuery {
    /// A model as `<organisation>/<name>`, in any case.
    model: Option<Vec<String>>,
    /// A project's slug, in any case.
    project: Option<Vec<String>>,
}

/// Compares models' and projects' current QF4SA and ethics assessments: their states
/// (submitted or reviewed), levels and risks, and where they differ. A subject the caller
/// may not see, or without assessments, is answered with neither.
#[utoipa::path(get, path = "/api/v1/assessments/compare", tag = "assessments", operation_id = "assessments_compare", params(CompareQuery),
    responses((status = 200, description = "Success", body = Comparison),
              (status = 422, description = "A parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Comparison>> {
    let asked = asked(query.as_deref().unwrap_or(""))?;
    let mut conn = state.db.acquire().await?;
    let mut subjects = Vec::with_capacity(asked.len());
    for (kind, key) in asked {
        let (model, project) = match kind {
            "model" => (Some(key.as_str()), None),
            _ => (None, Some(key.as_str())),
        };
        let qf4sa =
            assessments::current(&mut conn, &caller, model, project, AssessmentKind::Qf4sa).await?;
        let ethics =
            assessments::current(&mut conn, &caller, model, project, AssessmentKind::Ethics)
                .await?;
        subjects.push(ComparedSubject {
            kind: kind.to_string(),
            key,
            qf4sa: qf4sa.as_ref().map(compared),
            ethics: ethics.as_ref().map(compared),
        });
    }
    let differences = differences(&subjects);
    Ok(Json(Comparison {
        subjects,
        differences,
    }))
}

/// The subjects of the query, in order, each once.
fn asked(query: &str) -> Result<Vec<(&'static str, String)>> {
    let mut asked: Vec<(&'static str, String)> = Vec::new();
    let (mut models, mut projects) = (0, 0);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let kind = match key.as_ref() {
            "model" => "model",
            "project" => "project",
            other => {
                return Err(Error::invalid(
                    other,
                    "unknown parameter; compare takes model and project",
                ));
            }
        };
        let value = value.to_ascii_lowercase();
        let well_formed = match kind {
            "model" => value
                .split_once('/')
                .is_some_and(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/')),
            _ => !value.is_empty() && !value.contains('/'),
        };
        if !well_formed || value.chars().count() > MAX_KEY || value.contains('\0') {
            return Err(Error::invalid(
                kind,
                match kind {
                    "model" => "a model as <organisation>/<name>",
                    _ => "a project's slug",
                },
            ));
        }
        let given = if kind == "model" {
            &mut models
        } else {
            &mut projects
        };
        *given += 1;
        if *given > MAX_PER_KIND {
            return Err(Error::invalid(
                kind,
                format!("compare at most {MAX_PER_KIND} of each kind"),
            ));
        }
        if !asked.iter().any(|(k, v)| *k == kind && *v == value) {
            asked.push((kind, value));
        }
    }
    Ok(asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_read_in_order_once_each_in_any_case() {
        let read = asked("model=INEGI/Sinco&project=ws-coding&model=inegi/sinco").unwrap();
        assert_eq!(
            read,
            [
                ("model", "inegi/sinco".to_string()),
                ("project", "ws-coding".to_string())
            ]
        );
        assert!(asked("").unwrap().is_empty());
    }

    #[test]
    fn malformed_subjects_are_refused_by_name() {
        for (query, field) in [
            ("model=inegi", "model"),
            ("model=inegi/a/b", "model"),
            ("model=/a", "model"),
            ("project=a/b", "project"),
            ("project=", "project"),
            ("colour=red", "colour"),
            (
                "model=a/1&model=a/2&model=a/3&model=a/4&model=a/5&model=a/6&model=a/1",
                "model",
            ),
        ] {
            match asked(query) {
                Err(Error::Invalid(f)) => assert_eq!(f.field, field, "{query}"),
                other => panic!("{query}: {other:?}"),
            }
        }
    }
}
