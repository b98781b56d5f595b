//! JSON-LD 1.1 for a [`Graph`]: an explicit `@context` with the prefixes, and an `@graph`
//! of node objects. Every value is written in full (`@id`, or `@value` with `@language` or
//! `@type`), so no term of the context changes what a value means.

use serde_json::{Map, Value, json};

use super::rdf::{Graph, Iri, Literal, Node, Object, PREFIXES};

/// The `@context` both the catalogue and its readers use.
pub fn context() -> Value {
    let mut context = Map::new();
    for (prefix, ns) in PREFIXES {
        context.insert((*prefix).to_string(), Value::String((*ns).to_string()));
    }
    Value::Object(context)
}

/// The graph as a JSON-LD document.
pub fn write(graph: &Graph) -> Value {
    let nodes: Vec<Value> = graph.nodes().iter().map(node).collect();
    json!({ "@context": context(), "@graph": nodes })
}

/// One node object of the `@graph`. Several node objects may have the same `@id`: JSON-LD
/// adds their statements up, so a document can be written part by part.
pub fn node(node: &Node) -> Value {
    let rdf_type = Iri::vocab("rdf", "type");
    let mut object = Map::new();
    object.insert(
        "@id".into(),
        Value::String(node.subject.as_str().to_string()),
    );
    let mut types = Vec::new();
    for (predicate, value) in &node.statements {
        if *predicate == rdf_type
            && let Object::Iri(class) = value
        {
            types.push(Value::String(name(class)));
            continue;
        }
        let values = object
            .entry(name(predicate))
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = values {
            list.push(term(value));
        }
    }
    if !types.is_empty() {
        object.insert("@type".into(), Value::Array(types));
    }
    Value::Object(object)
}

/// A property or class: `prefix:local` when it has one, else the full IRI.
fn name(iri: &Iri) -> String {
    iri.compact().unwrap_or_else(|| iri.as_str().to_string())
}

fn term(object: &Object) -> Value {
    match object {
        Object::Iri(iri) => json!({ "@id": iri.as_str() }),
        Object::Literal(Literal::Plain(text)) => json!({ "@value": text }),
        Object::Literal(Literal::Lang(text, lang)) => json!({ "@value": text, "@language": lang }),
        Object::Literal(Literal::Typed(text, datatype)) => {
            json!({ "@value": text, "@type": name(datatype) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::rdf::{date_time, english};

    #[test]
    fn nodes_carry_types_and_full_values() {
        let mut g = Graph::default();
        let s = Iri::new("https://x.org/s");
        g.a(&s, Iri::vocab("dcat", "Dataset"));
        g.add(&s, Iri::vocab("dct", "title"), english("</script> \"x\""));
        g.add(
            &s,
            Iri::vocab("dcat", "landingPage"),
            Iri::new("https://x.org/p"),
        );
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .to_utc();
        g.add(&s, Iri::vocab("dct", "modified"), date_time(at));
        let doc = write(&g);
        let node = &doc["@graph"][0];
        assert_eq!(node["@type"], json!(["dcat:Dataset"]));
        assert_eq!(
            node["dct:title"],
            json!([{"@value": "</script> \"x\"", "@language": "en"}])
        );
        assert_eq!(
            node["dcat:landingPage"],
            json!([{"@id": "https://x.org/p"}])
        );
        assert_eq!(
            node["dct:modified"],
            json!([{"@value": "2026-01-02T03:04:05Z", "@type": "xsd:dateTime"}])
        );
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    }
}
