//! schema.org descriptions (JSON-LD) that the model and project pages embed in
//! `<script type="application/ld+json">`, so search engines and dataset crawlers read what
//! the page shows. Built only from what the page already shows its caller.

use agora_schemas::{ModelCard, ModelVersion, Project};
use serde_json::{Map, Value, json};

use super::licences::spdx_iri;

/// An organisation as the pages name it: slug, name and web site.
pub struct OrganisationRef<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub website: Option<&'a str>,
}

fn organisation(base: &str, org: &OrganisationRef<'_>) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("Organization"));
    o.insert("name".into(), json!(org.name));
    o.insert(
        "url".into(),
        json!(
            org.website
                .map(str::to_string)
                .unwrap_or_else(|| format!("{base}/organisations/{}", org.slug))
        ),
    );
    Value::Object(o)
}

fn insert_some(o: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        o.insert(key.into(), value);
    }
}

/// A model card as a schema.org `SoftwareApplication` (a trained model is software one
/// runs), with its evaluation results as `PropertyValue`s.
pub fn model(
    base: &str,
    card: &ModelCard,
    versions: &[ModelVersion],
    owner: &OrganisationRef<'_>,
    project: Option<(&str, &str)>,
) -> Value {
    let s = &card.spec;
    let url = format!("{base}/models/{}/{}", s.organisation, s.name);
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("SoftwareApplication"));
    o.insert("@id".into(), json!(format!("{url}#model")));
    o.insert("url".into(), json!(url));
    o.insert(
        "identifier".into(),
        json!(format!("{}/{}", s.organisation, s.name)),
    );
    o.insert(
        "name".into(),
        json!(s.title.clone().unwrap_or_else(|| s.name.to_string())),
    );
    insert_some(&mut o, "description", s.summary.clone().map(Value::from));
    o.insert(
        "applicationCategory".into(),
        json!("Machine learning model"),
    );
    insert_some(
        &mut o,
        "license",
        s.license
            .as_ref()
            .and_then(|l| spdx_iri(l.as_str()))
            .map(Value::from),
    );
    if !s.tags.texts().is_empty() {
        o.insert("keywords".into(), json!(s.tags.texts()));
    }
    if !s.language.is_empty() {
        let langs: Vec<&str> = s.language.iter().map(|l| l.as_str()).collect();
        o.insert("inLanguage".into(), json!(langs));
    }
    o.insert("publisher".into(), organisation(base, owner));
    o.insert("author".into(), organisation(base, owner));
    insert_some(
        &mut o,
        "softwareVersion",
        card.latest_version.clone().map(Value::from),
    );
    o.insert("dateCreated".into(), json!(card.created_at.to_rfc3339()));
    o.insert("dateModified".into(), json!(card.updated_at.to_rfc3339()));
    if let Some((slug, title)) = project {
        o.insert(
            "isPartOf".into(),
            json!({"@type": "ResearchProject", "name": title, "url": format!("{base}/projects/{slug}")}),
        );
    }
    let results: Vec<Value> = versions
        .iter()
        .flat_map(|v| {
            v.spec.results.iter().map(move |r| {
                let split = r
                    .split
                    .as_deref()
                    .map(|s| format!(", {s} split"))
                    .unwrap_or_default();
                json!({
                    "@type": "PropertyValue",
                    "name": r.metric,
                    "value": r.value,
                    "description": format!("version {} on {}{split}", v.spec.version, r.dataset),
                })
            })
        })
        .collect();
    if !results.is_empty() {
        o.insert("additionalProperty".into(), Value::Array(results));
    }
    Value::Object(o)
}

/// A project as a schema.org `ResearchProject`, run by its organisations.
pub fn project(base: &str, project: &Project, organisations: &[OrganisationRef<'_>]) -> Value {
    let s = &project.spec;
    let url = format!("{base}/projects/{}", s.slug);
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("ResearchProject"));
    o.insert("@id".into(), json!(format!("{url}#project")));
    o.insert("url".into(), json!(url));
    o.insert("identifier".into(), json!(s.slug.as_str()));
    o.insert("name".into(), json!(s.title));
    o.insert("description".into(), json!(s.summary));
    if !s.tags.is_empty() {
        o.insert("keywords".into(), json!(s.tags));
    }
    if !s.languages.is_empty() {
        let langs: Vec<&str> = s.languages.iter().map(|l| l.as_str()).collect();
        o.insert("knowsLanguage".into(), json!(langs));
    }
    let orgs: Vec<Value> = organisations
        .iter()
        .map(|org| organisation(base, org))
        .collect();
    if !orgs.is_empty() {
        o.insert("parentOrganization".into(), Value::Array(orgs));
    }
    let contacts: Vec<Value> = s
        .contacts
        .iter()
        .map(|c| json!({"@type": "ContactPoint", "name": c.name, "email": c.email.as_str()}))
        .collect();
    if !contacts.is_empty() {
        o.insert("contactPoint".into(), Value::Array(contacts));
    }
    Value::Object(o)
}

/// JSON for the inside of a `<script>` element: `<`, `>` and `&` (and the JavaScript line
/// separators) as `\u` escapes, so no text in it can close the element or open a comment,
/// and the JSON still reads the same.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_its_element() {
        let v = json!({"name": "</script><script>alert(1)</script> & <!-- \u{2028}"});
        let text = script_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
