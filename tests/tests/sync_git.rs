//! git repositories and folders of manifests, synced by the real agent to the real hub:
//! projects and model cards arrive with their commit, a malformed manifest is reported with
//! its path while the rest syncs, a second sync sends nothing but the epoch, and a removed
//! manifest is withdrawn.

use agora_e2e::agent::{AgentHome, git_commit, show, summary_number};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use serde_json::Value;

const PROJECT: &str = "slug: naf-coding\ntitle: Activity coding\nsummary: Codes business \
    descriptions into the NAF.\norganisations: [insee]\nstage: production\ntask: coding\n\
    languages: [fr]\nvisibility: public\n";

const CARD: &str = "---\nname: naf-fasttext\nlicense: apache-2.0\nlanguage: fr\nlibrary_name: fasttext\n\
    task: coding\nproject: naf-coding\nvisibility: public\ntags: [nace, coding]\n---\n\n\
    # NAF coder\n\nA fastText classifier trained on Sirene.\n";

/// Unusable: its name is not a slug. (An odd language such as `french` is only warned
/// about now.)
const BAD_CARD: &str =
    "---\nname: Census Coder\nlanguage: [fr, french]\nvisibility: public\n---\nBody.\n";

const OTHER_PROJECT: &str = "slug: census-coding\ntitle: Census coding\nsummary: Occupation \
    coding for the census.\norganisations: [insee]\nstage: pilot\nvisibility: public\n";

#[tokio::test]
async fn git_manifests_reach_the_hub_and_a_malformed_one_is_reported_with_its_path() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;

    let repos = tempfile::tempdir().unwrap();
    let naf = repos.path().join("naf");
    let census = repos.path().join("census");
    let naf_commit = git_commit(
        &naf,
        &[("agora.yaml", PROJECT), ("MODEL_CARD.md", CARD)],
        "first",
    );
    git_commit(
        &census,
        &[("agora.yaml", OTHER_PROJECT), ("MODEL_CARD.md", BAD_CARD)],
        "first",
    );
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("models/price-nowcast")).unwrap();
    std::fs::write(
        folder.path().join("models/price-nowcast/MODEL_CARD.md"),
        "---\ntask: nowcasting\nvisibility: public\n---\nNowcasts consumer prices.\n",
    )
    .unwrap();
    let sources = format!(
        "[[sources]]\nname = \"gitlab\"\ntype = \"git\"\n\
         [[sources.repositories]]\nurl = \"file://{}\"\n\
         [[sources.repositories]]\nurl = \"file://{}\"\nbranch = \"main\"\n\
         [[sources]]\nname = \"shared-drive\"\ntype = \"folder\"\npath = \"{}\"\n",
        naf.display(),
        census.display(),
        folder.path().display()
    );
    let agent = AgentHome::new(&hub.base_url, &token, "insee", &sources);

    let check = agent.run(&["check"]).await;
    assert!(check.status.success(), "{}", show(&check));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("source gitlab") && text.contains("2 repositories reachable"),
        "{text}"
    );

    // dry-run prints what would be sent and sends nothing.
    // The malformed card makes it exit with 3 (something was refused).
    let dry = agent.run(&["dry-run"]).await;
    assert_eq!(dry.status.code(), Some(3), "{}", show(&dry));
    let lines: Vec<Value> = String::from_utf8_lossy(&dry.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let keys: Vec<&str> = lines.iter().map(|l| l["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "git:naf/MODEL_CARD.md",
            "git:naf/agora.yaml",
            "git:census/agora.yaml",
            "folder:models/price-nowcast/MODEL_CARD.md"
        ]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["hash"].as_str().unwrap().len() == 64)
    );
    assert!(String::from_utf8_lossy(&dry.stderr).contains("git:census/MODEL_CARD.md"));
    let (status, _) = (
        reqwest::get(hub.url("/api/v1/projects/naf-coding"))
            .await
            .unwrap()
            .status(),
        (),
    );
    assert_eq!(status, 404, "dry-run sent nothing");

    let first = agent.run(&["sync", "--once"]).await;
    assert_eq!(first.status.code(), Some(3), "{}", show(&first));
    assert_eq!(
        summary_number(&first.stdout, "hub ", "added"),
        4,
        "{}",
        show(&first)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("refused source=gitlab")
                && l.contains("key=\"git:census/MODEL_CARD.md\"")
                && l.contains("field=\"name\"")),
        "{stdout}"
    );

    let project = get_json(&hub.url("/api/v1/projects/naf-coding")).await;
    assert_eq!(project["stage"], "production");
    assert_eq!(project["provenance"]["origin"], "agent");
    assert_eq!(project["provenance"]["agent"], "insee/paris-1");
    assert_eq!(project["provenance"]["source"], "gitlab");
    assert_eq!(project["provenance"]["commit"], naf_commit.as_str());
    let card = get_json(&hub.url("/api/v1/models/insee/naf-fasttext")).await;
    assert_eq!(card["project"], "naf-coding");
    // Given back in the shape the card wrote it (`language: fr`), as the Hub does.
    assert_eq!(card["language"], "fr");
    assert!(
        card["body"]
            .as_str()
            .unwrap()
            .contains("fastText classifier")
    );
    let nowcast = get_json(&hub.url("/api/v1/models/insee/price-nowcast")).await;
    assert_eq!(nowcast["provenance"]["source"], "shared-drive");
    assert_eq!(
        get_json(&hub.url("/api/v1/projects/census-coding")).await["stage"],
        "pilot"
    );

    let detail = get_json_as(
        &hub.url("/api/v1/agents/insee/paris-1"),
        &admin_token(&db.url).await,
    )
    .await;
    let gitlab = detail["last_epochs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "gitlab")
        .unwrap()
        .clone();
    assert_eq!(gitlab["counts"]["added"], 3);
    assert_eq!(gitlab["counts"]["rejected"], 1);
    assert_eq!(
        gitlab["rejected_items"][0]["key"],
        "git:census/MODEL_CARD.md"
    );
    assert_eq!(gitlab["rejected_items"][0]["field"], "name");
    assert!(gitlab["completed_at"].is_string());
    assert!(detail["version"].is_string());

    // A second sync, and one after a commit that changes no manifest, send only epochs.
    let second = agent.run(&["sync", "--once"]).await;
    assert_eq!(second.status.code(), Some(3), "{}", show(&second));
    assert_eq!(
        summary_number(&second.stdout, "hub ", "batches"),
        0,
        "{}",
        show(&second)
    );
    assert_eq!(summary_number(&second.stdout, "hub ", "epochs"), 2);
    git_commit(&naf, &[("README.md", "# NAF\n")], "docs");
    let third = agent.run(&["sync", "--once"]).await;
    assert_eq!(
        summary_number(&third.stdout, "hub ", "batches"),
        0,
        "{}",
        show(&third)
    );

    // A changed manifest is updated; a removed one is withdrawn, not deleted.
    git(&naf, &["rm", "-q", "MODEL_CARD.md"]);
    git_commit(
        &naf,
        &[(
            "agora.yaml",
            &PROJECT.replace("stage: production", "stage: maintenance"),
        )],
        "retire",
    );
    let fourth = agent.run(&["sync", "--once"]).await;
    assert_eq!(fourth.status.code(), Some(3), "{}", show(&fourth));
    assert_eq!(
        summary_number(&fourth.stdout, "hub ", "updated"),
        1,
        "{}",
        show(&fourth)
    );
    assert_eq!(
        summary_number(&fourth.stdout, "hub ", "withdrawn"),
        1,
        "{}",
        show(&fourth)
    );
    let card = get_json(&hub.url("/api/v1/models/insee/naf-fasttext")).await;
    assert_eq!(card["provenance"]["withdrawn"], true);
    let project = get_json(&hub.url("/api/v1/projects/naf-coding")).await;
    assert_eq!(project["stage"], "maintenance");
    let events = get_json(&hub.url("/api/v1/events?subject=naf-coding&limit=10")).await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["project.stage_changed", "project.created"]);

    drop(hub);
    db.drop_now().await;
}

fn git(dir: &std::path::Path, args: &[&str]) {
    agora_e2e::agent::git(dir, args);
}
