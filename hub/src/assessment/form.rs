//! The HTML form of an assessment: field names are the content's paths
//! (`accuracy.level`, `accuracy.evidence`, `accuracy.links` with one link a line,
//! `public_good.risk`...). Each part is decoded with the wire types' own rules, so the
//! form and the API accept and refuse the same things, and every error is reported
//! against the form field it concerns.

use std::collections::{BTreeMap, HashMap};

use agora_schemas::assessment::{ETHICS_PRINCIPLES, MAX_TEXT, QF4SA_DIMENSIONS};
use agora_schemas::decode::{DecodeError, from_json};
use agora_schemas::{
    AssessmentKind, Content, Dimension, Ethics, Level, Principle, Qf4sa, Risk, validate,
};
use serde_json::{Value, json};

use crate::i18n::Lang;

/// Errors by form field name.
pub type Errors = BTreeMap<String, String>;

/// A QF4SA dimension's name as pages show it, from its field name (`cost_effectiveness`).
pub fn dimension_label(lang: Lang, name: &str) -> String {
    lang.t(&format!("qf4sa-dimension-{}", name.replace('_', "-")))
}

/// The question a QF4SA dimension answers, shown as the form's hint.
pub fn dimension_question(lang: Lang, name: &str) -> String {
    lang.t(&format!("qf4sa-question-{}", name.replace('_', "-")))
}

/// An ethics principle's name as pages show it, from its field name (`public_good`).
pub fn principle_label(lang: Lang, name: &str) -> String {
    lang.t(&format!("ethics-principle-{}", name.replace('_', "-")))
}

/// The name of a QF4SA level: `Good`, `Bon`, `Bueno`.
pub fn level_name(lang: Lang, level: Level) -> String {
    lang.t(match level.get() {
        1 => "qf4sa-level-insufficient",
        2 => "qf4sa-level-basic",
        3 => "qf4sa-level-adequate",
        4 => "qf4sa-level-good",
        _ => "qf4sa-level-exemplary",
    })
}

/// A risk level as pages show it: `low`, `faible`, `bajo`.
pub fn risk_label(lang: Lang, risk: Risk) -> String {
    lang.t(match risk {
        Risk::Low => "ethics-risk-low",
        Risk::Medium => "ethics-risk-medium",
        Risk::High => "ethics-risk-high",
    })
}

/// An error message of the form in `lang`. The form's own messages and the wire types'
/// usual ones are translated; any other is shown as the API gives it, in English.
pub fn error_message(lang: Lang, message: &str) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    // A list entry's error starts with its index: `[1]: ...`.
    if let Some((index, rest)) = message
        .strip_prefix('[')
        .and_then(|m| m.split_once("]: "))
        .filter(|(i, _)| i.chars().all(|c| c.is_ascii_digit()))
    {
        return format!("[{index}]: {}", error_message(lang, rest));
    }
    let number = |s: &str| s.parse::<i64>().ok();
    let key = match message {
        "choose a level from 1 to 5" => "assessment-error-choose-level",
        "choose a risk level" => "assessment-error-choose-risk",
        "must not be empty" => "assessment-error-empty",
        "is repeated" => "assessment-error-repeated",
        "is required when the risk is medium or high" => "assessment-error-mitigation-required",
        m => {
            if let Some(max) = m
                .strip_prefix("must be at most ")
                .and_then(|r| r.strip_suffix(" characters"))
                .and_then(number)
            {
                return lang.msg("assessment-error-too-long").arg("max", max).into();
            }
            if let Some(max) = m
                .strip_prefix("must have at most ")
                .and_then(|r| r.strip_suffix(" entries"))
                .and_then(number)
            {
                return lang.msg("assessment-error-too-many").arg("max", max).into();
            }
            if let Some(value) = m.strip_prefix("level must be a whole number from 1 to 5, got ") {
                return lang
                    .msg("assessment-error-level")
                    .arg("value", value)
                    .into();
            }
            if let Some(value) = m
                .strip_prefix('`')
                .and_then(|r| r.split_once("` is not a URL"))
                .map(|(v, _)| v)
            {
                return lang
                    .msg("assessment-error-not-url")
                    .arg("value", value)
                    .into();
            }
            return m.to_string();
        }
    };
    lang.t(key)
}

fn value<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(|s| s.trim()).unwrap_or("")
}

fn optional(form: &HashMap<String, String>, name: &str) -> Value {
    match value(form, name) {
        "" => Value::Null,
        v => Value::String(v.to_string()),
    }
}

/// Decodes one part; an error is filed under `<prefix>.<field>` (list indexes dropped,
/// so a bad link is reported next to the links box).
fn part<T: serde::de::DeserializeOwned + validate::Validate>(
    prefix: &str,
    json: &Value,
    errors: &mut Errors,
) -> Option<T> {
    match from_json::<T>(json.to_string().as_bytes()) {
        Ok(v) => Some(v),
        Err(DecodeError::Invalid(e)) => {
            let base = e.field.split('[').next().unwrap_or(&e.field).to_string();
            let message = match e.field.find('[') {
                Some(at) => format!("{}: {}", &e.field[at..], e.message),
                None => e.message,
            };
            errors.insert(format!("{prefix}.{base}"), message);
            None
        }
        Err(e @ DecodeError::Syntax { .. }) => {
            errors.insert(prefix.to_string(), e.to_string());
            None
        }
    }
}

fn dimension(form: &HashMap<String, String>, name: &str, errors: &mut Errors) -> Option<Dimension> {
    let level = value(form, &format!("{name}.level"));
    let level = match level.parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) if level.is_empty() => {
            errors.insert(format!("{name}.level"), "choose a level from 1 to 5".into());
            return None;
        }
        Err(_) => json!(level),
    };
    let links: Vec<&str> = value(form, &format!("{name}.links"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let json = json!({
        "level": level,
        "evidence": value(form, &format!("{name}.evidence")),
        "links": links,
    });
    part(name, &json, errors)
}

fn principle(form: &HashMap<String, String>, name: &str, errors: &mut Errors) -> Option<Principle> {
    let risk = value(form, &format!("{name}.risk"));
    if risk.is_empty() {
        errors.insert(format!("{name}.risk"), "choose a risk level".into());
        return None;
    }
    let mut json = json!({
        "answer": value(form, &format!("{name}.answer")),
        "risk": risk,
    });
    let mitigation = optional(form, &format!("{name}.mitigation"));
    if !mitigation.is_null() {
        json["mitigation"] = mitigation;
    }
    part(name, &json, errors)
}

/// Reads the content of an assessment of `kind` from a submitted form, or every error
/// found, by field.
pub fn read(kind: AssessmentKind, form: &HashMap<String, String>) -> Result<Content, Errors> {
    let mut errors = Errors::new();
    let content = match kind {
        AssessmentKind::Qf4sa => {
            let dims: Vec<Option<Dimension>> = QF4SA_DIMENSIONS
                .iter()
                .map(|(name, _)| dimension(form, name, &mut errors))
                .collect();
            let summary = match value(form, "summary") {
                "" => None,
                s => Some(s.to_string()),
            };
            if let Err(e) = validate::optional_text("summary", summary.as_deref(), MAX_TEXT) {
                errors.insert(e.field, e.message);
            }
            match <[Option<Dimension>; 5]>::try_from(dims) {
                Ok([Some(e), Some(a), Some(r), Some(t), Some(c)]) => Some(Content::Qf4sa(Qf4sa {
                    explainability: e,
                    accuracy: a,
                    reproducibility: r,
                    timeliness: t,
                    cost_effectiveness: c,
                    summary,
                })),
                _ => None,
            }
        }
        AssessmentKind::Ethics => {
            let ps: Vec<Option<Principle>> = ETHICS_PRINCIPLES
                .iter()
                .map(|(name, _)| principle(form, name, &mut errors))
                .collect();
            match <[Option<Principle>; 6]>::try_from(ps) {
                Ok([Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)]) => {
                    Some(Content::Ethics(Ethics {
                        public_good: a,
                        confidentiality: b,
                        methods_quality: c,
                        legal_compliance: d,
                        public_views: e,
                        transparency: f,
                    }))
                }
                _ => None,
            }
        }
    };
    if let Err(e) = validate::optional_text("note", Some(value(form, "note")), 2_000) {
        errors.insert(e.field, e.message);
    }
    match content {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

/// The form's values for an existing content (to fill the edit form).
pub fn values(content: &Content) -> HashMap<String, String> {
    let mut out = HashMap::new();
    match content {
        Content::Qf4sa(q) => {
            for ((name, _), d) in QF4SA_DIMENSIONS.iter().zip(q.dimensions()) {
                out.insert(format!("{name}.level"), d.level.get().to_string());
                out.insert(format!("{name}.evidence"), d.evidence.clone());
                let links: Vec<&str> = d.links.iter().map(|l| l.as_str()).collect();
                out.insert(format!("{name}.links"), links.join("\n"));
            }
            out.insert("summary".into(), q.summary.clone().unwrap_or_default());
        }
        Content::Ethics(e) => {
            for ((name, _), p) in ETHICS_PRINCIPLES.iter().zip(e.principles()) {
                out.insert(format!("{name}.answer"), p.answer.clone());
                out.insert(format!("{name}.risk"), p.risk.as_str().to_string());
                out.insert(
                    format!("{name}.mitigation"),
                    p.mitigation.clone().unwrap_or_default(),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> HashMap<String, String> {
        let mut f = HashMap::new();
        for (name, _) in QF4SA_DIMENSIONS {
            f.insert(format!("{name}.level"), "3".into());
            f.insert(format!("{name}.evidence"), "documented".into());
            f.insert(format!("{name}.links"), "https://a.org/x\r\n\r\n".into());
        }
        f
    }

    #[test]
    fn a_filled_form_reads_as_content() {
        let c = read(AssessmentKind::Qf4sa, &good()).unwrap();
        assert_eq!(values(&c)["accuracy.links"], "https://a.org/x");
    }

    #[test]
    fn every_bad_field_is_reported_next_to_itself() {
        let mut f = good();
        f.insert("accuracy.level".into(), "7".into());
        f.insert("timeliness.level".into(), "".into());
        f.insert("explainability.evidence".into(), " ".into());
        f.insert(
            "reproducibility.links".into(),
            "https://ok.org\nnot a link".into(),
        );
        f.insert("cost_effectiveness.level".into(), "high".into());
        let errors = read(AssessmentKind::Qf4sa, &f).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "accuracy.level",
                "cost_effectiveness.level",
                "explainability.evidence",
                "reproducibility.links",
                "timeliness.level"
            ]
        );
        assert!(errors["reproducibility.links"].starts_with("[1]"));
    }

    #[test]
    fn errors_are_shown_in_the_page_language() {
        let mut f = good();
        f.insert("timeliness.level".into(), "".into());
        f.insert("accuracy.level".into(), "7".into());
        f.insert("explainability.evidence".into(), " ".into());
        let errors = read(AssessmentKind::Qf4sa, &f).unwrap_err();
        for (field, message) in &errors {
            assert_eq!(&error_message(Lang::En, message), message, "{field}");
        }
        assert_eq!(
            error_message(Lang::Fr, &errors["timeliness.level"]),
            "choisissez un niveau de 1 à 5"
        );
        assert_eq!(
            error_message(Lang::Es, &errors["explainability.evidence"]),
            "no debe estar vacío"
        );
        assert!(error_message(Lang::Fr, &errors["accuracy.level"]).starts_with("le niveau doit"));
        assert_eq!(
            error_message(Lang::Fr, "[2]: must be at most 100 characters"),
            "[2]: ne doit pas dépasser 100 caractères"
        );
        assert_eq!(error_message(Lang::Es, "something else"), "something else");
    }

    #[test]
    fn ethics_forms_need_a_mitigation_for_real_risks() {
        let mut f = HashMap::new();
        for (name, _) in ETHICS_PRINCIPLES {
            f.insert(format!("{name}.answer"), "yes".into());
            f.insert(format!("{name}.risk"), "low".into());
        }
        assert!(read(AssessmentKind::Ethics, &f).is_ok());
        f.insert("transparency.risk".into(), "high".into());
        let errors = read(AssessmentKind::Ethics, &f).unwrap_err();
        assert!(errors.contains_key("transparency.mitigation"));
    }
}
