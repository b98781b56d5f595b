//! `db::events` and the `events` table: append-only, newest first, filtered by the read policy.

mod common;

use agora_hub::db::events::{self, EventFilter, NewEvent};
use agora_hub::policy::Caller;
use agora_schemas::Visibility;
use common::*;
use sqlx::PgPool;

fn event(subject: &str, visibility: Visibility, organisations: &[&str]) -> NewEvent {
    NewEvent {
        actor: "test".into(),
        kind: "project.created",
        subject_kind: "project",
        subject: subject.into(),
        summary: format!("New project {subject}"),
        workstreams: vec!["ws1".into()],
        organisations: organisations.iter().map(|o| o.to_string()).collect(),
        visibility,
        payload: serde_json::json!({ "stage": "idea" }),
    }
}

fn filter(limit: i64) -> EventFilter {
    EventFilter {
        limit,
        ..Default::default()
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_events_table_refuses_updates(pool: PgPool) {
    let id = events::append(&pool, &event("p-a", Visibility::Public, &["insee"]))
        .await
        .unwrap();
    let err = sqlx::query("UPDATE events SET summary = 'rewritten' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect_err("events are append-only");
    let db = err.as_database_error().expect("a database error");
    assert_eq!(db.code().as_deref(), Some("23001"), "{db}");
    assert!(db.message().contains("append-only"), "{db}");
    let summary: String = sqlx::query_scalar("SELECT summary FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(summary, "New project p-a");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_events_table_refuses_deletes(pool: PgPool) {
    events::append(&pool, &event("p-a", Visibility::Public, &["insee"]))
        .await
        .unwrap();
    events::append(&pool, &event("p-b", Visibility::Public, &["insee"]))
        .await
        .unwrap();
    let err = sqlx::query("DELETE FROM events")
        .execute(&pool)
        .await
        .expect_err("events are append-only");
    let db = err.as_database_error().expect("a database error");
    assert_eq!(db.code().as_deref(), Some("23001"), "{db}");
    assert_eq!(event_count(&pool).await, 2);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn appended_events_are_listed_newest_first(pool: PgPool) {
    // Events name only workstreams that exist and that the reader may read.
    sqlx::query(
        "INSERT INTO workstreams (slug, code, title, goal) VALUES ('ws1', 'WS1', 'One', 'Share.')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let a = events::append(&pool, &event("p-a", Visibility::Public, &["insee"]))
        .await
        .unwrap();
    let b = events::append(&pool, &event("p-b", Visibility::Public, &["inegi"]))
        .await
        .unwrap();
    assert!(b > a);
    let listed = events::list(&pool, &Caller::anonymous(), &filter(10))
        .await
        .unwrap();
    let subjects: Vec<&str> = listed.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, ["p-b", "p-a"]);
    assert_eq!(listed[0].id, b);
    assert_eq!(listed[0].kind, "project.created");
    assert_eq!(listed[0].organisations, ["inegi"]);
    assert_eq!(listed[0].workstreams, ["ws1"]);
    let older = events::list(
        &pool,
        &Caller::anonymous(),
        &EventFilter {
            before: Some(b),
            ..filter(10)
        },
    )
    .await
    .unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].id, a);
    assert_eq!(
        events::list(&pool, &Caller::anonymous(), &filter(1))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn events_follow_the_read_policy(pool: PgPool) {
    events::append(&pool, &event("open", Visibility::Public, &["insee"]))
        .await
        .unwrap();
    events::append(&pool, &event("club", Visibility::Members, &["insee"]))
        .await
        .unwrap();
    events::append(&pool, &event("house", Visibility::Organisation, &["insee"]))
        .await
        .unwrap();
    let cases = [
        (Caller::anonymous(), vec!["open"]),
        (
            Caller::member("a@inegi.org.mx", &["inegi"]),
            vec!["club", "open"],
        ),
        (
            Caller::member("c@insee.fr", &["insee"]),
            vec!["club", "house", "open"],
        ),
        (Caller::system(), vec!["club", "house", "open"]),
    ];
    for (caller, expected) in cases {
        let mut subjects: Vec<String> = events::list(&pool, &caller, &filter(50))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.subject)
            .collect();
        subjects.sort();
        assert_eq!(subjects, expected, "{caller:?}");
    }
}
