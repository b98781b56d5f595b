//! A model card written back as Markdown with YAML front matter, the way the Hugging Face
//! Hub stores one in a `README.md`, so `huggingface_hub.ModelCard(text)` reads the same
//! metadata and evaluation results that were sent.
//!
//! The front matter is written by hand rather than by a YAML library: Python's YAML reader
//! (YAML 1.1, used by `huggingface_hub`) reads `no` as false, `2024-01-01` as a date and
//! `1e-5` as text, so every string is double-quoted and every float carries a dot and a
//! signed exponent. Nested values are written in flow style (JSON-like), which both YAML
//! versions read alike.

use std::fmt::Write;

use serde_json::Value;

use crate::model::ModelCardInput;

/// Fields that are lists and may be left out when empty (the card did not give them).
const LISTS: [&str; 4] = ["language", "tags", "datasets", "metrics"];

/// The card's metadata as its front matter holds it: every field but `body`, the lists
/// the card left empty left out.
pub fn metadata(card: &ModelCardInput) -> serde_json::Map<String, Value> {
    let mut meta = match serde_json::to_value(card) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    meta.remove("body");
    for key in LISTS {
        if meta
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            meta.remove(key);
        }
    }
    meta
}

/// The card as Markdown: its [`metadata`] as YAML front matter, then its body.
pub fn to_markdown(card: &ModelCardInput) -> String {
    let meta = metadata(card);
    let body = card.body.as_deref().unwrap_or_default();
    let mut out = String::from("---\n");
    for (key, value) in &meta {
        out.push_str(&quoted(key));
        out.push_str(": ");
        flow(&mut out, value);
        out.push('\n');
    }
    out.push_str("---\n");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        if !body.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn flow(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => out.push_str(&quoted(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(k));
                out.push_str(": ");
                flow(out, v);
            }
            out.push('}');
        }
    }
}

/// A number as both YAML 1.1 and 1.2 read it back: integers as they are, floats with a
/// dot and, when there is an exponent, a signed one (`1.0e-5`).
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let text = n.to_string();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (text.clone(), None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        Some(e) if e.starts_with(['-', '+']) => format!("{mantissa}e{e}"),
        Some(e) => format!("{mantissa}e+{e}"),
        None => mantissa,
    }
}

/// A double-quoted YAML string. JSON's escapes are YAML's; characters a YAML reader
/// refuses in a stream (C1 controls, byte-order marks, non-characters) are escaped too.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || (0x7f..0xa0).contains(&(c as u32))
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_a_dot_and_a_signed_exponent() {
        let n = |v: f64| number(&serde_json::Number::from_f64(v).unwrap());
        assert_eq!(n(0.9), "0.9");
        assert_eq!(n(20.0), "20.0");
        assert_eq!(n(0.00001), "0.00001");
        assert_eq!(n(1.5e-20), "1.5e-20");
        assert_eq!(n(1e300), "1.0e+300");
        assert_eq!(number(&serde_json::Number::from(7)), "7");
    }

    #[test]
    fn strings_are_quoted_and_escaped() {
        assert_eq!(quoted("no"), "\"no\"");
        assert_eq!(quoted("a\"b\\c\nd\u{85}"), "\"a\\\"b\\\\c\\nd\\u0085\"");
    }

    #[test]
    fn a_card_becomes_front_matter_and_body() {
        let card: ModelCardInput = crate::decode::from_json(
            br##"{"organisation":"insee","name":"naf","language":"fr","license":"mit","body":"# NAF\n","co2_eq_emissions":{"emissions":1.5}}"##,
        )
        .unwrap();
        let md = to_markdown(&card);
        assert!(md.starts_with("---\n"), "{md}");
        assert!(md.contains("\n\"organisation\": \"insee\"\n"), "{md}");
        assert!(md.contains("\n\"language\": \"fr\"\n"), "{md}");
        assert!(
            md.contains("\"co2_eq_emissions\": {\"emissions\": 1.5}"),
            "{md}"
        );
        assert!(!md.contains("\"tags\""), "{md}");
        assert!(md.ends_with("---\n\n# NAF\n"), "{md}");
        let front = md.split("---\n").nth(1).unwrap();
        let back: serde_json::Value = serde_norway::from_str(front).unwrap();
        assert_eq!(back["visibility"], "organisation");
        assert_eq!(back["co2_eq_emissions"]["emissions"], 1.5);
    }
}
