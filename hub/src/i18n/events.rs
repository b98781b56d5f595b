//! Activity lines in the page's language. The hub writes each event's summary in English
//! from a fixed pattern of its kind (`New project “{}” ({})`); the pattern is recognised
//! again here and the parts it was filled with are put into the language's message. A
//! summary that fits none of its kind's patterns (written by an older hub, say) is shown
//! as it was written.

use super::Lang;

/// What a part of a summary is: text people wrote, or a word the hub chose.
#[derive(Clone, Copy)]
enum Part {
    Text,
    /// A journey stage, such as `pilot`.
    Stage,
    /// An assessment kind's English label, such as `QF4SA assessment`.
    AssessmentKind,
}

use Part::{AssessmentKind as K, Stage as S, Text as T};

/// For each event kind, its summaries' patterns (`{}` for each part) and message keys.
const PATTERNS: &[(&str, &str, &str, &[Part])] = &[
    (
        "project.created",
        "New project “{}” ({})",
        "event-project-created",
        &[T, S],
    ),
    (
        "project.stage_changed",
        "“{}” moved from {} to {}",
        "event-project-moved",
        &[T, S, S],
    ),
    (
        "project.updated",
        "“{}” is listed again by its source",
        "event-listed-again",
        &[T],
    ),
    (
        "project.updated",
        "“{}” was updated",
        "event-project-updated",
        &[T],
    ),
    (
        "model.created",
        "New model card “{}”",
        "event-model-created",
        &[T],
    ),
    (
        "model.updated",
        "Model card “{}” is listed again by its source",
        "event-model-listed-again",
        &[T],
    ),
    (
        "model.updated",
        "Model card “{}” was updated",
        "event-model-updated",
        &[T],
    ),
    (
        "model_version.created",
        "“{}” version {} registered",
        "event-version-created",
        &[T, T],
    ),
    (
        "model_version.updated",
        "“{}” version {} is listed again by its source",
        "event-version-listed-again",
        &[T, T],
    ),
    (
        "model_version.updated",
        "“{}” version {} was updated",
        "event-version-updated",
        &[T, T],
    ),
    (
        "workstream.created",
        "{} was started",
        "event-workstream-created",
        &[T],
    ),
    (
        "workstream.updated",
        "{} was updated",
        "event-workstream-updated",
        &[T],
    ),
    (
        "organisation.created",
        "{} joined the hub",
        "event-organisation-created",
        &[T],
    ),
    (
        "organisation.updated",
        "{} was updated",
        "event-organisation-updated",
        &[T],
    ),
    (
        "membership.created",
        "{} joined as a lead",
        "event-membership-lead",
        &[T],
    ),
    (
        "membership.created",
        "{} joined",
        "event-membership-joined",
        &[T],
    ),
    (
        "membership.updated",
        "{} is now a lead",
        "event-membership-now-lead",
        &[T],
    ),
    (
        "membership.updated",
        "{} is now a member",
        "event-membership-now-member",
        &[T],
    ),
    (
        "membership.deleted",
        "{} left",
        "event-membership-left",
        &[T],
    ),
    (
        "assessment.created",
        "New {} of “{}”",
        "event-assessment-created",
        &[K, T],
    ),
    (
        "assessment.updated",
        "{} of “{}” is listed again by its source",
        "event-assessment-listed-again",
        &[K, T],
    ),
    (
        "assessment.updated",
        "{} of “{}” changed (version {})",
        "event-assessment-changed",
        &[K, T, T],
    ),
    (
        "assessment.submitted",
        "{} of “{}” was submitted for review (version {})",
        "event-assessment-submitted",
        &[K, T, T],
    ),
    (
        "assessment.reviewed",
        "{} of “{}” was reviewed and accepted (version {})",
        "event-assessment-accepted",
        &[K, T, T],
    ),
    (
        "assessment.reviewed",
        "{} of “{}” was reviewed: changes requested (version {})",
        "event-assessment-changes-requested",
        &[K, T, T],
    ),
    (
        "benchmark.created",
        "{} created benchmark {}",
        "event-benchmark-created",
        &[T, T],
    ),
    (
        "benchmark.updated",
        "{} updated benchmark {}",
        "event-benchmark-updated",
        &[T, T],
    ),
    (
        "benchmark_run.created",
        "{} started a run of {} on {} version {} at {}",
        "event-run-created",
        &[T, T, T, T, T],
    ),
    (
        "benchmark_result.recorded",
        "{} version {} scored {} {} on {} at {}",
        "event-result-recorded",
        &[T, T, T, T, T, T],
    ),
];

/// The parts that filled `pattern` to make `summary`, or `None` when it does not fit.
fn parts<'s>(pattern: &str, summary: &'s str) -> Option<Vec<&'s str>> {
    let literals: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut at = summary.strip_prefix(first)?;
    let mut found = Vec::with_capacity(rest.len());
    for (i, literal) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let end = if last {
            at.strip_suffix(literal).map(str::len)?
        } else {
            at.find(literal)?
        };
        if end == 0 {
            return None;
        }
        found.push(&at[..end]);
        at = &at[end + literal.len()..];
    }
    Some(found)
}

fn word(lang: Lang, part: Part, text: &str) -> String {
    let key = match part {
        Part::Text => return text.to_string(),
        Part::Stage => format!("stage-{text}"),
        Part::AssessmentKind => match text {
            "QF4SA assessment" => "event-kind-qf4sa".to_string(),
            "Ethics self-assessment" => "event-kind-ethics".to_string(),
            _ => return text.to_string(),
        },
    };
    lang.find(&key).unwrap_or_else(|| text.to_string())
}

/// The summary of an event of `kind` in `lang`.
pub fn summary(lang: Lang, kind: &str, summary: &str) -> String {
    if lang == Lang::En {
        return summary.to_string();
    }
    for (k, pattern, key, kinds) in PATTERNS {
        if *k != kind {
            continue;
        }
        let Some(found) = parts(pattern, summary) else {
            continue;
        };
        if found.len() != kinds.len() {
            continue;
        }
        const NAMES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
        let words: Vec<String> = found
            .iter()
            .zip(kinds.iter())
            .map(|(text, part)| word(lang, *part, text))
            .collect();
        let mut message = lang.msg(key);
        for (name, w) in NAMES.iter().zip(words.iter()) {
            message = message.arg(name, w);
        }
        return message.to_string();
    }
    summary.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_read_back_into_the_language() {
        assert_eq!(
            summary(
                Lang::Fr,
                "project.stage_changed",
                "“Codage APE” moved from pilot to production"
            ),
            "« Codage APE » est passé de Pilote à Production"
        );
        assert_eq!(
            summary(Lang::Es, "model.created", "New model card “NACE coder”"),
            "Nueva ficha de modelo «NACE coder»"
        );
        assert_eq!(
            summary(
                Lang::Fr,
                "assessment.created",
                "New QF4SA assessment of “Model x · version 1”"
            ),
            "Nouvelle évaluation QF4SA de « Model x · version 1 »"
        );
        // A title that holds the pattern's words is kept whole.
        assert_eq!(
            summary(Lang::Es, "project.updated", "“A was updated” was updated"),
            "Se actualizó «A was updated»"
        );
    }

    #[test]
    fn english_and_unknown_summaries_are_kept() {
        let s = "“Codage APE” moved from pilot to production";
        assert_eq!(summary(Lang::En, "project.stage_changed", s), s);
        assert_eq!(
            summary(Lang::Fr, "project.created", "Something else"),
            "Something else"
        );
        assert_eq!(summary(Lang::Fr, "unknown.kind", s), s);
    }

    #[test]
    fn every_pattern_has_its_message() {
        for lang in Lang::ALL {
            for (_, _, key, _) in PATTERNS {
                assert!(lang.find(key).is_some(), "{lang}: {key}");
            }
        }
    }
}
