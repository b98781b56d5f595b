//! A real MLflow registry tagged the way offices tag it, synced by the real agent to the
//! real hub: a model whose card the hub refuses is named by the agent with its reason, its
//! versions wait in the agent instead of being refused as orphans, and everything arrives
//! once the tags are fixed in MLflow, without touching the agent's state. Tags as offices
//! write them (Hub task names, BCP 47 languages, plain `task`, `language`, `framework`,
//! `license`) arrive as written; nonsense arrives too, with warnings, which clear once the
//! tags are fixed.

use agora_e2e::agent::{AgentHome, json_events, show};
use agora_e2e::mlflow::Mlflow;
use agora_e2e::{Hub, TestDb, admin_token, create_agent, get_json, get_json_as, hub_command};
use serde_json::{Value, json};

fn mlflow_source(url: &str) -> String {
    format!("[[sources]]\nname = \"mlflow-prod\"\ntype = \"mlflow\"\nurl = \"{url}\"\n")
}

fn hub_line(stdout: &[u8]) -> Value {
    json_events(stdout, "hub")
        .pop()
        .expect("a summary line for the hub")
}

async fn status(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn versions_of_a_refused_card_wait_in_the_agent_until_it_is_fixed() {
    let mlflow = Mlflow::start().await;
    mlflow
        .create_model(
            "Good Coder",
            "Codes activities.",
            &[("agora.visibility", "public"), ("agora.task", "coding")],
        )
        .await;
    mlflow
        .create_version("Good Coder", &[("accuracy", 0.9)], &[], &[])
        .await;
    // The card names a project the hub does not have: the hub refuses it.
    mlflow
        .create_model(
            "Linked Coder",
            "Codes occupations.",
            &[
                ("agora.visibility", "public"),
                ("agora.project", "no-such-project"),
            ],
        )
        .await;
    for accuracy in [0.8, 0.85] {
        mlflow
            .create_version("Linked Coder", &[("accuracy", accuracy)], &[], &[])
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
        &mlflow_source(&mlflow.url()),
    );

    let card_key = "mlflow:models/Linked Coder";
    for attempt in ["first", "second"] {
        let out = agent.run(&["sync", "--once", "--json"]).await;
        assert_eq!(out.status.code(), Some(3), "{attempt}: {}", show(&out));
        let refused = json_events(&out.stdout, "refused");
        assert_eq!(refused.len(), 1, "{attempt}: {}", show(&out));
        assert_eq!(refused[0]["key"], card_key);
        assert_eq!(refused[0]["field"], "project");
        assert_eq!(refused[0]["by"], "hub");
        let waiting = json_events(&out.stdout, "waiting");
        let mut keys: Vec<&str> = waiting.iter().map(|w| w["key"].as_str().unwrap()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "mlflow:models/Linked Coder/versions/1",
                "mlflow:models/Linked Coder/versions/2"
            ],
            "{attempt}: {}",
            show(&out)
        );
        assert!(waiting.iter().all(|w| w["needs"] == card_key));
        assert!(
            waiting[0]["reason"]
                .as_str()
                .unwrap()
                .contains("waits until its model card"),
            "{}",
            waiting[0]
        );
        // The hub refused the card only: no version was sent to be refused as an orphan.
        let hub = hub_line(&out.stdout);
        assert_eq!(hub["rejected"], 1, "{attempt}: {hub}");
        assert_eq!(hub["items"], if attempt == "first" { 3 } else { 1 });
    }
    assert_eq!(
        get_json(&hub.url("/api/v1/models/insee/good-coder")).await["latest_version"],
        "1"
    );
    assert_eq!(
        status(&hub.url("/api/v1/models/insee/linked-coder")).await,
        404
    );

    // Fixed in MLflow: the card and its two versions arrive at the next sync.
    mlflow
        .call(
            "POST",
            "registered-models/set-tag",
            json!({"name": "Linked Coder", "key": "agora.project", "value": "insee-ape-coding"}),
        )
        .await;
    let fixed = agent.run(&["sync", "--once", "--json"]).await;
    assert_eq!(fixed.status.code(), Some(0), "{}", show(&fixed));
    assert!(json_events(&fixed.stdout, "refused").is_empty());
    assert!(json_events(&fixed.stdout, "waiting").is_empty());
    assert_eq!(hub_line(&fixed.stdout)["added"], 3, "{}", show(&fixed));
    let card = get_json(&hub.url("/api/v1/models/insee/linked-coder")).await;
    assert_eq!(card["project"], "insee-ape-coding");
    assert_eq!(card["latest_version"], "2");

    drop(hub);
    db.drop_now().await;
}

/// The fields of the warnings in `sync --json` output for one key.
fn warned_fields(stdout: &[u8], key: &str) -> Vec<String> {
    let mut fields: Vec<String> = json_events(stdout, "warning")
        .into_iter()
        .filter(|w| w["key"] == key)
        .map(|w| w["field"].as_str().unwrap_or_default().to_string())
        .collect();
    fields.sort();
    fields
}

#[tokio::test]
async fn tags_as_offices_write_them_arrive_and_nonsense_is_warned_about_until_fixed() {
    let mlflow = Mlflow::start().await;
    let models: [(&str, &[(&str, &str)]); 4] = [
        (
            "Occupation Coder",
            &[
                ("task", "text-classification"),
                ("language", "es, es-419"),
                ("library_name", "transformers"),
                ("license", "apache-2.0"),
            ],
        ),
        (
            "Price Nowcaster",
            &[
                ("agora.task", "time-series-forecasting"),
                ("agora.language", "pt-BR"),
                ("framework", "sklearn"),
                ("license", "MIT"),
            ],
        ),
        (
            "Crop Mapper",
            &[
                ("task", "image-segmentation"),
                ("language", "multilingual"),
                ("agora.framework", "torch"),
                ("agora.license", "cc-by-4.0"),
            ],
        ),
        (
            "Nonsense",
            &[
                ("agora.task", "telepathy"),
                ("language", "klingon please"),
                ("license", "do what you like"),
            ],
        ),
    ];
    for (name, tags) in models {
        let mut tags = tags.to_vec();
        tags.push(("agora.visibility", "public"));
        mlflow.create_model(name, "A model.", &tags).await;
        mlflow
            .create_version(name, &[("accuracy", 0.9)], &[], &[])
            .await;
    }

    let db = TestDb::create().await;
    assert!(hub_command(&db.url, &["seed-demo"]).status.success());
    let token = create_agent(&db.url, "insee", "paris-1");
    let hub = Hub::start(&db.url).await;
    let admin = admin_token(&db.url).await;
    let agent = AgentHome::new(
        &hub.base_url,
        &token,
        "insee",
        &mlflow_source(&mlflow.url()),
    );

    // Every model and version arrives; only the nonsense is warned about, field by field.
    let first = agent.run(&["sync", "--once", "--json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", show(&first));
    assert!(
        json_events(&first.stdout, "refused").is_empty(),
        "{}",
        show(&first)
    );
    assert_eq!(hub_line(&first.stdout)["added"], 8, "{}", show(&first));
    let nonsense = warned_fields(&first.stdout, "mlflow:models/Nonsense");
    assert!(nonsense.iter().any(|f| f == "task"), "{nonsense:?}");
    assert!(nonsense.iter().any(|f| f == "license"), "{nonsense:?}");
    assert!(
        nonsense.iter().any(|f| f.starts_with("language")),
        "{nonsense:?}"
    );
    assert_eq!(
        json_events(&first.stdout, "warning").len(),
        nonsense.len(),
        "no other model is warned about: {}",
        show(&first)
    );

    let card = |name: &'static str| {
        let url = hub.url(&format!("/api/v1/models/insee/{name}"));
        let admin = admin.clone();
        async move { get_json_as(&url, &admin).await }
    };
    let coder = card("occupation-coder").await;
    assert_eq!(coder["task"], "text-classification", "{coder}");
    assert_eq!(coder["pipeline_tag"], "text-classification");
    assert_eq!(coder["language"], json!(["es", "es-419"]));
    assert_eq!(coder["library_name"], "transformers");
    assert_eq!(coder["license"], "apache-2.0");
    assert_eq!(coder["latest_version"], "1");
    assert!(coder.get("agora_warnings").is_none(), "{coder}");
    let nowcaster = card("price-nowcaster").await;
    assert_eq!(nowcaster["task"], "time-series-forecasting");
    assert_eq!(nowcaster["language"], json!(["pt-BR"]));
    assert_eq!(nowcaster["library_name"], "sklearn");
    assert_eq!(nowcaster["license"], "mit");
    let mapper = card("crop-mapper").await;
    assert_eq!(mapper["library_name"], "torch");
    assert!(mapper.get("agora_warnings").is_none(), "{mapper}");
    // The nonsense is kept as written, with its warnings.
    let odd = card("nonsense").await;
    assert_eq!(odd["task"], "telepathy");
    assert_eq!(odd["license"], "do what you like");
    assert_eq!(odd["latest_version"], "1");
    let stored: Vec<&str> = odd["agora_warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("{odd}"))
        .iter()
        .map(|w| w["field"].as_str().unwrap())
        .collect();
    assert!(stored.contains(&"task"), "{odd}");

    // Fixed in MLflow: the next sync updates the card and the warnings are gone.
    for (key, value) in [
        ("agora.task", "coding"),
        ("language", "fr"),
        ("license", "mit"),
    ] {
        mlflow
            .call(
                "POST",
                "registered-models/set-tag",
                json!({"name": "Nonsense", "key": key, "value": value}),
            )
            .await;
    }
    let fixed = agent.run(&["sync", "--once", "--json"]).await;
    assert_eq!(fixed.status.code(), Some(0), "{}", show(&fixed));
    assert!(
        json_events(&fixed.stdout, "warning").is_empty(),
        "{}",
        show(&fixed)
    );
    assert_eq!(hub_line(&fixed.stdout)["updated"], 1, "{}", show(&fixed));
    let odd = card("nonsense").await;
    assert_eq!(odd["task"], "coding");
    assert!(odd.get("agora_warnings").is_none(), "{odd}");

    drop(hub);
    db.drop_now().await;
}
