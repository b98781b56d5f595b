//! An entry of a card's list of names (`tags`, `datasets`, `metrics`, `base_model`). The Hub
//! expects text, but real cards also write mappings (`- FOSD: https://…`) or numbers there,
//! and `huggingface_hub` reads them: such an entry is kept as written and given back, with
//! a warning, and left out of search and facets.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::one_or_many::OneOrMany;

#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    Text(String),
    /// Any other value, as written.
    Other(Value),
}

impl Label {
    /// A list of texts.
    pub fn texts_of(texts: Vec<String>) -> OneOrMany<Self> {
        OneOrMany::Many(texts.into_iter().map(Self::Text).collect())
    }

    /// The entry's text, if it is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Other(_) => None,
        }
    }
}

impl OneOrMany<Label> {
    /// The entries that are text, for search and facets.
    pub fn texts(&self) -> Vec<&str> {
        self.iter().filter_map(Label::as_text).collect()
    }

    /// Every entry as shown (text as it is, another value as JSON), joined by `sep`.
    pub fn joined(&self, sep: &str) -> String {
        self.iter()
            .map(Label::to_string)
            .collect::<Vec<_>>()
            .join(sep)
    }
}

impl From<&str> for Label {
    fn from(text: &str) -> Self {
        Self::Text(text.to_string())
    }
}

impl From<String> for Label {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

/// Text as it is; another value as compact JSON.
impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Other(value) => write!(f, "{value}"),
        }
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => text.serialize(s),
            Self::Other(value) => value.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => Self::Text(text),
            other => Self::Other(other),
        })
    }
}

impl JsonSchema for Label {
    fn schema_name() -> Cow<'static, str> {
        "Label".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "A name (text). Another value is kept as written, with a warning.",
            "anyOf": [{"type": "string"}, {}]
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_other_values_read_back_as_written() {
        for text in [
            r#""wmt19""#,
            r#"{"FOSD":"https://x.org/fosd"}"#,
            "2024",
            "null",
        ] {
            let label: Label = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&label).unwrap(), text);
        }
        let label: Label = serde_norway::from_str("FOSD: https://x.org/fosd").unwrap();
        assert_eq!(label.as_text(), None);
        assert_eq!(label.to_string(), r#"{"FOSD":"https://x.org/fosd"}"#);
        assert_eq!(Label::from("wmt19").as_text(), Some("wmt19"));
    }
}
