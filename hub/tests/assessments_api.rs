//! The assessment API: creating one, every edit a version with a diff, the review
//! workflow and who may review, staleness, validation answers and the JSON export.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{As, TestApp, model, organisation, project, qf4sa};
use serde_json::{Value, json};
use sqlx::PgPool;

struct World {
    app: TestApp,
    /// A person of `inegi`, which owns the project and the model.
    owner: As,
    /// A person of `insee`, another organisation.
    outsider: As,
    /// Another person of `inegi`.
    colleague: As,
    /// A person of `inegi` who leads workstream `ws5`, which the project serves.
    lead: As,
    anonymous: As,
}

async fn world(db: PgPool) -> World {
    let app = TestApp::new(db);
    for org in ["inegi", "insee"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws5", "code": "WS5", "title": "QF4SA", "goal": "Quality.", "visibility": "public"}),
    )
    .await;
    let mut p = project("qf4sa-metrics", &["inegi"], "public");
    p["workstreams"] = json!(["ws5"]);
    app.create("/api/v1/projects", p).await;
    app.create(
        "/api/v1/models",
        model("inegi", "sinco", Some("qf4sa-metrics"), "public"),
    )
    .await;
    app.create(
        "/api/v1/models/inegi/sinco/versions",
        json!({"version": "1", "registered_at": "2025-01-01T00:00:00Z"}),
    )
    .await;
    let owner = app.user("ana@inegi.test", "inegi").await;
    let outsider = app.user("claire@insee.test", "insee").await;
    let colleague = app.user("jorge@inegi.test", "inegi").await;
    let lead = app.user("lead@inegi.test", "inegi").await;
    app.create(
        "/api/v1/memberships",
        json!({"workstream": "ws5", "user": "lead@inegi.test", "role": "lead"}),
    )
    .await;
    World {
        owner: app.token(owner).await,
        outsider: app.token(outsider).await,
        colleague: app.token(colleague).await,
        lead: app.token(lead).await,
        anonymous: As::Anonymous,
        app,
    }
}

fn project_subject() -> Value {
    json!({"project": "qf4sa-metrics"})
}

async fn create(w: &World, body: Value) -> i64 {
    let answer = w.app.post("/api/v1/assessments", &w.owner, body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(
        answer.location(),
        Some(format!("/api/v1/assessments/{}", answer.body["id"]).as_str())
    );
    answer.body["id"].as_i64().unwrap()
}

async fn events_of(w: &World, id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT kind FROM events WHERE subject_kind = 'assessment' AND subject = $1 ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(&w.app.db)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_assessment_is_created_as_a_draft_and_each_edit_makes_a_version(db: PgPool) {
    let w = world(db).await;
    let id = create(&w, qf4sa(project_subject(), 3)).await;
    let url = format!("/api/v1/assessments/{id}");
    let a = w.app.get(&url, &w.anonymous).await.body;
    assert_eq!(a["state"], "draft");
    assert_eq!(a["version"], 1);
    assert_eq!(a["kind"], "qf4sa");
    assert_eq!(a["subject"], project_subject());
    assert_eq!(a["organisations"], json!(["inegi"]));
    assert_eq!(a["workstreams"], json!(["ws5"]));
    assert_eq!(a["stale"], false);

    // One per subject and kind.
    let again = w
        .app
        .post("/api/v1/assessments", &w.owner, qf4sa(project_subject(), 2))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(again.body["error"]["field"], "subject");

    // An edit makes version 2; the same content again changes nothing.
    let mut content = qf4sa(json!({}), 3)["content"].clone();
    content["qf4sa"]["accuracy"] = json!({"level": 5, "evidence": "line one\nline two",
        "links": ["https://inegi.test/report"]});
    let edit = json!({"content": content, "note": "audited"});
    let edited = w.app.put(&url, &w.colleague, edit.clone()).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["version"], 2);
    let same = w.app.put(&url, &w.owner, edit).await;
    assert_eq!(same.body["version"], 2);

    let versions = w.app.get(&format!("{url}/versions"), &w.anonymous).await;
    let numbers: Vec<i64> = versions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(versions.body["items"][0]["note"], "audited");
    assert_eq!(versions.body["items"][0]["actor"], "jorge@inegi.test");
    assert_eq!(versions.body["total"], 2);
    // Versions come a page at a time.
    let older = w
        .app
        .get(&format!("{url}/versions?per_page=1&page=2"), &w.anonymous)
        .await;
    assert_eq!(older.body["items"][0]["version"], 1, "{}", older.text);
    assert_eq!(older.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(older.body["total"], 2);
    let refused = w
        .app
        .get(&format!("{url}/versions?per_page=0"), &w.anonymous)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let diff = w.app.get(&format!("{url}/diff"), &w.anonymous).await.body;
    assert_eq!(
        (diff["from"].clone(), diff["to"].clone()),
        (json!(1), json!(2))
    );
    let fields: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["accuracy.level", "accuracy.evidence", "accuracy.links"]
    );
    assert_eq!(diff["changes"][0]["before"], "3 (Adequate)");
    assert_eq!(diff["changes"][0]["after"], "5 (Exemplary)");
    let lines = &diff["changes"][1]["lines"];
    assert_eq!(lines[0]["op"], "removed");
    assert_eq!(lines[1]["op"], "added");
    let bad = w.app.get(&format!("{url}/diff?from=7"), &w.anonymous).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "from");

    // Another kind cannot replace the content.
    let mut ethics = serde_json::Map::new();
    for p in [
        "public_good",
        "confidentiality",
        "methods_quality",
        "legal_compliance",
        "public_views",
        "transparency",
    ] {
        ethics.insert(p.into(), json!({"answer": "yes", "risk": "low"}));
    }
    let other = w
        .app
        .put(&url, &w.owner, json!({"content": {"ethics": ethics}}))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.body["error"]["field"], "content");

    // The export holds the assessment and its history, as a file.
    let export = w.app.get(&format!("{url}/export"), &w.anonymous).await;
    assert_eq!(export.status, StatusCode::OK);
    let disposition = export.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("-v2.json"),
        "{disposition}"
    );
    assert_eq!(export.body["assessment"]["id"], id);
    assert_eq!(export.body["versions"].as_array().unwrap().len(), 2);

    assert_eq!(
        events_of(&w, id).await,
        ["assessment.created", "assessment.updated"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn bad_assessments_are_refused_with_the_field_named(db: PgPool) {
    let w = world(db).await;
    let post = |body: Value| {
        let app = &w.app;
        let who = w.owner.clone();
        async move { app.post("/api/v1/assessments", &who, body).await }
    };
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut b = qf4sa(project_subject(), 3);
    b["content"]["qf4sa"]["timeliness"]["level"] = json!(9);
    cases.push((b, "content.qf4sa.timeliness.level"));
    let mut b = qf4sa(project_subject(), 3);
    b["content"]["qf4sa"]["accuracy"]["links"] = json!(["javascript:alert(1)"]);
    cases.push((b, "content.qf4sa.accuracy.links[0]"));
    let mut b = qf4sa(project_subject(), 3);
    b["content"]["qf4sa"]["reproducibility"]["evidence"] = json!("");
    cases.push((b, "content.qf4sa.reproducibility.evidence"));
    let mut b = qf4sa(project_subject(), 3);
    b["content"]["qf4sa"]["explainability"]["colour"] = json!("red");
    cases.push((b, "content.qf4sa.explainability.colour"));
    let mut b = qf4sa(project_subject(), 3);
    b["content"]["qf4sa"]
        .as_object_mut()
        .unwrap()
        .remove("cost_effectiveness");
    cases.push((b, "content.qf4sa.cost_effectiveness"));
    cases.push((
        qf4sa(json!({"project": "no-such-project"}), 3),
        "subject.project",
    ));
    cases.push((
        qf4sa(
            json!({"organisation": "inegi", "model": "sinco", "version": "9"}),
            3,
        ),
        "subject.version",
    ));
    cases.push((
        qf4sa(
            json!({"organisation": "inegi", "model": "nope", "version": "1"}),
            3,
        ),
        "subject.model",
    ));
    cases.push((
        qf4sa(json!({"model": "sinco", "version": "1"}), 3),
        "subject.organisation",
    ));
    for (body, field) in cases {
        let answer = post(body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.text
        );
        assert_eq!(answer.body["error"]["field"], field, "{}", answer.text);
    }
    // Who may write: the subject's own organisations only.
    let anonymous = w
        .app
        .post(
            "/api/v1/assessments",
            &w.anonymous,
            qf4sa(project_subject(), 3),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let outsider = w
        .app
        .post(
            "/api/v1/assessments",
            &w.outsider,
            qf4sa(project_subject(), 3),
        )
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN, "{}", outsider.text);
    assert_eq!(w.app.count("assessments").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_submitted_assessment_is_reviewed_by_another_organisation_or_a_lead(db: PgPool) {
    let w = world(db).await;
    let id = create(&w, qf4sa(project_subject(), 3)).await;
    let url = format!("/api/v1/assessments/{id}");
    let review = |decision: &str| json!({"decision": decision, "comments": "Looks sound."});

    // A draft cannot be reviewed.
    let early = w
        .app
        .post(&format!("{url}/reviews"), &w.outsider, review("accepted"))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    assert_eq!(early.body["error"]["field"], "state");

    // Only the owners submit; a stale version number is refused.
    let outsider = w
        .app
        .post(&format!("{url}/submit"), &w.outsider, json!({}))
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    let stale = w
        .app
        .post(&format!("{url}/submit"), &w.owner, json!({"version": 7}))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let submitted = w
        .app
        .post(&format!("{url}/submit"), &w.owner, json!({"version": 1}))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);
    assert_eq!(submitted.body["state"], "submitted");
    let twice = w
        .app
        .post(&format!("{url}/submit"), &w.owner, json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Who may review: not the owners' own people, nor anonymous visitors.
    for who in [&w.owner, &w.colleague] {
        let refused = w
            .app
            .post(&format!("{url}/reviews"), who, review("accepted"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    }
    let anonymous = w
        .app
        .post(&format!("{url}/reviews"), &w.anonymous, review("accepted"))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let empty = w
        .app
        .post(
            &format!("{url}/reviews"),
            &w.outsider,
            json!({"decision": "accepted", "comments": " "}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.body["error"]["field"], "comments");

    // Someone of another organisation asks for changes: back to draft.
    let changes = w
        .app
        .post(
            &format!("{url}/reviews"),
            &w.outsider,
            review("changes_requested"),
        )
        .await;
    assert_eq!(changes.status, StatusCode::OK, "{}", changes.text);
    assert_eq!(changes.body["state"], "draft");
    assert_eq!(changes.body["reviews"][0]["standing"], "other-organisation");
    assert_eq!(changes.body["reviews"][0]["reviewer_organisation"], "insee");

    // A lead of the project's workstream, of the same organisation, accepts.
    w.app
        .post(&format!("{url}/submit"), &w.owner, json!({}))
        .await;
    let accepted = w
        .app
        .post(&format!("{url}/reviews"), &w.lead, review("accepted"))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(accepted.body["state"], "reviewed");
    assert_eq!(accepted.body["reviews"][1]["standing"], "lead:ws5");
    assert_eq!(accepted.body["reviews"][1]["decision"], "accepted");
    assert_eq!(accepted.body["reviews"][1]["version"], 1);

    // An edit of a reviewed assessment is a new draft; its reviews stay in its history.
    let edited = w
        .app
        .put(
            &url,
            &w.owner,
            json!({"content": qf4sa(json!({}), 4)["content"]}),
        )
        .await;
    assert_eq!(edited.body["state"], "draft");
    assert_eq!(edited.body["version"], 2);
    assert_eq!(edited.body["reviews"].as_array().unwrap().len(), 2);

    assert_eq!(
        events_of(&w, id).await,
        [
            "assessment.created",
            "assessment.submitted",
            "assessment.reviewed",
            "assessment.submitted",
            "assessment.reviewed",
            "assessment.updated"
        ]
    );
    let listed = w
        .app
        .get(
            "/api/v1/assessments?project=qf4sa-metrics&state=draft",
            &w.anonymous,
        )
        .await;
    assert_eq!(listed.body["total"], 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_assessment_of_an_older_model_version_is_stale(db: PgPool) {
    let w = world(db).await;
    let subject = json!({"organisation": "inegi", "model": "sinco", "version": "1"});
    let id = create(&w, qf4sa(subject.clone(), 4)).await;
    let url = format!("/api/v1/assessments/{id}");
    let before = w.app.get(&url, &w.anonymous).await.body;
    assert_eq!(before["stale"], false);
    assert_eq!(before["subject"], subject);
    assert!(
        before["subject_title"]
            .as_str()
            .unwrap()
            .contains("version 1")
    );

    w.app
        .create(
            "/api/v1/models/inegi/sinco/versions",
            json!({"version": "2", "registered_at": "2026-01-01T00:00:00Z"}),
        )
        .await;
    let after = w.app.get(&url, &w.anonymous).await.body;
    assert_eq!(after["stale"], true);
    assert_eq!(after["latest_version"], "2");
    let by_model = w
        .app
        .get("/api/v1/assessments?model=inegi/sinco", &w.anonymous)
        .await;
    assert_eq!(by_model.body["items"][0]["stale"], true);
    // The newest version's own assessment is not stale.
    let newer = create(
        &w,
        qf4sa(
            json!({"organisation": "inegi", "model": "sinco", "version": "2"}),
            5,
        ),
    )
    .await;
    let newer = w
        .app
        .get(&format!("/api/v1/assessments/{newer}"), &w.anonymous)
        .await;
    assert_eq!(newer.body["stale"], false);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn two_models_are_compared_in_one_call_with_their_differences(db: PgPool) {
    let w = world(db).await;
    w.app
        .create(
            "/api/v1/models",
            model("inegi", "enoe", Some("qf4sa-metrics"), "public"),
        )
        .await;
    w.app
        .create(
            "/api/v1/models/inegi/enoe/versions",
            json!({"version": "1", "registered_at": "2025-01-01T00:00:00Z"}),
        )
        .await;
    let sinco = json!({"organisation": "inegi", "model": "sinco", "version": "1"});
    let enoe = json!({"organisation": "inegi", "model": "enoe", "version": "1"});
    let a = create(&w, qf4sa(sinco, 4)).await;
    let mut b_body = qf4sa(enoe, 4);
    b_body["content"]["qf4sa"]["accuracy"] = json!({"level": 2, "evidence": "a small sample"});
    let b = create(&w, b_body).await;
    let submitted = w
        .app
        .post(
            &format!("/api/v1/assessments/{a}/submit"),
            &w.owner,
            json!({"version": 1}),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);

    let uri = "/api/v1/assessments/compare?model=inegi/sinco&model=INEGI/enoe&model=inegi/none";
    let answer = w.app.get(uri, &w.owner).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let subjects = answer.body["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 3);
    assert_eq!(subjects[0]["key"], "inegi/sinco");
    assert_eq!(subjects[0]["qf4sa"]["id"], a);
    assert_eq!(subjects[0]["qf4sa"]["state"], "submitted");
    assert_eq!(subjects[1]["key"], "inegi/enoe");
    assert_eq!(subjects[1]["qf4sa"]["id"], b);
    assert_eq!(subjects[1]["qf4sa"]["state"], "draft");
    assert_eq!(subjects[1]["qf4sa"]["levels"]["accuracy"], "2");
    assert!(subjects[2].get("qf4sa").is_none(), "{}", subjects[2]);
    // Only accuracy differs; the model with no assessment has no value.
    assert_eq!(
        answer.body["differences"],
        json!([{"kind": "qf4sa", "name": "accuracy", "values": ["4", "2", null]}])
    );

    // The project's assessments are compared the same way.
    let project = w
        .app
        .get(
            "/api/v1/assessments/compare?project=qf4sa-metrics",
            &w.owner,
        )
        .await;
    assert_eq!(project.status, StatusCode::OK, "{}", project.text);
    assert_eq!(project.body["differences"], json!([]));

    let bad = w
        .app
        .get("/api/v1/assessments/compare?model=sinco", &w.owner)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.body["error"]["field"], "model");
}
