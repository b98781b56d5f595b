//! Shared strategies of the property tests that fuzz the parsers (`fuzz_*.rs` in
//! `schemas/`, `agent/` and `hub/`): documents made by mutating a valid one (a key
//! removed, a value replaced by one of another type or by hostile text, an unknown key
//! added, a list grown), and text mutated byte by byte. The number of cases is proptest's
//! default (256), or `PROPTEST_CASES` for a longer run.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Text with the characters parsers trip over: quotes, YAML and JSON punctuation, control
/// characters, newlines, non-ASCII and the odd long run.
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        "[-:#&*!|>'\"%@`{}\\[\\],?~=.\\\\ \t\n\r]{0,16}",
        "[a-z0-9-]{0,70}",
        "\\PC{0,40}",
        Just("---".to_string()),
        Just("\u{feff}".to_string()),
        Just("~".to_string()),
        Just("1e999".to_string()),
        Just("&a [*a, *a]".to_string()),
        (1usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A JSON leaf of any type.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        hostile_text().prop_map(Value::String),
        Just(Value::Array(vec![])),
        Just(Value::Object(Map::new())),
    ]
}

/// One change to a document: where (an index into its nodes, modulo their number), what,
/// and the value or key it uses.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub at: usize,
    pub op: u8,
    pub value: Value,
    pub key: String,
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    (any::<usize>(), 0u8..5, leaf(), hostile_text()).prop_map(|(at, op, value, key)| Mutation {
        at,
        op,
        value,
        key,
    })
}

/// `base` changed by up to four mutations.
pub fn mutated(base: Value) -> impl Strategy<Value = Value> {
    proptest::collection::vec(mutation(), 1..5).prop_map(move |ms| {
        let mut doc = base.clone();
        for m in &ms {
            apply(&mut doc, m);
        }
        doc
    })
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// Applies `m` at the node numbered `m.at % count(doc)` in depth-first order.
pub fn apply(doc: &mut Value, m: &Mutation) {
    let n = m.at % count(doc);
    let mut seen = 0;
    visit(doc, n, &mut seen, m);
}

fn visit(v: &mut Value, target: usize, seen: &mut usize, m: &Mutation) -> bool {
    if *seen == target {
        change(v, m);
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| visit(c, target, seen, m)),
        Value::Object(o) => o.values_mut().any(|c| visit(c, target, seen, m)),
        _ => false,
    }
}

fn change(v: &mut Value, m: &Mutation) {
    match (m.op, &mut *v) {
        // Remove one key or element.
        (0, Value::Object(o)) if !o.is_empty() => {
            let key = o
                .keys()
                .nth(m.key.len() % o.len())
                .cloned()
                .unwrap_or_default();
            o.remove(&key);
        }
        (0, Value::Array(a)) if !a.is_empty() => {
            let i = m.key.len() % a.len();
            a.remove(i);
        }
        // Add an unknown key, or grow a list.
        (1, Value::Object(o)) => {
            o.insert(m.key.clone(), m.value.clone());
        }
        (1, Value::Array(a)) => {
            let copy = a.first().cloned().unwrap_or_else(|| m.value.clone());
            a.extend(std::iter::repeat_n(copy, 1 + m.key.len() % 40));
        }
        // Wrap the value in a list.
        (2, _) => *v = Value::Array(vec![v.clone()]),
        // Replace a string by hostile text of the same type.
        (3, Value::String(s)) => *s = m.key.clone(),
        // Replace anything by a leaf of any type.
        _ => *v = m.value.clone(),
    }
}

/// `text` with up to four byte-level edits (insert, delete or replace a few bytes), kept
/// valid UTF-8.
pub fn mutated_text(text: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec((any::<usize>(), 0u8..3, hostile_text()), 1..5).prop_map(
        move |edits| {
            let mut s = text.to_string();
            for (at, op, with) in edits {
                let mut i = if s.is_empty() { 0 } else { at % (s.len() + 1) };
                while !s.is_char_boundary(i) {
                    i -= 1;
                }
                match op {
                    0 => s.insert_str(i, &with),
                    1 => {
                        let mut end = (i + 1 + with.len() % 8).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(i..end, "");
                    }
                    _ => {
                        let mut end = (i + with.len().max(1)).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(i..end, &with);
                    }
                }
            }
            s
        },
    )
}
