//! The DCAT-AP catalogue is written page by page: every listed item appears once however
//! many pages it takes, the document stays one valid graph, and its ETag lets a harvester
//! revalidate (304) until something it is made from changes.

mod common;

use std::collections::{HashMap, HashSet};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// More than one page of projects, and of one organisation's model cards.
const PROJECTS: usize = 230;
const MODELS: usize = 210;

async fn fill(app: &axum::Router) {
    for org in ["alpha", "beta", "gamma"] {
        create(app, "/api/v1/organisations", &organisation(org)).await;
    }
    for i in 0..PROJECTS {
        let orgs: &[&str] = if i % 2 == 0 {
            &["alpha"]
        } else {
            &["beta", "alpha"]
        };
        create(
            app,
            "/api/v1/projects",
            &project(&format!("p-{i:03}"), orgs),
        )
        .await;
    }
    for i in 0..MODELS {
        let mut card = model_card("alpha", &format!("m-{i:03}"));
        if i % 3 == 0 {
            card = with(card, "project", json!(format!("p-{i:03}")));
        }
        create(app, "/api/v1/models", &card).await;
    }
    create(app, "/api/v1/models", &model_card("gamma", "solo")).await;
    create(
        app,
        "/api/v1/models/alpha/m-001/versions",
        &model_version("1.0"),
    )
    .await;
    let private = with(
        model_card("gamma", "hidden"),
        "visibility",
        json!("organisation"),
    );
    create(app, "/api/v1/models", &private).await;
}

/// The `@id`s each subject's `predicate` points to, over every node object of the graph
/// (a subject may have several).
fn objects(doc: &Value, predicate: &str) -> HashMap<String, Vec<String>> {
    let mut found: HashMap<String, Vec<String>> = HashMap::new();
    for node in doc["@graph"].as_array().expect("an @graph") {
        let subject = node["@id"].as_str().expect("an @id").to_string();
        for value in node[predicate].as_array().into_iter().flatten() {
            if let Some(id) = value["@id"].as_str() {
                found
                    .entry(subject.clone())
                    .or_default()
                    .push(id.to_string());
            }
        }
    }
    found
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_listed_item_appears_once_across_pages(pool: PgPool) {
    let app = app(pool);
    fill(&app).await;

    let reply = get(&app, "/api/v1/catalog.jsonld").await;
    assert_eq!(reply.status, StatusCode::OK);
    let datasets = objects(&reply.body, "dcat:dataset");
    let catalog = datasets
        .get("http://127.0.0.1:8080/#catalog")
        .unwrap_or_else(|| panic!("no catalogue node in {:?}", datasets.keys()));
    let unique: HashSet<&String> = catalog.iter().collect();
    assert_eq!(unique.len(), catalog.len(), "an item is listed twice");
    assert_eq!(catalog.len(), PROJECTS + MODELS + 1);
    for key in ["projects/p-000#project", "projects/p-229#project"] {
        assert!(
            unique.contains(&format!("http://127.0.0.1:8080/{key}")),
            "{key}"
        );
    }
    for key in [
        "models/alpha/m-000",
        "models/alpha/m-209",
        "models/gamma/solo",
    ] {
        assert!(
            unique.contains(&format!("http://127.0.0.1:8080/{key}#model")),
            "{key}"
        );
    }
    assert!(!reply.body.to_string().contains("hidden"));

    // Links across pages: a project names its cards, a card its project, and the version
    // of a card on the first page of models carries its result.
    let parts = objects(&reply.body, "dct:hasPart");
    assert_eq!(
        parts["http://127.0.0.1:8080/projects/p-201#project"],
        ["http://127.0.0.1:8080/models/alpha/m-201#model"]
    );
    let part_of = objects(&reply.body, "dct:isPartOf");
    assert_eq!(
        part_of["http://127.0.0.1:8080/models/alpha/m-204#model"],
        ["http://127.0.0.1:8080/projects/p-204#project"]
    );
    let measured = objects(&reply.body, "dqv:hasQualityMeasurement");
    assert_eq!(
        measured["http://127.0.0.1:8080/models/alpha/m-001#model"].len(),
        1
    );

    // The Turtle document lists the same items.
    let turtle = get(&app, "/api/v1/catalog.ttl").await;
    let text = turtle.body.as_str().expect("Turtle text");
    assert_eq!(
        text.matches("a dcat:CatalogRecord").count(),
        PROJECTS + MODELS + 1,
        "one catalogue record per item"
    );
    assert!(text.starts_with("@prefix rdf:"), "{}", &text[..80]);
}

async fn get_if_none_match(app: &axum::Router, uri: &str, tag: &str) -> Reply {
    let request = Request::get(uri)
        .header(header::IF_NONE_MATCH, tag)
        .body(Body::empty())
        .expect("a request");
    send_request(app, request).await
}

fn etag(reply: &Reply) -> String {
    reply
        .headers
        .get(header::ETAG)
        .expect("an ETag")
        .to_str()
        .expect("ASCII")
        .to_string()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_harvester_revalidates_with_the_etag_until_the_catalogue_changes(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/organisations", &organisation("alpha")).await;
    create(&app, "/api/v1/projects", &project("p-one", &["alpha"])).await;

    for uri in ["/api/v1/catalog.ttl", "/api/v1/catalog.jsonld"] {
        let first = get(&app, uri).await;
        assert_eq!(first.status, StatusCode::OK);
        let tag = etag(&first);
        assert!(tag.starts_with("W/\""), "{tag}");
        assert_eq!(
            etag(&get(&app, uri).await),
            tag,
            "the same rows, the same tag"
        );

        let unchanged = get_if_none_match(&app, uri, &tag).await;
        assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
        assert_eq!(unchanged.body, Value::Null);
        assert_eq!(etag(&unchanged), tag);
        let listed = get_if_none_match(&app, uri, &format!("\"other\", {tag}")).await;
        assert_eq!(listed.status, StatusCode::NOT_MODIFIED);
        let stale = get_if_none_match(&app, uri, "W/\"0123\"").await;
        assert_eq!(stale.status, StatusCode::OK);
    }
    let turtle = etag(&get(&app, "/api/v1/catalog.ttl").await);
    let jsonld = etag(&get(&app, "/api/v1/catalog.jsonld").await);
    assert_ne!(turtle, jsonld, "each serialisation has its own tag");

    // A new item, a changed title, a withdrawal, an organisation's new name: each is a
    // new tag, and the old one gets the whole document.
    let mut tags = vec![turtle.clone()];
    let changes = [
        "INSERT INTO model_cards (organisation_id, name, visibility) \
         SELECT id, 'new-card', 'public' FROM organisations WHERE slug = 'alpha'",
        "UPDATE projects SET title = 'Renamed' WHERE slug = 'p-one'",
        "UPDATE model_cards SET withdrawn_at = now() WHERE name = 'new-card'",
        "UPDATE organisations SET name = 'Alpha office' WHERE slug = 'alpha'",
        "DELETE FROM model_cards WHERE name = 'new-card'",
    ];
    for change in changes {
        sqlx::query(change).execute(&pool).await.expect(change);
        let reply = get_if_none_match(&app, "/api/v1/catalog.ttl", tags.last().unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK, "after `{change}`");
        let tag = etag(&reply);
        assert!(
            !tags.contains(&tag),
            "after `{change}` the tag is an old one"
        );
        tags.push(tag);
    }
}
