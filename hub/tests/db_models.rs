//! `db::models` called directly: cards and versions, save modes, outcomes, read policy.

mod common;

use agora_hub::Error;
use agora_hub::db::models::{self, ModelFilter};
use agora_hub::db::{self, Outcome, PageRequest, SaveMode};
use agora_hub::policy::Caller;
use agora_schemas::{ModelCardInput, ModelVersionInput, OrganisationInput, Visibility};
use common::*;
use serde_json::json;
use sqlx::PgPool;

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 100,
};

fn card(organisation: &str, name: &str) -> ModelCardInput {
    serde_json::from_value(model_card(organisation, name)).unwrap()
}

fn version(label: &str) -> ModelVersionInput {
    serde_json::from_value(model_version(label)).unwrap()
}

async fn setup(pool: &PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    for slug in ["insee", "inegi"] {
        let org: OrganisationInput = serde_json::from_value(organisation(slug)).unwrap();
        db::organisations::save(&mut conn, &org, "test", SaveMode::Create)
            .await
            .unwrap();
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn card_save_modes_report_their_outcome(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = card("insee", "naf-coder");
    let missing = models::save_card(&mut conn, &input, "test", SaveMode::Replace, None).await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    let (saved, outcome) = models::save_card(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    assert_eq!((outcome, &saved.spec), (Outcome::Created, &input));
    match models::save_card(&mut conn, &input, "test", SaveMode::Create, None).await {
        Err(Error::Conflict(field)) => assert_eq!(field.field, "name"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let (_, outcome) = models::save_card(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let mut changed = input.clone();
    changed.library_name = Some("fasttext".into());
    let (_, outcome) = models::save_card(&mut conn, &changed, "test", SaveMode::Replace, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Updated);
    let (_, outcome) = models::save_card(&mut conn, &changed, "test", SaveMode::Replace, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let kinds: Vec<String> = event_kinds(&pool)
        .await
        .into_iter()
        .skip(2)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["model.created", "model.updated"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_card_with_a_model_index_reads_back_unchanged(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input: ModelCardInput = serde_json::from_value(json!({
        "organisation": "insee",
        "name": "naf-coder",
        "license": "EUPL-1.2",
        "language": ["fr", "en"],
        "model-index": [{ "name": "naf-coder", "results": [{
            "task": { "type": "text-classification", "name": "NAF coding" },
            "dataset": { "type": "insee/sirene", "name": "Sirene", "split": "test", "config": "5-digit" },
            "metrics": [
                { "type": "accuracy", "value": 0.1 },
                { "type": "f1", "value": 0.30000000000000004, "name": "Macro F1" },
                { "type": "loss", "value": 1e-7 },
            ],
        }]}],
    }))
    .unwrap();
    models::save_card(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    let stored = models::get(&mut conn, &Caller::system(), "insee", "naf-coder")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.spec, input);
    let (_, outcome) = models::save_card(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn version_save_modes_report_their_outcome(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    models::save_card(
        &mut conn,
        &card("insee", "naf-coder"),
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    let v1 = version("1");
    let missing = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &v1,
        "test",
        SaveMode::Replace,
        None,
    )
    .await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    let (saved, outcome) = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &v1,
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    assert_eq!((outcome, &saved.spec), (Outcome::Created, &v1));
    assert_eq!(
        (saved.organisation.as_str(), saved.model.as_str()),
        ("insee", "naf-coder")
    );
    match models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &v1,
        "test",
        SaveMode::Create,
        None,
    )
    .await
    {
        Err(Error::Conflict(field)) => assert_eq!(field.field, "version"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let (_, outcome) = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &v1,
        "test",
        SaveMode::Upsert,
        None,
    )
    .await
    .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let mut changed = v1.clone();
    changed.results[0].value = 0.95;
    let (saved, outcome) = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &changed,
        "test",
        SaveMode::Upsert,
        None,
    )
    .await
    .unwrap();
    assert_eq!(outcome, Outcome::Updated);
    assert_eq!(saved.spec.results[0].value, 0.95);
    let of_missing_card = models::save_version(
        &mut conn,
        "insee",
        "ghost",
        &v1,
        "test",
        SaveMode::Upsert,
        None,
    )
    .await;
    assert!(
        matches!(of_missing_card, Err(Error::NotFound(_))),
        "{of_missing_card:?}"
    );
    let kinds: Vec<String> = event_kinds(&pool)
        .await
        .into_iter()
        .skip(3)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["model_version.created", "model_version.updated"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_rolled_back_version_leaves_no_version_results_or_event(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    models::save_card(
        &mut conn,
        &card("insee", "naf-coder"),
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    drop(conn);
    let events = event_count(&pool).await;
    let mut tx = pool.begin().await.unwrap();
    models::save_version(
        &mut tx,
        "insee",
        "naf-coder",
        &version("1"),
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(&pool, "model_versions").await, 0);
    assert_eq!(count(&pool, "evaluation_results").await, 0);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn model_cards_follow_the_read_policy(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    for (name, visibility) in [
        ("open", Visibility::Public),
        ("club", Visibility::Members),
        ("house", Visibility::Organisation),
    ] {
        let mut input = card("insee", name);
        input.visibility = visibility;
        models::save_card(&mut conn, &input, "test", SaveMode::Create, None)
            .await
            .unwrap();
        models::save_version(
            &mut conn,
            "insee",
            name,
            &version("1"),
            "test",
            SaveMode::Create,
            None,
        )
        .await
        .unwrap();
    }
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
        let (items, total) = models::list(&mut conn, &caller, &ModelFilter::default(), ALL)
            .await
            .unwrap();
        let mut names: Vec<String> = items.iter().map(|c| c.spec.name.to_string()).collect();
        names.sort();
        assert_eq!(names, expected, "{caller:?}");
        assert_eq!(total, expected.len() as i64);
        for name in ["open", "club", "house"] {
            let visible = expected.contains(&name);
            let got = models::get(&mut conn, &caller, "insee", name)
                .await
                .unwrap();
            assert_eq!(got.is_some(), visible, "{name} for {caller:?}");
            let versions = models::versions(&mut conn, &caller, "insee", name, None)
                .await
                .unwrap();
            assert_eq!(
                versions.map(|v| v.len()),
                visible.then_some(1),
                "{name} for {caller:?}"
            );
        }
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_registration_time_finer_than_microseconds_is_not_a_change(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    models::save_card(
        &mut conn,
        &card("insee", "naf-coder"),
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    let mut input = version("1");
    input.registered_at = Some("2026-01-20T10:05:00.123456789Z".parse().unwrap());
    let (saved, _) = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &input,
        "test",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    // PostgreSQL keeps microseconds.
    assert_eq!(
        saved.spec.registered_at,
        Some("2026-01-20T10:05:00.123456Z".parse().unwrap())
    );
    let events = event_count(&pool).await;
    let (_, outcome) = models::save_version(
        &mut conn,
        "insee",
        "naf-coder",
        &input,
        "test",
        SaveMode::Replace,
        None,
    )
    .await
    .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    assert_eq!(event_count(&pool).await, events);
}
