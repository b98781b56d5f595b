//! The Hugging Face Hub's read API, judged by the real `huggingface_hub` client:
//! `HfApi(endpoint=hub).list_models(…)` with search, author, tag filters, pipeline tag,
//! sort and paging through `Link`; `.model_info(…)`; and `ModelCard.load(…)` through
//! `hf_hub_download`. Anonymously a private model is answered exactly as a missing one;
//! with a personal API token (`token=`) its owner's reader sees it.

use std::path::{Path, PathBuf};
use std::process::Command;

use agora_e2e::{Hub, TestDb, admin_token, create_as, python_venv};
use serde_json::{Value, json};

/// Pinned: the version these calls were checked with.
const PACKAGES: &[&str] = &["huggingface_hub==2.4.0"];

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/huggingface/client.py")
}

/// What the client saw, reading as `token` (empty: anonymously).
fn client(bin: &Path, hub: &Hub, token: &str) -> Value {
    let home = tempfile::tempdir().expect("a folder for the client's cache");
    let out = Command::new(bin.join("python"))
        .arg(script())
        .arg(token)
        .env("HF_ENDPOINT", &hub.base_url)
        .env("HF_HOME", home.path())
        .env("HF_HUB_DISABLE_TELEMETRY", "1")
        .env_remove("HF_TOKEN")
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "client.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("client.py prints JSON")
}

fn ids(seen: &Value, call: &str) -> Vec<String> {
    let mut ids: Vec<String> = seen[call]["ok"]
        .as_array()
        .unwrap_or_else(|| panic!("{call} failed: {}", seen[call]))
        .iter()
        .map(|v| v.as_str().expect("an id").to_string())
        .collect();
    ids.sort();
    ids
}

fn error_class(seen: &Value, call: &str) -> String {
    seen[call]["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{call} did not fail: {}", seen[call]))
        .to_string()
}

#[tokio::test]
async fn huggingface_hub_lists_reads_and_loads_the_cards_a_caller_may_see() {
    let bin = python_venv("huggingface-hub-client", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    for (slug, name) in [("inegi", "INEGI"), ("insee", "INSEE")] {
        create_as(
            &hub.url("/api/v1/organisations"),
            &token,
            &json!({"slug": slug, "name": name, "kind": "other"}),
        )
        .await;
    }
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({
            "organisation": "inegi", "name": "sinco-occupation-coder", "visibility": "public",
            "language": ["es"], "license": "apache-2.0", "pipeline_tag": "text-classification",
            "library_name": "scikit-learn", "tags": ["occupation", "sinco"],
            "model-index": [{"name": "sinco-occupation-coder", "results": [{
                "task": {"type": "text-classification"},
                "dataset": {"type": "inegi/enoe", "name": "ENOE 2024"},
                "metrics": [{"type": "accuracy", "value": 0.91}]}]}],
            "body": "# SINCO occupation coder\n\nCodes occupations to SINCO 2019.\n",
        }),
    )
    .await;
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({
            "organisation": "inegi", "name": "private-coder", "visibility": "organisation",
            "language": ["fr"], "tags": ["occupation"],
        }),
    )
    .await;
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({
            "organisation": "insee", "name": "naf-coder", "visibility": "public",
            "language": ["fr"], "license": "mit", "pipeline_tag": "text-classification",
        }),
    )
    .await;
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({
            "organisation": "insee", "name": "occupation-fr", "visibility": "public",
            "language": ["fr"], "license": "apache-2.0", "pipeline_tag": "text-classification",
        }),
    )
    .await;
    // More than one page of the answer (100), so the client must follow `Link`.
    for i in 0..105 {
        create_as(
            &hub.url("/api/v1/models"),
            &token,
            &json!({
                "organisation": "insee", "name": format!("bulk-{i:03}"), "visibility": "public",
            }),
        )
        .await;
    }

    let anonymous = client(&bin, &hub, "");
    assert_eq!(
        ids(&anonymous, "search"),
        ["inegi/sinco-occupation-coder", "insee/occupation-fr"]
    );
    assert_eq!(ids(&anonymous, "author"), ["inegi/sinco-occupation-coder"]);
    assert_eq!(
        ids(&anonymous, "filter_language"),
        ["insee/naf-coder", "insee/occupation-fr"]
    );
    assert_eq!(
        ids(&anonymous, "filter_many"),
        ["inegi/sinco-occupation-coder", "insee/occupation-fr"]
    );
    assert_eq!(
        ids(&anonymous, "pipeline_tag"),
        [
            "inegi/sinco-occupation-coder",
            "insee/naf-coder",
            "insee/occupation-fr"
        ]
    );
    assert_eq!(
        ids(&anonymous, "by_created"),
        ["inegi/sinco-occupation-coder"]
    );
    let bulk = ids(&anonymous, "bulk");
    assert_eq!(bulk.len(), 105, "every page was followed once: {bulk:?}");
    assert_eq!(bulk.first().map(String::as_str), Some("insee/bulk-000"));
    assert_eq!(bulk.last().map(String::as_str), Some("insee/bulk-104"));
    assert_eq!(error_class(&anonymous, "sort_downloads"), "HfHubHTTPError");
    assert!(
        anonymous["sort_downloads"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("sort")),
        "{}",
        anonymous["sort_downloads"]
    );

    let info = &anonymous["info"]["ok"];
    assert_eq!(
        info["id"], "inegi/sinco-occupation-coder",
        "{}",
        anonymous["info"]
    );
    assert_eq!(info["author"], "inegi");
    assert_eq!(info["private"], false);
    assert_eq!(info["pipeline_tag"], "text-classification");
    assert_eq!(info["library_name"], "scikit-learn");
    assert_eq!(info["siblings"], json!(["README.md"]));
    assert_eq!(info["sha"].as_str().map(str::len), Some(40));
    for tag in [
        "occupation",
        "sinco",
        "es",
        "license:apache-2.0",
        "text-classification",
    ] {
        assert!(
            info["tags"]
                .as_array()
                .is_some_and(|t| t.contains(&json!(tag))),
            "{tag} in {}",
            info["tags"]
        );
    }
    assert_eq!(info["card_data"]["license"], "apache-2.0");

    // A private model and a missing one are the same answer.
    assert_eq!(
        error_class(&anonymous, "info_private"),
        "RepositoryNotFoundError"
    );
    assert_eq!(
        error_class(&anonymous, "info_missing"),
        "RepositoryNotFoundError"
    );
    assert_eq!(
        error_class(&anonymous, "card_private"),
        "RepositoryNotFoundError"
    );

    let card = &anonymous["card"]["ok"];
    assert_eq!(
        card["data"]["license"], "apache-2.0",
        "{}",
        anonymous["card"]
    );
    assert_eq!(card["data"]["pipeline_tag"], "text-classification");
    assert_eq!(card["eval_results"], 1);
    assert!(
        card["text"]
            .as_str()
            .is_some_and(|t| t.contains("Codes occupations to SINCO 2019.")),
        "{}",
        card["text"]
    );

    // With a personal API token the reader is its owner, who may see the private card.
    let signed_in = client(&bin, &hub, &token);
    assert_eq!(
        ids(&signed_in, "author"),
        ["inegi/private-coder", "inegi/sinco-occupation-coder"]
    );
    assert_eq!(
        signed_in["info_private"]["ok"]["private"], true,
        "{}",
        signed_in["info_private"]
    );
    assert_eq!(
        signed_in["card_private"]["ok"]["data"]["language"],
        json!(["fr"])
    );
    assert_eq!(
        error_class(&signed_in, "info_missing"),
        "RepositoryNotFoundError"
    );

    drop(hub);
    db.drop_now().await;
}

#[tokio::test]
async fn the_readme_answers_head_with_what_hf_hub_download_reads() {
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    create_as(
        &hub.url("/api/v1/organisations"),
        &token,
        &json!({"slug": "ons", "name": "ONS", "kind": "other"}),
    )
    .await;
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({"organisation": "ons", "name": "sic-coder", "visibility": "public"}),
    )
    .await;

    let head = http
        .head(hub.url("/ons/sic-coder/resolve/main/README.md"))
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(head.status(), 200);
    let commit = head.headers()["x-repo-commit"]
        .to_str()
        .expect("text")
        .to_string();
    assert_eq!(commit.len(), 40);
    assert!(head.headers().contains_key("etag"));
    let length: usize = head.headers()["content-length"]
        .to_str()
        .ok()
        .and_then(|l| l.parse().ok())
        .expect("a length");
    let body = http
        .get(hub.url(&format!("/ons/sic-coder/resolve/{commit}/README.md")))
        .send()
        .await
        .expect("the hub answers")
        .text()
        .await
        .expect("text");
    assert_eq!(body.len(), length);
    assert!(body.starts_with("---\n"), "{body}");

    for (path, code) in [
        (
            "/ons/sic-coder/resolve/main/model.safetensors",
            "EntryNotFound",
        ),
        ("/ons/sic-coder/resolve/v2/README.md", "RevisionNotFound"),
        ("/ons/no-such/resolve/main/README.md", "RepoNotFound"),
    ] {
        let reply = http
            .get(hub.url(path))
            .send()
            .await
            .expect("the hub answers");
        assert_eq!(reply.status(), 404, "{path}");
        assert_eq!(reply.headers()["x-error-code"], code, "{path}");
        let body: Value = reply.json().await.expect("JSON");
        assert!(body["error"].is_string(), "{path}: {body}");
    }

    drop(hub);
    db.drop_now().await;
}
