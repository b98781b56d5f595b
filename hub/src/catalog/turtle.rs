//! Turtle (RDF 1.1) for a [`Graph`]: the prefixes, then one block per subject.

use super::rdf::{Graph, Iri, Literal, Object, PREFIXES};

/// The graph as a Turtle document.
pub fn write(graph: &Graph) -> String {
    let mut out = prefixes();
    write_nodes(graph, &mut out);
    out
}

/// The prefix declarations a document starts with.
pub fn prefixes() -> String {
    let mut out = String::new();
    for (prefix, ns) in PREFIXES {
        out.push_str(&format!("@prefix {prefix}: <{ns}> .\n"));
    }
    out
}

/// The graph's subjects, one block each, appended to a document that declared
/// [`prefixes`]. A subject may have blocks in several parts of a document: Turtle adds
/// their statements up.
pub fn write_nodes(graph: &Graph, out: &mut String) {
    for node in graph.nodes() {
        out.push('\n');
        out.push_str(&iri(&node.subject));
        // Each predicate once, in the order it first appears, with all its objects.
        let mut predicates: Vec<&Iri> = Vec::new();
        for (predicate, _) in &node.statements {
            if !predicates.contains(&predicate) {
                predicates.push(predicate);
            }
        }
        for (i, predicate) in predicates.into_iter().enumerate() {
            if i > 0 {
                out.push_str(" ;");
            }
            out.push_str("\n    ");
            out.push_str(
                &if predicate.as_str() == Iri::vocab("rdf", "type").as_str() {
                    "a".to_string()
                } else {
                    iri(predicate)
                },
            );
            let objects = node.statements.iter().filter(|(p, _)| p == predicate);
            for (j, (_, object)) in objects.enumerate() {
                out.push_str(if j == 0 { " " } else { " ,\n        " });
                out.push_str(&term(object));
            }
        }
        out.push_str(" .\n");
    }
}

fn iri(iri: &Iri) -> String {
    // `Iri` holds no character that `<…>` refuses.
    iri.compact()
        .unwrap_or_else(|| format!("<{}>", iri.as_str()))
}

fn term(object: &Object) -> String {
    match object {
        Object::Iri(i) => iri(i),
        Object::Literal(Literal::Plain(text)) => quoted(text),
        Object::Literal(Literal::Lang(text, lang)) => format!("{}@{lang}", quoted(text)),
        Object::Literal(Literal::Typed(text, datatype)) => {
            format!("{}^^{}", quoted(text), iri(datatype))
        }
    }
}

/// A `STRING_LITERAL_QUOTE`: quotes, backslashes and line breaks escaped, other control
/// characters as `\uXXXX`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::rdf::english;

    #[test]
    fn literals_are_escaped() {
        assert_eq!(
            quoted("a \"b\" \\ c\nd\re\tf\u{1}"),
            r#""a \"b\" \\ c\nd\re\tf\u0001""#
        );
        assert_eq!(quoted("\"\"\" é </script>"), r#""\"\"\" é </script>""#);
    }

    #[test]
    fn subjects_group_their_statements() {
        let mut g = Graph::default();
        let s = Iri::new("https://x.org/s");
        g.a(&s, Iri::vocab("dcat", "Dataset"));
        g.add(&s, Iri::vocab("dcat", "keyword"), "a");
        g.add(&s, Iri::vocab("dct", "title"), english("T"));
        g.add(&s, Iri::vocab("dcat", "keyword"), "b");
        let text = write(&g);
        assert!(text.ends_with(
            "<https://x.org/s>\n    a dcat:Dataset ;\n    dcat:keyword \"a\" ,\n        \"b\" ;\n    dct:title \"T\"@en .\n"
        ), "{text}");
    }
}
