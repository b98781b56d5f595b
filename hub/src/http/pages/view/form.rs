//! Reading query strings and forms of pages, and turning field errors into messages shown
//! next to their field.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::http::pages::view::Choice;
use crate::http::pages::{Layout, render};

/// One field of an edit form, with the value to show and, after a refused save, the
/// message to show next to it.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    /// `text`, `textarea`, `select`, `checkboxes` or `radios`.
    pub kind: &'static str,
    pub value: String,
    pub rows: u8,
    pub required: bool,
    pub options: Vec<Choice>,
    /// Values a text field suggests as one types (value, what it names), offered through
    /// a `<datalist>`; any other value may still be written.
    pub suggestions: Vec<(String, String)>,
    pub error: Option<String>,
}

impl Field {
    pub fn text(
        name: &'static str,
        label: impl Into<String>,
        hint: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self {
            name,
            label: label.into(),
            hint: hint.into(),
            kind: "text",
            value: value.into(),
            rows: 0,
            required: false,
            options: vec![],
            suggestions: vec![],
            error: None,
        }
    }

    pub fn area(
        name: &'static str,
        label: impl Into<String>,
        hint: impl Into<String>,
        value: impl Into<String>,
        rows: u8,
    ) -> Self {
        Self {
            kind: "textarea",
            rows,
            ..Self::text(name, label, hint, value)
        }
    }

    pub fn choose(
        name: &'static str,
        label: impl Into<String>,
        kind: &'static str,
        options: Vec<Choice>,
    ) -> Self {
        Self {
            kind,
            options,
            ..Self::text(name, label, "", "")
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn suggesting(mut self, suggestions: Vec<(String, String)>) -> Self {
        self.suggestions = suggestions;
        self
    }
}

/// An edit form: its fields, where it posts, and the errors of a refused save.
#[derive(Template)]
#[template(path = "edit.html")]
pub struct EditPage {
    pub layout: Layout,
    pub heading: String,
    pub intro: String,
    /// A warning shown above the form (an item kept in sync by its source).
    pub note: Option<String>,
    pub action: String,
    pub cancel: String,
    pub csrf: String,
    pub fields: Vec<Field>,
    /// Errors not tied to a field.
    pub general_error: Option<String>,
    /// The text fields written in Markdown, as the page will show them: (label, safe
    /// HTML), after "Preview" was pressed.
    pub preview: Vec<(String, String)>,
}

/// A message as a form shows it: the API's code marks (`` `fr-XX` ``) become quotation
/// marks, since a page is not Markdown.
pub fn plain_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open = false;
    for c in message.chars() {
        if c == '`' {
            out.push(if open { '”' } else { '“' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes what a form posted: `posted` is the stored item's JSON (`current`) with the
/// form's fields put in. When it is refused, every field at fault is found, not only the
/// first the decoder meets: each changed field is tried alone on the stored item, so a bad
/// language and a bad licence are reported together.
pub fn decode_every<T: DeserializeOwned + agora_schemas::validate::Validate>(
    current: &serde_json::Value,
    posted: &serde_json::Value,
) -> Result<T, Result<Vec<(String, String)>, Error>> {
    let first = match agora_schemas::decode::from_value::<T>(posted).map_err(Error::from) {
        Ok(value) => return Ok(value),
        Err(Error::Invalid(f)) => f,
        Err(other) => return Err(Err(other)),
    };
    let (Some(now), Some(then)) = (posted.as_object(), current.as_object()) else {
        return Err(Ok(vec![(first.field, first.message)]));
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let keys = now
        .keys()
        .chain(then.keys().filter(|k| !now.contains_key(*k)));
    for key in keys {
        if now.get(key) == then.get(key) {
            continue;
        }
        let mut alone = then.clone();
        match now.get(key) {
            Some(value) => alone.insert(key.clone(), value.clone()),
            None => alone.remove(key),
        };
        let tried = agora_schemas::decode::from_value::<T>(&serde_json::Value::Object(alone));
        if let Err(Error::Invalid(f)) = tried.map_err(Error::from)
            && !errors.iter().any(|(field, _)| *field == f.field)
        {
            errors.push((f.field, f.message));
        }
    }
    // A rule over several fields is broken only by them together.
    if !errors.iter().any(|(field, _)| *field == first.field) {
        errors.insert(0, (first.field, first.message));
    }
    Err(Ok(errors))
}

impl EditPage {
    /// Shows the Markdown fields named in `markdown` as the item's page will, without
    /// saving anything.
    pub fn with_preview(mut self, markdown: &[&str]) -> Self {
        self.preview = self
            .fields
            .iter()
            .filter(|f| markdown.contains(&f.name) && !f.value.trim().is_empty())
            .map(|f| (f.label.clone(), super::markdown::to_html(&f.value)))
            .collect();
        self
    }

    /// Puts each message of a refused save next to its field.
    pub fn with_errors(self, errors: Vec<(String, String)>) -> Self {
        errors.into_iter().fold(self, |page, (field, message)| {
            page.with_error(&field, message)
        })
    }

    /// Puts a refused save's message next to its field (or above the form).
    pub fn with_error(mut self, path: &str, message: String) -> Self {
        let message = plain_message(&message);
        let name = field_of(path);
        match self.fields.iter_mut().find(|f| f.name == name) {
            Some(field) => field.error = Some(message),
            None => {
                let text = self
                    .layout
                    .lang
                    .msg("edit-field-error")
                    .arg("field", path)
                    .arg("error", &message)
                    .to_string();
                self.general_error = Some(text);
            }
        }
        self
    }

    pub fn has_errors(&self) -> bool {
        self.general_error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    pub fn respond(self) -> Response {
        let status = if self.has_errors() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        render(status, &self)
    }
}

/// The values of a posted form by name; a name may repeat (checkboxes).
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The query string of a page, decoded; a bad value is a 422 naming the parameter.
pub fn query<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, Error> {
    serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|e| Error::invalid("query", format!("the address's parameters: {e}")))
}

/// A parameter read as one of a vocabulary (a journey stage, a task...), by its serde name.
pub fn choice<T: DeserializeOwned>(field: &str, value: Option<&str>) -> Result<Option<T>, Error> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => serde_json::from_value(serde_json::Value::String(v.to_string()))
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("`{v}` is not a known value"))),
    }
}

/// The form field a schema path such as `repositories[1]` or `contacts[0].email` belongs to.
pub fn field_of(path: &str) -> &str {
    let end = path.find(['[', '.']).unwrap_or(path.len());
    &path[..end]
}

/// One value per line (or per comma, for short labels), trimmed, empty ones dropped.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn comma_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// An optional text: empty means absent.
pub fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.replace("\r\n", "\n"))
}

/// Licences to suggest: the SPDX licences in current use and the Hugging Face Hub's own
/// ids, as cards write them (lower case).
pub fn licence_suggestions() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = spdx::identifiers::LICENSES
        .iter()
        .filter(|l| l.flags & spdx::flags::IS_DEPRECATED == 0)
        .map(|l| (l.name.to_lowercase(), l.full_name.to_string()))
        .collect();
    out.extend(
        agora_schemas::codes::HUB_LICENSES
            .iter()
            .map(|id| (id.to_string(), id.to_string())),
    );
    out
}

/// Languages to suggest: those with a two-letter code, named in the page's language.
pub fn language_suggestions(lang: crate::i18n::Lang) -> Vec<(String, String)> {
    agora_schemas::codes::ISO_639_1
        .iter()
        .map(|code| {
            let name = agora_schemas::LanguageTag::new(*code).display_name_in(lang.code());
            (code.to_string(), name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_paths_map_to_form_fields() {
        assert_eq!(field_of("repositories[1]"), "repositories");
        assert_eq!(field_of("contacts[0].email"), "contacts");
        assert_eq!(field_of("title"), "title");
    }

    #[test]
    fn lists_are_read_from_lines_and_commas() {
        assert_eq!(lines(" a \n\n b\r\n"), vec!["a", "b"]);
        assert_eq!(comma_list("fr, en\nes,"), vec!["fr", "en", "es"]);
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" x\r\ny "), Some("x\ny".into()));
    }

    #[test]
    fn vocabulary_values_are_checked() {
        let stage: Option<agora_schemas::JourneyStage> = choice("stage", Some("pilot")).unwrap();
        assert!(stage.is_some());
        assert!(choice::<agora_schemas::JourneyStage>("stage", Some("bogus")).is_err());
        assert!(
            choice::<agora_schemas::JourneyStage>("stage", Some(""))
                .unwrap()
                .is_none()
        );
    }
}
