//! The served OpenAPI document passes a real OpenAPI 3.1 validator.

use agora_e2e::{Hub, TestDb, python_venv};

#[tokio::test]
async fn the_openapi_document_is_valid_openapi_3_1() {
    let bin = python_venv("openapi-tools", &["openapi-spec-validator==0.9.0"]);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let doc = reqwest::get(hub.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let path = std::env::temp_dir().join(format!("agora-openapi-{}.json", std::process::id()));
    std::fs::write(&path, doc).unwrap();
    let out = std::process::Command::new(bin.join("openapi-spec-validator"))
        .arg(&path)
        .output()
        .expect("the validator runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    drop(hub);
    db.drop_now().await;
}
