//! The walking skeleton end to end: the real `agora-hub` binary migrates, loads the demo
//! data and serves it over HTTP.

use agora_e2e::{Hub, TestDb, hub_command};
use serde_json::{Value, json};

#[tokio::test]
async fn the_hub_serves_the_demo_data_and_refuses_bad_input() {
    let db = TestDb::create().await;

    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "seed-demo failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let again = hub_command(&db.url, &["seed-demo"]);
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(
        report.contains("nothing changed"),
        "second seed changed something:\n{report}"
    );

    let hub = Hub::start(&db.url).await;
    let client = reqwest::Client::new();

    let projects: Value = client
        .get(hub.url("/api/v1/projects?per_page=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = projects["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.len() >= 8, "{slugs:?}");
    assert!(slugs.contains(&"imf-ts-coding"));

    let refused = client
        .post(hub.url("/api/v1/projects"))
        .json(
            &json!({"slug": "new-pilot", "title": "New pilot", "summary": "A pilot.",
                      "organisations": ["insee"], "stage": "bogus"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["field"], "stage");

    let openapi: Value = client
        .get(hub.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/api/v1/projects"]["post"].is_object());

    drop(hub);
    db.drop_now().await;
}

#[test]
fn a_bad_setting_is_reported_with_exit_code_2() {
    let out = std::process::Command::new(agora_e2e::binary("agora-hub"))
        .arg("check-config")
        .env("AGORA_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`listen`"));
}

#[test]
fn the_agent_explains_itself() {
    let out = std::process::Command::new(agora_e2e::binary("agora-agent"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("check"), "{help}");
    let out = std::process::Command::new(agora_e2e::binary("agora-agent"))
        .args(["--config", "/nonexistent/agent.toml", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
