//! The event log: one event per change, none for a refused or empty write, and the
//! `/api/v1/events` feed with its cursor, filters and visibility.

mod common;

use std::collections::HashSet;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Organisations `insee`, `inegi`; workstreams `ws1` (WS1), `ws2` (WS2).
async fn setup(pool: &PgPool) -> Router {
    let app = app(pool.clone());
    for slug in ["insee", "inegi"] {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws2", "WS2")).await;
    app
}

/// The events written while `f` ran, as `(kind, subject)`.
async fn events_since(pool: &PgPool, before: usize) -> Vec<(String, String)> {
    event_kinds(pool).await.split_off(before)
}

fn pair(kind: &str, subject: &str) -> (String, String) {
    (kind.to_string(), subject.to_string())
}

// --- One event per change ----------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_and_updating_an_organisation_writes_its_events(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/organisations", &organisation("insee")).await;
    let changed = with(organisation("insee"), "short_name", json!("INSEE"));
    put(&app, "/api/v1/organisations/insee", &changed).await;
    assert_eq!(
        event_kinds(&pool).await,
        [
            pair("organisation.created", "insee"),
            pair("organisation.updated", "insee")
        ]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_and_updating_a_workstream_writes_its_events(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/workstreams", &workstream("ws4", "WS4")).await;
    put(
        &app,
        "/api/v1/workstreams/ws4",
        &with(workstream("ws4", "WS4"), "status", json!("paused")),
    )
    .await;
    assert_eq!(
        event_kinds(&pool).await,
        [
            pair("workstream.created", "ws4"),
            pair("workstream.updated", "ws4")
        ]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn membership_changes_write_their_events(pool: PgPool) {
    let app = setup(&pool).await;
    add_user(&pool, "ana.lopez@inegi.org.mx", "Ana López", "inegi").await;
    let before = event_count(&pool).await as usize;
    let created = create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "ana.lopez@inegi.org.mx", "member"),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap().to_string();
    let uri = format!("/api/v1/memberships/{id}");
    put(
        &app,
        &uri,
        &user_membership("ws1", "ana.lopez@inegi.org.mx", "lead"),
    )
    .await;
    delete(&app, &uri).await;
    assert_eq!(
        events_since(&pool, before).await,
        [
            pair("membership.created", &id),
            pair("membership.updated", &id),
            pair("membership.deleted", &id)
        ]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_a_project_writes_project_created(pool: PgPool) {
    let app = setup(&pool).await;
    let before = event_count(&pool).await as usize;
    create(&app, "/api/v1/projects", &project("naf-coding", &["insee"])).await;
    assert_eq!(
        events_since(&pool, before).await,
        [pair("project.created", "naf-coding")]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn changing_a_project_stage_writes_project_stage_changed(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("naf-coding", &["insee"])).await;
    let before = event_count(&pool).await as usize;
    let changed = with(
        project("naf-coding", &["insee"]),
        "stage",
        json!("production"),
    );
    put(&app, "/api/v1/projects/naf-coding", &changed).await;
    assert_eq!(
        events_since(&pool, before).await,
        [pair("project.stage_changed", "naf-coding")]
    );
    let feed = get(&app, "/api/v1/events?kind=project.stage_changed").await;
    let summary = feed.body["items"][0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("pilot") && summary.contains("production"),
        "{summary}"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn changing_a_project_without_its_stage_writes_project_updated(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("naf-coding", &["insee"])).await;
    let before = event_count(&pool).await as usize;
    let changed = with(project("naf-coding", &["insee"]), "tags", json!(["nace"]));
    put(&app, "/api/v1/projects/naf-coding", &changed).await;
    assert_eq!(
        events_since(&pool, before).await,
        [pair("project.updated", "naf-coding")]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn model_card_and_version_changes_write_their_events(pool: PgPool) {
    let app = setup(&pool).await;
    let before = event_count(&pool).await as usize;
    create(&app, "/api/v1/models", &model_card("insee", "naf-coder")).await;
    let changed = with(
        model_card("insee", "naf-coder"),
        "title",
        json!("NAF coder"),
    );
    put(&app, "/api/v1/models/insee/naf-coder", &changed).await;
    create(
        &app,
        "/api/v1/models/insee/naf-coder/versions",
        &model_version("1"),
    )
    .await;
    let changed = with(model_version("1"), "stage", json!("production"));
    put(&app, "/api/v1/models/insee/naf-coder/versions/1", &changed).await;
    assert_eq!(
        events_since(&pool, before).await,
        [
            pair("model.created", "insee/naf-coder"),
            pair("model.updated", "insee/naf-coder"),
            pair("model_version.created", "insee/naf-coder/1"),
            pair("model_version.updated", "insee/naf-coder/1"),
        ]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_event_records_who_what_and_where(pool: PgPool) {
    let app = setup(&pool).await;
    let body = with(
        project("naf-coding", &["insee", "inegi"]),
        "workstreams",
        json!(["ws2", "ws1"]),
    );
    create(&app, "/api/v1/projects", &body).await;
    let feed = get(&app, "/api/v1/events?kind=project.created").await;
    let event = &feed.body["items"][0];
    assert_eq!(event["actor"], "admin@hub.test");
    assert_eq!(event["subject_kind"], "project");
    assert_eq!(event["subject"], "naf-coding");
    assert_eq!(event["organisations"], json!(["insee", "inegi"]));
    let mut workstreams: Vec<&str> = event["workstreams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    workstreams.sort();
    assert_eq!(workstreams, ["ws1", "ws2"]);
    assert!(
        event["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Project naf-coding"))
    );
    assert!(event["id"].is_i64() && event["at"].is_string());
}

// --- No event for a refused or empty write -------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_refused_write_writes_no_event(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("naf-coding", &["insee"])).await;
    create(&app, "/api/v1/models", &model_card("insee", "naf-coder")).await;
    create(
        &app,
        "/api/v1/models/insee/naf-coder/versions",
        &model_version("1"),
    )
    .await;
    let before = event_count(&pool).await;

    let refused = [
        // Validation errors.
        post(
            &app,
            "/api/v1/projects",
            &with(project("p-x", &["insee"]), "stage", json!("bogus")),
        )
        .await,
        post(&app, "/api/v1/projects", &project("p-x", &["nowhere"])).await,
        put(
            &app,
            "/api/v1/projects/naf-coding",
            &project("naf-coding", &["nowhere"]),
        )
        .await,
        post(
            &app,
            "/api/v1/memberships",
            &with(org_membership("ws1", "insee"), "role", json!("lead")),
        )
        .await,
        post(
            &app,
            "/api/v1/models/insee/naf-coder/versions",
            &model_version("v 2"),
        )
        .await,
        // Conflicts.
        post(&app, "/api/v1/organisations", &organisation("insee")).await,
        post(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await,
        post(&app, "/api/v1/projects", &project("naf-coding", &["insee"])).await,
        post(&app, "/api/v1/models", &model_card("insee", "naf-coder")).await,
        post(
            &app,
            "/api/v1/models/insee/naf-coder/versions",
            &model_version("1"),
        )
        .await,
        // Missing items.
        put(
            &app,
            "/api/v1/projects/ghost",
            &project("ghost", &["insee"]),
        )
        .await,
        put(
            &app,
            "/api/v1/models/insee/naf-coder/versions/9",
            &model_version("9"),
        )
        .await,
        delete(&app, "/api/v1/memberships/999").await,
    ];
    for reply in &refused {
        assert!(
            reply.status.is_client_error(),
            "{} {}",
            reply.status,
            reply.body
        );
    }
    assert_eq!(event_count(&pool).await, before);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_put_that_changes_nothing_writes_no_event(pool: PgPool) {
    let app = setup(&pool).await;
    let org = with(organisation("scb"), "website", json!("https://www.scb.se"));
    let ws = with(workstream("ws3", "WS3"), "visibility", json!("members"));
    // Workstreams deliberately out of code order: the hub lists them by code.
    let project = with(
        project("naf-coding", &["inegi", "insee"]),
        "workstreams",
        json!(["ws2", "ws1"]),
    );
    let project = with(project, "languages", json!(["fr", "es"]));
    let card = with(
        model_card("insee", "naf-coder"),
        "license",
        json!("Apache-2.0"),
    );
    let version = with(
        model_version("1"),
        "registered_at",
        json!("2026-01-20T10:05:00Z"),
    );
    let created = [
        create(&app, "/api/v1/organisations", &org).await,
        create(&app, "/api/v1/workstreams", &ws).await,
        create(&app, "/api/v1/projects", &project).await,
        create(&app, "/api/v1/models", &card).await,
        create(&app, "/api/v1/models/insee/naf-coder/versions", &version).await,
    ];
    add_user(&pool, "ana.lopez@inegi.org.mx", "Ana López", "inegi").await;
    let member = user_membership("ws1", "ana.lopez@inegi.org.mx", "lead");
    let membership = create(&app, "/api/v1/memberships", &member).await;
    let membership_uri = format!("/api/v1/memberships/{}", membership.body["id"]);
    let before = event_count(&pool).await;
    let same_member = put(&app, &membership_uri, &member).await;
    assert_eq!(same_member.status, StatusCode::OK);
    assert_eq!(same_member.body, membership.body);
    let again = [
        put(&app, "/api/v1/organisations/scb", &org).await,
        put(&app, "/api/v1/workstreams/ws3", &ws).await,
        put(&app, "/api/v1/projects/naf-coding", &project).await,
        put(&app, "/api/v1/models/insee/naf-coder", &card).await,
        put(&app, "/api/v1/models/insee/naf-coder/versions/1", &version).await,
    ];
    for (first, second) in created.iter().zip(&again) {
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        assert_eq!(
            second.body["updated_at"], first.body["updated_at"],
            "{}",
            second.body
        );
    }
    assert_eq!(
        event_count(&pool).await,
        before,
        "{:?}",
        event_kinds(&pool).await
    );
}

// --- The feed -------------------------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_lists_events_newest_first(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = get(&app, "/api/v1/events").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.items("subject"),
        ["ws2", "ws1", "inegi", "insee"],
        "{}",
        reply.body
    );
    assert!(reply.body.get("next_cursor").is_none());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_pages_with_a_cursor_until_the_last_page(pool: PgPool) {
    let app = setup(&pool).await;
    for i in 0..5 {
        create(
            &app,
            "/api/v1/organisations",
            &organisation(&format!("org-{i}")),
        )
        .await;
    }
    let all: Vec<i64> = sqlx::query_scalar("SELECT id FROM events ORDER BY id DESC")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(all.len(), 9);

    let mut seen: Vec<i64> = Vec::new();
    let mut uri = "/api/v1/events?limit=2".to_string();
    let mut pages = 0;
    loop {
        let reply = get(&app, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let ids: Vec<i64> = reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() <= 2);
        seen.extend(&ids);
        pages += 1;
        match reply.body.get("next_cursor") {
            Some(Value::Number(cursor)) => {
                assert_eq!(
                    cursor.as_i64(),
                    ids.last().copied(),
                    "the cursor is the page's last id"
                );
                uri = format!("/api/v1/events?limit=2&before={cursor}");
            }
            None => break,
            Some(other) => panic!("next_cursor {other}"),
        }
        assert!(pages < 10, "the feed does not end");
    }
    assert_eq!(pages, 5);
    assert_eq!(seen, all, "every event once, newest first");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_full_last_page_has_no_cursor(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = get(&app, "/api/v1/events?limit=4").await;
    assert_eq!(reply.items("subject").len(), 4);
    assert!(reply.body.get("next_cursor").is_none(), "{}", reply.body);
    let reply = get(&app, "/api/v1/events?limit=3").await;
    let cursor = reply.body["next_cursor"].as_i64().expect("a cursor");
    let rest = get(&app, &format!("/api/v1/events?limit=3&before={cursor}")).await;
    assert_eq!(rest.items("subject"), ["insee"]);
    assert!(rest.body.get("next_cursor").is_none());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_limit_outside_1_to_200_is_rejected_naming_limit(pool: PgPool) {
    let app = setup(&pool).await;
    assert_invalid(&get(&app, "/api/v1/events?limit=0").await, "limit");
    assert_invalid(&get(&app, "/api/v1/events?limit=201").await, "limit");
    assert_invalid(&get(&app, "/api/v1/events?limit=-1").await, "limit");
    assert_invalid(&get(&app, "/api/v1/events?before=soon").await, "before");
    assert_eq!(
        get(&app, "/api/v1/events?limit=200").await.status,
        StatusCode::OK
    );
    assert_invalid(&get(&app, "/api/v1/events?page=2").await, "page");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_reads_a_time_window_and_pages_with_next(pool: PgPool) {
    let app = setup(&pool).await;
    // The four setup events, one day apart: 1, 2, 3 and 4 November. Events are
    // append-only; the test moves them in time with the table's triggers off.
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("SET session_replication_role = replica")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE events e SET at = timestamptz '2026-10-31T12:00:00Z' + r.n * interval '1 day' \
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) r WHERE r.id = e.id",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query("RESET session_replication_role")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let days = |reply: &Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["at"].as_str().unwrap()[..10].to_string())
            .collect()
    };
    let window = get(
        &app,
        "/api/v1/events?since=2026-11-02T00:00:00Z&until=2026-11-04T00:00:00Z",
    )
    .await;
    assert_eq!(window.status, StatusCode::OK, "{}", window.body);
    assert_eq!(days(&window), ["2026-11-03", "2026-11-02"]);
    // `before` still takes an event id, and a time is read as `until`.
    let older = get(&app, "/api/v1/events?before=2026-11-03T00:00:00%2B00:00").await;
    assert_eq!(days(&older), ["2026-11-02", "2026-11-01"]);

    // `next` is opaque: passed back as `cursor`, it reads the next page.
    let mut uri = "/api/v1/events?per_page=3".to_string();
    let mut seen = Vec::new();
    loop {
        let reply = get(&app, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        seen.extend(days(&reply));
        match reply.body["next"].as_str() {
            Some(next) => uri = format!("/api/v1/events?per_page=3&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01"]
    );

    // Slugs are read in any case.
    assert_eq!(
        get(&app, "/api/v1/events?workstream=WS2")
            .await
            .items("subject"),
        get(&app, "/api/v1/events?workstream=ws2")
            .await
            .items("subject")
    );
    assert_eq!(
        get(&app, "/api/v1/events?organisation=INSEE")
            .await
            .items("subject"),
        ["insee"]
    );

    // Errors say what the parameter takes.
    let bad = get(&app, "/api/v1/events?before=yesterday").await;
    assert_invalid(&bad, "before");
    assert!(
        bad.body
            .to_string()
            .contains("an event id or an RFC 3339 time"),
        "{}",
        bad.body
    );
    assert_invalid(&get(&app, "/api/v1/events?since=tomorrow").await, "since");
    assert_invalid(&get(&app, "/api/v1/events?until=").await, "until");
    assert_invalid(&get(&app, "/api/v1/events?cursor=abc").await, "cursor");
    assert_invalid(&get(&app, "/api/v1/events?per_page=500").await, "per_page");
}

/// A project in WS1 by INSEE and one in WS2 by INEGI, with a model of INEGI's project.
async fn activity(app: &Router) {
    let a = with(
        project("insee-coding", &["insee"]),
        "workstreams",
        json!(["ws1"]),
    );
    create(app, "/api/v1/projects", &a).await;
    let b = with(
        project("inegi-coding", &["inegi"]),
        "workstreams",
        json!(["ws2"]),
    );
    create(app, "/api/v1/projects", &b).await;
    let card = with(
        model_card("inegi", "sinco-coder"),
        "project",
        json!("inegi-coding"),
    );
    create(app, "/api/v1/models", &card).await;
    create(
        app,
        "/api/v1/models/inegi/sinco-coder/versions",
        &model_version("1"),
    )
    .await;
}

fn subjects(reply: &Reply) -> HashSet<String> {
    reply.items("subject").into_iter().collect()
}

fn set(items: &[&str]) -> HashSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_is_filtered_by_workstream(pool: PgPool) {
    let app = setup(&pool).await;
    activity(&app).await;
    let ws1 = get(&app, "/api/v1/events?workstream=ws1").await;
    assert_eq!(subjects(&ws1), set(&["ws1", "insee-coding"]));
    let ws2 = get(&app, "/api/v1/events?workstream=ws2").await;
    assert_eq!(
        subjects(&ws2),
        set(&[
            "ws2",
            "inegi-coding",
            "inegi/sinco-coder",
            "inegi/sinco-coder/1"
        ])
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_is_filtered_by_organisation(pool: PgPool) {
    let app = setup(&pool).await;
    activity(&app).await;
    let insee = get(&app, "/api/v1/events?organisation=insee").await;
    assert_eq!(subjects(&insee), set(&["insee", "insee-coding"]));
    let inegi = get(&app, "/api/v1/events?organisation=inegi").await;
    assert_eq!(
        subjects(&inegi),
        set(&[
            "inegi",
            "inegi-coding",
            "inegi/sinco-coder",
            "inegi/sinco-coder/1"
        ])
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_feed_is_filtered_by_kind_and_subject(pool: PgPool) {
    let app = setup(&pool).await;
    activity(&app).await;
    let created = get(&app, "/api/v1/events?kind=project.created").await;
    assert_eq!(created.items("subject"), ["inegi-coding", "insee-coding"]);
    let versions = get(&app, "/api/v1/events?kind=model_version.created").await;
    assert_eq!(versions.items("subject"), ["inegi/sinco-coder/1"]);
    let about = get(
        &app,
        "/api/v1/events?subject_kind=project&subject=insee-coding",
    )
    .await;
    assert_eq!(about.items("kind"), ["project.created"]);
    let combined = get(
        &app,
        "/api/v1/events?organisation=inegi&kind=project.created",
    )
    .await;
    assert_eq!(combined.items("subject"), ["inegi-coding"]);
    assert!(
        get(&app, "/api/v1/events?kind=nothing.happened")
            .await
            .items("id")
            .is_empty()
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn events_about_hidden_items_are_left_out_of_the_anonymous_feed(pool: PgPool) {
    let app = setup(&pool).await;
    let club = with(
        project("club-project", &["insee"]),
        "visibility",
        json!("members"),
    );
    create(&app, "/api/v1/projects", &club).await;
    let house = with(
        project("house-project", &["insee"]),
        "visibility",
        json!("organisation"),
    );
    create(&app, "/api/v1/projects", &house).await;
    let card = with(
        model_card("insee", "house-model"),
        "visibility",
        json!("organisation"),
    );
    create(&app, "/api/v1/models", &card).await;
    create(
        &app,
        "/api/v1/models/insee/house-model/versions",
        &model_version("1"),
    )
    .await;
    let hidden_ws = with(workstream("ws3", "WS3"), "visibility", json!("members"));
    create(&app, "/api/v1/workstreams", &hidden_ws).await;
    create(&app, "/api/v1/memberships", &org_membership("ws3", "insee")).await;
    create(
        &app,
        "/api/v1/projects",
        &project("open-project", &["insee"]),
    )
    .await;

    let feed = get(&app, "/api/v1/events?limit=200").await;
    assert_eq!(
        subjects(&feed),
        set(&["insee", "inegi", "ws1", "ws2", "open-project"])
    );
    let filtered = get(&app, "/api/v1/events?organisation=insee").await;
    assert_eq!(subjects(&filtered), set(&["insee", "open-project"]));
    assert_eq!(event_count(&pool).await, 11);
}
