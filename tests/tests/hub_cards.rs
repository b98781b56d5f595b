//! Model cards as the real `huggingface_hub` writes and reads them (issue 22): cards made
//! with `ModelCard.from_template(ModelCardData(..., eval_results=[EvalResult(...)]))`
//! covering every field of the Hub's metadata, and cards written by hand in the shapes the
//! Hub's documentation shows, are accepted through the API with no warning; the hub serves
//! each back as `card.md`, which `huggingface_hub.ModelCard(text)` reads into the same
//! `data` and the same `eval_results`. The same cards, written as files into a git
//! repository and a folder, arrive through the real agent's git and folder sources with no
//! refusal and no warning, and read back equal too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use agora_e2e::agent::{AgentHome, git_commit, json_events, show};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, python_venv};
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

/// The organisation every card here belongs to.
async fn create_insee(http: &reqwest::Client, hub: &Hub, token: &str) {
    let org = http
        .post(hub.url("/api/v1/organisations"))
        .bearer_auth(token)
        .json(&json!({"slug": "insee", "name": "INSEE", "kind": "other"}))
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(org.status(), 201);
}

#[tokio::test]
async fn cards_written_by_huggingface_hub_are_accepted_and_read_back_equal() {
    let bin = python_venv("huggingface-hub-cards", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    create_insee(&http, &hub, &token).await;

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
    create_insee(&http, &hub, &token).await;
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

/// Every card goes through a git repository; the cards that do not name themselves (written
/// by hand, as copied from the Hub) go through a folder source too, named after their folder.
#[tokio::test]
async fn cards_written_by_huggingface_hub_arrive_through_git_and_folder_sources() {
    let bin = python_venv("huggingface-hub-cards", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    create_insee(&http, &hub, &token).await;

    let cards = python(&bin, "make", None);
    let cards = cards.as_array().expect("a list of cards");
    assert!(cards.len() >= 6, "{cards:?}");
    // (source, card, the model's name): a card's own `name` when its front matter has one,
    // else its folder's (`g-…` in the repository, `f-…` in the folder).
    let mut placed: Vec<(&str, &Value, String)> = Vec::new();
    let mut git_files = Vec::new();
    let dirs = tempfile::tempdir().expect("a temporary folder");
    let folder = dirs.path().join("shared-cards");
    for card in cards {
        let id = card["id"].as_str().expect("an id");
        let text = card["text"].as_str().expect("a text");
        let named = card["payload"]["name"]
            .as_str()
            .filter(|_| !card["added"]["name"].is_string());
        git_files.push((format!("g-{id}/MODEL_CARD.md"), text));
        placed.push(("git", card, named.map_or(format!("g-{id}"), str::to_string)));
        if named.is_none() {
            let dir = folder.join(format!("f-{id}"));
            std::fs::create_dir_all(&dir).expect("a card folder");
            std::fs::write(dir.join("MODEL_CARD.md"), text).expect("write a card");
            placed.push(("folder", card, format!("f-{id}")));
        }
    }
    assert!(
        placed.iter().any(|(s, ..)| *s == "folder"),
        "no card without a name"
    );
    let repo = dirs.path().join("hf-cards");
    let files: Vec<(&str, &str)> = git_files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    git_commit(&repo, &files, "cards as huggingface_hub writes them");
    let agent_token = create_agent(&db.url, "insee", "cards");
    let agent = AgentHome::new(
        &hub.base_url,
        &agent_token,
        "insee",
        &format!(
            "[[sources]]\nname = \"hf-git\"\ntype = \"git\"\n\
             [[sources.repositories]]\nurl = \"file://{}\"\nvisibility = \"public\"\n\
             [[sources]]\nname = \"hf-folder\"\ntype = \"folder\"\npath = \"{}\"\n\
             visibility = \"public\"\n",
            repo.display(),
            folder.display()
        ),
    );
    let out = agent.run(&["sync", "--once", "--json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        json_events(&out.stdout, "refused").is_empty(),
        "{}",
        show(&out)
    );
    assert!(
        json_events(&out.stdout, "warning").is_empty(),
        "{}",
        show(&out)
    );
    let summary = json_events(&out.stdout, "hub").pop().expect("a hub line");
    assert_eq!(summary["added"], placed.len(), "{}", show(&out));

    let mut served = Vec::new();
    for (source, card, name) in &placed {
        // Anonymous: the sources made every card public.
        let md = http
            .get(hub.url(&format!("/api/v1/models/insee/{name}/card.md")))
            .send()
            .await
            .expect("the hub answers");
        assert_eq!(md.status(), 200, "{source} {name}: {}", show(&out));
        let mut added = serde_json::Map::new();
        for key in card["added"].as_object().expect("an object").keys() {
            let value = match key.as_str() {
                "organisation" => json!("insee"),
                "name" => json!(name),
                "visibility" => json!("public"),
                other => panic!("unexpected added key {other}"),
            };
            added.insert(key.clone(), value);
        }
        served.push(json!({
            "id": format!("{source} {name}"),
            "sent": card["text"],
            "added": added,
            "served": md.text().await.expect("a text body"),
        }));
    }
    let compared = python(&bin, "compare", Some(&Value::Array(served)));
    assert_eq!(compared.as_array().map(Vec::len), Some(placed.len()));
    for c in compared.as_array().expect("a list") {
        assert_eq!(
            c["data_equal"], true,
            "{}: data differ\nsent:   {}\nserved: {}",
            c["id"], c["sent"], c["served"]
        );
        assert_eq!(c["eval_equal"], true, "{}: eval_results differ", c["id"]);
    }

    drop(hub);
    db.drop_now().await;
}
