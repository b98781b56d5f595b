//! Model and project pages embed schema.org JSON-LD that user text cannot break out of,
//! and only on pages the caller may see.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{As, TestApp, model, organisation, project};
use serde_json::{Value, json};
use sqlx::PgPool;

const OPEN: &str = r#"<script type="application/ld+json">"#;

/// The JSON-LD in a page, checked to be one element that its text does not close early.
fn json_ld(page: &str) -> Value {
    assert_eq!(page.matches(OPEN).count(), 1, "{page}");
    let start = page.find(OPEN).unwrap() + OPEN.len();
    let end = start + page[start..].find("</script>").unwrap();
    let inside = &page[start..end];
    assert!(!inside.to_ascii_lowercase().contains("<script"), "{inside}");
    assert!(!inside.contains("<!--"), "{inside}");
    serde_json::from_str(inside).unwrap_or_else(|e| panic!("{e}: {inside}"))
}

const HOSTILE: &str = "Coder </script><script>alert(1)</script> <!-- & \"quoted\" \u{2028}";

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn model_and_project_pages_describe_themselves_in_schema_org(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("alpha"))
        .await;
    let mut open = project("alpha-open", &["alpha"], "public");
    open["title"] = json!(HOSTILE);
    open["contacts"] = json!([{"name": "Ann </script>", "email": "ann@alpha.test"}]);
    app.create("/api/v1/projects", open).await;
    let mut card = model("alpha", "alpha-model", Some("alpha-open"), "public");
    card["title"] = json!(HOSTILE);
    card["summary"] = json!("Summary </SCRIPT > here.");
    card["license"] = json!("apache-2.0");
    card["language"] = json!(["fr"]);
    card["tags"] = json!(["nace"]);
    app.create("/api/v1/models", card).await;
    app.create(
        "/api/v1/models/alpha/alpha-model/versions",
        json!({"version": "1", "results": [{"metric": "accuracy", "value": 0.91, "dataset": "<held-out>", "split": "test"}]}),
    )
    .await;
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-members-model", None, "members"),
    )
    .await;

    let page = app.get("/models/alpha/alpha-model", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    let ld = json_ld(&page.text);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "SoftwareApplication");
    assert_eq!(ld["name"], HOSTILE);
    assert_eq!(ld["description"], "Summary </SCRIPT > here.");
    assert_eq!(ld["license"], "http://spdx.org/licenses/Apache-2.0");
    assert_eq!(ld["inLanguage"], json!(["fr"]));
    assert_eq!(ld["keywords"], json!(["nace"]));
    assert_eq!(ld["publisher"]["name"], "Office alpha");
    assert_eq!(ld["isPartOf"]["@type"], "ResearchProject");
    assert_eq!(ld["isPartOf"]["name"], HOSTILE);
    assert_eq!(ld["additionalProperty"][0]["name"], "accuracy");
    assert_eq!(ld["additionalProperty"][0]["value"], 0.91);
    assert!(
        ld["url"]
            .as_str()
            .unwrap()
            .ends_with("/models/alpha/alpha-model")
    );

    let page = app.get("/projects/alpha-open", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    let ld = json_ld(&page.text);
    assert_eq!(ld["@type"], "ResearchProject");
    assert_eq!(ld["name"], HOSTILE);
    assert_eq!(ld["parentOrganization"][0]["name"], "Office alpha");
    assert_eq!(ld["contactPoint"][0]["name"], "Ann </script>");
    assert_eq!(ld["contactPoint"][0]["email"], "ann@alpha.test");

    // A page the caller may not see has no description of the item at all.
    let hidden = app
        .get("/models/alpha/alpha-members-model", &As::Anonymous)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.text.contains(OPEN));
    assert!(!hidden.text.contains("Model alpha-members-model"));
}
