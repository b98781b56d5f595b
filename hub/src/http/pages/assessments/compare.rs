//! `/assessments/compare`: the QF4SA assessments of several models and projects (or any
//! assessments by id) side by side: one radar chart with a line for each, in its own
//! colour and dash, then every dimension's level and evidence in one table, a column per
//! assessment, the dimensions on which they differ marked as the API's
//! `/assessments/compare` names them. A form adds another model.
//!
//! Parameters: `model=<organisation>/<name>` (its current QF4SA assessment: the one of
//! its newest version), `project=<slug>` (the project's current one) and
//! `id=<assessment id>`, each repeatable, at most six in all.

use agora_schemas::assessment::QF4SA_DIMENSIONS;
use agora_schemas::{Assessment, AssessmentKind, Content};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};

use crate::app::AppState;
use crate::assessment::compare::{ComparedSubject, compared, differences};
use crate::assessment::form::{dimension_label, level_name};
use crate::assessment::radar;
use crate::db::{assessments, models};
use crate::error::{Error, Result};
use crate::http::auth::PageIdentity;
use crate::http::pages::Layout;
use crate::http::pages::view::assessments::{levels, state_label};

const MAX_COMPARED: usize = 6;

/// Most models offered to add to a comparison.
const MAX_CHOICES: i64 = 500;

struct Column {
    /// The line that draws it, for the legend.
    swatch: String,
    link: String,
    title: String,
    state: &'static str,
    state_label: String,
    version: i32,
    stale: bool,
}

struct Cell {
    level: u8,
    level_name: String,
    evidence: String,
}

struct Row {
    label: String,
    /// The compared assessments' levels are not all the same.
    differs: bool,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "assessments/compare.html")]
struct ComparePage {
    layout: Layout,
    /// Every compared assessment on one radar.
    radar: String,
    columns: Vec<Column>,
    /// What is compared now, as hidden fields of the form that adds one more.
    asked: Vec<(String, String)>,
    /// Models with a QF4SA assessment the caller may see, as (key, title).
    choices: Vec<(String, String)>,
    full: bool,
    rows: Vec<Row>,
    missing: Vec<String>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    let query = query.unwrap_or_default();
    let mut asked: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            // The form's empty field adds nothing.
            "model" | "project" | "id" if v.trim().is_empty() => {}
            "model" | "project" | "id" => asked.push((k.to_string(), v.trim().to_string())),
            other => return Err(Error::invalid(other, "unknown parameter")),
        }
    }
    if asked.len() > MAX_COMPARED {
        return Err(Error::invalid(
            "model",
            format!("compare at most {MAX_COMPARED} assessments"),
        ));
    }
    let mut conn = state.db.acquire().await?;
    let mut found: Vec<Assessment> = Vec::new();
    let mut missing = Vec::new();
    for (k, v) in &asked {
        let a = match k.as_str() {
            "id" => match v.parse::<i64>() {
                Ok(id) => assessments::get(&mut conn, &who.caller, id).await?,
                Err(_) => None,
            },
            "project" => {
                let slug = v.to_lowercase();
                let kind = AssessmentKind::Qf4sa;
                assessments::current(&mut conn, &who.caller, None, Some(&slug), kind).await?
            }
            _ => assessments::current_of_model(&mut conn, &who.caller, &v.to_lowercase()).await?,
        };
        match a {
            Some(a)
                if matches!(a.content, Content::Qf4sa(_))
                    && !found.iter().any(|f| f.id == a.id) =>
            {
                found.push(a)
            }
            Some(_) => {}
            None => missing.push(v.clone()),
        }
    }
    let series: Vec<radar::Series> = found
        .iter()
        .map(|a| radar::Series {
            name: &a.subject_title,
            levels: levels(a).unwrap_or_default(),
        })
        .collect();
    let overlay = if found.is_empty() {
        String::new()
    } else {
        radar::overlay(
            who.lang,
            &series,
            &who.lang.t("assessment-compare-radar-title"),
            "compare",
        )
    };
    let columns = found
        .iter()
        .enumerate()
        .map(|(i, a)| Column {
            swatch: radar::swatch(i),
            link: format!("/assessments/{}", a.id),
            title: a.subject_title.clone(),
            state: a.state.as_str(),
            state_label: state_label(who.lang, a.state),
            version: a.version,
            stale: a.stale,
        })
        .collect();
    let subjects: Vec<ComparedSubject> = found
        .iter()
        .map(|a| ComparedSubject {
            kind: "assessment".into(),
            key: a.id.to_string(),
            qf4sa: Some(compared(a)),
            ethics: None,
        })
        .collect();
    let differing: Vec<String> = differences(&subjects)
        .into_iter()
        .filter(|d| d.kind == "qf4sa")
        .map(|d| d.name)
        .collect();
    let rows = QF4SA_DIMENSIONS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| Row {
            label: dimension_label(who.lang, name),
            differs: differing.iter().any(|d| d == name),
            cells: found
                .iter()
                .filter_map(|a| match &a.content {
                    Content::Qf4sa(q) => {
                        let d = q.dimensions()[i];
                        Some(Cell {
                            level: d.level.get(),
                            level_name: level_name(who.lang, d.level),
                            evidence: d.evidence.clone(),
                        })
                    }
                    Content::Ethics(_) => None,
                })
                .collect(),
        })
        .collect();
    let choices = models::assessed(&mut conn, &who.caller, MAX_CHOICES).await?;
    let page = ComparePage {
        radar: overlay,
        full: asked.len() >= MAX_COMPARED,
        asked,
        choices,
        layout: Layout::new(
            &who,
            "assessments",
            who.lang.t("assessment-compare-description"),
        ),
        columns,
        rows,
        missing,
    };
    let body = page
        .render()
        .map_err(|e| Error::Internal(format!("template: {e}")))?;
    Ok(Html(body).into_response())
}
