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

#[cfg(test)]
mod tests {
    use super::*;

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
