//! `qf4sa.yaml` in a git repository, synced by the real agent to the real hub: it arrives
//! as an assessment of the project or model version it names, with its provenance; one
//! naming another office's project is refused with the field; a change makes a new
//! version; a removed file withdraws the assessment (kept, flagged, out of search).

use agora_e2e::agent::{AgentHome, git, git_commit, show, summary_number};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use serde_json::Value;

const PROJECT: &str = "slug: inegi-census-coding\ntitle: Census occupation coding\nsummary: Codes \
    occupations in the census.\norganisations: [inegi]\nworkstreams: [ws5]\nstage: pilot\n\
    visibility: public\n";

const PROJECT_QF4SA: &str = "project: inegi-census-coding\n\
    explainability: {level: 3, evidence: Token attributions for low-confidence answers}\n\
    accuracy: {level: 4, evidence: 0.91 on the 2020 census audit, links: ['https://inegi.example/audit']}\n\
    reproducibility: {level: 4, evidence: Runs tracked in MLflow}\n\
    timeliness: {level: 5, evidence: Coded in hours instead of weeks}\n\
    cost_effectiveness: {level: 3, evidence: Fewer clerical coders}\n";

/// A demo model's older version (the demo's newest is 3): its assessment is stale.
const MODEL_QF4SA: &str = "model: sinco-occupation-coder\nversion: '2'\n\
    explainability: {level: 2, evidence: Attributions not shown yet}\n\
    accuracy: {level: 3, evidence: 0.89 on ENOE 2024}\n\
    reproducibility: {level: 3, evidence: Environment pinned}\n\
    timeliness: {level: 4, evidence: Quarterly file in a day}\n\
    cost_effectiveness: {level: 3, evidence: Half the clerical effort}\n";

/// Another office's project: refused.
const FOREIGN_QF4SA: &str = "project: insee-ape-coding\n\
    explainability: {level: 1, evidence: x}\naccuracy: {level: 1, evidence: x}\n\
    reproducibility: {level: 1, evidence: x}\ntimeliness: {level: 1, evidence: x}\n\
    cost_effectiveness: {level: 1, evidence: x}\n";

/// Waits for the hub's indexer to list (or drop) `link` in the answers of `url`; false
/// when it has not after a generous wait.
async fn indexed(url: &str, link: &str, wanted: bool) -> bool {
    for _ in 0..300 {
        let body = get_json(url).await;
        let listed = body["hits"]
            .as_array()
            .is_some_and(|hits| hits.iter().any(|h| h["link"] == link));
        if listed == wanted {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

fn items(body: &Value) -> Vec<Value> {
    body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_qf4sa_file_in_git_arrives_as_an_assessment_of_what_it_names() {
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "inegi", "mx-1");
    let hub = Hub::start(&db.url).await;

    let repos = tempfile::tempdir().unwrap();
    let census = repos.path().join("census");
    let sinco = repos.path().join("sinco");
    let first_commit = git_commit(
        &census,
        &[("agora.yaml", PROJECT), ("qf4sa.yaml", PROJECT_QF4SA)],
        "first",
    );
    git_commit(
        &sinco,
        &[
            ("qf4sa.yaml", MODEL_QF4SA),
            ("other/qf4sa.yaml", FOREIGN_QF4SA),
        ],
        "first",
    );
    let sources = format!(
        "[[sources]]\nname = \"gitlab\"\ntype = \"git\"\n\
         [[sources.repositories]]\nurl = \"file://{}\"\n\
         [[sources.repositories]]\nurl = \"file://{}\"\n",
        census.display(),
        sinco.display(),
    );
    let agent = AgentHome::new(&hub.base_url, &token, "inegi", &sources);

    // The foreign assessment is refused: the agent names it and exits with 3.
    let first = agent.run(&["sync", "--once"]).await;
    assert_eq!(first.status.code(), Some(3), "{}", show(&first));
    assert!(
        String::from_utf8_lossy(&first.stdout).lines().any(|l| l
            .starts_with("refused source=gitlab key=\"git:sinco/other/qf4sa.yaml\"")
            && l.contains("field=\"subject.project\"")),
        "{}",
        show(&first)
    );
    // The project, its assessment and the model version's assessment.
    assert_eq!(
        summary_number(&first.stdout, "hub ", "added"),
        3,
        "{}",
        show(&first)
    );

    let list = get_json(&hub.url("/api/v1/assessments?project=inegi-census-coding")).await;
    let found = items(&list);
    assert_eq!(found.len(), 1, "{list}");
    let a = &found[0];
    assert_eq!(a["kind"], "qf4sa");
    assert_eq!(a["state"], "draft");
    assert_eq!(a["version"], 1);
    assert_eq!(a["content"]["qf4sa"]["accuracy"]["level"], 4);
    assert_eq!(a["provenance"]["origin"], "agent");
    assert_eq!(a["provenance"]["agent"], "inegi/mx-1");
    assert_eq!(a["provenance"]["source"], "gitlab");
    assert_eq!(a["provenance"]["commit"], first_commit.as_str());
    let id = a["id"].as_i64().unwrap();

    let model =
        get_json(&hub.url("/api/v1/assessments?model=inegi/sinco-occupation-coder&kind=qf4sa"))
            .await;
    let older: Vec<Value> = items(&model)
        .into_iter()
        .filter(|a| a["subject"]["version"] == "2")
        .collect();
    assert_eq!(older.len(), 1, "{model}");
    assert_eq!(older[0]["stale"], true);
    assert_eq!(older[0]["latest_version"], "3");

    // The foreign one was refused, with the field at fault.
    let detail = get_json_as(
        &hub.url("/api/v1/agents/inegi/mx-1"),
        &admin_token(&db.url).await,
    )
    .await;
    let epoch = &detail["last_epochs"][0];
    assert_eq!(epoch["counts"]["rejected"], 1, "{detail}");
    assert_eq!(
        epoch["rejected_items"][0]["key"],
        "git:sinco/other/qf4sa.yaml"
    );
    assert_eq!(epoch["rejected_items"][0]["field"], "subject.project");
    assert!(
        get_json(&hub.url("/api/v1/assessments?project=insee-ape-coding")).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Nothing changed: only the refused assessment is sent again (until it is accepted).
    let second = agent.run(&["sync", "--once"]).await;
    assert_eq!(
        summary_number(&second.stdout, "hub ", "items"),
        1,
        "{}",
        show(&second)
    );
    assert_eq!(summary_number(&second.stdout, "hub ", "rejected"), 1);

    // A changed file is a new version of the same assessment.
    git_commit(
        &census,
        &[(
            "qf4sa.yaml",
            &PROJECT_QF4SA.replace("level: 3, evidence: Token", "level: 4, evidence: Token"),
        )],
        "explainability improved",
    );
    let third = agent.run(&["sync", "--once"]).await;
    assert_eq!(third.status.code(), Some(3), "{}", show(&third));
    assert_eq!(
        summary_number(&third.stdout, "hub ", "updated"),
        1,
        "{}",
        show(&third)
    );
    let a = get_json(&hub.url(&format!("/api/v1/assessments/{id}"))).await;
    assert_eq!(a["version"], 2);
    assert_eq!(a["content"]["qf4sa"]["explainability"]["level"], 4);
    let diff = get_json(&hub.url(&format!("/api/v1/assessments/{id}/diff"))).await;
    assert_eq!(diff["changes"][0]["field"], "explainability.level");
    let search = hub.url("/api/v1/search?kind=assessment&q=census&per_page=100");
    let link = format!("/assessments/{id}");
    assert!(
        indexed(&search, &link, true).await,
        "the assessment is found"
    );

    // A removed file withdraws the assessment: kept, flagged, out of search.
    git(&census, &["rm", "-q", "qf4sa.yaml"]);
    git_commit(&census, &[], "drop the assessment");
    let fourth = agent.run(&["sync", "--once"]).await;
    assert_eq!(fourth.status.code(), Some(3), "{}", show(&fourth));
    assert_eq!(
        summary_number(&fourth.stdout, "hub ", "withdrawn"),
        1,
        "{}",
        show(&fourth)
    );
    let a = get_json(&hub.url(&format!("/api/v1/assessments/{id}"))).await;
    assert_eq!(a["provenance"]["withdrawn"], true);
    assert!(
        indexed(&search, &link, false).await,
        "the withdrawn assessment left search"
    );
    let events = get_json(&hub.url(&format!(
        "/api/v1/events?subject_kind=assessment&subject={id}&limit=10"
    )))
    .await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "assessment.withdrawn",
            "assessment.updated",
            "assessment.created"
        ]
    );

    drop(hub);
    db.drop_now().await;
}
