//! The nodes items share in the catalogue graph: agents, contact points, languages,
//! documents, distributions and the hub's code lists, and the IRIs the hub mints.

use agora_schemas::{MlTask, Organisation};
use url::Url;

use super::Published;
use super::languages::authority_iri;
use super::rdf::{Graph, Iri, english};

const JSON_MEDIA_TYPE: &str = "http://www.iana.org/assignments/media-types/application/json";
const JSON_FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/JSON";

pub(super) fn v(prefix: &str, local: &str) -> Iri {
    Iri::vocab(prefix, local)
}

/// Builds the IRIs of the hub's pages and API under its public address.
pub(super) struct Base(String);

impl Base {
    pub(super) fn new(public_url: &Url) -> Self {
        Self(public_url.as_str().trim_end_matches('/').to_string())
    }
    pub(super) fn at(&self, path: &str) -> Iri {
        Iri::new(format!("{}{path}", self.0))
    }
    pub(super) fn model_page(&self, organisation: &str, name: &str) -> String {
        format!("{}/models/{organisation}/{name}", self.0)
    }
    pub(super) fn project_page(&self, slug: &str) -> String {
        format!("{}/projects/{slug}", self.0)
    }
    pub(super) fn organisation(&self, slug: &str) -> Iri {
        self.at(&format!("/organisations/{slug}#organisation"))
    }
    pub(super) fn task(&self, task: MlTask) -> Iri {
        self.at(&format!("/#task-{}", task.as_str()))
    }
}

/// The kinds of item (`dct:type`) and the machine learning tasks (`dcat:theme`).
pub(super) fn code_lists(g: &mut Graph, base: &Base, catalog: &Iri) {
    let kinds = base.at("/#kinds");
    g.a(&kinds, v("skos", "ConceptScheme"));
    g.add(
        &kinds,
        v("dct", "title"),
        english("Kinds of shared work on Agora"),
    );
    for (fragment, label) in [
        ("kind-model", "Machine learning model"),
        ("kind-project", "Machine learning project"),
    ] {
        let concept = base.at(&format!("/#{fragment}"));
        g.a(&concept, v("skos", "Concept"));
        g.add(&concept, v("skos", "prefLabel"), english(label));
        g.add(&concept, v("skos", "inScheme"), kinds.clone());
    }
    let tasks = base.at("/#tasks");
    g.add(catalog, v("dcat", "themeTaxonomy"), tasks.clone());
    g.a(&tasks, v("skos", "ConceptScheme"));
    g.add(&tasks, v("dct", "title"), english("Machine learning tasks"));
    for task in MlTask::ALL {
        let concept = base.task(task);
        g.a(&concept, v("skos", "Concept"));
        g.add(&concept, v("skos", "prefLabel"), english(task_label(task)));
        g.add(&concept, v("skos", "inScheme"), tasks.clone());
    }
}

pub(super) fn task_label(task: MlTask) -> String {
    let words = task.as_str().replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// A `foaf:Agent` (an organisation) with its name and home page.
pub(super) fn agent(g: &mut Graph, iri: &Iri, name: &str, homepage: Option<&Url>) {
    g.a(iri, v("foaf", "Agent"));
    g.a(iri, v("foaf", "Organization"));
    g.add(iri, v("foaf", "name"), name);
    if let Some(url) = homepage {
        let page = Iri::new(url.as_str());
        g.add(iri, v("foaf", "homepage"), page.clone());
        g.a(&page, v("foaf", "Document"));
    }
}

/// The organisation as an agent; its IRI.
pub(super) fn organisation(g: &mut Graph, base: &Base, published: &Published, slug: &str) -> Iri {
    let iri = base.organisation(slug);
    let org: Option<&Organisation> = published.organisations.get(slug);
    let name = org.map(|o| o.spec.name.as_str()).unwrap_or(slug);
    let website = org.and_then(|o| o.spec.website.as_ref());
    let url = website.and_then(|w| Url::parse(w.as_str()).ok());
    agent(g, &iri, name, url.as_ref());
    iri
}

pub(super) fn language(g: &mut Graph, subject: &Iri, code: &str) {
    if let Some(iri) = authority_iri(code) {
        let iri = Iri::new(iri);
        g.add(subject, v("dct", "language"), iri.clone());
        g.a(&iri, v("dct", "LinguisticSystem"));
    }
}

/// A web page the item is described on.
pub(super) fn document(g: &mut Graph, subject: &Iri, predicate: Iri, url: &str) {
    let page = Iri::new(url);
    g.add(subject, predicate, page.clone());
    g.a(&page, v("foaf", "Document"));
}

/// The item's description as JSON from the API, as its distribution.
pub(super) fn distribution(
    g: &mut Graph,
    subject: &Iri,
    iri: Iri,
    title: &str,
    api_url: Iri,
    licence: Option<&Iri>,
) {
    g.add(subject, v("dcat", "distribution"), iri.clone());
    g.a(&iri, v("dcat", "Distribution"));
    g.add(&iri, v("dct", "title"), english(title));
    g.add(&iri, v("dcat", "accessURL"), api_url.clone());
    g.add(&iri, v("dcat", "downloadURL"), api_url.clone());
    g.a(&api_url, v("rdfs", "Resource"));
    let media = Iri::new(JSON_MEDIA_TYPE);
    g.add(&iri, v("dcat", "mediaType"), media.clone());
    g.a(&media, v("dct", "MediaType"));
    let format = Iri::new(JSON_FILE_TYPE);
    g.add(&iri, v("dct", "format"), format.clone());
    g.a(&format, v("dct", "MediaTypeOrExtent"));
    if let Some(licence) = licence {
        g.add(&iri, v("dct", "license"), licence.clone());
    }
}

/// The organisation as the item's contact point (`vcard:Organization`).
pub(super) fn organisation_contact(
    g: &mut Graph,
    published: &Published,
    item: &Iri,
    page: &str,
    slug: &str,
) {
    let contact = Iri::new(format!("{page}#contact"));
    g.add(item, v("dcat", "contactPoint"), contact.clone());
    g.a(&contact, v("vcard", "Kind"));
    g.a(&contact, v("vcard", "Organization"));
    let org = published.organisations.get(slug);
    g.add(
        &contact,
        v("vcard", "fn"),
        org.map(|o| o.spec.name.clone())
            .unwrap_or_else(|| slug.to_string()),
    );
    if let Some(website) = org.and_then(|o| o.spec.website.as_ref()) {
        g.add(&contact, v("vcard", "hasURL"), Iri::new(website.as_str()));
    }
}
