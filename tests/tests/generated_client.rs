//! The OpenAPI document judged by a client generated from it: openapi-python-client (PyPI)
//! generates a typed Python client from `/api/v1/openapi.json` of a hub with the demo data,
//! with no configuration and no hand edits, and must report nothing about the document
//! (but the one thing it cannot generate, [`GENERATOR_LIMITS`]). The generated functions
//! then perform the API's five everyday tasks (`tests/peers/openapi_client/tasks.py`),
//! anonymously and with an administrator's token: every answer must be a 200 parsed into
//! the generated class the document names, with no key the document does not declare, and
//! hold what the same request answers as plain JSON. An anonymous client does not see a
//! private model that the administrator sees.

use std::path::{Path, PathBuf};
use std::process::Command;

use agora_e2e::{Hub, TestDb, admin_token, create_as, hub_command, python_venv};
use serde_json::{Value, json};

/// Pinned: the version the document was checked with. Its dependencies (httpx, attrs) are
/// the generated client's.
const GENERATOR: &str = "openapi-python-client==0.29.1";

/// What the generator reports although the document is right, as (header, detail). It has
/// no `text/plain` request bodies (openapi-generators/openapi-python-client#542); the log
/// upload also takes `application/octet-stream`, which the generated function sends.
const GENERATOR_LIMITS: &[(&str, &str)] = &[(
    "WARNING parsing PUT /api/v1/agent/jobs/{id}/log within agents.",
    "Unsupported content type text/plain",
)];

fn peer(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("peers/openapi_client")
        .join(file)
}

/// Runs a Python script of the peer folder with the generator's environment (its `ruff` on
/// `PATH` for the post hooks) and returns what it printed as JSON.
fn python(bin: &Path, script: &str, args: &[&str], pythonpath: Option<&Path>) -> Value {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let mut command = Command::new(bin.join("python"));
    command
        .arg(peer(script))
        .args(args)
        .env("PATH", std::env::join_paths(paths).expect("a PATH"));
    if let Some(dir) = pythonpath {
        command.env("PYTHONPATH", dir);
    }
    let out = command.output().expect("python runs");
    assert!(
        out.status.success(),
        "{script} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} prints JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Generates the client into `dir/agora_hub_api_client` and checks what the generator
/// said about the document.
fn generate(bin: &Path, document: &Path, dir: &Path) {
    let package = dir.join("agora_hub_api_client");
    let report = python(
        bin,
        "generate.py",
        &[
            document.to_str().expect("a UTF-8 path"),
            package.to_str().expect("a UTF-8 path"),
        ],
        None,
    );
    let version = GENERATOR.rsplit("==").next().expect("a pinned version");
    assert_eq!(report["version"], version, "{report}");
    let problems: Vec<(String, String)> = report["problems"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .map(|p| {
            (
                p["header"].as_str().unwrap_or_default().to_string(),
                p["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let unexpected: Vec<&(String, String)> = problems
        .iter()
        .filter(|(h, d)| !GENERATOR_LIMITS.contains(&(h.as_str(), d.as_str())))
        .collect();
    assert!(
        unexpected.is_empty(),
        "openapi-python-client reported problems with the document:\n{}",
        unexpected
            .iter()
            .map(|(h, d)| format!("{h}\n    {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for limit in GENERATOR_LIMITS {
        assert!(
            problems
                .iter()
                .any(|(h, d)| (h.as_str(), d.as_str()) == *limit),
            "the generator no longer reports {limit:?}: take it out of GENERATOR_LIMITS"
        );
    }
    // The limit costs nothing: the log upload is generated (with its bytes body).
    let log_upload = package.join("api/agents/agent_jobs_log.py");
    let source = std::fs::read_to_string(&log_upload).expect("the log upload is generated");
    assert!(
        source.contains("application/octet-stream"),
        "{}",
        log_upload.display()
    );
}

/// The same request as plain JSON, as `token` (empty: anonymously).
async fn plain(hub: &Hub, path: &str, query: &[(&str, &str)], token: &str) -> Value {
    let url = url::Url::parse_with_params(&hub.url(path), query).expect("a URL");
    let mut request = reqwest::Client::new().get(url);
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let reply = request.send().await.expect("the hub answers");
    assert_eq!(reply.status(), 200, "{path} {query:?}");
    reply.json().await.expect("JSON")
}

/// What one task gave one caller.
fn task<'a>(seen: &'a Value, caller: &str, name: &str) -> &'a Value {
    &seen[caller][name]["ok"]
}

fn texts(items: &Value, pick: impl Fn(&Value) -> Value) -> Vec<Value> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("a list: {items}"))
        .iter()
        .map(pick)
        .collect()
}

/// A page of model cards as `organisation/name`.
fn model_ids(page: &Value) -> Vec<Value> {
    texts(&page["items"], |m| {
        json!(format!(
            "{}/{}",
            m["organisation"].as_str().unwrap_or_default(),
            m["name"].as_str().unwrap_or_default()
        ))
    })
}

/// A membership as tasks.py reports it.
fn member(m: &Value) -> Value {
    json!({
        "name": m["name"],
        "role": m["role"],
        "organisation": m["organisation"],
        "user_organisation": m["user_organisation"],
    })
}

/// 1. French coding models in production: the typed page holds what the plain one does.
async fn french_coding_models_in_production(hub: &Hub, seen: &Value, caller: &str, key: &str) {
    let models = task(seen, caller, "models");
    let answer = plain(
        hub,
        "/api/v1/models",
        &[
            ("language", "fr"),
            ("task", "coding"),
            ("stage", "production"),
            ("sort", "name"),
            ("per_page", "100"),
        ],
        key,
    )
    .await;
    let ids = model_ids(&answer);
    assert_eq!(models["models"], json!(ids), "{caller}");
    assert_eq!(models["total"], answer["total"], "{caller}");
    let assessed = plain(
        hub,
        "/api/v1/models",
        &[
            ("language", "fr"),
            ("task", "coding"),
            ("stage", "production"),
            ("has_qf4sa", "submitted"),
            ("qf4sa_min", "accuracy:3"),
            ("sort", "name"),
        ],
        key,
    )
    .await;
    let ids = model_ids(&assessed);
    assert_eq!(models["assessed"], json!(ids), "{caller}");
    // INSEE's coder has a submitted QF4SA assessment with accuracy 4; the private model none.
    assert_eq!(models["assessed"], json!(["insee/naf-coder"]), "{caller}");
    for languages in models["languages"].as_array().expect("languages") {
        assert!(
            languages.as_array().is_some_and(|l| l
                .iter()
                .any(|l| l.as_str().is_some_and(|l| l.starts_with("fr")))),
            "{caller}: {models}"
        );
    }
}

/// 2. WS2's leads, member organisations and memberships.
async fn workstream_members(hub: &Hub, seen: &Value, caller: &str, key: &str) {
    let members = task(seen, caller, "members");
    let ws = plain(hub, "/api/v1/workstreams/ws2", &[], key).await;
    assert_eq!(members["code"], "WS2");
    assert_eq!(members["title"], ws["title"]);
    assert_eq!(members["leads"], json!(texts(&ws["leads"], member)));
    assert_eq!(
        members["organisations"],
        json!(texts(&ws["organisations"], member))
    );
    let listed = plain(
        hub,
        "/api/v1/memberships",
        &[("workstream", "ws2"), ("per_page", "100")],
        key,
    )
    .await;
    assert_eq!(members["members"], json!(texts(&listed["items"], member)));
    assert_eq!(members["total"], listed["total"]);
}

/// 3. A model's evaluation results, from its card among others.
async fn evaluation_results(hub: &Hub, seen: &Value, caller: &str, key: &str) {
    let results = task(seen, caller, "results");
    let answer = plain(
        hub,
        "/api/v1/models/insee/naf-coder/results",
        &[("per_page", "100")],
        key,
    )
    .await;
    let expected = texts(&answer["items"], |r| {
        json!({
            "metric": r["metric"], "value": r["value"], "dataset": r["dataset"],
            "split": r["split"], "source": r["source"]["kind"],
        })
    });
    assert_eq!(results["results"], json!(expected), "{caller}");
    assert_eq!(results["total"], answer["total"]);
    assert!(
        results["results"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["source"] == "card")),
        "the card's model-index gives results: {results}"
    );
}

/// 4. Two models' QF4SA levels side by side, and where they differ.
async fn compared_qf4sa_levels(hub: &Hub, seen: &Value, caller: &str, key: &str) {
    let compare = task(seen, caller, "compare");
    let answer = plain(
        hub,
        "/api/v1/assessments/compare",
        &[
            ("model", "insee/naf-coder"),
            ("model", "inegi/sinco-occupation-coder"),
        ],
        key,
    )
    .await;
    let subjects = texts(&answer["subjects"], |s| {
        json!({
            "key": s["key"],
            "qf4sa": {"state": s["qf4sa"]["state"], "levels": s["qf4sa"]["levels"]},
        })
    });
    assert_eq!(compare["subjects"], json!(subjects), "{caller}");
    assert_eq!(compare["differences"], answer["differences"], "{caller}");
    assert!(
        compare["differences"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{compare}"
    );
}

/// 5. What changed in WS2 in the last seven days, over two pages.
async fn this_week_in_ws2(hub: &Hub, seen: &Value, caller: &str, key: &str) {
    let events = task(seen, caller, "events");
    let since = seen["since"].as_str().expect("since");
    let query = [("workstream", "WS2"), ("since", since), ("per_page", "25")];
    let first = plain(hub, "/api/v1/events", &query, key).await;
    let next = first["next"].as_str().expect("a second page");
    let mut query = query.to_vec();
    query.push(("cursor", next));
    let second = plain(hub, "/api/v1/events", &query, key).await;
    assert_eq!(
        events["first"],
        json!(texts(&first["items"], |e| e["id"].clone())),
        "{caller}"
    );
    assert_eq!(events["next"], next);
    assert_eq!(
        events["second"],
        json!(texts(&second["items"], |e| e["id"].clone())),
        "{caller}"
    );
    assert_eq!(events["first"].as_array().map(Vec::len), Some(25));
    // The second page goes on where the first stopped: older events, none twice.
    let cursor: i64 = next.parse().expect("an event id");
    assert!(
        events["second"].as_array().is_some_and(
            |s| !s.is_empty() && s.iter().all(|id| id.as_i64().is_some_and(|id| id < cursor))
        ),
        "{events}"
    );
    assert!(
        events["workstreams"]
            .as_array()
            .is_some_and(|w| w.contains(&json!("ws2"))),
        "{events}"
    );
}

#[tokio::test]
async fn a_client_generated_from_the_document_performs_the_five_tasks() {
    let bin = python_venv("openapi-python-client", &[GENERATOR]);
    let db = TestDb::create().await;
    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let token = admin_token(&db.url).await;
    let hub = Hub::start(&db.url).await;
    // A French coding model of a project in production that only INSEE's people (and
    // administrators) may see, with no QF4SA assessment.
    create_as(
        &hub.url("/api/v1/models"),
        &token,
        &json!({
            "organisation": "insee", "name": "private-fr-coder", "visibility": "organisation",
            "language": ["fr"], "task": "coding", "project": "insee-ape-coding",
        }),
    )
    .await;
    create_as(
        &hub.url("/api/v1/models/insee/private-fr-coder/versions"),
        &token,
        &json!({"version": "1", "stage": "production"}),
    )
    .await;

    let dir = tempfile::tempdir().expect("a folder for the client");
    let document = dir.path().join("openapi.json");
    let text = reqwest::get(hub.url("/api/v1/openapi.json"))
        .await
        .expect("the hub answers")
        .text()
        .await
        .expect("the document");
    std::fs::write(&document, text).expect("write the document");
    generate(&bin, &document, dir.path());

    let seen = python(&bin, "tasks.py", &[&hub.base_url, &token], Some(dir.path()));
    let failed: Vec<String> = ["anonymous", "signed_in"]
        .iter()
        .flat_map(|caller| {
            seen[caller]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, r)| r.get("ok").is_none())
                .map(move |(name, r)| format!("{caller} {name}: {}", r["error"]))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "tasks failed through the generated client:\n{}",
        failed.join("\n")
    );

    for (caller, key) in [("anonymous", ""), ("signed_in", token.as_str())] {
        french_coding_models_in_production(&hub, &seen, caller, key).await;
        workstream_members(&hub, &seen, caller, key).await;
        evaluation_results(&hub, &seen, caller, key).await;
        compared_qf4sa_levels(&hub, &seen, caller, key).await;
        this_week_in_ws2(&hub, &seen, caller, key).await;
    }

    // The private model: the administrator sees it, an anonymous client does not.
    let anonymous = task(&seen, "anonymous", "models")["models"].clone();
    let signed_in = task(&seen, "signed_in", "models")["models"].clone();
    assert_eq!(anonymous, json!(["insee/naf-coder"]));
    assert_eq!(
        signed_in,
        json!(["insee/naf-coder", "insee/private-fr-coder"])
    );
    assert_eq!(
        task(&seen, "anonymous", "private"),
        &json!({"status": 404, "code": "not_found"})
    );
    assert_eq!(
        task(&seen, "signed_in", "private"),
        &json!({"status": 200, "visibility": "organisation"})
    );
    // Who leads WS2, and that a person's membership names their organisation.
    let members = task(&seen, "anonymous", "members");
    assert_eq!(
        members["leads"],
        json!([{"name": "Karin Lindqvist", "role": "lead", "organisation": null, "user_organisation": "scb"}])
    );
    assert!(
        members["members"].as_array().is_some_and(|m| m
            .iter()
            .filter(|m| m["organisation"].is_null())
            .all(|m| m["user_organisation"].is_string())),
        "{members}"
    );

    drop(hub);
    db.drop_now().await;
}
