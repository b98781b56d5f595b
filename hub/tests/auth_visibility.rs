//! The visibility walk: every read path of the API (each GET route of the OpenAPI
//! document, with its filters) is called by an anonymous visitor, a member of another
//! organisation, a member of the owning organisation and an administrator, before and
//! after organisation A adds `members` and `organisation` items. The answers an anonymous
//! visitor gets never change; the answers another organisation's member gets never change
//! when A adds organisation-private items — not an item, not a total, not an event.
//!
//! To cover a new read path, add a row to `read_paths`; the test fails while a GET route
//! of the OpenAPI document has no row.

#[path = "auth_support/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use common::{As, TestApp, model, organisation, project, qf4sa};
use serde_json::{Value, json};
use sqlx::PgPool;

/// How an answer is compared between snapshots.
#[derive(Clone, Copy, PartialEq)]
enum Compare {
    /// Status and body must be identical.
    Body,
    /// About the caller, not items (tokens note their last use): status only.
    Status,
    /// Search answers: everything but the time the search took.
    Search,
    /// Answers that are not JSON (a card as Markdown): status and text.
    Text,
}

/// One read path: its OpenAPI template and the concrete requests that exercise it.
struct ReadPath {
    template: &'static str,
    urls: Vec<String>,
    compare: Compare,
}

fn read_paths(ids: &Ids) -> Vec<ReadPath> {
    let body = |template: &'static str, urls: &[&str]| ReadPath {
        template,
        urls: urls.iter().map(|u| u.to_string()).collect(),
        compare: Compare::Body,
    };
    vec![
        body(
            "/api/v1/organisations",
            &["/api/v1/organisations?per_page=100"],
        ),
        body(
            "/api/v1/organisations/{slug}",
            &["/api/v1/organisations/alpha"],
        ),
        body("/api/v1/workstreams", &["/api/v1/workstreams?per_page=100"]),
        body(
            "/api/v1/workstreams/{slug}",
            &[
                "/api/v1/workstreams/ws-open",
                "/api/v1/workstreams/alpha-circle",
            ],
        ),
        body(
            "/api/v1/memberships",
            &[
                "/api/v1/memberships?per_page=100",
                "/api/v1/memberships?workstream=alpha-circle",
                "/api/v1/memberships?workstream=ws-open",
                "/api/v1/memberships?organisation=alpha",
                "/api/v1/memberships?role=lead",
            ],
        ),
        ReadPath {
            template: "/api/v1/memberships/{id}",
            urls: ids
                .memberships
                .iter()
                .map(|id| format!("/api/v1/memberships/{id}"))
                .collect(),
            compare: Compare::Body,
        },
        body(
            "/api/v1/projects",
            &[
                "/api/v1/projects?per_page=100",
                "/api/v1/projects?organisation=alpha",
                "/api/v1/projects?workstream=ws-open",
                "/api/v1/projects?workstream=alpha-circle",
                "/api/v1/projects?stage=pilot",
                "/api/v1/projects?task=coding&per_page=1&page=2",
            ],
        ),
        body(
            "/api/v1/projects/{slug}",
            &[
                "/api/v1/projects/alpha-open",
                "/api/v1/projects/alpha-members",
                "/api/v1/projects/alpha-private",
            ],
        ),
        body(
            "/api/v1/models",
            &[
                "/api/v1/models?per_page=100",
                "/api/v1/models?organisation=alpha",
                "/api/v1/models?project=alpha-private",
                "/api/v1/models?workstream=ws-open",
                "/api/v1/models?task=coding",
                "/api/v1/models?framework=fasttext",
            ],
        ),
        body(
            "/api/v1/models/{organisation}/{name}",
            &[
                "/api/v1/models/alpha/alpha-open-model",
                "/api/v1/models/alpha/alpha-members-model",
                "/api/v1/models/alpha/alpha-private-model",
            ],
        ),
        ReadPath {
            template: "/api/v1/models/{organisation}/{name}/card.md",
            urls: [
                "/api/v1/models/alpha/alpha-open-model/card.md",
                "/api/v1/models/alpha/alpha-members-model/card.md",
                "/api/v1/models/alpha/alpha-private-model/card.md",
            ]
            .map(String::from)
            .to_vec(),
            compare: Compare::Text,
        },
        body(
            "/api/v1/models/{organisation}/{name}/versions",
            &[
                "/api/v1/models/alpha/alpha-open-model/versions",
                "/api/v1/models/alpha/alpha-private-model/versions",
            ],
        ),
        body(
            "/api/v1/models/{organisation}/{name}/results",
            &[
                "/api/v1/models/alpha/alpha-open-model/results",
                "/api/v1/models/alpha/alpha-members-model/results",
                "/api/v1/models/alpha/alpha-private-model/results",
            ],
        ),
        body(
            "/api/v1/models/{organisation}/{name}/versions/{version}",
            &[
                "/api/v1/models/alpha/alpha-open-model/versions/1",
                "/api/v1/models/alpha/alpha-private-model/versions/1",
            ],
        ),
        body(
            "/api/v1/assessments/compare",
            &[
                "/api/v1/assessments/compare?model=alpha/alpha-private-model&model=alpha/alpha-open-model",
                "/api/v1/assessments/compare?model=alpha/alpha-members-model",
                "/api/v1/assessments/compare?project=alpha-private&project=alpha-open",
            ],
        ),
        body(
            "/api/v1/events",
            &[
                "/api/v1/events?limit=200",
                "/api/v1/events?limit=2",
                "/api/v1/events?organisation=alpha",
                "/api/v1/events?workstream=alpha-circle",
                "/api/v1/events?workstream=ws-open",
                "/api/v1/events?subject=alpha-private",
                "/api/v1/events?kind=project.created",
                "/api/v1/events?subject_kind=model_version",
            ],
        ),
        ReadPath {
            template: "/api/v1/search",
            urls: [
                "/api/v1/search?per_page=100",
                "/api/v1/search?q=alpha",
                "/api/v1/search?q=model&kind=model",
                "/api/v1/search?q=project&organisation=alpha",
                "/api/v1/search?q=alpha&task=coding&sort=updated",
                "/api/v1/search?q=%22alpha%20members%22",
                "/api/v1/search?has_qf4sa=any",
                "/api/v1/search?has_qf4sa=submitted&kind=project",
                "/api/v1/search?kind=assessment",
                "/api/v1/search?qf4sa_min=accuracy:1",
                "/api/v1/search?qf4sa_min=timeliness:3&has_qf4sa=any",
            ]
            .map(String::from)
            .to_vec(),
            compare: Compare::Search,
        },
        ReadPath {
            template: "/api/v1/search/suggest",
            urls: vec!["/api/v1/search/suggest?q=alp".into()],
            compare: Compare::Body,
        },
        body(
            "/api/v1/agents",
            &["/api/v1/agents", "/api/v1/agents?organisation=alpha"],
        ),
        body(
            "/api/v1/agents/{organisation}/{name}",
            &["/api/v1/agents/alpha/alpha-agent"],
        ),
        // An agent's view of itself: people are refused whatever they hold.
        ReadPath {
            template: "/api/v1/agent/me",
            urls: vec!["/api/v1/agent/me".into()],
            compare: Compare::Status,
        },
        ReadPath {
            template: "/api/v1/me",
            urls: vec!["/api/v1/me".into()],
            compare: Compare::Body,
        },
        ReadPath {
            template: "/api/v1/tokens",
            urls: vec!["/api/v1/tokens".into()],
            compare: Compare::Status,
        },
        body(
            "/api/v1/benchmarks",
            &[
                "/api/v1/benchmarks?per_page=100",
                "/api/v1/benchmarks?organisation=alpha",
                "/api/v1/benchmarks?task=coding&per_page=1&page=2",
            ],
        ),
        body(
            "/api/v1/benchmarks/{slug}",
            &[
                "/api/v1/benchmarks/bench-open",
                "/api/v1/benchmarks/bench-members",
                "/api/v1/benchmarks/alpha-private-bench",
            ],
        ),
        body(
            "/api/v1/benchmarks/{slug}/leaderboard",
            &[
                "/api/v1/benchmarks/bench-open/leaderboard",
                "/api/v1/benchmarks/bench-open/leaderboard?sort=value&organisation=alpha",
                "/api/v1/benchmarks/alpha-private-bench/leaderboard",
            ],
        ),
        body(
            "/api/v1/benchmarks/{slug}/runs",
            &[
                "/api/v1/benchmarks/bench-open/runs",
                "/api/v1/benchmarks/alpha-private-bench/runs",
            ],
        ),
        ReadPath {
            template: "/api/v1/benchmarks/{slug}/runs/{id}",
            urls: vec![
                format!("/api/v1/benchmarks/bench-open/runs/{}", ids.runs),
                format!(
                    "/api/v1/benchmarks/alpha-private-bench/runs/{}",
                    ids.runs + 1
                ),
                format!("/api/v1/benchmarks/bench-open/runs/{}", ids.runs + 2),
            ],
            compare: Compare::Body,
        },
        // About the caller's own choices: never about items.
        body("/api/v1/me/digests", &["/api/v1/me/digests"]),
        // Administrators only; the rows are about deliveries, not items.
        body(
            "/api/v1/digests/failures",
            &[
                "/api/v1/digests/failures",
                "/api/v1/digests/failures?limit=5",
            ],
        ),
        body(
            "/api/v1/assessments",
            &[
                "/api/v1/assessments?per_page=100",
                "/api/v1/assessments?project=alpha-private",
                "/api/v1/assessments?project=alpha-open",
                "/api/v1/assessments?model=alpha/alpha-private-model",
                "/api/v1/assessments?kind=qf4sa&state=submitted",
                "/api/v1/assessments?per_page=1&page=2",
            ],
        ),
        ReadPath {
            template: "/api/v1/assessments/{id}",
            urls: ids
                .assessments
                .iter()
                .map(|id| format!("/api/v1/assessments/{id}"))
                .collect(),
            compare: Compare::Body,
        },
        ReadPath {
            template: "/api/v1/assessments/{id}/versions",
            urls: ids
                .assessments
                .iter()
                .map(|id| format!("/api/v1/assessments/{id}/versions"))
                .collect(),
            compare: Compare::Body,
        },
        ReadPath {
            template: "/api/v1/assessments/{id}/diff",
            urls: ids
                .assessments
                .iter()
                .map(|id| format!("/api/v1/assessments/{id}/diff"))
                .collect(),
            compare: Compare::Body,
        },
        ReadPath {
            template: "/api/v1/assessments/{id}/export",
            urls: ids
                .assessments
                .iter()
                .map(|id| format!("/api/v1/assessments/{id}/export"))
                .collect(),
            compare: Compare::Body,
        },
        // The catalogue is the anonymous view, whoever asks.
        body("/api/v1/catalog.ttl", &["/api/v1/catalog.ttl"]),
        body("/api/v1/catalog.jsonld", &["/api/v1/catalog.jsonld"]),
        body("/api/v1/openapi.json", &["/api/v1/openapi.json"]),
        body("/healthz", &["/healthz"]),
        body("/readyz", &["/readyz"]),
    ]
}

/// Ids known only at run time (memberships are addressed by id).
struct Ids {
    memberships: Vec<i64>,
    /// The first benchmark run; the private stage adds the next two.
    runs: i64,
    /// A public assessment, a members one, then two organisation-private ones.
    assessments: Vec<i64>,
}

/// Starts a run of `model` version 1 at alpha and has alpha's agent complete it.
async fn evaluated(app: &TestApp, agent: &str, benchmark: &str, model: &str, accuracy: f64) {
    app.create(
        &format!("/api/v1/benchmarks/{benchmark}/runs"),
        json!({"model": {"organisation": "alpha", "name": model, "version": "1"}, "organisations": ["alpha"]}),
    )
    .await;
    let agent_request = |uri: &str, body: Value| {
        axum::http::Request::builder()
            .method(if uri.ends_with("lease") {
                "POST"
            } else {
                "PUT"
            })
            .uri(uri)
            .header("authorization", format!("Bearer {agent}"))
            .header("agora-protocol", "1")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let lease = app
        .send(agent_request(
            "/api/v1/agent/jobs/lease",
            json!({"capabilities": {"executors": ["local"]}, "wait_seconds": 0}),
        ))
        .await;
    assert_eq!(lease.status, StatusCode::OK, "{}", lease.text);
    let done = app
        .send(agent_request(
            &format!("/api/v1/agent/jobs/{}", lease.body["job_id"]),
            json!({"lease_token": lease.body["lease_token"], "state": "succeeded", "executor": "local",
                   "metrics": {"accuracy": accuracy}}),
        ))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
}

fn bench(slug: &str, orgs: &[&str], visibility: &str) -> Value {
    let participants: Vec<Value> = orgs
        .iter()
        .map(|o| json!({"organisation": o, "dataset": format!("{o}-data")}))
        .collect();
    json!({"slug": slug, "title": format!("Benchmark {slug}"), "description": "Evaluate.",
           "task": "coding", "metrics": [{"name": "accuracy", "direction": "maximize"}],
           "primary_metric": "accuracy", "command": ["evaluate", "{dataset}", "{output}"],
           "participants": participants, "visibility": visibility})
}

/// A list filter's key that names nothing the caller may see is a 422 on that parameter;
/// the snapshots compared below hold that it reads the same whether the thing is hidden or
/// missing.
fn names_no_visible_key(url: &str, body: &Value) -> bool {
    let field = body["error"]["field"].as_str().unwrap_or_default();
    body["error"]["code"] == "invalid"
        && !field.is_empty()
        && url.contains(&format!("{field}="))
        && body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is known to you"))
}

struct Callers {
    anonymous: As,
    beta: As,
    alpha: As,
    admin: As,
}

type Snapshot = BTreeMap<String, (StatusCode, Value)>;

async fn walk(app: &TestApp, paths: &[ReadPath], who: &As) -> Snapshot {
    app.index().await;
    let mut answers = Snapshot::new();
    for path in paths {
        for url in &path.urls {
            let answer = app.get(url, who).await;
            assert!(
                answer.status == StatusCode::OK
                    || answer.status == StatusCode::NOT_FOUND
                    || names_no_visible_key(url, &answer.body)
                    || (answer.status == StatusCode::UNAUTHORIZED
                        && path.template == "/api/v1/tokens")
                    || (answer.status.is_client_error() && path.template == "/api/v1/agent/me")
                    || ((answer.status == StatusCode::UNAUTHORIZED
                        || answer.status == StatusCode::FORBIDDEN)
                        && matches!(
                            path.template,
                            "/api/v1/me/digests" | "/api/v1/digests/failures"
                        )),
                "{url}: {} {}",
                answer.status,
                answer.text
            );
            let body = match path.compare {
                Compare::Body => answer.body,
                Compare::Search => {
                    let mut body = answer.body;
                    if let Some(fields) = body.as_object_mut() {
                        fields.remove("took_ms");
                    }
                    body
                }
                Compare::Status => Value::Null,
                Compare::Text => Value::String(answer.text),
            };
            answers.insert(url.clone(), (answer.status, body));
        }
    }
    answers
}

fn assert_same(label: &str, before: &Snapshot, after: &Snapshot) {
    for (url, answer) in before {
        assert_eq!(
            Some(answer),
            after.get(url),
            "{label}: the answer to {url} changed when organisation-private or members items were added"
        );
    }
}

fn differs(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    before
        .iter()
        .filter(|(url, answer)| after.get(*url) != Some(answer))
        .map(|(url, _)| url.clone())
        .collect()
}

/// The next id a table's identity column will give.
async fn next_id(app: &TestApp, table: &str) -> i64 {
    let (last, called): (i64, bool) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT last_value, is_called FROM {}",
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!(
            "SELECT pg_get_serial_sequence('{table}', 'id')"
        )))
        .fetch_one(&app.db)
        .await
        .unwrap()
    )))
    .fetch_one(&app.db)
    .await
    .unwrap();
    if called { last + 1 } else { last }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisation_private_items_never_reach_another_organisation_or_anonymous_callers(
    db: PgPool,
) {
    let app = TestApp::new(db);
    // The shared world: two offices, an open workstream, public items.
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-open", "code": "WS1", "title": "Open", "goal": "Share.", "visibility": "public"}),
    )
    .await;
    for org in ["alpha", "beta"] {
        app.create(
            "/api/v1/memberships",
            json!({"workstream": "ws-open", "organisation": org}),
        )
        .await;
    }
    let mut open = project("alpha-open", &["alpha"], "public");
    open["workstreams"] = json!(["ws-open"]);
    app.create("/api/v1/projects", open).await;
    app.create(
        "/api/v1/projects",
        project("beta-open", &["beta"], "public"),
    )
    .await;
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-open-model", Some("alpha-open"), "public"),
    )
    .await;
    app.create(
        "/api/v1/models/alpha/alpha-open-model/versions",
        json!({"version": "1"}),
    )
    .await;
    let ann = app.user("ann@alpha.test", "alpha").await;
    let ben = app.user("ben@beta.test", "beta").await;
    let callers = Callers {
        anonymous: As::Anonymous,
        beta: app.token(ben).await,
        alpha: app.token(ann).await,
        admin: app.admin().await,
    };
    let first_membership = next_id(&app, "memberships").await;
    let open_assessment = app
        .create(
            "/api/v1/assessments",
            qf4sa(json!({"project": "alpha-open"}), 3),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let ids = Ids {
        memberships: vec![first_membership, first_membership + 1],
        runs: next_id(&app, "benchmark_runs").await,
        assessments: (open_assessment..open_assessment + 4).collect(),
    };
    // A public benchmark both offices take part in, with a result of the public model.
    app.create(
        "/api/v1/benchmarks",
        bench("bench-open", &["alpha", "beta"], "public"),
    )
    .await;
    let mut conn = app.db.acquire().await.unwrap();
    let runner = agora_hub::db::agents::create(&mut conn, "alpha", "alpha-runner")
        .await
        .unwrap();
    drop(conn);
    evaluated(&app, &runner, "bench-open", "alpha-open-model", 0.8).await;
    let paths = read_paths(&ids);

    // Every GET route of the API is walked.
    let documented: BTreeSet<String> = agora_hub::http::openapi()
        .paths
        .paths
        .iter()
        .filter(|(_, item)| item.get.is_some())
        .map(|(path, _)| path.clone())
        .collect();
    let walked: BTreeSet<String> = paths.iter().map(|p| p.template.to_string()).collect();
    assert_eq!(
        documented, walked,
        "every GET route of the OpenAPI document needs a row in read_paths"
    );

    let s0_anonymous = walk(&app, &paths, &callers.anonymous).await;
    let s0_beta = walk(&app, &paths, &callers.beta).await;

    // Organisation A adds `members` items: a members-only workstream with its members, a
    // project and a model card seen by any signed-in member.
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "alpha-circle", "code": "AC", "title": "Alpha circle", "goal": "Talk.", "visibility": "members"}),
    )
    .await;
    let m1 = app
        .create(
            "/api/v1/memberships",
            json!({"workstream": "alpha-circle", "organisation": "alpha"}),
        )
        .await;
    let m2 = app
        .create(
            "/api/v1/memberships",
            json!({"workstream": "alpha-circle", "user": "ann@alpha.test", "role": "lead"}),
        )
        .await;
    assert_eq!(
        vec![m1["id"].as_i64().unwrap(), m2["id"].as_i64().unwrap()],
        ids.memberships
    );
    let mut members = project("alpha-members", &["alpha"], "members");
    members["workstreams"] = json!(["ws-open", "alpha-circle"]);
    app.create("/api/v1/projects", members).await;
    app.create(
        "/api/v1/models",
        model(
            "alpha",
            "alpha-members-model",
            Some("alpha-members"),
            "members",
        ),
    )
    .await;

    app.create(
        "/api/v1/benchmarks",
        bench("bench-members", &["alpha"], "members"),
    )
    .await;

    app.create(
        "/api/v1/assessments",
        qf4sa(json!({"project": "alpha-members"}), 2),
    )
    .await;

    let s1_anonymous = walk(&app, &paths, &callers.anonymous).await;
    let s1_beta = walk(&app, &paths, &callers.beta).await;
    assert_same("anonymous", &s0_anonymous, &s1_anonymous);
    assert!(
        !differs(&s0_beta, &s1_beta).is_empty(),
        "a member of another organisation sees `members` items"
    );
    let s1_alpha = walk(&app, &paths, &callers.alpha).await;
    let s1_admin = walk(&app, &paths, &callers.admin).await;

    // Organisation A adds organisation-private items: a project in both workstreams, a model
    // card with versions, and changes to them (more events).
    let mut private = project("alpha-private", &["alpha"], "organisation");
    private["workstreams"] = json!(["ws-open", "alpha-circle"]);
    app.create("/api/v1/projects", private.clone()).await;
    private["stage"] = json!("production");
    let admin = callers.admin.clone();
    assert_eq!(
        app.put("/api/v1/projects/alpha-private", &admin, private)
            .await
            .status,
        StatusCode::OK
    );
    app.create(
        "/api/v1/models",
        model(
            "alpha",
            "alpha-private-model",
            Some("alpha-private"),
            "organisation",
        ),
    )
    .await;
    for v in ["1", "2"] {
        app.create(
            "/api/v1/models/alpha/alpha-private-model/versions",
            json!({"version": v}),
        )
        .await;
    }

    // A private benchmark evaluated at alpha, and the private model evaluated on the
    // public benchmark: neither its run nor its result reaches others.
    app.create(
        "/api/v1/benchmarks",
        bench("alpha-private-bench", &["alpha"], "organisation"),
    )
    .await;
    evaluated(
        &app,
        &runner,
        "alpha-private-bench",
        "alpha-open-model",
        0.7,
    )
    .await;
    evaluated(&app, &runner, "bench-open", "alpha-private-model", 0.9).await;

    // Private assessments: of the project, and of the model's first version (stale once
    // the second exists); edited, submitted and reviewed, so every event kind is there.
    let private_assessment = ids.assessments[2];
    app.create(
        "/api/v1/assessments",
        qf4sa(json!({"project": "alpha-private"}), 4),
    )
    .await;
    app.create(
        "/api/v1/assessments",
        qf4sa(
            json!({"organisation": "alpha", "model": "alpha-private-model", "version": "1"}),
            5,
        ),
    )
    .await;
    let edit = json!({"content": qf4sa(json!({}), 5)["content"], "note": "all at 5"});
    let url = format!("/api/v1/assessments/{private_assessment}");
    assert_eq!(app.put(&url, &admin, edit).await.status, StatusCode::OK);
    let submitted = app
        .post(&format!("{url}/submit"), &callers.alpha, json!({}))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);

    let s2_anonymous = walk(&app, &paths, &callers.anonymous).await;
    let s2_beta = walk(&app, &paths, &callers.beta).await;
    assert_same("anonymous", &s0_anonymous, &s2_anonymous);
    assert_same("a member of another organisation", &s1_beta, &s2_beta);
    for (url, (status, body)) in s2_anonymous.iter().chain(s2_beta.iter()) {
        if *status == StatusCode::OK {
            // A comparison names back the subjects it was asked for; nothing else in it
            // may show the private item.
            let mut body = body.clone();
            if let Some(subjects) = body.get_mut("subjects").and_then(Value::as_array_mut) {
                for subject in subjects {
                    subject.as_object_mut().map(|s| s.remove("key"));
                }
            }
            let text = body.to_string();
            assert!(
                !text.contains("alpha-private"),
                "{url} shows a private item: {text}"
            );
        }
    }

    // The owners and administrators do see them: the walk reaches the private items.
    let s2_alpha = walk(&app, &paths, &callers.alpha).await;
    let s2_admin = walk(&app, &paths, &callers.admin).await;
    for (who, before, after) in [
        ("alpha", &s1_alpha, &s2_alpha),
        ("admin", &s1_admin, &s2_admin),
    ] {
        let changed = differs(before, after);
        for url in [
            "/api/v1/projects?per_page=100",
            "/api/v1/projects/alpha-private",
            "/api/v1/models?organisation=alpha",
            "/api/v1/models/alpha/alpha-private-model/versions/1",
            "/api/v1/events?subject=alpha-private",
            "/api/v1/events?workstream=alpha-circle",
            "/api/v1/search?per_page=100",
            "/api/v1/search?q=alpha",
            "/api/v1/benchmarks/alpha-private-bench",
            "/api/v1/benchmarks/bench-open/leaderboard",
            "/api/v1/benchmarks/bench-open/runs",
            "/api/v1/search?has_qf4sa=any",
            "/api/v1/search?kind=assessment",
            "/api/v1/assessments?per_page=100",
            "/api/v1/assessments?project=alpha-private",
        ] {
            assert!(
                changed.contains(&url.to_string()),
                "{who} should see the private item at {url}"
            );
        }
        assert_eq!(after["/api/v1/projects/alpha-private"].0, StatusCode::OK);
        let private = format!("/api/v1/assessments/{private_assessment}/diff");
        assert_eq!(after[&private].0, StatusCode::OK);
        assert_eq!(after[&private].1["to"], 2);
    }
    assert_eq!(
        s2_alpha["/api/v1/projects?organisation=alpha"].1["total"],
        s2_beta["/api/v1/projects?organisation=alpha"].1["total"]
            .as_i64()
            .unwrap()
            + 1
    );

    // An organisation's agents (their sync counts and refused keys describe its private
    // items) are seen by its own people and administrators only.
    let mut conn = app.db.acquire().await.unwrap();
    agora_hub::db::agents::create(&mut conn, "alpha", "alpha-agent")
        .await
        .unwrap();
    drop(conn);
    for who in [&callers.anonymous, &callers.beta] {
        let list = app.get("/api/v1/agents", who).await;
        assert_eq!(list.body["items"], json!([]), "{}", list.text);
        let one = app.get("/api/v1/agents/alpha/alpha-agent", who).await;
        assert_eq!(one.status, StatusCode::NOT_FOUND);
    }
    for who in [&callers.alpha, &callers.admin] {
        let one = app.get("/api/v1/agents/alpha/alpha-agent", who).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.text);
        let list = app.get("/api/v1/agents?organisation=alpha", who).await;
        assert_eq!(list.body["items"][0]["name"], "alpha-agent");
    }

    // A public card that points at the private project does not name it, nor is it found
    // through it, for those who may not see the project.
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-pointer", Some("alpha-private"), "public"),
    )
    .await;
    for who in [&callers.anonymous, &callers.beta] {
        let card = app.get("/api/v1/models/alpha/alpha-pointer", who).await;
        assert_eq!(card.status, StatusCode::OK);
        assert_eq!(card.body["project"], Value::Null, "{}", card.text);
        let through = app.get("/api/v1/models?project=alpha-private", who).await;
        let unknown = app.get("/api/v1/models?project=alpha-nothing", who).await;
        assert_eq!(
            through.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            through.text
        );
        assert_eq!(
            through.text.replace("alpha-private", "KEY"),
            unknown.text.replace("alpha-nothing", "KEY")
        );
    }
    // The catalogue lists that card without its project, and an administrator is given
    // the anonymous catalogue too: it is what portals republish.
    for path in ["/api/v1/catalog.ttl", "/api/v1/catalog.jsonld"] {
        let anonymous = app.get(path, &callers.anonymous).await;
        assert!(
            anonymous.text.contains("/models/alpha/alpha-pointer#model"),
            "{path}: {}",
            anonymous.text
        );
        assert!(!anonymous.text.contains("alpha-private"), "{path}");
        assert!(!anonymous.text.contains("alpha-members"), "{path}");
        assert_eq!(app.get(path, &callers.admin).await.text, anonymous.text);
    }
    let card = app
        .get("/api/v1/models/alpha/alpha-pointer", &callers.alpha)
        .await;
    assert_eq!(card.body["project"], "alpha-private");
}

/// The GET requests of the walk over the hidden world: every read path, plus the requests
/// that name the hidden things directly.
fn hidden_world_urls() -> Vec<String> {
    let ids = Ids {
        memberships: vec![1, 2, 3],
        runs: 1,
        assessments: vec![1],
    };
    let mut urls: Vec<String> = read_paths(&ids)
        .into_iter()
        .filter(|p| p.compare != Compare::Status)
        .flat_map(|p| p.urls)
        .collect();
    urls.extend(
        [
            "/api/v1/events?workstream=hush-circle",
            "/api/v1/events?subject=fading-away",
            "/api/v1/events?subject=alpha/alpha-pointer",
            "/api/v1/events?subject=alpha/fading-model",
            "/api/v1/events?subject_kind=assessment",
            "/api/v1/projects?workstream=hush-circle",
            "/api/v1/projects/fading-away",
            "/api/v1/projects/alpha-hidden",
            "/api/v1/models?workstream=hush-circle",
            "/api/v1/models?project=alpha-hidden",
            "/api/v1/models/alpha/alpha-pointer",
            "/api/v1/models/alpha/fading-model",
            "/api/v1/benchmarks?workstream=hush-circle",
            "/api/v1/workstreams/hush-circle",
            "/api/v1/search?q=pointer",
            "/api/v1/search?q=fading",
            "/api/v1/search?workstream=hush-circle",
            "/api/v1/search?workstream=ws-open&per_page=100",
            "/api/v1/search?stage=maintenance",
            "/api/v1/search/suggest?q=fad",
        ]
        .map(String::from),
    );
    urls
}

/// Links, later changes and members-only workstreams: no answer to an anonymous visitor
/// or to another organisation's member carries the name of something it may not read.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn links_later_changes_and_members_workstreams_never_name_hidden_things(db: PgPool) {
    use common::hidden::{HIDDEN_FROM_ANONYMOUS, HIDDEN_FROM_BETA, markers_in, world};
    let app = TestApp::new(db);
    let readers = world(&app).await;
    app.index().await;
    let urls = hidden_world_urls();
    for (who, label, markers) in [
        (&readers.anonymous, "anonymous", HIDDEN_FROM_ANONYMOUS),
        (&readers.beta, "beta", HIDDEN_FROM_BETA),
    ] {
        let mut leaks = Vec::new();
        for url in &urls {
            let answer = app.get(url, who).await;
            assert!(
                answer.status == StatusCode::OK
                    || answer.status == StatusCode::NOT_FOUND
                    || names_no_visible_key(url, &answer.body)
                    || answer.status == StatusCode::UNAUTHORIZED
                    || answer.status == StatusCode::FORBIDDEN,
                "{label} {url}: {} {}",
                answer.status,
                answer.text
            );
            // An answer may echo what was asked for (the filters below check that it says
            // nothing more about it); any other marker is a leak.
            let found: Vec<&str> = markers_in(&answer.text, markers)
                .into_iter()
                .filter(|m| !url.contains(m))
                .collect();
            if !found.is_empty() {
                leaks.push(format!("{url} shows {found:?}: {}", answer.text));
            }
        }
        assert!(leaks.is_empty(), "{label}:\n{}", leaks.join("\n"));

        // The public card of the hidden project carries none of the project's fields.
        let hit = app.get("/api/v1/search?q=pointer", who).await;
        let card = &hit.body["hits"][0];
        assert_eq!(card["link"], "/models/alpha/alpha-pointer", "{}", hit.text);
        assert_eq!(card["workstreams"], json!([]), "{label}: {}", hit.text);
        assert!(card["stage"].is_null(), "{label}: {}", hit.text);
        // Times are left out: a time such as `…:27.436Z` holds the GSBPM code's digits.
        let mut search = app.get("/api/v1/search?per_page=100", who).await.body;
        search.as_object_mut().unwrap().remove("took_ms");
        for list in ["items", "hits"] {
            for hit in search[list].as_array_mut().unwrap() {
                hit.as_object_mut().unwrap().remove("updated_at");
            }
        }
        let search = search.to_string();
        for field in ["maintenance", "7.4"] {
            assert!(!search.contains(field), "{label}: {field} in {search}");
        }
        let events = app
            .get("/api/v1/events?subject=alpha/alpha-pointer", who)
            .await;
        let items = events.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{}", events.text);
        for e in items {
            assert_eq!(e["workstreams"], json!([]), "{label}: {e}");
        }
        let in_ws = app
            .get("/api/v1/events?workstream=ws-open&limit=200", who)
            .await;
        assert!(
            !in_ws.text.contains("alpha-pointer"),
            "{label}: the card is placed in its hidden project's workstream: {}",
            in_ws.text
        );
        // Filtering by a workstream the reader may not see answers as an unknown one.
        for (list, filter) in [
            ("events", "workstream"),
            ("projects", "workstream"),
            ("models", "workstream"),
            ("benchmarks", "workstream"),
        ] {
            if label != "anonymous" {
                continue;
            }
            let hidden = app
                .get(&format!("/api/v1/{list}?{filter}=hush-circle"), who)
                .await;
            let unknown = app
                .get(&format!("/api/v1/{list}?{filter}=no-such-circle"), who)
                .await;
            // The answer may echo the key it was given, and nothing more.
            let read = |text: &str, key: &str| text.replace(key, "KEY");
            assert_eq!(
                (hidden.status, read(&hidden.text, "hush-circle")),
                (unknown.status, read(&unknown.text, "no-such-circle")),
                "{list}?{filter}= tells a hidden workstream from an unknown one"
            );
        }
    }

    // Those who may read the hidden things still see them, and their history.
    let own = app
        .get("/api/v1/events?subject=fading-away", &readers.alpha)
        .await;
    assert_eq!(
        own.body["items"].as_array().map(Vec::len),
        Some(3),
        "{}",
        own.text
    );
    let own = app
        .get("/api/v1/events?subject=alpha/alpha-pointer", &readers.alpha)
        .await;
    assert_eq!(
        own.body["items"][0]["workstreams"],
        json!(["hush-circle", "ws-open"]),
        "{}",
        own.text
    );
    let ws = app.get("/api/v1/projects/alpha-open", &readers.beta).await;
    assert_eq!(
        ws.body["workstreams"],
        json!(["hush-circle", "ws-open"]),
        "{}",
        ws.text
    );
    let card = app
        .get("/api/v1/models/alpha/alpha-pointer", &readers.alpha)
        .await;
    assert_eq!(card.body["project"], "alpha-hidden");
}

/// A card may link only to a project its writer may read and write, or a public one; any
/// other link is refused as one to a project that does not exist. A taken key answers 409
/// only to a caller who may read the item holding it.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn links_and_taken_keys_tell_nothing_of_hidden_items(db: PgPool) {
    let app = TestApp::new(db);
    let readers = common::hidden::world(&app).await;
    let ben = sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = 'ben@beta.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.grant(ben, "steward", Some("beta")).await;
    let beta = app.token(ben).await;

    let link = |project: &str| model("beta", "beta-card", Some(project), "public");
    let hidden = app
        .post("/api/v1/models", &beta, link("alpha-hidden"))
        .await;
    let unknown = app
        .post("/api/v1/models", &beta, link("no-such-project"))
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        hidden.text
    );
    assert_eq!(unknown.status, hidden.status);
    assert_eq!(
        hidden.text.replace("alpha-hidden", "X"),
        unknown.text.replace("no-such-project", "X"),
    );
    // A members project of another organisation is readable but not writable by beta.
    let mut members = project("alpha-members", &["alpha"], "members");
    members["workstreams"] = json!(["ws-open"]);
    app.create("/api/v1/projects", members).await;
    let members = app
        .post("/api/v1/models", &beta, link("alpha-members"))
        .await;
    assert_eq!(
        members.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        members.text
    );
    // A public project of another organisation may be linked.
    let public = app.post("/api/v1/models", &beta, link("alpha-open")).await;
    assert_eq!(public.status, StatusCode::CREATED, "{}", public.text);
    // Replacing a card follows the same rule.
    let replaced = app
        .put("/api/v1/models/beta/beta-card", &beta, link("alpha-hidden"))
        .await;
    assert_eq!(
        replaced.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        replaced.text
    );

    // A card of another office that points at a project it may not link (written before
    // links were checked) is not listed with that project, even to the project's owners.
    sqlx::query(
        "INSERT INTO model_cards (organisation_id, name, project_id, visibility) \
         SELECT o.id, 'beta-stowaway', p.id, 'public' FROM organisations o, projects p \
         WHERE o.slug = 'beta' AND p.slug = 'alpha-hidden'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let listed = app
        .get("/api/v1/models?project=alpha-hidden", &readers.alpha)
        .await;
    assert_eq!(listed.body["total"], 1, "{}", listed.text);
    assert_eq!(listed.body["items"][0]["name"], "alpha-pointer");
    let page = app.get("/projects/alpha-hidden", &readers.alpha).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("alpha-pointer"), "{}", page.text);
    assert!(!page.text.contains("beta-stowaway"), "{}", page.text);

    // Taken keys: a project and a benchmark hidden from beta answer as unavailable keys.
    let mut mine = project("alpha-hidden", &["beta"], "public");
    mine["title"] = json!("Mine");
    let taken = app.post("/api/v1/projects", &beta, mine.clone()).await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.text
    );
    assert_eq!(taken.body["error"]["field"], "slug", "{}", taken.text);
    assert!(
        taken.text.contains("this slug is not available"),
        "{}",
        taken.text
    );
    let seen = app
        .post(
            "/api/v1/projects",
            &beta,
            project("alpha-open", &["beta"], "public"),
        )
        .await;
    assert_eq!(seen.status, StatusCode::CONFLICT, "{}", seen.text);
    let mut own = project("alpha-hidden", &["alpha"], "organisation");
    own["title"] = json!("Again");
    let again = app.post("/api/v1/projects", &readers.alpha, own).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    app.create(
        "/api/v1/benchmarks",
        bench("alpha-secret-bench", &["alpha"], "organisation"),
    )
    .await;
    let taken = app
        .post(
            "/api/v1/benchmarks",
            &beta,
            bench("alpha-secret-bench", &["beta"], "public"),
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.text
    );
    assert!(
        taken.text.contains("this slug is not available"),
        "{}",
        taken.text
    );
    let seen = app
        .post(
            "/api/v1/benchmarks",
            &beta,
            bench("bench-open", &["beta"], "public"),
        )
        .await;
    assert_eq!(seen.status, StatusCode::CONFLICT, "{}", seen.text);
}
