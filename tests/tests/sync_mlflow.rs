//! A real MLflow tracking server synced by the real agent to the real hub: registered
//! models become model cards, versions carry their runs' metrics, changes and deletions
//! follow, the release filter holds back what it should, and a listing cut short by MLflow
//! stopping withdraws nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use agora_e2e::agent::{AgentHome, show, summary_number};
use agora_e2e::mlflow::{Mlflow, kill_group};
use agora_e2e::proxy::{Phase, Proxy};
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use serde_json::{Value, json};
use sqlx::Connection;

fn mlflow_source(url: &str, extra: &str) -> String {
    format!("[[sources]]\nname = \"mlflow-prod\"\ntype = \"mlflow\"\nurl = \"{url}\"\n{extra}")
}

const TAGS: &[(&str, &str)] = &[
    ("agora.project", "insee-ape-coding"),
    ("agora.visibility", "public"),
    ("agora.task", "coding"),
    ("agora.language", "fr"),
];

#[tokio::test]
async fn mlflow_models_reach_the_hub_and_follow_their_changes() {
    let mlflow = Mlflow::start().await;
    mlflow
        .create_model(
            "Sirene Coder",
            "Codes business descriptions into the NAF.\n\nTrained on Sirene.",
            TAGS,
        )
        .await;
    let run_tags = [("agora.dataset", "sirene-2024"), ("agora.split", "test")];
    for accuracy in [0.88, 0.91] {
        mlflow
            .create_version(
                "Sirene Coder",
                &[("accuracy", accuracy), ("f1_macro", 0.8)],
                &[("lr", "0.1")],
                &run_tags,
            )
            .await;
    }
    mlflow
        .call(
            "POST",
            "registered-models/alias",
            json!({"name": "Sirene Coder", "alias": "champion", "version": "2"}),
        )
        .await;
    mlflow
        .create_model(
            "Old Model",
            "Superseded.",
            &[("agora.visibility", "public")],
        )
        .await;
    mlflow
        .create_version("Old Model", &[("accuracy", 0.7)], &[], &[])
        .await;

    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &mlflow_source(&mlflow.url(), ""),
    );

    let check = agent.run(&["check"]).await;
    assert!(check.status.success(), "{}", show(&check));

    let first = agent.run(&["sync", "--once"]).await;
    assert!(first.status.success(), "{}", show(&first));
    assert_eq!(
        summary_number(&first.stdout, "hub ", "added"),
        5,
        "{}",
        show(&first)
    );

    let card = get_json(&hub.url("/api/v1/models/insee/sirene-coder")).await;
    assert_eq!(card["title"], "Sirene Coder");
    assert_eq!(card["project"], "insee-ape-coding");
    assert_eq!(card["task"], "coding");
    assert_eq!(card["language"], json!(["fr"]));
    assert_eq!(card["visibility"], "public");
    assert_eq!(card["summary"], "Codes business descriptions into the NAF.");
    assert!(
        card["body"]
            .as_str()
            .unwrap()
            .contains("Trained on Sirene.")
    );
    assert_eq!(card["latest_version"], "2");
    assert_eq!(card["provenance"]["agent"], "insee/paris-1");
    assert_eq!(card["provenance"]["source"], "mlflow-prod");
    let v2 = get_json(&hub.url("/api/v1/models/insee/sirene-coder/versions/2")).await;
    assert_eq!(v2["aliases"], json!(["champion"]));
    assert_eq!(v2["stage"], "none");
    let accuracy: Vec<&Value> = v2["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["metric"] == "accuracy")
        .collect();
    assert_eq!(accuracy[0]["value"], 0.91);
    assert_eq!(accuracy[0]["dataset"], "sirene-2024");
    assert_eq!(accuracy[0]["split"], "test");
    // The release filter's default: no artefact location, run parameters or user ids.
    assert!(v2.get("artifact_uri").is_none(), "{v2}");
    assert!(v2.get("parameters").is_none(), "{v2}");
    assert!(v2.get("registered_by").is_none(), "{v2}");

    // Nothing changed: only the epoch is sent.
    let second = agent.run(&["sync", "--once"]).await;
    assert!(second.status.success(), "{}", show(&second));
    assert_eq!(
        summary_number(&second.stdout, "hub ", "batches"),
        0,
        "{}",
        show(&second)
    );
    assert_eq!(summary_number(&second.stdout, "hub ", "epochs"), 1);
    let detail = get_json_as(
        &hub.url("/api/v1/agents/insee/paris-1"),
        &admin_token(&db.url).await,
    )
    .await;
    assert_eq!(
        detail["last_epochs"][0]["counts"]["unchanged"], 5,
        "{detail}"
    );

    // A new description, and a new version.
    mlflow
        .call(
            "PATCH",
            "registered-models/update",
            json!({"name": "Sirene Coder", "description": "Codes activities (NAF rev. 2)."}),
        )
        .await;
    mlflow
        .create_version("Sirene Coder", &[("accuracy", 0.93)], &[], &run_tags)
        .await;
    let third = agent.run(&["sync", "--once"]).await;
    assert!(third.status.success(), "{}", show(&third));
    assert_eq!(
        summary_number(&third.stdout, "hub ", "updated"),
        1,
        "{}",
        show(&third)
    );
    assert_eq!(
        summary_number(&third.stdout, "hub ", "added"),
        1,
        "{}",
        show(&third)
    );
    let card = get_json(&hub.url("/api/v1/models/insee/sirene-coder")).await;
    assert_eq!(card["body"], "Codes activities (NAF rev. 2).");
    assert_eq!(card["latest_version"], "3");

    // A deleted model is withdrawn with its versions: kept, flagged.
    mlflow
        .call(
            "DELETE",
            "registered-models/delete",
            json!({"name": "Old Model"}),
        )
        .await;
    let fourth = agent.run(&["sync", "--once"]).await;
    assert!(fourth.status.success(), "{}", show(&fourth));
    assert_eq!(
        summary_number(&fourth.stdout, "hub ", "withdrawn"),
        2,
        "{}",
        show(&fourth)
    );
    let old = get_json(&hub.url("/api/v1/models/insee/old-model")).await;
    assert_eq!(old["provenance"]["withdrawn"], true);
    let old_v1 = get_json(&hub.url("/api/v1/models/insee/old-model/versions/1")).await;
    assert_eq!(old_v1["provenance"]["withdrawn"], true);
    assert_eq!(
        get_json(&hub.url("/api/v1/models/insee/sirene-coder")).await["provenance"]["withdrawn"],
        false
    );

    // Another office allows more fields to leave: they arrive, and only then.
    let token = create_agent(&db.url, "inegi", "ags-1");
    let open = AgentHome::new(
        &hub.base_url,
        &token,
        "inegi",
        &mlflow_source(
            &mlflow.url(),
            "release = [\"model_card.*\", \"model_version.*\"]\n",
        ),
    );
    let out = open.run(&["sync", "--once"]).await;
    assert!(out.status.success(), "{}", show(&out));
    let v1 = get_json(&hub.url("/api/v1/models/inegi/sirene-coder/versions/1")).await;
    assert!(
        v1["artifact_uri"].as_str().unwrap().starts_with("runs:/"),
        "{v1}"
    );
    assert_eq!(v1["parameters"]["lr"], "0.1");
    assert_eq!(v1["registered_by"], "jdupont");

    drop(hub);
    db.drop_now().await;
}

#[tokio::test]
async fn mlflow_stopping_in_the_middle_of_a_listing_withdraws_nothing() {
    let mut mlflow = Mlflow::start().await;
    for name in ["Model A", "Model B", "Model C"] {
        mlflow
            .create_model(name, "A model.", &[("agora.visibility", "public")])
            .await;
        mlflow
            .create_version(name, &[("accuracy", 0.9)], &[], &[])
            .await;
    }
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;

    // Armed, the proxy stops MLflow (its whole process group) when the version listing starts.
    let armed = Arc::new(AtomicBool::new(false));
    let trigger = armed.clone();
    let pid = mlflow.pid().unwrap();
    let proxy = Proxy::start(
        &mlflow.url(),
        Box::new(move |phase, _, what| {
            if phase == Phase::Before
                && what.contains("model-versions/search")
                && trigger.swap(false, Ordering::SeqCst)
            {
                kill_group(pid);
            }
            false
        }),
    )
    .await;
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &mlflow_source(&proxy.url, ""),
    );
    let first = agent.run(&["sync", "--once"]).await;
    assert!(first.status.success(), "{}", show(&first));
    assert_eq!(
        summary_number(&first.stdout, "hub ", "added"),
        6,
        "{}",
        show(&first)
    );

    mlflow
        .call(
            "DELETE",
            "registered-models/delete",
            json!({"name": "Model C"}),
        )
        .await;
    armed.store(true, Ordering::SeqCst);
    let cut = agent.run(&["sync", "--once", "--full"]).await;
    assert_eq!(cut.status.code(), Some(1), "{}", show(&cut));
    assert!(
        String::from_utf8_lossy(&cut.stdout).contains("complete=false"),
        "{}",
        show(&cut)
    );
    assert_eq!(
        summary_number(&cut.stdout, "hub ", "withdrawn"),
        0,
        "{}",
        show(&cut)
    );
    // After the cut listing: a model withdrawn, or a version missing, is lost; a second
    // copy of a version is duplicated.
    let mut withdrawn = 0;
    for name in ["model-a", "model-b", "model-c"] {
        let model = get_json(&hub.url(&format!("/api/v1/models/insee/{name}"))).await;
        if model["provenance"]["withdrawn"] != false {
            withdrawn += 1;
        }
    }
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let versions: Vec<String> = sqlx::query_scalar(
        "SELECT m.name::text || '@' || v.version FROM model_cards m \
         JOIN model_versions v ON v.model_card_id = m.id \
         WHERE m.name::text IN ('model-a', 'model-b', 'model-c')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let expected: Vec<String> = ["model-a@1", "model-b@1", "model-c@1"]
        .map(String::from)
        .into();
    let (lost, duplicated) = agora_e2e::faults::lost_and_duplicated(&expected, &versions);
    agora_e2e::faults::report("mlflow-down-mid-listing", lost + withdrawn, duplicated);
    let c = get_json(&hub.url("/api/v1/models/insee/model-c")).await;
    assert_eq!(
        c["provenance"]["withdrawn"], false,
        "an incomplete listing withdraws nothing"
    );

    // MLflow back on the same store: the next complete listing withdraws the deleted model.
    mlflow.stop();
    let back = Mlflow::on_store(&mlflow.db, mlflow.port).await;
    let after = agent.run(&["sync", "--once"]).await;
    assert!(after.status.success(), "{}", show(&after));
    assert_eq!(
        summary_number(&after.stdout, "hub ", "withdrawn"),
        2,
        "{}",
        show(&after)
    );
    let c = get_json(&hub.url("/api/v1/models/insee/model-c")).await;
    assert_eq!(c["provenance"]["withdrawn"], true);
    let a = get_json(&hub.url("/api/v1/models/insee/model-a")).await;
    assert_eq!(a["provenance"]["withdrawn"], false);

    drop(back);
    drop(proxy);
    drop(hub);
    db.drop_now().await;
}

/// Beyond a handful of versions, runs are read in chunks through `runs/search`, several
/// calls in flight: every version still gets its own run's metrics.
#[tokio::test]
async fn mlflow_runs_read_in_chunks_give_each_version_its_own_metrics() {
    const VERSIONS: usize = 110;
    let mlflow = Mlflow::start().await;
    mlflow
        .create_model("Many Versions", "Retrained often.", TAGS)
        .await;
    for v in 0..VERSIONS {
        let accuracy = 0.5 + v as f64 / 1000.0;
        mlflow
            .create_version("Many Versions", &[("accuracy", accuracy)], &[], &[])
            .await;
    }
    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &mlflow_source(&mlflow.url(), ""),
    );
    let sync = agent.run(&["sync", "--once"]).await;
    assert!(sync.status.success(), "{}", show(&sync));
    assert_eq!(
        summary_number(&sync.stdout, "hub ", "added"),
        1 + VERSIONS as u64,
        "{}",
        show(&sync)
    );
    for v in 0..VERSIONS {
        let version = get_json(&hub.url(&format!(
            "/api/v1/models/insee/many-versions/versions/{}",
            v + 1
        )))
        .await;
        let accuracy: Vec<f64> = version["results"]
            .as_array()
            .map(|results| {
                results
                    .iter()
                    .filter(|r| r["metric"] == "accuracy")
                    .filter_map(|r| r["value"].as_f64())
                    .collect()
            })
            .unwrap_or_default();
        let expected = 0.5 + v as f64 / 1000.0;
        assert_eq!(accuracy, vec![expected], "version {}: {version}", v + 1);
    }
}
