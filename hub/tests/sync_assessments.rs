//! Assessments sent by agents (item kind `assessment`): validated with the field named,
//! only for the agent's own organisation, applied after the versions of the same batch,
//! stamped with their provenance, and withdrawn (then restored) like any synced item.

mod sync_support;

use serde_json::{Value, json};
use sqlx::PgPool;
use sync_support::{Hub, batch, card, item, project, version};

fn assessment(subject: Value, level: u8) -> Value {
    let dim = json!({"level": level, "evidence": "from the repository"});
    json!({"subject": subject, "content": {"qf4sa": {"explainability": dim, "accuracy": dim,
        "reproducibility": dim, "timeliness": dim, "cost_effectiveness": dim}}})
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn assessments_sync_with_their_provenance_and_are_withdrawn_then_restored(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let mut bad = assessment(json!({"project": "naf"}), 3);
    bad["content"]["qf4sa"]["accuracy"]["level"] = json!(0);
    let items = vec![
        item("p", "project", project("naf", &["insee"])),
        item("c", "model_card", card("insee", "coder", "x")),
        // The assessment comes before the version it is of: it is applied after it.
        item(
            "a-model",
            "assessment",
            assessment(json!({"model": "coder", "version": "1"}), 4),
        ),
        item("v", "model_version", version("coder", "1")),
        item(
            "a-project",
            "assessment",
            assessment(json!({"project": "naf"}), 3),
        ),
        item("bad", "assessment", bad),
        item(
            "foreign",
            "assessment",
            assessment(
                json!({"organisation": "inegi", "model": "other", "version": "1"}),
                3,
            ),
        ),
    ];
    let (status, result) = hub
        .batch(&token, batch("b-1", "gitlab", "e1", items.clone()))
        .await;
    assert_eq!(status, 200, "{result}");
    let r = &result["results"];
    let outcome = |i: usize| r[i]["outcome"].as_str().unwrap().to_string();
    assert_eq!(outcome(2), "added", "{result}");
    assert_eq!(outcome(4), "added", "{result}");
    assert_eq!(outcome(5), "rejected");
    assert_eq!(r[5]["field"], "content.qf4sa.accuracy.level");
    assert_eq!(outcome(6), "rejected");
    assert_eq!(r[6]["field"], "subject.organisation");

    let (_, list) = hub.get("/api/v1/assessments?project=naf").await;
    let a = &list["items"][0];
    assert_eq!(a["provenance"]["origin"], "agent");
    assert_eq!(a["provenance"]["agent"], "insee/paris-1");
    assert_eq!(a["provenance"]["source"], "gitlab");
    let id = a["id"].as_i64().unwrap().to_string();

    // The same again: unchanged.
    let again: Vec<Value> = items[..5].to_vec();
    let (_, result) = hub
        .batch(&token, batch("b-2", "gitlab", "e2", again.clone()))
        .await;
    assert_eq!(result["results"][4]["outcome"], "unchanged");

    // A listing without the project's assessment withdraws it, keeping it.
    let (status, summary) = hub
        .complete(&token, "e2", "gitlab", &["p", "c", "v", "a-model"])
        .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["counts"]["withdrawn"], 1, "{summary}");
    let (_, a) = hub.get(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(a["provenance"]["withdrawn"], true);

    // Listed again: restored.
    let (_, result) = hub
        .batch(&token, batch("b-3", "gitlab", "e3", vec![items[4].clone()]))
        .await;
    assert_eq!(result["results"][0]["outcome"], "updated", "{result}");
    let (_, a) = hub.get(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(a["provenance"]["withdrawn"], false);
    assert_eq!(a["version"], 1);
    assert_eq!(
        hub.events_about(&id).await,
        [
            "assessment.created",
            "assessment.withdrawn",
            "assessment.updated"
        ]
    );
}

/// An agent assessing another organisation's project is refused without naming that
/// organisation; a project it may not read is refused as one that does not exist.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn refusals_name_no_other_organisation_and_no_hidden_project(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let insee = hub.agent("insee", "paris-1").await;
    let inegi = hub.agent("inegi", "ags-1").await;
    let mut hidden = project("mx-hidden", &["inegi"]);
    hidden["visibility"] = json!("organisation");
    let (_, r) = hub
        .batch(
            &inegi,
            batch(
                "b-0",
                "git",
                "e1",
                vec![
                    item("h", "project", hidden),
                    item("o", "project", project("mx-open", &["inegi"])),
                ],
            ),
        )
        .await;
    assert_eq!(r["results"][1]["outcome"], "added", "{r}");
    let (status, result) = hub
        .batch(
            &insee,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    item(
                        "a",
                        "assessment",
                        assessment(json!({"project": "mx-hidden"}), 3),
                    ),
                    item(
                        "b",
                        "assessment",
                        assessment(json!({"project": "mx-none"}), 3),
                    ),
                    item(
                        "c",
                        "assessment",
                        assessment(json!({"project": "mx-open"}), 3),
                    ),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let r = &result["results"];
    let reason = |i: usize| r[i]["reason"].as_str().unwrap().to_string();
    for i in 0..3 {
        assert_eq!(r[i]["outcome"], "rejected", "{result}");
        assert_eq!(r[i]["field"], "subject.project", "{result}");
        assert!(!reason(i).contains("inegi"), "{result}");
    }
    assert_eq!(
        reason(0).replace("mx-hidden", "X"),
        reason(1).replace("mx-none", "X"),
        "{result}"
    );
    assert!(reason(2).contains("not your organisation"), "{result}");
}
