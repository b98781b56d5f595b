//! Model cards as the real `huggingface_hub` writes and reads them (issue 22): cards made
//! with `ModelCard.from_template(ModelCardData(..., eval_results=[EvalResult(...)]))`
//! covering every field of the Hub's metadata, and cards written by hand in the shapes the
//! Hub's documentation shows, are accepted through the API with no warning; the hub serves
//! each back as `card.md`, which `huggingface_hub.ModelCard(text)` reads into the same
//! `data` and the same `eval_results`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use agora_e2e::{Hub, TestDb, admin_token, python_venv};
use serde_json::{Value, json};

/// Pinned: the version these shapes were checked with.
const PACKAGES: &[&str] = &["huggingface_hub==2.4.0", "Jinja2==3.1.6"];

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/huggingface/cards.py")
}

fn python(bin: &Path, mode: &str, input: Option<&Value>) -> Value {
    let mut child = Command::new(bin.join("python"))
        .arg(script())
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python runs");
    let mut stdin = child.stdin.take().expect("stdin");
    if let Some(input) = input {
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("write stdin");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("python ends");
    assert!(out.status.success(), "cards.py {mode} failed");
    serde_json::from_slice(&out.stdout).expect("cards.py prints JSON")
}

#[tokio::test]
async fn cards_written_by_huggingface_hub_are_accepted_and_read_back_equal() {
    let bin = python_venv("huggingface-hub-cards", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    let org = http
        .post(hub.url("/api/v1/organisations"))
        .bearer_auth(&token)
        .json(&json!({"slug": "insee", "name": "INSEE", "kind": "other"}))
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(org.status(), 201);

    let cards = python(&bin, "make", None);
    let cards = cards.as_array().expect("a list of cards");
    assert!(cards.len() >= 6, "{cards:?}");
    let mut served = Vec::new();
    for card in cards {
        let id = card["id"].as_str().expect("an id");
        let reply = http
            .post(hub.url("/api/v1/models"))
            .bearer_auth(&token)
            .json(&card["payload"])
            .send()
            .await
            .expect("the hub answers");
        let status = reply.status();
        let body: Value = reply.json().await.expect("a JSON answer");
        assert_eq!(status, 201, "{id}: {body}");
        assert!(
            body.get("agora_warnings").is_none(),
            "{id} was accepted with warnings: {}",
            body["agora_warnings"]
        );
        // Every key sent comes back as sent, the unknown ones included.
        for (key, value) in card["payload"].as_object().expect("an object") {
            assert_eq!(&body[key], value, "{id}: `{key}`");
        }
        let md = http
            .get(hub.url(&format!("/api/v1/models/insee/{id}/card.md")))
            .send()
            .await
            .expect("the hub answers");
        assert_eq!(md.status(), 200, "{id}");
        assert!(
            md.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .starts_with("text/markdown"),
            "{id}"
        );
        served.push(json!({
            "id": id,
            "sent": card["text"],
            "added": card["added"],
            "served": md.text().await.expect("a text body"),
        }));
    }

    let compared = python(&bin, "compare", Some(&Value::Array(served)));
    let mut eval_results = 0;
    for c in compared.as_array().expect("a list") {
        assert_eq!(
            c["data_equal"], true,
            "{}: data differ\nsent:   {}\nserved: {}",
            c["id"], c["sent"], c["served"]
        );
        assert_eq!(c["eval_equal"], true, "{}: eval_results differ", c["id"]);
        eval_results += c["eval_count"].as_u64().unwrap_or(0);
    }
    // The template cards carry four results and the specification's card one.
    assert_eq!(eval_results, 5);

    // `card.md` is read as the card's JSON is: 404 for what the caller may not see.
    let private = http
        .post(hub.url("/api/v1/models"))
        .bearer_auth(&token)
        .json(
            &json!({"organisation": "insee", "name": "private-card", "visibility": "organisation"}),
        )
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(private.status(), 201);
    for path in [
        "/api/v1/models/insee/private-card/card.md",
        "/api/v1/models/insee/no-such-card/card.md",
    ] {
        let anonymous = http.get(hub.url(path)).send().await.expect("answers");
        assert_eq!(anonymous.status(), 404, "{path}");
    }
    let own = http
        .get(hub.url("/api/v1/models/insee/private-card/card.md"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    assert_eq!(own.status(), 200);

    drop(hub);
    db.drop_now().await;
}

/// A metric value that is not a number (the Hub allows `"20.0 ± 1.2"`) is kept, warned
/// about by path, and still read back by `huggingface_hub` as sent.
#[tokio::test]
async fn a_metric_value_that_is_text_is_kept_with_a_warning() {
    let bin = python_venv("huggingface-hub-cards", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    http.post(hub.url("/api/v1/organisations"))
        .bearer_auth(&token)
        .json(&json!({"slug": "insee", "name": "INSEE", "kind": "other"}))
        .send()
        .await
        .expect("the hub answers");
    let text = "---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: text-classification\n    dataset:\n      type: d\n      name: D\n    metrics:\n    - type: accuracy\n      value: 20.0 ± 1.2\n---\n";
    let payload = json!({
        "organisation": "insee", "name": "text-metric", "visibility": "public", "license": "mit",
        "model-index": [{"name": "m", "results": [{"task": {"type": "text-classification"},
            "dataset": {"type": "d", "name": "D"},
            "metrics": [{"type": "accuracy", "value": "20.0 ± 1.2"}]}]}]
    });
    let reply = http
        .post(hub.url("/api/v1/models"))
        .bearer_auth(&token)
        .json(&payload)
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(reply.status(), 201);
    let body: Value = reply.json().await.expect("JSON");
    assert_eq!(
        body["agora_warnings"][0]["field"],
        "model-index[0].results[0].metrics[0].value"
    );
    let md = http
        .get(hub.url("/api/v1/models/insee/text-metric/card.md"))
        .send()
        .await
        .expect("answers")
        .text()
        .await
        .expect("text");
    let compared = python(
        &bin,
        "compare",
        Some(&json!([{"id": "text-metric", "sent": text,
            "added": {"organisation": "insee", "name": "text-metric", "visibility": "public"},
            "served": md}])),
    );
    assert_eq!(compared[0]["data_equal"], true, "{compared}");
    assert_eq!(compared[0]["eval_equal"], true, "{compared}");
    drop(hub);
    db.drop_now().await;
}
