//! The demo's assessments through the real hub binary: INEGI's QF4SA project shows its
//! reviewed assessment with a radar chart, two models' assessments compare side by side,
//! and `has_qf4sa=reviewed` lists only what has been reviewed.

use agora_e2e::{Hub, TestDb, get_json, hub_command};
use serde_json::Value;

async fn text(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_demo_shows_a_reviewed_qf4sa_assessment_a_comparison_and_the_filter() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let hub = Hub::start(&db.url).await;

    let list = get_json(&hub.url("/api/v1/assessments?project=inegi-qf4sa-metrics")).await;
    let a = &list["items"][0];
    assert_eq!(a["state"], "reviewed", "{list}");
    assert_eq!(a["reviews"][0]["standing"], "lead:ws5");
    let (status, page) = text(&hub.url(&format!("/assessments/{}", a["id"]))).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<svg class="radar radar-full""#), "{page}");
    assert!(page.contains("<desc id="));
    assert!(page.contains("Reviewed"));

    let (status, page) = text(
        &hub.url("/assessments/compare?model=inegi/sinco-occupation-coder&model=insee/naf-coder"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page.matches(r#"<polygon class="levels""#).count(), 2);

    // The hub indexes in the background: wait for the search to list the reviewed items.
    let url = hub.url("/api/v1/search?has_qf4sa=reviewed&per_page=100");
    let mut found: Vec<String> = Vec::new();
    for _ in 0..300 {
        let body = get_json(&url).await;
        found = body["hits"]
            .as_array()
            .map(|hits| {
                hits.iter()
                    .map(|h| h["link"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        if found.iter().any(|l| l == "/projects/inegi-qf4sa-metrics") {
            for hit in body["hits"].as_array().unwrap() {
                let states: &Value = &hit["has_qf4sa"];
                assert!(
                    states.as_array().unwrap().iter().any(|s| s == "reviewed"),
                    "{hit}"
                );
            }
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        found.contains(&"/projects/inegi-qf4sa-metrics".to_string()),
        "{found:?}"
    );
    assert!(found.contains(&"/models/inegi/sinco-occupation-coder".to_string()));
    assert!(
        !found.contains(&"/models/insee/naf-coder".to_string()),
        "{found:?}"
    );

    drop(hub);
    db.drop_now().await;
}
