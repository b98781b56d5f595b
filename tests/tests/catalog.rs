//! The DCAT-AP catalogue of a hub with the demo data: both serialisations are read by a
//! real RDF library (Python's rdflib), conform to the official DCAT-AP 3.0.0 SHACL shapes
//! (pySHACL, shapes vendored in `tests/data/dcat-ap/`), describe the same graph, and hold
//! only what an anonymous visitor may see and the sources still list.

use std::path::PathBuf;
use std::process::Command;

use agora_e2e::{Hub, TestDb, admin_token, hub_command, python_venv};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

/// The official SHACL shapes, vendored with their licence notice beside them.
fn shapes() -> PathBuf {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/dcat-ap/dcat-ap-3.0.0-SHACL.ttl");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

/// Text a Turtle or JSON-LD writer that escapes carelessly would break.
const HOSTILE_TITLE: &str =
    "Quotes \" and \"\"\" triple, a back\\slash, </script><script>alert(1)</script> & é ünï";
const HOSTILE_SUMMARY: &str =
    "Line one\nline two\r\n\ttabbed \u{1} control, @en ^^xsd:string <b>bold</b> # not a comment";

async fn fetch(url: &str) -> (String, String) {
    let response = reqwest::get(url).await.expect("the hub answers");
    assert_eq!(response.status(), 200, "{url}");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (content_type, response.text().await.expect("a text body"))
}

#[tokio::test]
async fn the_demo_catalogue_conforms_to_dcat_ap_3_in_both_serialisations() {
    let bin = python_venv("dcat-ap", &["rdflib==7.6.0", "pyshacl==0.40.1"]);
    let shapes = shapes();
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());

    // Sources withdraw a public model and a public project: neither is published.
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE model_cards SET withdrawn_at = now() WHERE name = 'ts-coder'")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("UPDATE projects SET withdrawn_at = now() WHERE slug = 'statcan-crop-yield'")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);

    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let created = reqwest::Client::new()
        .post(hub.url("/api/v1/models"))
        .bearer_auth(&token)
        .json(&json!({
            "organisation": "insee", "name": "hostile-text", "title": HOSTILE_TITLE,
            "summary": HOSTILE_SUMMARY, "tags": ["a \"quoted\" tag"], "license": "mit",
            "language": ["fr", "en"], "visibility": "public"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());

    let (ttl_type, turtle) = fetch(&hub.url("/api/v1/catalog.ttl")).await;
    let (jsonld_type, jsonld) = fetch(&hub.url("/api/v1/catalog.jsonld")).await;
    assert!(ttl_type.starts_with("text/turtle"), "{ttl_type}");
    assert!(
        jsonld_type.starts_with("application/ld+json"),
        "{jsonld_type}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (ttl_path, jsonld_path) = (dir.path().join("c.ttl"), dir.path().join("c.jsonld"));
    std::fs::write(&ttl_path, &turtle).unwrap();
    std::fs::write(&jsonld_path, &jsonld).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/dcat/check.py");
    let out = Command::new(bin.join("python"))
        .arg(&script)
        .arg(&shapes)
        .arg(&ttl_path)
        .arg(&jsonld_path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "rdflib could not read the catalogue:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("the checker prints JSON");

    assert_eq!(
        report["turtle_conforms"],
        true,
        "Turtle: {}",
        report["turtle_report"].as_str().unwrap_or_default()
    );
    assert_eq!(
        report["jsonld_conforms"],
        true,
        "JSON-LD: {}",
        report["jsonld_report"].as_str().unwrap_or_default()
    );
    assert_eq!(
        report["control_conforms"], false,
        "a catalogue without title and publisher passed: the validation checks nothing"
    );
    assert_eq!(
        report["isomorphic"], true,
        "the serialisations differ: only in Turtle {}, only in JSON-LD {}",
        report["only_in_turtle"], report["only_in_jsonld"]
    );
    assert!(report["turtle_triples"].as_u64().unwrap() > 300, "{report}");

    let base = hub.base_url.clone();
    let datasets: Vec<&str> = report["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for public in [
        "/models/insee/naf-coder#model",
        "/models/inegi/sinco-occupation-coder#model",
        "/models/istat/ecoicop-scanner-classifier#model",
        "/models/insee/hostile-text#model",
        "/projects/insee-ape-coding#project",
        "/projects/inegi-nlp-coding#project",
    ] {
        assert!(
            datasets.contains(&format!("{base}{public}").as_str()),
            "{public} is missing from {datasets:?}"
        );
    }
    // Members-only (scian-activity-coder, sni-industry-coder, scb-ml-platform,
    // cbs-web-enterprise), organisation-private (enoe-income-imputer,
    // inegi-enoe-imputation) and withdrawn (ts-coder, statcan-crop-yield) items appear
    // nowhere, in neither serialisation.
    for hidden in [
        "scian-activity-coder",
        "sni-industry-coder",
        "enoe-income-imputer",
        "scb-ml-platform",
        "cbs-web-enterprise",
        "inegi-enoe-imputation",
        "ts-coder",
        "statcan-crop-yield",
    ] {
        assert!(
            !turtle.contains(hidden),
            "{hidden} is in the Turtle catalogue"
        );
        assert!(
            !jsonld.contains(hidden),
            "{hidden} is in the JSON-LD catalogue"
        );
    }
    assert_eq!(datasets.len(), 4 + 1 + 9, "{datasets:?}");

    // The hostile text reads back exactly, from both serialisations (they are isomorphic).
    let model = format!("{base}/models/insee/hostile-text#model");
    assert_eq!(report["titles"][&model], HOSTILE_TITLE);
    assert_eq!(report["descriptions"][&model], HOSTILE_SUMMARY);

    drop(hub);
    db.drop_now().await;
}
