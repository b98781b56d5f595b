//! `/api/docs`: the OpenAPI document in Swagger UI, in a real headless browser. Every
//! operation of the served document is shown, everything the page loads comes from the
//! hub itself (the viewer works with no network), and "try it out" calls this hub.

use std::time::Duration;

use agora_e2e::browser::Browser;
use agora_e2e::{Hub, TestDb};
use fantoccini::Locator;
use serde_json::Value;

#[tokio::test]
async fn the_api_viewer_shows_every_operation_from_the_hub_alone() {
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let document: Value = reqwest::get(hub.url("/api/v1/openapi.json"))
        .await
        .expect("the document")
        .json()
        .await
        .expect("JSON");
    let operations: usize = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .count()
        })
        .sum();

    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&hub.url("/api/docs"))
        .await
        .expect("the viewer");
    if let Err(e) = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(".opblock"))
        .await
    {
        let source = client.source().await.unwrap_or_default();
        panic!(
            "no operation is shown ({e}); console: {:?}\n{source}",
            browser.console().await
        );
    }
    let shown = client
        .execute(
            "return document.querySelectorAll('.opblock').length",
            vec![],
        )
        .await
        .expect("a count");
    assert_eq!(
        shown.as_u64(),
        Some(operations as u64),
        "every operation is shown"
    );
    let text = client
        .find(Locator::Css("body"))
        .await
        .expect("a body")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("/api/v1/models/{organisation}/{name}/results"),
        "{text}"
    );

    // Everything loaded (scripts, styles, the document) came from the hub.
    let loaded = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .expect("resource entries");
    let loaded: Vec<String> = serde_json::from_value(loaded).expect("names");
    assert!(
        loaded.iter().any(|u| u.ends_with("/api/v1/openapi.json")),
        "{loaded:?}"
    );
    let base = hub.url("/");
    let elsewhere: Vec<&String> = loaded.iter().filter(|u| !u.starts_with(&base)).collect();
    assert!(elsewhere.is_empty(), "loaded from elsewhere: {elsewhere:?}");

    // "Try it out" on the health probe calls this hub and shows its answer.
    let probe = "#operations-operations-operations_healthz";
    client
        .find(Locator::Css(&format!("{probe} .opblock-summary-control")))
        .await
        .expect("the probe's operation")
        .click()
        .await
        .expect("opened");
    // "Try it out" is on from the start: the operation opens with its Execute button.
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("{probe} .execute")))
        .await
        .expect("an Execute button")
        .click()
        .await
        .expect("executed");
    let status = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!(
            "{probe} .live-responses-table tr.response .response-col_status"
        )))
        .await
        .expect("an answer is shown")
        .text()
        .await
        .expect("text");
    assert_eq!(status.trim(), "200");
    let errors: Vec<(String, String)> = browser
        .console()
        .await
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
}
