//! The example repository of `deploy/examples/occupation-coding` (a project manifest, two
//! model cards written as the Hugging Face Hub writes them, a QF4SA assessment), committed
//! to a git repository and synced by the real agent to the real hub: everything arrives on
//! the first sync with no refusal and no warning, the cards belong to the repository's
//! project, and visibility comes from the repository's setting unless a card's `agora:`
//! block says otherwise.

use std::path::Path;

use agora_e2e::agent::{AgentHome, git_commit, json_events, show};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use serde_json::Value;

const FILES: [&str; 4] = [
    "agora.yaml",
    "qf4sa.yaml",
    "models/sinco-xlmr/MODEL_CARD.md",
    "models/sinco-fasttext/MODEL_CARD.md",
];

fn example(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples/occupation-coding");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn status(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn the_example_repository_arrives_whole_on_the_first_sync() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "inegi", "ags-1");
    let hub = Hub::start(&db.url).await;
    let repos = tempfile::tempdir().unwrap();
    let repo = repos.path().join("sinco-occupation-coding");
    let texts: Vec<(&str, String)> = FILES.iter().map(|f| (*f, example(f))).collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let commit = git_commit(&repo, &files, "first");
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "inegi",
        &format!(
            "[[sources]]\nname = \"gitlab\"\ntype = \"git\"\n\
             [[sources.repositories]]\nurl = \"file://{}\"\nvisibility = \"members\"\n",
            repo.display()
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
    let summary = json_events(&out.stdout, "hub").pop().unwrap();
    assert_eq!(summary["added"], 4, "{}", show(&out));

    let admin = admin_token(&db.url).await;
    let project = get_json_as(
        &hub.url("/api/v1/projects/inegi-sinco-occupation-coding"),
        &admin,
    )
    .await;
    assert_eq!(project["visibility"], "members");
    assert_eq!(project["provenance"]["commit"], commit.as_str());

    // The card with `agora: {visibility: public}` is public; the verbatim one takes the
    // repository's visibility and its folder's name; both belong to the project.
    let xlmr = get_json(&hub.url("/api/v1/models/inegi/sinco-xlmr")).await;
    assert_eq!(xlmr["visibility"], "public");
    // Its project is for members: an anonymous reader is not told about it.
    assert_eq!(xlmr["project"], Value::Null, "{xlmr}");
    let xlmr = get_json_as(&hub.url("/api/v1/models/inegi/sinco-xlmr"), &admin).await;
    assert_eq!(xlmr["project"], "inegi-sinco-occupation-coding");
    assert_eq!(xlmr["library_name"], "transformers");
    assert!(xlmr.get("agora").is_none(), "{xlmr}");
    assert_eq!(
        status(&hub.url("/api/v1/models/inegi/sinco-fasttext")).await,
        404,
        "members only"
    );
    let fasttext = get_json_as(&hub.url("/api/v1/models/inegi/sinco-fasttext"), &admin).await;
    assert_eq!(fasttext["visibility"], "members");
    assert_eq!(fasttext["project"], "inegi-sinco-occupation-coding");
    assert_eq!(fasttext["library_name"], "fasttext");

    let assessments = get_json_as(
        &hub.url("/api/v1/assessments?project=inegi-sinco-occupation-coding"),
        &admin,
    )
    .await;
    assert_eq!(
        assessments["items"][0]["content"]["qf4sa"]["accuracy"]["level"], 4,
        "{assessments}"
    );

    drop(hub);
    db.drop_now().await;
}
