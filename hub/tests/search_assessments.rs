//! Assessments in search: indexed as kind `assessment`, and projects and models filtered
//! by their QF4SA assessment (`has_qf4sa`, `qf4sa_min`), with visibility applied to hits
//! and facet counts, and the index following reviews and new model versions.

mod search_common;

use agora_hub::db::assessments::{resolve, write};
use agora_hub::policy::Caller;
use agora_schemas::{AssessmentInput, Decision, ReviewInput, Subject};
use search_common::*;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn with_the_demo_data_has_qf4sa_reviewed_lists_only_the_reviewed_ones(db: PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let state = state(db).await;
    let (status, body) = get(&state, "/api/v1/search?has_qf4sa=reviewed&per_page=100").await;
    assert_eq!(status, 200, "{body}");
    let found = json_links(&body);
    for expected in [
        "/projects/inegi-qf4sa-metrics",
        "/models/inegi/sinco-occupation-coder",
    ] {
        assert!(found.contains(&expected.to_string()), "{found:?}");
    }
    // INSEE's coder is submitted, not reviewed; ONS's is an ethics self-assessment.
    assert!(
        !found.iter().any(|l| l == "/models/insee/naf-coder"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|l| l == "/projects/ons-ml-ethics"),
        "{found:?}"
    );
    for hit in body["hits"].as_array().unwrap() {
        assert!(
            hit["has_qf4sa"]
                .as_array()
                .unwrap()
                .contains(&json!("reviewed")),
            "{hit}"
        );
    }
    assert_eq!(
        facet_count(&body, "kind", "assessment"),
        2,
        "{}",
        body["facets"]
    );
    assert_eq!(facet_count(&body, "kind", "project"), 1);
    assert_eq!(facet_count(&body, "kind", "model"), 1);
    // The facet counts every state the others could pick.
    assert_eq!(facet_count(&body, "has_qf4sa", "reviewed"), 4);
    let (_, all) = get(&state, "/api/v1/search?has_qf4sa=any&per_page=100").await;
    assert!(json_links(&all).contains(&"/models/insee/naf-coder".to_string()));
    assert_eq!(facet_count(&all, "has_qf4sa", "submitted"), 6);

    // Levels: both coders reach accuracy 4; only INEGI's reaches explainability 3.
    let r = search(&state, &anonymous(), "kind=model&qf4sa_min=accuracy:4");
    let mut found = links(&r);
    found.sort();
    assert_eq!(
        found,
        [
            "/models/inegi/sinco-occupation-coder",
            "/models/insee/naf-coder"
        ]
    );
    let r = search(
        &state,
        &anonymous(),
        "kind=model&qf4sa_min=accuracy:4,explainability:3",
    );
    assert_eq!(links(&r), ["/models/inegi/sinco-occupation-coder"]);
    let r = search(
        &state,
        &anonymous(),
        "qf4sa_min=timeliness:5&has_qf4sa=reviewed",
    );
    assert!(links(&r).contains(&"/models/inegi/sinco-occupation-coder".to_string()));
    assert!(!links(&r).contains(&"/projects/inegi-qf4sa-metrics".to_string()));

    let (status, body) = get(&state, "/api/v1/search?qf4sa_min=accuracy:9").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "qf4sa_min");
    let (status, body) = get(&state, "/api/v1/search?has_qf4sa=maybe").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "has_qf4sa");
}

async fn assess(db: &PgPool, subject: Subject, level: u8) -> i64 {
    let dim = json!({"level": level, "evidence": "measured"});
    let content = json!({"qf4sa": {"explainability": dim, "accuracy": dim,
        "reproducibility": dim, "timeliness": dim, "cost_effectiveness": dim}});
    let input = AssessmentInput {
        subject,
        content: serde_json::from_value(content).unwrap(),
        note: None,
    };
    let mut tx = db.begin().await.unwrap();
    let s = resolve(&mut tx, &input.subject, None).await.unwrap();
    let id = write::create(&mut tx, &s, &input, "test", None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn submit_and_accept(db: &PgPool, id: i64) {
    let mut tx = db.begin().await.unwrap();
    let locked = write::lock(&mut tx, id).await.unwrap().unwrap();
    write::submit(&mut tx, &locked, None, "test").await.unwrap();
    let locked = write::lock(&mut tx, id).await.unwrap().unwrap();
    let reviewer = Caller {
        user_id: None,
        ..Caller::member("r@gamma.example", &["gamma"])
    };
    let review = ReviewInput {
        decision: Decision::Accepted,
        comments: "fine".into(),
        version: None,
    };
    write::review(&mut tx, &locked, &review, &reviewer, "other-organisation")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn filters_follow_reviews_new_versions_and_visibility(db: PgPool) {
    for org in ["alpha", "beta"] {
        organisation(&db, org).await;
    }
    project(
        &db,
        json!({"slug": "open-one", "title": "Open pilot", "summary": "Coding.",
               "organisations": ["alpha"], "stage": "pilot", "visibility": "public"}),
    )
    .await;
    project(
        &db,
        json!({"slug": "secret-one", "title": "Secret pilot", "summary": "Coding.",
               "organisations": ["alpha"], "stage": "pilot", "visibility": "organisation"}),
    )
    .await;
    model(
        &db,
        json!({"organisation": "alpha", "name": "coder", "visibility": "public"}),
    )
    .await;
    let mut conn = db.acquire().await.unwrap();
    for (v, at) in [("1", "2025-01-01T00:00:00Z"), ("2", "2026-01-01T00:00:00Z")] {
        let input = serde_json::from_value(json!({"version": v, "registered_at": at})).unwrap();
        agora_hub::db::models::save_version(
            &mut conn,
            "alpha",
            "coder",
            &input,
            "test",
            agora_hub::db::SaveMode::Upsert,
            None,
        )
        .await
        .unwrap();
    }
    drop(conn);
    let open = assess(&db, Subject::project("open-one".parse_slug()), 3).await;
    let secret = assess(&db, Subject::project("secret-one".parse_slug()), 5).await;
    let coder = assess(
        &db,
        Subject::model_version("alpha".parse_slug(), "coder".parse_slug(), "2"),
        4,
    )
    .await;
    let state = state(db.clone()).await;
    let alpha = member_of("alpha");
    let beta = member_of("beta");

    let r = search(&state, &anonymous(), "has_qf4sa=any&kind=project,model");
    assert_eq!(r.total, 2, "{:?}", links(&r));
    let owner = search(&state, &alpha, "has_qf4sa=any&kind=project,model");
    assert_eq!(owner.total, 3, "{:?}", links(&owner));
    for caller in [anonymous(), beta.clone()] {
        let r = search(&state, &caller, "kind=assessment&per_page=100");
        assert_eq!(r.total, 2, "{caller:?}");
        assert!(!links(&r).contains(&format!("/assessments/{secret}")));
        // The open project and its assessment; not the secret ones.
        let counts = search(&state, &caller, "q=pilot");
        let any = counts.facets.has_qf4sa.iter().find(|f| f.value == "any");
        assert_eq!(any.map(|f| f.count), Some(2), "{caller:?}");
        let r = search(&state, &caller, "qf4sa_min=accuracy:5");
        assert_eq!(
            r.total, 0,
            "the private assessment is not counted: {caller:?}"
        );
    }
    assert_eq!(search(&state, &alpha, "qf4sa_min=accuracy:5").total, 2);
    let counts = search(&state, &alpha, "q=pilot");
    let any = counts.facets.has_qf4sa.iter().find(|f| f.value == "any");
    assert_eq!(any.map(|f| f.count), Some(4));

    // A review is followed by the index: the project is now reviewed.
    assert_eq!(search(&state, &anonymous(), "has_qf4sa=reviewed").total, 0);
    submit_and_accept(&db, open).await;
    state.search.catch_up(&db).await.unwrap();
    let r = search(&state, &anonymous(), "has_qf4sa=reviewed");
    let mut found = links(&r);
    found.sort();
    assert_eq!(
        found,
        [format!("/assessments/{open}"), "/projects/open-one".into()]
    );

    // A newer model version makes the model's assessment stale: the model no longer
    // counts as assessed, and the assessment is tagged stale.
    assert_eq!(
        search(&state, &anonymous(), "kind=model&has_qf4sa=any").total,
        1
    );
    let mut conn = db.acquire().await.unwrap();
    let input =
        serde_json::from_value(json!({"version": "3", "registered_at": "2026-06-01T00:00:00Z"}))
            .unwrap();
    agora_hub::db::models::save_version(
        &mut conn,
        "alpha",
        "coder",
        &input,
        "test",
        agora_hub::db::SaveMode::Upsert,
        None,
    )
    .await
    .unwrap();
    drop(conn);
    state.search.catch_up(&db).await.unwrap();
    assert_eq!(
        search(&state, &anonymous(), "kind=model&has_qf4sa=any").total,
        0
    );
    let (_, body) = get(&state, "/api/v1/search?kind=assessment&q=stale").await;
    assert_eq!(json_links(&body), [format!("/assessments/{coder}")]);
}

trait ParseSlug {
    fn parse_slug(self) -> agora_schemas::Slug;
}

impl ParseSlug for &str {
    fn parse_slug(self) -> agora_schemas::Slug {
        agora_schemas::Slug::parse(self).unwrap()
    }
}
