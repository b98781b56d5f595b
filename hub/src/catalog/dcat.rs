//! The catalogue as a DCAT-AP 3.0 graph.
//!
//! Every node is named by an IRI the hub mints under `public_url`, so both serialisations
//! describe the same graph, node for node:
//! - the catalogue `<base>/#catalog`, its publisher `<base>/#publisher`;
//! - a model `<base>/models/<org>/<name>#model`, its catalogue record `…#record`, its
//!   distribution (the card as JSON from the API) `…#card`, its contact point `…#contact`
//!   and its evaluation results `…#result-<n>`; the landing page is the page itself;
//! - a project `<base>/projects/<slug>#project`, with `#record`, `#json`, `#contact-<n>`;
//! - an organisation `<base>/organisations/<slug>#organisation`;
//! - the hub's code lists: `#kinds` (the kind of each item, its `dct:type`), `#tasks`
//!   (the machine learning task, as `dcat:theme`), and `#metric-<name>` (what an evaluation
//!   result measures).
//!
//! Models and projects are `dcat:Dataset`s (the DCAT-AP class a harvester picks up, a
//! subclass of `dcat:Resource`), models also `mls:Model` (W3C ML Schema). Evaluation
//! results are `dqv:QualityMeasurement`s, linked with `dqv:hasQualityMeasurement`, as
//! MLDCAT-AP does. Values the shapes check by class carry that class explicitly (a
//! licence is a `dct:LicenseDocument`, a URL an `rdfs:Resource`…), since validators do no
//! inference.

use agora_schemas::{ModelCard, Project};
use url::Url;

use super::Published;
use super::licences::spdx_iri;
use super::nodes::{
    Base, agent, code_lists, distribution, document, language, organisation, organisation_contact,
    v,
};
use super::rdf::{Graph, Iri, Object, date_time, double, english, segment};
use crate::config::CatalogConfig;

/// The DCAT-AP profile the records say they conform to.
const DCAT_AP: &str = "https://semiceu.github.io/DCAT-AP/releases/3.0.0";

/// The catalogue's own node, its publisher and the code lists: what the document starts
/// with, before the items. `modified` is the newest change among the items.
pub fn head(
    config: &CatalogConfig,
    public_url: &Url,
    modified: Option<chrono::DateTime<chrono::Utc>>,
) -> Graph {
    let base = Base::new(public_url);
    let mut g = Graph::default();
    let catalog = base.at("/#catalog");
    g.a(&catalog, v("dcat", "Catalog"));
    g.add(&catalog, v("dct", "title"), english(&config.title));
    g.add(
        &catalog,
        v("dct", "description"),
        english(&config.description),
    );
    let publisher = base.at("/#publisher");
    g.add(&catalog, v("dct", "publisher"), publisher.clone());
    agent(
        &mut g,
        &publisher,
        &config.publisher,
        config.publisher_url.as_ref(),
    );
    let home = base.at("/");
    g.add(&catalog, v("foaf", "homepage"), home.clone());
    g.a(&home, v("foaf", "Document"));
    language(&mut g, &catalog, "en");
    if let Some(at) = modified {
        g.add(&catalog, v("dct", "modified"), date_time(at));
    }
    code_lists(&mut g, &base, &catalog);
    g
}

/// The items of one page, each listed in the catalogue with its record. A node several
/// pages share (an organisation, a licence) is described again on each: RDF graphs are
/// sets of statements, so the repeats merge when the document is read.
pub fn items(page: &Published, public_url: &Url) -> Graph {
    let base = Base::new(public_url);
    let mut g = Graph::default();
    let catalog = base.at("/#catalog");
    for project in &page.projects {
        let parts = page
            .parts
            .get(project.spec.slug.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let item = project_node(&mut g, &base, page, project, parts);
        member(
            &mut g,
            &catalog,
            &item,
            project.created_at,
            project.updated_at,
        );
    }
    for card in &page.models {
        let in_project = card
            .spec
            .project
            .as_deref()
            .filter(|p| page.listed_projects.contains(*p));
        let item = model_node(&mut g, &base, page, card, in_project);
        member(&mut g, &catalog, &item, card.created_at, card.updated_at);
    }
    g
}

/// Lists an item in the catalogue, with its catalogue record.
fn member(
    g: &mut Graph,
    catalog: &Iri,
    item: &Iri,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
) {
    g.add(catalog, v("dcat", "dataset"), item.clone());
    let record = Iri::new(format!(
        "{}#record",
        item.as_str().split('#').next().unwrap_or_default()
    ));
    g.add(catalog, v("dcat", "record"), record.clone());
    g.a(&record, v("dcat", "CatalogRecord"));
    g.add(&record, v("foaf", "primaryTopic"), item.clone());
    g.add(&record, v("dct", "issued"), date_time(created));
    g.add(&record, v("dct", "modified"), date_time(updated));
    let profile = Iri::new(DCAT_AP);
    g.add(&record, v("dct", "conformsTo"), profile.clone());
    g.a(&profile, v("dct", "Standard"));
}

fn model_node(
    g: &mut Graph,
    base: &Base,
    published: &Published,
    card: &ModelCard,
    project: Option<&str>,
) -> Iri {
    let s = &card.spec;
    let page = base.model_page(s.organisation.as_str(), s.name.as_str());
    let item = Iri::new(format!("{page}#model"));
    g.a(&item, v("dcat", "Resource"));
    g.a(&item, v("dcat", "Dataset"));
    g.a(&item, v("mls", "Model"));
    let key = format!("{}/{}", s.organisation, s.name);
    let title = s.title.clone().unwrap_or_else(|| s.name.to_string());
    g.add(&item, v("dct", "title"), title.as_str());
    let description = s
        .summary
        .clone()
        .or_else(|| s.intended_use.clone())
        .unwrap_or_else(|| format!("Model card {key}, shared on Agora."));
    g.add(&item, v("dct", "description"), description);
    g.add(&item, v("dct", "identifier"), key.as_str());
    g.add(&item, v("dct", "type"), base.at("/#kind-model"));
    let publisher = organisation(g, base, published, s.organisation.as_str());
    g.add(&item, v("dct", "publisher"), publisher);
    document(g, &item, v("dcat", "landingPage"), &page);
    let licence = s
        .license
        .as_ref()
        .and_then(|l| spdx_iri(l.as_str()))
        .map(|iri| {
            let iri = Iri::new(iri);
            g.add(&item, v("dct", "license"), iri.clone());
            g.a(&iri, v("dct", "LicenseDocument"));
            iri
        });
    for tag in s.tags.texts() {
        g.add(&item, v("dcat", "keyword"), tag);
    }
    if let Some(framework) = &s.library_name {
        g.add(&item, v("dcat", "keyword"), framework.as_str());
    }
    if let Some(task) = s.agora_task() {
        g.add(&item, v("dcat", "theme"), base.task(task));
    }
    // The authority table names languages, not regional variants: `pt-BR` is Portuguese.
    for lang in s.language_facets() {
        language(g, &item, &lang);
    }
    g.add(&item, v("dct", "issued"), date_time(card.created_at));
    g.add(&item, v("dct", "modified"), date_time(card.updated_at));

    // Ask the organisation: a card names no person.
    organisation_contact(g, published, &item, &page, s.organisation.as_str());

    if let Some(slug) = project {
        let project = Iri::new(format!("{}#project", base.project_page(slug)));
        g.add(&item, v("dct", "isPartOf"), project);
    }
    distribution(
        g,
        &item,
        Iri::new(format!("{page}#card")),
        "Model card (JSON)",
        base.at(&format!("/api/v1/models/{key}")),
        licence.as_ref(),
    );

    let latest = published
        .latest
        .get(&(s.organisation.to_string(), s.name.to_string()));
    if let Some((version, results)) = latest {
        g.add(&item, v("dcat", "version"), version.as_str());
        for (n, result) in results.iter().enumerate() {
            let measurement = Iri::new(format!("{page}#result-{}", n + 1));
            g.add(
                &item,
                v("dqv", "hasQualityMeasurement"),
                measurement.clone(),
            );
            g.a(&measurement, v("dqv", "QualityMeasurement"));
            g.add(&measurement, v("dqv", "computedOn"), item.clone());
            let metric = base.at(&format!("/#metric-{}", segment(&result.metric)));
            g.add(&measurement, v("dqv", "isMeasurementOf"), metric.clone());
            g.a(&metric, v("dqv", "Metric"));
            g.add(&metric, v("skos", "prefLabel"), result.metric.as_str());
            g.add(&measurement, v("dqv", "value"), double(result.value));
            let split = result
                .split
                .as_deref()
                .map(|s| format!(" ({s} split)"))
                .unwrap_or_default();
            g.add(
                &measurement,
                v("dct", "description"),
                format!(
                    "{} of version {version} on {}{split}",
                    result.metric, result.dataset
                ),
            );
            let source = base.at(&format!(
                "/api/v1/models/{key}/versions/{}",
                segment(version)
            ));
            g.add(&measurement, v("dct", "source"), source);
        }
    }
    item
}

fn project_node(
    g: &mut Graph,
    base: &Base,
    published: &Published,
    project: &Project,
    parts: &[(String, String)],
) -> Iri {
    let s = &project.spec;
    let page = base.project_page(s.slug.as_str());
    let item = Iri::new(format!("{page}#project"));
    g.a(&item, v("dcat", "Resource"));
    g.a(&item, v("dcat", "Dataset"));
    g.add(&item, v("dct", "title"), s.title.as_str());
    g.add(&item, v("dct", "description"), s.summary.as_str());
    g.add(&item, v("dct", "identifier"), s.slug.as_str());
    g.add(&item, v("dct", "type"), base.at("/#kind-project"));
    for (i, org) in s.organisations.iter().enumerate() {
        let agent = organisation(g, base, published, org.as_str());
        if i == 0 {
            g.add(&item, v("dct", "publisher"), agent.clone());
        }
        g.add(&item, v("dct", "creator"), agent);
    }
    document(g, &item, v("dcat", "landingPage"), &page);
    for repository in &s.repositories {
        document(g, &item, v("foaf", "page"), repository.as_str());
    }
    for tag in &s.tags {
        g.add(&item, v("dcat", "keyword"), tag.as_str());
    }
    if let Some(domain) = &s.domain {
        g.add(&item, v("dcat", "keyword"), domain.as_str());
    }
    if let Some(task) = s.task {
        g.add(&item, v("dcat", "theme"), base.task(task));
    }
    for lang in &s.languages {
        language(g, &item, lang.as_str());
    }
    g.add(&item, v("dct", "issued"), date_time(project.created_at));
    g.add(&item, v("dct", "modified"), date_time(project.updated_at));
    for (n, person) in s.contacts.iter().enumerate() {
        let contact = Iri::new(format!("{page}#contact-{}", n + 1));
        g.add(&item, v("dcat", "contactPoint"), contact.clone());
        g.a(&contact, v("vcard", "Kind"));
        g.a(&contact, v("vcard", "Individual"));
        g.add(&contact, v("vcard", "fn"), person.name.as_str());
        g.add(
            &contact,
            v("vcard", "hasEmail"),
            Iri::new(format!("mailto:{}", person.email.as_str())),
        );
    }
    if s.contacts.is_empty()
        && let Some(first) = s.organisations.first()
    {
        organisation_contact(g, published, &item, &page, first.as_str());
    }
    for (organisation, name) in parts {
        let model = Iri::new(format!("{}#model", base.model_page(organisation, name)));
        g.add(&item, v("dct", "hasPart"), Object::Iri(model));
    }
    distribution(
        g,
        &item,
        Iri::new(format!("{page}#json")),
        "Project (JSON)",
        base.at(&format!("/api/v1/projects/{}", s.slug)),
        None,
    );
    item
}
