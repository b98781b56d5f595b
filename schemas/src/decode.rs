//! Strict decoding of JSON bodies and YAML manifests: unknown fields are refused, and
//! every error names the field (as a path like `contacts[1].email`) and the reason.

use serde::de::DeserializeOwned;

use crate::validate::{FieldError, Validate};

/// Why a document could not be accepted.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not well-formed JSON or YAML at all.
    #[error("malformed {format}: {message}")]
    Syntax {
        format: &'static str,
        message: String,
    },
    /// Well-formed, but a field is missing, unknown, of the wrong type or breaks a rule.
    #[error("{0}")]
    Invalid(#[from] FieldError),
}

/// Decodes and validates a JSON document.
pub fn from_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = decode(&mut de, |e: &serde_json::Error| {
        (e.is_syntax() || e.is_eof()).then(|| strip_position(&e.to_string()))
    })
    .map_err(|e| e.with_format("JSON"))?;
    de.end().map_err(|e| DecodeError::Syntax {
        format: "JSON",
        message: strip_position(&e.to_string()),
    })?;
    value.validate()?;
    Ok(value)
}

/// Decodes and validates a JSON value already parsed (such as the payload of a sync item),
/// with the same rules and field paths as [`from_json`] but no second parse of text.
pub fn from_value<T: DeserializeOwned + Validate>(
    value: &serde_json::Value,
) -> Result<T, DecodeError> {
    let value: T =
        decode(value, |_: &serde_json::Error| None).map_err(|e| e.with_format("JSON"))?;
    value.validate()?;
    Ok(value)
}

/// Decodes and validates a YAML document (a manifest or a model card's front matter).
pub fn from_yaml<T: DeserializeOwned + Validate>(text: &str) -> Result<T, DecodeError> {
    let de = serde_norway::Deserializer::from_str(text);
    let value: T = decode(de, |e: &serde_norway::Error| {
        // serde_norway reports scanner and parser failures with a location but no path.
        let msg = e.to_string();
        let structural = msg.contains("while scanning") || msg.contains("while parsing");
        structural.then_some(msg)
    })
    .map_err(|e| e.with_format("YAML"))?;
    value.validate()?;
    Ok(value)
}

enum Failure {
    Syntax(String),
    Field(FieldError),
}

impl Failure {
    fn with_format(self, format: &'static str) -> DecodeError {
        match self {
            Failure::Syntax(message) => DecodeError::Syntax { format, message },
            Failure::Field(e) => DecodeError::Invalid(e),
        }
    }
}

fn decode<'de, D, T, E>(de: D, syntax: impl Fn(&E) -> Option<String>) -> Result<T, Failure>
where
    D: serde::Deserializer<'de, Error = E>,
    T: DeserializeOwned,
    E: serde::de::Error,
{
    let mut unknown = Vec::new();
    let mut on_unknown = |path: serde_ignored::Path<'_>| unknown.push(field_path(&path));
    let ignoring = serde_ignored::Deserializer::new(de, &mut on_unknown);
    let result: Result<T, _> = serde_path_to_error::deserialize(ignoring);
    match result {
        Ok(value) => match unknown.into_iter().next() {
            Some(field) => Err(Failure::Field(FieldError::new(field, "unknown field"))),
            None => Ok(value),
        },
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if let Some(message) = syntax(&inner) {
                return Err(Failure::Syntax(message));
            }
            Err(Failure::Field(field_error(&path, &inner.to_string())))
        }
    }
}

/// Turns serde's message into a field error; a missing field is reported at its own path.
fn field_error(path: &str, message: &str) -> FieldError {
    let message = strip_position(message);
    let parent = if path == "." { "" } else { path };
    // serde_norway puts the path in front of its messages; the field says it already.
    let message = match message.split_once(": ") {
        Some((head, rest)) if !head.is_empty() && parent.starts_with(head) => rest.to_string(),
        _ => message,
    };
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        };
        return FieldError::new(field, "is required");
    }
    let field = if parent.is_empty() { "body" } else { parent };
    FieldError::new(field, message)
}

/// Removes serde_json's " at line L column C" suffix: the field path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

fn field_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => {
            let parent = field_path(parent);
            // A key that would not read back as one path segment (empty, or holding a
            // separator, a space or a control character) is written as a JSON string.
            let plain = !key.is_empty()
                && !key.chars().any(|c| {
                    matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace() || c.is_control()
                });
            let key = if plain {
                key.clone()
            } else {
                serde_json::to_string(key).unwrap_or_else(|_| "\"?\"".into())
            };
            if parent.is_empty() {
                key
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProjectInput;

    const PROJECT: &str = r#"{"slug":"naf-coding","title":"Activity coding","summary":"Codes business descriptions.",
        "organisations":["insee"],"stage":"pilot"}"#;

    fn project_with(field: &str, value: &str) -> String {
        PROJECT.replacen('{', &format!("{{\"{field}\":{value},"), 1)
    }

    fn invalid(json: &str) -> FieldError {
        match from_json::<ProjectInput>(json.as_bytes()) {
            Err(DecodeError::Invalid(e)) => e,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_project_decodes() {
        let p: ProjectInput = from_json(PROJECT.as_bytes()).unwrap();
        assert_eq!(p.slug.as_str(), "naf-coding");
    }

    #[test]
    fn a_parsed_value_decodes_as_its_text_does() {
        let docs = [
            PROJECT.to_string(),
            PROJECT.replace("\"pilot\"", "\"bogus\""),
            project_with("extra", "1"),
            project_with("languages", "[\"fr\", 3]"),
            PROJECT.replace("\"title\":\"Activity coding\",", ""),
            project_with(
                "contacts",
                "[{\"name\": \"A\", \"email\": \"not an address\"}]",
            ),
        ];
        for doc in docs {
            let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
            let text = from_json::<ProjectInput>(doc.as_bytes());
            let parsed = from_value::<ProjectInput>(&value);
            match (text, parsed) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(DecodeError::Invalid(a)), Err(DecodeError::Invalid(b))) => {
                    assert_eq!((a.field, a.message), (b.field, b.message), "{doc}")
                }
                (a, b) => panic!("{doc}: {a:?} and {b:?} differ"),
            }
        }
    }

    #[test]
    fn a_bad_enum_names_its_field() {
        let e = invalid(&PROJECT.replace("\"pilot\"", "\"bogus\""));
        assert_eq!(e.field, "stage");
        assert!(
            e.message.contains("unknown variant `bogus`"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("line"), "{}", e.message);
    }

    #[test]
    fn an_unknown_key_that_is_empty_or_odd_is_named_quoted() {
        // Found by `tests/fuzz_sync_batch.rs`: an empty unknown key gave an empty field.
        for (key, field) in [("", r#""""#), ("a.b", r#""a.b""#), ("x y", r#""x y""#)] {
            let doc = PROJECT.replace(
                "\"stage\"",
                &format!("{}: 1, \"stage\"", serde_json::to_string(key).unwrap()),
            );
            match from_json::<ProjectInput>(doc.as_bytes()) {
                Err(DecodeError::Invalid(e)) => {
                    assert_eq!(e.field, field);
                    assert_eq!(e.message, "unknown field");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn unknown_fields_are_refused_even_nested() {
        assert_eq!(invalid(&project_with("colour", "\"red\"")).field, "colour");
        let nested = project_with(
            "contacts",
            r#"[{"name":"A","email":"a@insee.fr","phone":"1"}]"#,
        );
        assert_eq!(invalid(&nested).field, "contacts[0].phone");
    }

    #[test]
    fn missing_fields_are_named() {
        let e = invalid(r#"{"slug":"x-y"}"#);
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("title", "is required")
        );
    }

    #[test]
    fn checked_strings_report_their_path() {
        let e = invalid(&project_with("languages", r#"["fr","xx"]"#));
        assert_eq!(e.field, "languages[1]");
        let e = invalid(&project_with("gsbpm", r#""9.9""#));
        assert_eq!(e.field, "gsbpm");
        let e = invalid(&project_with("repositories", r#"["ftp://x.org/r"]"#));
        assert_eq!(e.field, "repositories[0]");
        assert!(e.message.contains("http or https"), "{}", e.message);
    }

    #[test]
    fn rules_after_decoding_are_applied() {
        let e = invalid(&PROJECT.replace(r#"["insee"]"#, "[]"));
        assert_eq!(e.field, "organisations");
    }

    #[test]
    fn malformed_json_is_a_syntax_error() {
        assert!(matches!(
            from_json::<ProjectInput>(b"{\"slug\":"),
            Err(DecodeError::Syntax { .. })
        ));
        assert!(matches!(
            from_json::<ProjectInput>(format!("{PROJECT} trailing").as_bytes()),
            Err(DecodeError::Syntax { .. })
        ));
    }

    #[test]
    fn yaml_manifests_decode_with_the_same_rules() {
        let yaml = "slug: naf-coding\ntitle: Activity coding\nsummary: Codes.\norganisations: [insee]\nstage: production\nlanguages: [fr]\n";
        let p: ProjectInput = from_yaml(yaml).unwrap();
        assert_eq!(p.languages[0].as_str(), "fr");
        let bad = yaml.replace("[fr]", "[french]");
        match from_yaml::<ProjectInput>(&bad) {
            Err(DecodeError::Invalid(e)) => {
                assert_eq!(e.field, "languages[0]");
                assert!(e.message.starts_with("`french` is not"), "{}", e.message);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            from_yaml::<ProjectInput>("slug: \"unterminated"),
            Err(DecodeError::Syntax { .. })
        ));
    }
}
