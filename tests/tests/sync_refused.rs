//! Items refused by the hub or by the agent are named one by one in the agent's output,
//! make `sync` exit with code 3, are sent again at every sync (the state records only what
//! the hub accepted), and arrive once fixed, without touching the state file. `--full`
//! sends everything again.

use agora_e2e::agent::{AgentHome, json_events, show, summary_number};
use agora_e2e::{Hub, TestDb, create_agent, get_json, hub_command};
use serde_json::Value;

const GOOD: &str = "---\ntask: nowcasting\nvisibility: public\n---\nNowcasts consumer prices.\n";
/// A card of another organisation: the agent cannot tell, the hub refuses it.
const FOREIGN: &str =
    "---\norganisation: scb\ntask: coding\nvisibility: public\n---\nCodes occupations.\n";
const FIXED: &str = "---\ntask: coding\nvisibility: public\n---\nCodes occupations.\n";
/// A task nobody knows: accepted, with a warning.
const ODD: &str = "---\ntask: telepathy\nvisibility: public\n---\nReads minds.\n";
/// Unreadable YAML: the agent refuses it itself.
const BROKEN: &str = "---\nlicense: [unclosed\n---\nBody.\n";

#[tokio::test]
async fn refused_items_are_named_sent_again_and_arrive_once_fixed() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let folder = tempfile::tempdir().unwrap();
    let write = |dir: &str, text: &str| {
        let at = folder.path().join(dir);
        std::fs::create_dir_all(&at).unwrap();
        std::fs::write(at.join("MODEL_CARD.md"), text).unwrap();
    };
    write("price-nowcast", GOOD);
    write("occupation-coder", FOREIGN);
    write("census-coder", BROKEN);
    write("odd-model", ODD);
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &format!(
            "[[sources]]\nname = \"shared-drive\"\ntype = \"folder\"\npath = \"{}\"\n",
            folder.path().display()
        ),
    );

    // The dry run names what the agent itself refuses, and the warnings the hub would give
    // (worked out locally), and exits with 3.
    let dry = agent.run(&["dry-run"]).await;
    assert_eq!(dry.status.code(), Some(3), "{}", show(&dry));
    let stderr = String::from_utf8_lossy(&dry.stderr);
    assert!(
        stderr.contains("refused source=shared-drive key=\"folder:census-coder/MODEL_CARD.md\"")
            && stderr.contains("by=agent"),
        "{}",
        show(&dry)
    );
    assert!(
        stderr.lines().any(|l| l.starts_with(
            "warning source=shared-drive key=\"folder:odd-model/MODEL_CARD.md\" field=\"task\""
        ) && l.ends_with("by=agent")),
        "{}",
        show(&dry)
    );

    // The first sync: two cards arrive (one with a warning), one is refused by the hub,
    // one by the agent; each is named with its field and reason.
    let first = agent.run(&["sync", "--once"]).await;
    assert_eq!(first.status.code(), Some(3), "{}", show(&first));
    assert_eq!(summary_number(&first.stdout, "hub ", "added"), 2);
    assert_eq!(summary_number(&first.stdout, "hub ", "warnings"), 1);
    assert_eq!(summary_number(&first.stdout, "hub ", "rejected"), 1);
    let text = String::from_utf8_lossy(&first.stdout);
    let foreign = text
        .lines()
        .find(|l| l.contains("key=\"folder:occupation-coder/MODEL_CARD.md\""))
        .unwrap_or_else(|| panic!("{}", show(&first)));
    assert!(
        foreign.starts_with("refused source=shared-drive ")
            && foreign.contains("field=\"organisation\"")
            && foreign.contains("reason=\"")
            && foreign.ends_with("by=hub"),
        "{foreign}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("refused ")
            && l.contains("folder:census-coder/MODEL_CARD.md")
            && l.contains("by=agent")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with(
            "warning source=shared-drive key=\"folder:odd-model/MODEL_CARD.md\" field=\"task\""
        ) && l.ends_with("by=hub")),
        "{text}"
    );

    // Nothing is stuck: the refused card is sent again at every sync (JSON lines this time).
    let second = agent.run(&["sync", "--once", "--json"]).await;
    assert_eq!(second.status.code(), Some(3), "{}", show(&second));
    let refused = json_events(&second.stdout, "refused");
    assert_eq!(refused.len(), 2, "{}", show(&second));
    let by_hub: Vec<&Value> = refused.iter().filter(|r| r["by"] == "hub").collect();
    assert_eq!(by_hub.len(), 1, "{refused:?}");
    assert_eq!(by_hub[0]["key"], "folder:occupation-coder/MODEL_CARD.md");
    assert_eq!(by_hub[0]["field"], "organisation");
    assert_eq!(by_hub[0]["source"], "shared-drive");
    assert!(!by_hub[0]["reason"].as_str().unwrap().is_empty());
    let hub_line = &json_events(&second.stdout, "hub")[0];
    assert_eq!(hub_line["batches"], 1, "{hub_line}");
    assert_eq!(hub_line["rejected"], 1, "{hub_line}");
    assert_eq!(hub_line["added"], 0, "{hub_line}");
    assert_eq!(json_events(&second.stdout, "source")[0]["rejected_here"], 1);

    // Fixed at the source, both arrive at the next sync; the state file is left alone.
    write("occupation-coder", FIXED);
    write(
        "census-coder",
        "---\nlicense: mit\nvisibility: public\n---\nBody.\n",
    );
    let third = agent.run(&["sync", "--once"]).await;
    assert_eq!(third.status.code(), Some(0), "{}", show(&third));
    assert_eq!(
        summary_number(&third.stdout, "hub ", "added"),
        2,
        "{}",
        show(&third)
    );
    assert!(
        !String::from_utf8_lossy(&third.stdout).contains("refused "),
        "{}",
        show(&third)
    );
    let card = get_json(&hub.url("/api/v1/models/insee/occupation-coder")).await;
    assert_eq!(card["task"], "coding");
    let card = get_json(&hub.url("/api/v1/models/insee/census-coder")).await;
    assert_eq!(card["license"], "mit");

    // Unchanged: nothing is sent; `--full` sends everything again, which the hub holds.
    let fourth = agent.run(&["sync", "--once"]).await;
    assert_eq!(fourth.status.code(), Some(0), "{}", show(&fourth));
    assert_eq!(summary_number(&fourth.stdout, "hub ", "batches"), 0);
    let full = agent.run(&["sync", "--once", "--full"]).await;
    assert_eq!(full.status.code(), Some(0), "{}", show(&full));
    assert_eq!(
        summary_number(&full.stdout, "hub ", "unchanged"),
        4,
        "{}",
        show(&full)
    );
    assert_eq!(summary_number(&full.stdout, "hub ", "added"), 0);

    drop(hub);
    db.drop_now().await;
}
