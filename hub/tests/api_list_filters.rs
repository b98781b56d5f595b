//! The filters `/api/v1/models` and `/api/v1/projects` share with search: keys as people
//! write them (`INEGI`, `WS2`), the project's stage, languages, the QF4SA filters and the
//! order; a key that names nothing the caller may see is a 422 naming the parameter.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Organisations `insee` (short name `INSEE`) and `inegi`; public workstream `ws1` and
/// members-only `training-data` (code `WS3`); public projects `ape-coding` (INSEE, WS1,
/// production, French) and `enoe-coding` (INEGI, WS3, pilot, Spanish) and `census`
/// (INEGI, idea, Spanish and English); a private project `secret` (INEGI). Public cards
/// `insee/naf-coder` (on `ape-coding`), `inegi/sinco-coder` (on `enoe-coding`) and
/// `inegi/loose` (no project).
async fn setup(pool: &PgPool) -> Router {
    let app = app(pool.clone());
    create(
        &app,
        "/api/v1/organisations",
        &with(organisation("insee"), "short_name", json!("INSEE")),
    )
    .await;
    create(&app, "/api/v1/organisations", &organisation("inegi")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    let members_only = with(
        workstream("training-data", "WS3"),
        "visibility",
        json!("members"),
    );
    create(&app, "/api/v1/workstreams", &members_only).await;
    let projects = [
        ("ape-coding", "insee", "ws1", "production", json!(["fr"])),
        (
            "enoe-coding",
            "inegi",
            "training-data",
            "pilot",
            json!(["es"]),
        ),
        ("census", "inegi", "", "idea", json!(["es", "en"])),
    ];
    for (slug, org, ws, stage, languages) in projects {
        let mut body = with(project(slug, &[org]), "stage", json!(stage));
        body = with(body, "languages", languages);
        if !ws.is_empty() {
            body = with(body, "workstreams", json!([ws]));
        }
        create(&app, "/api/v1/projects", &body).await;
    }
    let secret = with(
        project("secret", &["inegi"]),
        "visibility",
        json!("organisation"),
    );
    create(&app, "/api/v1/projects", &secret).await;
    for (org, name, project) in [
        ("insee", "naf-coder", Some("ape-coding")),
        ("inegi", "sinco-coder", Some("enoe-coding")),
        ("inegi", "loose", None),
    ] {
        let mut body = model_card(org, name);
        if let Some(p) = project {
            body = with(body, "project", json!(p));
        }
        create(&app, "/api/v1/models", &body).await;
    }
    app
}

async fn listed(app: &Router, list: &str, query: &str) -> Vec<String> {
    let reply = get(app, &format!("/api/v1/{list}?{query}")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{list}?{query}: {}",
        reply.body
    );
    let key = if list == "models" { "name" } else { "slug" };
    let names = reply.items(key);
    assert_eq!(reply.body["total"], names.len(), "{query}");
    names
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// A QF4SA assessment in `state` with `levels`, of a project or of a model's newest version.
async fn assessed(pool: &PgPool, subject: &str, state: &str, levels: [i16; 5]) {
    let (column, id) = match subject.split_once('/') {
        None => (
            "project_id",
            sqlx::query_scalar::<_, i64>("SELECT id FROM projects WHERE slug = $1")
                .bind(subject)
                .fetch_one(pool)
                .await
                .expect("the project"),
        ),
        Some((org, name)) => (
            "model_version_id",
            sqlx::query_scalar::<_, i64>(
                "SELECT latest_model_version(m.id) FROM model_cards m \
                 JOIN organisations o ON o.id = m.organisation_id WHERE o.slug = $1 AND m.name = $2",
            )
            .bind(org)
            .bind(name)
            .fetch_one(pool)
            .await
            .expect("the model's newest version"),
        ),
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO assessments (kind, {column}, state, content, levels) \
         VALUES ('qf4sa', $1, $2, '{{}}', $3)"
    )))
    .bind(id)
    .bind(state)
    .bind(levels.to_vec())
    .execute(pool)
    .await
    .expect("an assessment");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn keys_match_in_any_case_and_by_short_name_or_code(pool: PgPool) {
    let app = setup(&pool).await;
    for query in [
        "organisation=inegi",
        "organisation=INEGI",
        "organisation=Inegi",
    ] {
        assert_eq!(
            sorted(listed(&app, "models", query).await),
            ["loose", "sinco-coder"],
            "{query}"
        );
    }
    assert_eq!(
        listed(&app, "models", "organisation=INSEE").await,
        ["naf-coder"]
    );
    assert_eq!(
        listed(&app, "projects", "workstream=WS1").await,
        ["ape-coding"]
    );
    assert_eq!(
        listed(&app, "models", "project=APE-Coding").await,
        ["naf-coder"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_key_that_names_nothing_visible_is_refused_alike_whether_hidden_or_missing(pool: PgPool) {
    let app = setup(&pool).await;
    for (list, field, missing, hidden) in [
        ("models", "workstream", "ws9", "training-data"),
        ("projects", "workstream", "WS9", "WS3"),
        ("models", "project", "nowhere", "secret"),
    ] {
        let mut messages = Vec::new();
        for key in [missing, hidden] {
            let reply = get(&app, &format!("/api/v1/{list}?{field}={key}")).await;
            assert_invalid(&reply, field);
            let message = reply.body["error"]["message"]
                .as_str()
                .expect("a message")
                .replace(key, "KEY");
            messages.push(message);
        }
        assert_eq!(messages[0], messages[1], "{list}?{field}");
        assert!(messages[0].contains("slug"), "{}", messages[0]);
    }
    let reply = get(&app, "/api/v1/projects?organisation=insse").await;
    assert_invalid(&reply, "organisation");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`insse`")),
        "{}",
        reply.body
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_member_names_the_workstreams_and_projects_they_may_see(pool: PgPool) {
    let app = setup(&pool).await;
    let token = member_token(&pool, "ana@inegi.test", "inegi").await;
    let reply = get_as(&app, "/api/v1/projects?workstream=WS3", &token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.items("slug"), ["enoe-coding"]);
    let reply = get_as(&app, "/api/v1/models?project=secret", &token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["total"], 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_their_projects_stage(pool: PgPool) {
    let app = setup(&pool).await;
    assert_eq!(
        listed(&app, "models", "stage=production").await,
        ["naf-coder"]
    );
    assert_eq!(
        listed(&app, "models", "stage=pilot&organisation=inegi").await,
        ["sinco-coder"]
    );
    assert!(listed(&app, "models", "stage=idea").await.is_empty());
    assert_invalid(&get(&app, "/api/v1/models?stage=live").await, "stage");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_filtered_by_language_in_any_case(pool: PgPool) {
    let app = setup(&pool).await;
    assert_eq!(
        sorted(listed(&app, "projects", "language=ES").await),
        ["census", "enoe-coding"]
    );
    assert_eq!(listed(&app, "projects", "language=en").await, ["census"]);
    assert!(listed(&app, "projects", "language=e").await.is_empty());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_and_models_are_filtered_by_their_current_qf4sa_assessment(pool: PgPool) {
    let app = setup(&pool).await;
    assessed(&pool, "ape-coding", "reviewed", [3, 4, 3, 2, 3]).await;
    assessed(&pool, "enoe-coding", "draft", [5, 5, 5, 5, 5]).await;
    assert_eq!(
        sorted(listed(&app, "projects", "has_qf4sa=any").await),
        ["ape-coding", "enoe-coding"]
    );
    assert_eq!(
        listed(&app, "projects", "has_qf4sa=submitted").await,
        ["ape-coding"]
    );
    assert_eq!(
        listed(&app, "projects", "qf4sa_min=accuracy:4").await.len(),
        2
    );
    assert_eq!(
        listed(&app, "projects", "qf4sa_min=accuracy:4,timeliness:3").await,
        ["enoe-coding"]
    );
    assert_eq!(
        listed(
            &app,
            "projects",
            "has_qf4sa=reviewed&qf4sa_min=cost-effectiveness:3"
        )
        .await,
        ["ape-coding"]
    );
    assert_invalid(
        &get(&app, "/api/v1/projects?qf4sa_min=beauty:3").await,
        "qf4sa_min",
    );
    assert_invalid(
        &get(&app, "/api/v1/projects?has_qf4sa=yes").await,
        "has_qf4sa",
    );

    // A model's current assessment is its newest version's: an older one's no longer counts.
    let versions = "/api/v1/models/inegi/sinco-coder/versions";
    create(&app, versions, &model_version("1")).await;
    assessed(&pool, "inegi/sinco-coder", "submitted", [2, 3, 2, 2, 2]).await;
    assert_eq!(
        listed(&app, "models", "has_qf4sa=submitted").await,
        ["sinco-coder"]
    );
    assert_eq!(
        listed(&app, "models", "qf4sa_min=accuracy:3").await,
        ["sinco-coder"]
    );
    assert!(
        listed(&app, "models", "qf4sa_min=accuracy:4")
            .await
            .is_empty()
    );
    create(&app, versions, &model_version("2")).await;
    assert!(listed(&app, "models", "has_qf4sa=any").await.is_empty());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_sorted_as_asked(pool: PgPool) {
    let app = setup(&pool).await;
    assert_eq!(
        listed(&app, "projects", "sort=name").await,
        ["ape-coding", "census", "enoe-coding"]
    );
    assert_eq!(
        listed(&app, "projects", "sort=created").await,
        ["census", "enoe-coding", "ape-coding"]
    );
    let reply: Value = get(&app, "/api/v1/projects?sort=stars").await.body;
    assert_eq!(reply["error"]["field"], "sort");
}
