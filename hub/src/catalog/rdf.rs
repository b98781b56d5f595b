//! A small typed RDF model: IRIs, literals and triples, kept in the order they were added
//! (so both serialisations list a subject's statements in the same order) and without
//! duplicates.

use std::collections::HashSet;

/// Namespaces the catalogue uses, with the prefixes both serialisations declare.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("mls", "http://www.w3.org/ns/mls#"),
];

/// An IRI. Characters that Turtle does not allow inside `<…>` (spaces, controls,
/// `<>"{}|^`\`) are percent-encoded when it is made, so every serialisation writes the
/// same, valid IRI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iri(String);

impl Iri {
    pub fn new(iri: impl AsRef<str>) -> Self {
        let mut out = String::new();
        for c in iri.as_ref().chars() {
            if c <= ' ' || c == '\u{7f}' || "<>\"{}|^`\\".contains(c) {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            } else {
                out.push(c);
            }
        }
        Self(out)
    }

    /// A term of a namespace in [`PREFIXES`], such as `vocab("dcat", "Dataset")`.
    pub fn vocab(prefix: &str, local: &str) -> Self {
        let ns = PREFIXES
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, ns)| *ns)
            .unwrap_or_default();
        Self(format!("{ns}{local}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `prefix:local` when the IRI is a plain term of a declared namespace.
    pub fn compact(&self) -> Option<String> {
        PREFIXES.iter().find_map(|(prefix, ns)| {
            let local = self.0.strip_prefix(ns)?;
            let mut chars = local.chars();
            let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            plain.then(|| format!("{prefix}:{local}"))
        })
    }
}

/// Percent-encodes everything but unreserved characters, for a segment or fragment of an
/// IRI the hub mints from user text.
pub fn segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A literal: plain, with a language tag, or with a datatype.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    Plain(String),
    Lang(String, &'static str),
    Typed(String, Iri),
}

/// The object of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Object {
    Iri(Iri),
    Literal(Literal),
}

impl From<Iri> for Object {
    fn from(iri: Iri) -> Self {
        Object::Iri(iri)
    }
}

impl From<Literal> for Object {
    fn from(literal: Literal) -> Self {
        Object::Literal(literal)
    }
}

impl From<&str> for Object {
    fn from(text: &str) -> Self {
        Object::Literal(Literal::Plain(text.to_string()))
    }
}

impl From<String> for Object {
    fn from(text: String) -> Self {
        Object::Literal(Literal::Plain(text))
    }
}

/// An `xsd:dateTime` literal.
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> Object {
    Object::Literal(Literal::Typed(
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Iri::vocab("xsd", "dateTime"),
    ))
}

/// An `xsd:double` literal (finite values only; the hub stores no others).
pub fn double(value: f64) -> Object {
    Object::Literal(Literal::Typed(
        format!("{value:?}"),
        Iri::vocab("xsd", "double"),
    ))
}

/// An English text.
pub fn english(text: impl Into<String>) -> Object {
    Object::Literal(Literal::Lang(text.into(), "en"))
}

/// The statements of one subject, in the order they were added.
#[derive(Debug, Clone)]
pub struct Node {
    pub subject: Iri,
    pub statements: Vec<(Iri, Object)>,
}

/// A graph of nodes, each subject once, in the order subjects first appeared.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    index: std::collections::HashMap<Iri, usize>,
    seen: HashSet<(Iri, Iri, Object)>,
}

impl Graph {
    /// Adds a statement; one already in the graph is not repeated.
    pub fn add(&mut self, subject: &Iri, predicate: Iri, object: impl Into<Object>) {
        let object = object.into();
        if !self
            .seen
            .insert((subject.clone(), predicate.clone(), object.clone()))
        {
            return;
        }
        let at = match self.index.get(subject) {
            Some(&at) => at,
            None => {
                self.nodes.push(Node {
                    subject: subject.clone(),
                    statements: Vec::new(),
                });
                self.index.insert(subject.clone(), self.nodes.len() - 1);
                self.nodes.len() - 1
            }
        };
        self.nodes[at].statements.push((predicate, object));
    }

    /// Adds `subject rdf:type class`.
    pub fn a(&mut self, subject: &Iri, class: Iri) {
        self.add(subject, Iri::vocab("rdf", "type"), class);
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_lose_the_characters_turtle_refuses() {
        assert_eq!(
            Iri::new("https://x.org/a b|c^d{e}\"<f>`\\").as_str(),
            "https://x.org/a%20b%7Cc%5Ed%7Be%7D%22%3Cf%3E%60%5C"
        );
        assert_eq!(Iri::new("https://x.org/é").as_str(), "https://x.org/é");
        assert_eq!(segment("f1 macro/é"), "f1%20macro%2F%C3%A9");
    }

    #[test]
    fn vocabulary_terms_compact_and_others_do_not() {
        assert_eq!(
            Iri::vocab("dcat", "Dataset").compact().as_deref(),
            Some("dcat:Dataset")
        );
        assert_eq!(Iri::new("http://purl.org/dc/terms/a.b").compact(), None);
        assert_eq!(Iri::new("https://agora.example.org/").compact(), None);
    }

    #[test]
    fn statements_are_kept_once_in_order() {
        let mut g = Graph::default();
        let s = Iri::new("https://x.org/s");
        g.add(&s, Iri::vocab("dct", "title"), "T");
        g.a(&s, Iri::vocab("dcat", "Dataset"));
        g.add(&s, Iri::vocab("dct", "title"), "T");
        assert_eq!(g.len(), 2);
        assert_eq!(g.nodes()[0].statements[0].0, Iri::vocab("dct", "title"));
        assert_eq!(double(0.93), double(0.93));
        assert!(matches!(double(1.0), Object::Literal(Literal::Typed(ref v, _)) if v == "1.0"));
    }
}
