//! Differences between two versions of an assessment, field by field, with a line diff
//! of the texts that changed.

use agora_schemas::assessment::{ETHICS_PRINCIPLES, QF4SA_DIMENSIONS};
use agora_schemas::{Content, Level};
use serde::Serialize;
use utoipa::ToSchema;

use super::form;
use crate::i18n::Lang;

/// One field of an assessment, flattened: its path (`accuracy.evidence`), a label and
/// its value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub path: String,
    pub label: String,
    pub value: String,
}

/// Every field of an assessment's content, in the framework's order, with labels, level
/// names and risk levels in `lang` (English for the API, the page's for the history page).
pub fn fields(lang: Lang, content: &Content) -> Vec<Field> {
    let mut out = Vec::new();
    let label = |name: String, part: &str| {
        lang.msg("assessment-diff-field")
            .arg("name", name)
            .arg("part", lang.t(&format!("assessment-diff-part-{part}")))
            .to_string()
    };
    let mut push =
        |path: String, label: String, value: String| out.push(Field { path, label, value });
    match content {
        Content::Qf4sa(q) => {
            for ((name, _), d) in QF4SA_DIMENSIONS.iter().zip(q.dimensions()) {
                let title = || form::dimension_label(lang, name);
                push(
                    format!("{name}.level"),
                    label(title(), "level"),
                    level_text(lang, d.level),
                );
                push(
                    format!("{name}.evidence"),
                    label(title(), "evidence"),
                    d.evidence.clone(),
                );
                let links: Vec<&str> = d.links.iter().map(|l| l.as_str()).collect();
                push(
                    format!("{name}.links"),
                    label(title(), "links"),
                    links.join("\n"),
                );
            }
            push(
                "summary".into(),
                lang.t("assessment-summary"),
                q.summary.clone().unwrap_or_default(),
            );
        }
        Content::Ethics(e) => {
            for ((name, _), p) in ETHICS_PRINCIPLES.iter().zip(e.principles()) {
                let title = || form::principle_label(lang, name);
                push(
                    format!("{name}.answer"),
                    label(title(), "answer"),
                    p.answer.clone(),
                );
                push(
                    format!("{name}.risk"),
                    label(title(), "risk"),
                    form::risk_label(lang, p.risk),
                );
                push(
                    format!("{name}.mitigation"),
                    label(title(), "mitigation"),
                    p.mitigation.clone().unwrap_or_default(),
                );
            }
        }
    }
    out
}

/// A level as text in `lang`: `4 (Good)`, `4 (Bon)`.
pub fn level_text(lang: Lang, level: Level) -> String {
    format!("{} ({})", level.get(), form::level_name(lang, level))
}

/// One line of a line diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Line {
    /// `removed`, `added` or `same`.
    pub op: &'static str,
    pub text: String,
}

/// A field whose value differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Change {
    pub field: String,
    pub label: String,
    pub before: String,
    pub after: String,
    /// The lines of `before` and `after`, aligned.
    pub lines: Vec<Line>,
}

/// The fields that differ from `before` to `after`, labelled in English (as the API gives
/// them). Contents of different kinds differ in every field.
pub fn diff(before: &Content, after: &Content) -> Vec<Change> {
    diff_in(Lang::En, before, after)
}

/// The fields that differ from `before` to `after`, labelled in `lang`.
pub fn diff_in(lang: Lang, before: &Content, after: &Content) -> Vec<Change> {
    let old = fields(lang, before);
    let new = fields(lang, after);
    let mut out = Vec::new();
    for f in &new {
        let was = old
            .iter()
            .find(|o| o.path == f.path)
            .map(|o| o.value.as_str())
            .unwrap_or("");
        if was != f.value {
            out.push(change(&f.path, &f.label, was, &f.value));
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.path == o.path)) {
        out.push(change(&o.path, &o.label, &o.value, ""));
    }
    out
}

fn change(path: &str, label: &str, before: &str, after: &str) -> Change {
    Change {
        field: path.to_string(),
        label: label.to_string(),
        before: before.to_string(),
        after: after.to_string(),
        lines: lines(before, after),
    }
}

/// Most lines compared by the line diff; longer texts are shown as removed then added.
const MAX_LINES: usize = 2_000;

/// A line diff (longest common subsequence).
pub fn lines(before: &str, after: &str) -> Vec<Line> {
    let a: Vec<&str> = if before.is_empty() {
        vec![]
    } else {
        before.lines().collect()
    };
    let b: Vec<&str> = if after.is_empty() {
        vec![]
    } else {
        after.lines().collect()
    };
    let line = |op, text: &str| Line {
        op,
        text: text.to_string(),
    };
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        let mut out: Vec<Line> = a.iter().map(|t| line("removed", t)).collect();
        out.extend(b.iter().map(|t| line("added", t)));
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(line("same", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line("removed", a[i]));
            i += 1;
        } else {
            out.push(line("added", b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_diff_keeps_common_lines() {
        let d = lines("a\nb\nc", "a\nx\nc");
        let ops: Vec<(&str, &str)> = d.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                ("same", "a"),
                ("removed", "b"),
                ("added", "x"),
                ("same", "c")
            ]
        );
        assert_eq!(lines("", "new").len(), 1);
        assert!(lines("same", "same").iter().all(|l| l.op == "same"));
    }

    #[test]
    fn fields_are_labelled_in_the_page_language() {
        let content: Content = serde_json::from_value(serde_json::json!({"qf4sa": {
            "explainability": {"level": 3, "evidence": "e"},
            "accuracy": {"level": 4, "evidence": "e"},
            "reproducibility": {"level": 3, "evidence": "e"},
            "timeliness": {"level": 3, "evidence": "e"},
            "cost_effectiveness": {"level": 3, "evidence": "e"}}}))
        .unwrap();
        let en = fields(Lang::En, &content);
        assert_eq!(en[3].label, "Accuracy: level");
        assert_eq!(en[3].value, "4 (Good)");
        let fr = fields(Lang::Fr, &content);
        assert_eq!(fr[3].label, "Précision\u{a0}: niveau");
        assert_eq!(fr[3].value, "4 (Bon)");
        assert_eq!(fields(Lang::Es, &content)[15].label, "Resumen");
    }
}
