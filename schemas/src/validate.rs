//! Validation beyond what the types already guarantee, with the failing field named.

use std::fmt;

/// A value that broke a rule: which field (a JSON path such as `contacts[1].email`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// Cross-field and size rules that serde cannot express. Called after deserialisation.
pub trait Validate {
    fn validate(&self) -> Result<(), FieldError>;
}

/// A list is valid when each element is; errors are prefixed with the element's index.
impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Result<(), FieldError> {
        for (i, item) in self.iter().enumerate() {
            item.validate()
                .map_err(|e| FieldError::new(format!("[{i}].{}", e.field), e.message))?;
        }
        Ok(())
    }
}

/// Checks that a required text is present and within `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    optional_text(field, Some(value), max)
}

/// Checks that an optional text, when given, is within `max` characters.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<(), FieldError> {
    match value {
        Some(v) if v.chars().count() > max => Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Checks a list: at most `max` entries, none repeated, each short text non-empty.
pub fn list<T: PartialEq>(field: &str, values: &[T], max: usize) -> Result<(), FieldError> {
    if values.len() > max {
        return Err(FieldError::new(
            field,
            format!("must have at most {max} entries"),
        ));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(FieldError::new(format!("{field}[{i}]"), "is repeated"));
        }
    }
    Ok(())
}

/// Checks a list of short free-text labels (tags, data sources...).
pub fn labels(field: &str, values: &[String], max: usize) -> Result<(), FieldError> {
    list(field, values, max)?;
    for (i, v) in values.iter().enumerate() {
        text(&format!("{field}[{i}]"), v, 100)?;
    }
    Ok(())
}

/// The path of the first string or key holding a NUL character, if any. PostgreSQL stores
/// no NUL in `text` or `jsonb`, so such an item is refused by itself, before it can fail
/// the statement that saves its whole batch.
pub fn nul_path(value: &serde_json::Value) -> Option<String> {
    fn walk(value: &serde_json::Value, path: &mut String) -> bool {
        match value {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(v, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k.replace('\0', "\\u0000"));
                let found = k.contains('\0') || walk(v, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let mut path = String::new();
    walk(value, &mut path).then(|| if path.is_empty() { "body".into() } else { path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_found_with_their_path() {
        let v = serde_json::json!({"a": "ok", "b": [{"c": "x\u{0}y"}]});
        assert_eq!(nul_path(&v).as_deref(), Some("b[0].c"));
        let v = serde_json::json!({"a\u{0}": 1});
        assert_eq!(nul_path(&v).as_deref(), Some("a\\u0000"));
        assert_eq!(nul_path(&serde_json::json!({"a": ["b", 1]})), None);
    }

    #[test]
    fn text_rules_name_the_field() {
        assert_eq!(text("title", "  ", 10).unwrap_err().field, "title");
        assert!(text("title", "Coding", 10).is_ok());
        let long = text("title", "abcdefghijk", 10).unwrap_err();
        assert_eq!(long.message, "must be at most 10 characters");
    }

    #[test]
    fn repeated_list_entries_name_their_index() {
        let err = list("tags", &["a", "b", "a"], 10).unwrap_err();
        assert_eq!(err.field, "tags[2]");
        assert_eq!(list("tags", &["a"; 3], 2).unwrap_err().field, "tags");
    }
}
