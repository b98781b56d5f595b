//! The assessment form as the page shows it: its fields, QF4SA dimensions and ethics
//! principles, filled from what was posted or stored.

use std::collections::HashMap;

use agora_schemas::assessment::{ETHICS_PRINCIPLES, QF4SA_DIMENSIONS};
use agora_schemas::{AssessmentKind, Level, Risk};
use askama::Template;

use crate::assessment::form;
use crate::auth::Identity;
use crate::http::pages::Layout;
use crate::i18n::Lang;

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct FieldView {
    name: String,
    value: String,
    error: Option<String>,
}

struct DimensionField {
    name: &'static str,
    label: String,
    question: String,
    levels: Vec<Choice>,
    level: FieldView,
    evidence: FieldView,
    links: FieldView,
}

struct PrincipleField {
    name: &'static str,
    label: String,
    risks: Vec<Choice>,
    answer: FieldView,
    risk: FieldView,
    mitigation: FieldView,
}

#[derive(Template)]
#[template(path = "assessments/form.html")]
pub(super) struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    csrf: String,
    kind: &'static str,
    hidden: Vec<(String, String)>,
    dimensions: Vec<DimensionField>,
    principles: Vec<PrincipleField>,
    summary: FieldView,
    note: FieldView,
    errors: usize,
    problem: Option<String>,
}

fn field(
    lang: Lang,
    name: String,
    values: &HashMap<String, String>,
    errors: &form::Errors,
) -> FieldView {
    FieldView {
        value: values.get(&name).cloned().unwrap_or_default(),
        error: errors.get(&name).map(|e| form::error_message(lang, e)),
        name,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn build(
    who: &Identity,
    kind: AssessmentKind,
    heading: String,
    action: String,
    cancel: String,
    hidden: Vec<(String, String)>,
    values: &HashMap<String, String>,
    errors: &form::Errors,
    problem: Option<String>,
) -> FormPage {
    let lang = who.lang;
    let f = |name: String| field(lang, name, values, errors);
    let dimensions = match kind {
        AssessmentKind::Qf4sa => QF4SA_DIMENSIONS
            .iter()
            .map(|(name, _)| {
                let level = f(format!("{name}.level"));
                DimensionField {
                    name,
                    label: form::dimension_label(lang, name),
                    question: form::dimension_question(lang, name),
                    levels: (Level::MIN..=Level::MAX)
                        .filter_map(|n| Level::new(i64::from(n)).ok())
                        .map(|l| Choice {
                            value: l.get().to_string(),
                            label: format!("{} — {}", l.get(), form::level_name(lang, l)),
                            selected: level.value == l.get().to_string(),
                        })
                        .collect(),
                    level,
                    evidence: f(format!("{name}.evidence")),
                    links: f(format!("{name}.links")),
                }
            })
            .collect(),
        AssessmentKind::Ethics => vec![],
    };
    let principles = match kind {
        AssessmentKind::Ethics => ETHICS_PRINCIPLES
            .iter()
            .map(|(name, _)| {
                let risk = f(format!("{name}.risk"));
                PrincipleField {
                    name,
                    label: form::principle_label(lang, name),
                    risks: Risk::ALL
                        .iter()
                        .map(|r| Choice {
                            value: r.as_str().into(),
                            label: form::risk_label(lang, *r),
                            selected: risk.value == r.as_str(),
                        })
                        .collect(),
                    risk,
                    answer: f(format!("{name}.answer")),
                    mitigation: f(format!("{name}.mitigation")),
                }
            })
            .collect(),
        AssessmentKind::Qf4sa => vec![],
    };
    FormPage {
        layout: Layout::new(who, "assessments", lang.t("assessment-form-description")),
        heading,
        action,
        cancel,
        csrf: who.csrf_token().unwrap_or_default().to_string(),
        kind: kind.as_str(),
        hidden,
        dimensions,
        principles,
        summary: f("summary".into()),
        note: f("note".into()),
        errors: errors.len() + usize::from(problem.is_some()),
        problem,
    }
}
