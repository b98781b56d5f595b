//! The agent sync API on a real PostgreSQL: idempotent batches, per-item results,
//! organisation checks, tokens, and epochs that withdraw only what their listing missed.

mod sync_support;

use serde_json::{Value, json};
use sqlx::PgPool;
use sync_support::{Hub, batch, card, item, project, version};

fn outcomes(result: &Value) -> Vec<(String, String)> {
    result["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_replayed_batch_returns_the_first_answer_and_writes_nothing_more(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let body = batch(
        "b-1",
        "mlflow-prod",
        "e1",
        vec![
            item(
                "models/naf",
                "model_card",
                card("insee", "naf-coder", "Codes NAF."),
            ),
            item(
                "models/naf/versions/1",
                "model_version",
                version("naf-coder", "1"),
            ),
        ],
    );
    let (status, first) = hub.batch(&token, body.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["replayed"], false);
    assert_eq!(
        outcomes(&first),
        [
            ("models/naf".to_string(), "added".to_string()),
            ("models/naf/versions/1".to_string(), "added".to_string())
        ]
    );
    let (status, again) = hub.batch(&token, body).await;
    assert_eq!(status, 200);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["results"], first["results"]);
    assert_eq!(hub.events_about("insee/naf-coder").await, ["model.created"]);
    assert_eq!(
        hub.events_about("insee/naf-coder/1").await,
        ["model_version.created"]
    );

    // The same items in a new batch are unchanged, and write no event either.
    let (_, third) = hub
        .batch(
            &token,
            batch(
                "b-2",
                "mlflow-prod",
                "e2",
                vec![item(
                    "models/naf",
                    "model_card",
                    card("insee", "naf-coder", "Codes NAF."),
                )],
            ),
        )
        .await;
    assert_eq!(outcomes(&third)[0].1, "unchanged");
    assert_eq!(hub.events_about("insee/naf-coder").await, ["model.created"]);

    let (_, model) = hub.get("/api/v1/models/insee/naf-coder").await;
    assert_eq!(model["provenance"]["origin"], "agent");
    assert_eq!(model["provenance"]["agent"], "insee/paris-1");
    assert_eq!(model["provenance"]["source"], "mlflow-prod");
    assert_eq!(model["provenance"]["withdrawn"], false);
    let (_, v) = hub.get("/api/v1/models/insee/naf-coder/versions/1").await;
    assert_eq!(v["provenance"]["agent"], "insee/paris-1");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_invalid_item_is_rejected_with_its_key_and_field_and_the_rest_applies(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    // A language the hub cannot read no longer refuses a card (issue 22); a name that is
    // not a slug still does.
    let mut bad = card("insee", "bad-one", "x");
    bad["name"] = json!("Bad One");
    let (status, result) = hub
        .batch(
            &token,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    item("a", "model_card", bad),
                    item("b", "model_card", card("insee", "good-one", "ok")),
                    item("c", "model_version", version("missing-model", "1")),
                    item("d", "project", json!({"slug": "x1"})),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let r = &result["results"];
    assert_eq!(r[0]["outcome"], "rejected");
    assert_eq!(r[0]["key"], "a");
    assert_eq!(r[0]["field"], "name");
    assert!(r[0]["reason"].as_str().unwrap().contains("Bad One"));
    assert_eq!(r[1]["outcome"], "added");
    assert_eq!(r[2]["outcome"], "rejected");
    assert_eq!(r[2]["field"], "model");
    assert_eq!(r[3]["outcome"], "rejected");
    assert_eq!(r[3]["field"], "title");
    assert_eq!(hub.get("/api/v1/models/insee/good-one").await.0, 200);
    assert_eq!(hub.get("/api/v1/models/insee/bad-one").await.0, 404);
}

/// Two keys of one batch that give the same card or the same version: the first applies,
/// the second is rejected with its key.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_item_sent_twice_under_two_keys_is_rejected_the_second_time(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let body = batch(
        "b-twice",
        "mlflow-prod",
        "e1",
        vec![
            item("a", "model_card", card("insee", "naf-coder", "Codes NAF.")),
            item(
                "b",
                "model_card",
                card("insee", "naf-coder", "Codes NAF too."),
            ),
            item("a/1", "model_version", version("naf-coder", "1")),
            item("b/1", "model_version", version("naf-coder", "1")),
            item("a/2", "model_version", version("naf-coder", "2")),
        ],
    );
    let (status, result) = hub.batch(&token, body).await;
    assert_eq!(status, 200, "{result}");
    let pair = |k: &str, o: &str| (k.to_string(), o.to_string());
    assert_eq!(
        outcomes(&result),
        [
            pair("a", "added"),
            pair("b", "rejected"),
            pair("a/1", "added"),
            pair("b/1", "rejected"),
            pair("a/2", "added"),
        ]
    );
    for i in [1, 3] {
        assert_eq!(
            result["results"][i]["reason"],
            "the same item is sent twice in this batch"
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_agent_cannot_write_another_organisations_items(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let insee = hub.agent("insee", "paris-1").await;
    let inegi = hub.agent("inegi", "ags-1").await;
    let (_, r) = hub
        .batch(
            &inegi,
            batch(
                "b-0",
                "git",
                "e1",
                vec![item("p", "project", project("mx-census", &["inegi"]))],
            ),
        )
        .await;
    assert_eq!(outcomes(&r)[0].1, "added");

    let (status, result) = hub
        .batch(
            &insee,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    item("m", "model_card", card("inegi", "their-model", "x")),
                    item("p1", "project", project("mx-census", &["insee", "inegi"])),
                    item("p2", "project", project("other", &["inegi"])),
                    item("ok", "project", project("fr-census", &["insee"])),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200);
    let r = &result["results"];
    for i in [0, 2] {
        assert_eq!(r[i]["outcome"], "rejected", "{result}");
        assert!(
            r[i]["reason"]
                .as_str()
                .unwrap()
                .contains("not your organisation"),
            "{result}"
        );
    }
    // A slug held by another organisation is refused as unavailable, without naming it.
    assert_eq!(r[1]["outcome"], "rejected", "{result}");
    let reason = r[1]["reason"].as_str().unwrap();
    assert!(reason.contains("this slug is not available"), "{result}");
    assert!(!reason.contains("inegi"), "{result}");
    assert_eq!(r[0]["field"], "organisation");
    assert_eq!(r[1]["field"], "slug");
    assert_eq!(r[3]["outcome"], "added");
    let (_, p) = hub.get("/api/v1/projects/mx-census").await;
    assert_eq!(p["organisations"], json!(["inegi"]));
}

/// An agent's card may link to a public project or one of its own organisation; a link
/// to another organisation's project that is not public is refused exactly as one to a
/// project that does not exist.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_agents_card_links_only_to_projects_it_may_link(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let insee = hub.agent("insee", "paris-1").await;
    let inegi = hub.agent("inegi", "ags-1").await;
    let mut hidden = project("mx-hidden", &["inegi"]);
    hidden["visibility"] = json!("organisation");
    let mut members = project("mx-members", &["inegi"]);
    members["visibility"] = json!("members");
    let (_, r) = hub
        .batch(
            &inegi,
            batch(
                "b-0",
                "git",
                "e1",
                vec![
                    item("h", "project", hidden),
                    item("m", "project", members),
                    item("o", "project", project("mx-open", &["inegi"])),
                ],
            ),
        )
        .await;
    assert!(outcomes(&r).iter().all(|(_, o)| o == "added"), "{r}");
    let linked = |name: &str, project: &str| {
        let mut c = card("insee", name, "x");
        c["project"] = json!(project);
        item(name, "model_card", c)
    };
    let (status, result) = hub
        .batch(
            &insee,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    linked("to-hidden", "mx-hidden"),
                    linked("to-nothing", "mx-nothing"),
                    linked("to-members", "mx-members"),
                    linked("to-open", "mx-open"),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200);
    let r = &result["results"];
    for i in 0..3 {
        assert_eq!(r[i]["outcome"], "rejected", "{result}");
        assert_eq!(r[i]["field"], "project", "{result}");
    }
    let reason = |i: usize, slug: &str| r[i]["reason"].as_str().unwrap().replace(slug, "X");
    assert_eq!(reason(0, "mx-hidden"), reason(1, "mx-nothing"), "{result}");
    assert_eq!(reason(2, "mx-members"), reason(1, "mx-nothing"), "{result}");
    assert_eq!(r[3]["outcome"], "added", "{result}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn unknown_revoked_and_outdated_callers_are_refused(pool: PgPool) {
    let hub = Hub::new(pool.clone()).await;
    let token = hub.agent("insee", "paris-1").await;
    let body = batch("b-1", "git", "e1", vec![]);
    let (status, err) = hub
        .send(
            "POST",
            "/api/v1/agent/sync/batches",
            None,
            Some("1"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(err["error"]["code"], "unauthorized");
    let (status, _) = hub
        .send(
            "POST",
            "/api/v1/agent/sync/batches",
            Some("agt_00000000000000000000000000000000"),
            Some("1"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 401);
    let (status, err) = hub
        .send(
            "POST",
            "/api/v1/agent/sync/batches",
            Some(&token),
            Some("2"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 426);
    assert_eq!(err["error"]["code"], "upgrade_required");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("upgrade the hub")
    );

    let (status, me) = hub
        .send("GET", "/api/v1/agent/me", Some(&token), Some("1"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(me, json!({"organisation": "insee", "name": "paris-1"}));
    let (_, agent) = hub.get("/api/v1/agents/insee/paris-1").await;
    assert_eq!(agent["version"], "9.9.9");
    assert_eq!(agent["capabilities"], json!(["sync", "mlflow"]));
    assert!(agent["last_seen_at"].is_string());
    assert!(agent.get("token_hash").is_none());

    let mut conn = pool.acquire().await.unwrap();
    assert!(
        agora_hub::db::agents::revoke(&mut conn, "insee", "paris-1")
            .await
            .unwrap()
    );
    let (status, err) = hub.batch(&token, body).await;
    assert_eq!(status, 401);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    let (_, agent) = hub.get("/api/v1/agents/insee/paris-1").await;
    assert_eq!(agent["revoked"], true);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn completing_an_epoch_withdraws_only_what_that_source_no_longer_lists(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let other_agent = hub.agent("insee", "lyon-1").await;
    let items = vec![
        item("m/a", "model_card", card("insee", "model-a", "A")),
        item("m/a/1", "model_version", version("model-a", "1")),
        item("m/a/2", "model_version", version("model-a", "2")),
        item("m/b", "model_card", card("insee", "model-b", "B")),
    ];
    hub.batch(&token, batch("b-1", "mlflow", "e1", items)).await;
    hub.batch(
        &token,
        batch(
            "b-2",
            "git",
            "e1",
            vec![item("p", "project", project("fr-census", &["insee"]))],
        ),
    )
    .await;
    hub.batch(
        &other_agent,
        batch(
            "b-3",
            "mlflow",
            "e1",
            vec![item("m/c", "model_card", card("insee", "model-c", "C"))],
        ),
    )
    .await;
    let (status, summary) = hub
        .complete(&token, "e1", "mlflow", &["m/a", "m/a/1", "m/a/2", "m/b"])
        .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(
        summary["counts"],
        json!({"added": 4, "updated": 0, "unchanged": 0, "withdrawn": 0, "rejected": 0, "warned": 0})
    );

    // Epoch 2: nothing sent, model-b and version 2 gone from the listing.
    let (_, summary) = hub
        .complete(&token, "e2", "mlflow", &["m/a", "m/a/1"])
        .await;
    assert_eq!(
        summary["counts"],
        json!({"added": 0, "updated": 0, "unchanged": 2, "withdrawn": 2, "rejected": 0, "warned": 0})
    );
    let (status, b) = hub.get("/api/v1/models/insee/model-b").await;
    assert_eq!(status, 200, "withdrawn items stay readable");
    assert_eq!(b["provenance"]["withdrawn"], true);
    let (_, v2) = hub.get("/api/v1/models/insee/model-a/versions/2").await;
    assert_eq!(v2["provenance"]["withdrawn"], true);
    assert_eq!(
        hub.events_about("insee/model-b").await,
        ["model.created", "model.withdrawn"]
    );
    // Other sources and other agents are untouched.
    let (_, p) = hub.get("/api/v1/projects/fr-census").await;
    assert_eq!(p["provenance"]["withdrawn"], false);
    let (_, c) = hub.get("/api/v1/models/insee/model-c").await;
    assert_eq!(c["provenance"]["withdrawn"], false);

    // Completing again changes nothing more.
    let (_, again) = hub
        .complete(&token, "e2", "mlflow", &["m/a", "m/a/1"])
        .await;
    assert_eq!(again, summary);
    assert_eq!(
        hub.events_about("insee/model-b").await,
        ["model.created", "model.withdrawn"]
    );

    // Listed again: the flag clears.
    let (_, r) = hub
        .batch(
            &token,
            batch(
                "b-4",
                "mlflow",
                "e3",
                vec![item("m/b", "model_card", card("insee", "model-b", "B"))],
            ),
        )
        .await;
    assert_eq!(outcomes(&r)[0].1, "updated");
    let (_, b) = hub.get("/api/v1/models/insee/model-b").await;
    assert_eq!(b["provenance"]["withdrawn"], false);

    let (_, agents) = hub.get("/api/v1/agents?organisation=insee").await;
    let paris = agents["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "paris-1")
        .unwrap()
        .clone();
    let sources: Vec<&str> = paris["last_epochs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["git", "mlflow"]);
    let (_, detail) = hub.get("/api/v1/agents/insee/paris-1").await;
    assert_eq!(detail["epochs"].as_array().unwrap().len(), 4);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agent_side_rejections_are_counted_and_shown(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let (status, summary) = hub
        .send(
            "POST",
            "/api/v1/agent/sync/epochs/e1/complete",
            Some(&token),
            Some("1"),
            Some(json!({"source": "git", "keys": ["git:r/agora.yaml"],
                        "rejected": [{"key": "git:r/agora.yaml", "outcome": "rejected",
                                      "field": "stage", "reason": "unknown variant"}]})),
        )
        .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["counts"]["rejected"], 1);
    assert_eq!(summary["counts"]["unchanged"], 0);
    let (_, detail) = hub.get("/api/v1/agents/insee/paris-1").await;
    assert_eq!(detail["epochs"][0]["rejected_items"][0]["field"], "stage");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_changed_version_is_updated_and_its_results_replaced(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let card_item = item("m", "model_card", card("insee", "naf-coder", "x"));
    hub.batch(
        &token,
        batch(
            "b-1",
            "ml",
            "e1",
            vec![
                card_item.clone(),
                item("m/1", "model_version", version("naf-coder", "1")),
            ],
        ),
    )
    .await;
    let changed = json!({"model": "naf-coder", "version": {"version": "1", "description": "Retrained.",
        "results": [{"metric": "f1", "value": 0.8, "dataset": "sirene", "split": "test"}]}});
    let (_, r) = hub
        .batch(
            &token,
            batch(
                "b-2",
                "ml",
                "e2",
                vec![card_item, item("m/1", "model_version", changed)],
            ),
        )
        .await;
    assert_eq!(
        outcomes(&r),
        [
            ("m".to_string(), "unchanged".to_string()),
            ("m/1".to_string(), "updated".to_string())
        ]
    );
    let (_, v) = hub.get("/api/v1/models/insee/naf-coder/versions/1").await;
    assert_eq!(v["description"], "Retrained.");
    assert_eq!(
        v["results"],
        json!([{"metric": "f1", "value": 0.8, "dataset": "sirene", "split": "test"}])
    );
    assert_eq!(
        hub.events_about("insee/naf-coder/1").await,
        ["model_version.created", "model_version.updated"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_key_that_now_gives_another_item_withdraws_the_first(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let key = "git:repo/MODEL_CARD.md";
    hub.batch(
        &token,
        batch(
            "b-1",
            "git",
            "e1",
            vec![item(key, "model_card", card("insee", "first-name", "x"))],
        ),
    )
    .await;
    let (_, r) = hub
        .batch(
            &token,
            batch(
                "b-2",
                "git",
                "e2",
                vec![item(key, "model_card", card("insee", "second-name", "x"))],
            ),
        )
        .await;
    assert_eq!(outcomes(&r)[0].1, "added");
    hub.complete(&token, "e2", "git", &[key]).await;
    let (_, first) = hub.get("/api/v1/models/insee/first-name").await;
    assert_eq!(first["provenance"]["withdrawn"], true);
    let (_, second) = hub.get("/api/v1/models/insee/second-name").await;
    assert_eq!(second["provenance"]["withdrawn"], false);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_epoch_of_a_large_source_fits_in_one_request(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let keys: Vec<String> = (0..80_000)
        .map(|i| format!("mlflow:models/a-rather-long-model-name-{i}/versions/1"))
        .collect();
    let body = json!({"source": "mlflow", "keys": keys});
    assert!(body.to_string().len() > 2 * 1024 * 1024);
    let (status, summary) = hub
        .send(
            "POST",
            "/api/v1/agent/sync/epochs/e1/complete",
            Some(&token),
            Some("1"),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["counts"]["unchanged"], 80_000);
}

/// Issue 22: a card the Hub accepts arrives whole, with a warning for each value the hub
/// cannot use; the epoch counts and lists the warned items for the agent's page.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn odd_values_are_warned_about_by_path_and_the_card_is_kept(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let mut odd = card("insee", "isco-coder", "Codes occupation titles to ISCO.");
    odd["task"] = json!("occupation-guessing");
    odd["language"] = json!(["en", "pt-BR", "pt_BR"]);
    odd["license"] = json!("free-for-all");
    odd["model-index"] = json!([{"name": "isco", "results": [{
        "task": {"type": "text-classification"},
        "dataset": {"type": "census", "name": "Census", "args": {"year": 2021}},
        "metrics": [{"type": "f1", "value": "0.81 ± 0.02"}]}]}]);
    let mut hubcard = card("insee", "hub-card", "Read as the Hub writes it.");
    hubcard["task"] = json!("text-classification");
    hubcard["language"] = json!("multilingual");
    let (status, result) = hub
        .batch(
            &token,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    item("a", "model_card", odd.clone()),
                    item("b", "model_card", hubcard),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let r = &result["results"];
    assert_eq!(r[0]["outcome"], "added", "{result}");
    let fields: Vec<&str> = r[0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "language[2]",
            "license",
            "task",
            "model-index[0].results[0].metrics[0].value"
        ]
    );
    assert_eq!(r[1]["outcome"], "added");
    assert!(r[1].get("warnings").is_none(), "{result}");

    // Kept as written, warnings given to the organisation (the admin here).
    let (_, back) = hub.get("/api/v1/models/insee/isco-coder").await;
    assert_eq!(back["task"], "occupation-guessing");
    assert_eq!(back["license"], "free-for-all");
    assert_eq!(back["model-index"], odd["model-index"]);
    assert_eq!(back["agora_warnings"].as_array().unwrap().len(), 4);
    // An anonymous reader sees the public card but not its warnings.
    let (status, public) = hub
        .send("GET", "/api/v1/models/insee/isco-coder", None, None, None)
        .await;
    assert_eq!(status, 200);
    assert!(public.get("agora_warnings").is_none(), "{public}");

    // The same batch again: unchanged, still warned.
    let (_, again) = hub
        .batch(
            &token,
            batch("b-2", "git", "e2", vec![item("a", "model_card", odd)]),
        )
        .await;
    assert_eq!(again["results"][0]["outcome"], "unchanged", "{again}");
    assert_eq!(again["results"][0]["warnings"].as_array().unwrap().len(), 4);

    let (status, summary) = hub.complete(&token, "e1", "git", &["a", "b"]).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["counts"]["warned"], 1);
    let (_, agent) = hub.get("/api/v1/agents/insee/paris-1").await;
    let epoch = agent["epochs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["epoch"] == "e1")
        .unwrap()
        .clone();
    assert_eq!(epoch["warned_items"][0]["key"], "a", "{agent}");
    assert_eq!(epoch["warned_items"][0]["warnings"][2]["field"], "task");
    // `agora-hub agent list` names each warned item of the latest epoch, path and reason.
    let mut conn = hub.pool.acquire().await.unwrap();
    let list = agora_hub::db::agents::list(&mut conn, Some("insee"))
        .await
        .unwrap();
    let table = agora_hub::cli::agent::table(&list);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("insee/paris-1 git warned a task: `occupation-guessing`")),
        "{table}"
    );
}

/// PostgreSQL stores no NUL character in text or jsonb: an item holding one is refused
/// alone, naming the field, and the rest of its batch applies.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_nul_character_refuses_its_item_never_its_batch(pool: PgPool) {
    let hub = Hub::new(pool).await;
    let token = hub.agent("insee", "paris-1").await;
    let mut in_text = card("insee", "nul-body", "ok");
    in_text["summary"] = json!("before\u{0}after");
    let mut in_key = card("insee", "nul-key", "ok");
    in_key["colour\u{0}"] = json!("red");
    let mut in_index = card("insee", "nul-index", "ok");
    in_index["model-index"] = json!([{"name": "x", "results": [{"task": {"type": "t"},
        "dataset": {"type": "d", "name": "d\u{0}"}, "metrics": [{"type": "f1", "value": 1}]}]}]);
    let mut project_nul = project("p-nul", &["insee"]);
    project_nul["title"] = json!("P\u{0}");
    let mut version_nul = version("good", "1");
    version_nul["version"]["description"] = json!("v\u{0}");
    let (status, result) = hub
        .batch(
            &token,
            batch(
                "b-1",
                "git",
                "e1",
                vec![
                    item("a", "model_card", in_text),
                    item("b", "model_card", in_key),
                    item("c", "model_card", in_index),
                    item("d", "project", project_nul),
                    item("e", "model_card", card("insee", "good", "fine")),
                    item("f", "model_version", version_nul),
                    item("g\u{0}", "model_card", card("insee", "nul-item-key", "ok")),
                    item("h", "model_version", version("good", "2")),
                ],
            ),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let r = &result["results"];
    let got: Vec<(&str, &str)> = (0..8)
        .map(|i| {
            (
                r[i]["outcome"].as_str().unwrap(),
                r[i]["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("rejected", "summary"),
            ("rejected", "colour\\u0000"),
            ("rejected", "model-index[0].results[0].dataset.name"),
            ("rejected", "title"),
            ("added", ""),
            ("rejected", "version.description"),
            ("rejected", "key"),
            ("added", ""),
        ]
    );
    assert!(r[0]["reason"].as_str().unwrap().contains("NUL"));
    assert_eq!(hub.get("/api/v1/models/insee/good").await.0, 200);
    assert_eq!(hub.get("/api/v1/models/insee/good/versions/2").await.0, 200);
    assert_eq!(hub.get("/api/v1/models/insee/nul-body").await.0, 404);
    // The refusals are recorded for the agent's page.
    let (status, summary) = hub.complete(&token, "e1", "git", &["a", "e", "h"]).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["counts"]["rejected"], 6);
    // Through the API, the same value is a 422 naming the field, never a 500.
    let (status, body) = hub
        .send(
            "POST",
            "/api/v1/models",
            Some(&hub.admin),
            None,
            Some(json!({"organisation": "insee", "name": "api-nul", "title": "a\u{0}b"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "title");
}
