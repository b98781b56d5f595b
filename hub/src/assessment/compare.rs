//! Comparing assessments: each subject's current QF4SA and ethics assessment as a
//! comparison shows it, and the dimensions and principles on which they differ. The API's
//! `/assessments/compare` answers it; the compare page marks the same differences.

use std::collections::BTreeMap;

use agora_schemas::assessment::{ETHICS_PRINCIPLES, QF4SA_DIMENSIONS};
use agora_schemas::{Assessment, AssessmentState, Content};
use serde::Serialize;
use utoipa::ToSchema;

/// One subject's current assessments, as the caller may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedSubject {
    /// `model` or `project`.
    pub kind: String,
    /// The key it was asked by: `<organisation>/<name>` or a slug.
    pub key: String,
    /// Its current QF4SA assessment, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qf4sa: Option<ComparedAssessment>,
    /// Its current ethics assessment, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethics: Option<ComparedAssessment>,
}

/// An assessment as a comparison shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedAssessment {
    pub id: i64,
    pub state: AssessmentState,
    pub version: i32,
    /// Whether it was made for an older version of the model than the newest.
    pub stale: bool,
    /// QF4SA: each dimension's level (1 to 5). Ethics: each principle's risk.
    pub levels: BTreeMap<String, String>,
}

/// A dimension or principle on which the compared assessments differ.
#[derive(Debug, Serialize, ToSchema)]
pub struct Difference {
    /// `qf4sa` or `ethics`.
    pub kind: String,
    /// The dimension or principle, such as `accuracy` or `confidentiality`.
    pub name: String,
    /// Each subject's value, in the order of `subjects` (absent where it has none).
    pub values: Vec<Option<String>>,
}

/// The comparison.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    /// The subjects asked for, in order, each once.
    pub subjects: Vec<ComparedSubject>,
    pub differences: Vec<Difference>,
}

pub fn compared(a: &Assessment) -> ComparedAssessment {
    let levels = match &a.content {
        Content::Qf4sa(q) => QF4SA_DIMENSIONS
            .iter()
            .zip(q.dimensions())
            .map(|((name, _), d)| (name.to_string(), d.level.get().to_string()))
            .collect(),
        Content::Ethics(e) => ETHICS_PRINCIPLES
            .iter()
            .zip(e.principles())
            .map(|((name, _), p)| (name.to_string(), p.risk.as_str().to_string()))
            .collect(),
    };
    ComparedAssessment {
        id: a.id,
        state: a.state,
        version: a.version,
        stale: a.stale,
        levels,
    }
}

/// The dimensions and principles whose values are not all the same among the subjects
/// that have such an assessment.
pub fn differences(subjects: &[ComparedSubject]) -> Vec<Difference> {
    let mut out = Vec::new();
    let names = |list: &[(&str, &str)]| list.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
    for (kind, names) in [
        ("qf4sa", names(&QF4SA_DIMENSIONS)),
        ("ethics", names(&ETHICS_PRINCIPLES)),
    ] {
        for name in names {
            let values: Vec<Option<String>> = subjects
                .iter()
                .map(|s| {
                    let a = if kind == "qf4sa" { &s.qf4sa } else { &s.ethics };
                    a.as_ref().and_then(|a| a.levels.get(&name).cloned())
                })
                .collect();
            let mut present = values.iter().flatten();
            let first = present.next();
            if first.is_some_and(|f| present.any(|v| v != f)) {
                out.push(Difference {
                    kind: kind.to_string(),
                    name,
                    values,
                });
            }
        }
    }
    out
}
