//! `db::projects` called directly: save modes and outcomes, transactions, read policy.

mod common;

use agora_hub::Error;
use agora_hub::db::projects::{self, ProjectFilter};
use agora_hub::db::{self, Outcome, PageRequest, SaveMode};
use agora_hub::policy::Caller;
use agora_schemas::{JourneyStage, OrganisationInput, ProjectInput, Visibility, WorkstreamInput};
use common::*;
use serde_json::json;
use sqlx::PgPool;

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 100,
};

fn project_input(slug: &str, organisations: &[&str]) -> ProjectInput {
    serde_json::from_value(project(slug, organisations)).unwrap()
}

/// Organisations `insee`, `inegi`; workstreams `ws1`, `ws2`.
async fn setup(pool: &PgPool) {
    let mut tx = pool.begin().await.unwrap();
    for slug in ["insee", "inegi"] {
        let org: OrganisationInput = serde_json::from_value(organisation(slug)).unwrap();
        db::organisations::save(&mut tx, &org, "test", SaveMode::Create)
            .await
            .unwrap();
    }
    for (slug, code) in [("ws1", "WS1"), ("ws2", "WS2")] {
        let ws: WorkstreamInput = serde_json::from_value(workstream(slug, code)).unwrap();
        db::workstreams::save(&mut tx, &ws, "test", SaveMode::Create)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn create_mode_creates_a_missing_project_and_refuses_an_existing_one(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = project_input("naf-coding", &["insee"]);
    let (saved, outcome) = projects::save(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Created);
    assert_eq!(saved.spec, input);
    let events = event_count(&pool).await;
    match projects::save(&mut conn, &input, "test", SaveMode::Create, None).await {
        Err(Error::Conflict(field)) => assert_eq!(field.field, "slug"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replace_mode_refuses_a_missing_project(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = project_input("naf-coding", &["insee"]);
    let result = projects::save(&mut conn, &input, "test", SaveMode::Replace, None).await;
    assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    assert_eq!(count(&pool, "projects").await, 0);
    assert_eq!(event_count(&pool).await, 4);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replace_mode_reports_updated_then_unchanged(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = project_input("naf-coding", &["insee"]);
    projects::save(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    let mut changed = input.clone();
    changed.stage = JourneyStage::Production;
    let (saved, outcome) = projects::save(&mut conn, &changed, "test", SaveMode::Replace, None)
        .await
        .unwrap();
    assert_eq!(
        (outcome, saved.spec.stage),
        (Outcome::Updated, JourneyStage::Production)
    );
    let events = event_count(&pool).await;
    let (again, outcome) = projects::save(&mut conn, &changed, "test", SaveMode::Replace, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    assert_eq!(again, saved);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn upsert_mode_creates_updates_and_leaves_unchanged(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = project_input("naf-coding", &["insee"]);
    let (_, outcome) = projects::save(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Created);
    let (_, outcome) = projects::save(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let mut changed = input.clone();
    changed.organisations = vec!["inegi".parse_slug(), "insee".parse_slug()];
    let (saved, outcome) = projects::save(&mut conn, &changed, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Updated);
    let owners: Vec<&str> = saved
        .spec
        .organisations
        .iter()
        .map(|o| o.as_str())
        .collect();
    assert_eq!(owners, ["inegi", "insee"], "the first organisation leads");
    assert_eq!(
        event_kinds(&pool).await.split_off(4),
        [
            ("project.created".to_string(), "naf-coding".to_string()),
            ("project.updated".to_string(), "naf-coding".to_string()),
        ]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_order_of_workstreams_is_not_a_change(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let mut input = project_input("naf-coding", &["insee"]);
    input.workstreams = vec!["ws2".parse_slug(), "ws1".parse_slug()];
    let (saved, _) = projects::save(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    let stored: Vec<&str> = saved.spec.workstreams.iter().map(|w| w.as_str()).collect();
    assert_eq!(stored, ["ws1", "ws2"], "read back by code");
    let (_, outcome) = projects::save(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    input.workstreams.pop();
    let (_, outcome) = projects::save(&mut conn, &input, "test", SaveMode::Upsert, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Updated);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_rolled_back_transaction_leaves_nothing(pool: PgPool) {
    setup(&pool).await;
    let events = event_count(&pool).await;
    let mut tx = pool.begin().await.unwrap();
    let mut input = project_input("naf-coding", &["insee", "inegi"]);
    input.workstreams = vec!["ws1".parse_slug()];
    let (_, outcome) = projects::save(&mut tx, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Created);
    assert!(
        projects::get(&mut tx, &Caller::system(), "naf-coding")
            .await
            .unwrap()
            .is_some()
    );
    tx.rollback().await.unwrap();

    let mut conn = pool.acquire().await.unwrap();
    assert!(
        projects::get(&mut conn, &Caller::system(), "naf-coding")
            .await
            .unwrap()
            .is_none()
    );
    for table in ["projects", "project_organisations", "project_workstreams"] {
        assert_eq!(count(&pool, table).await, 0, "{table}");
    }
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_dropped_transaction_is_rolled_back(pool: PgPool) {
    setup(&pool).await;
    let events = event_count(&pool).await;
    {
        let mut tx = pool.begin().await.unwrap();
        let input = project_input("naf-coding", &["insee"]);
        projects::save(&mut tx, &input, "test", SaveMode::Create, None)
            .await
            .unwrap();
        // Dropped without commit, as a handler does when it returns an error.
    }
    assert_eq!(count(&pool, "projects").await, 0);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_organisation_is_refused_before_anything_is_written(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let input = project_input("naf-coding", &["insee", "nowhere"]);
    match projects::save(&mut conn, &input, "test", SaveMode::Upsert, None).await {
        Err(Error::Invalid(field)) => assert_eq!(field.field, "organisations[1]"),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert_eq!(count(&pool, "projects").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_event_records_the_actor_and_the_project_s_visibility(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let mut input = project_input("naf-coding", &["insee"]);
    input.visibility = Visibility::Members;
    projects::save(
        &mut conn,
        &input,
        "claire.dubois@insee.fr",
        SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    let (actor, visibility, payload): (String, String, serde_json::Value) = sqlx::query_as(
        "SELECT actor, visibility::text, payload FROM events ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(actor, "claire.dubois@insee.fr");
    assert_eq!(visibility, "members");
    assert_eq!(payload, json!({ "stage": "pilot" }));
}

// --- Read policy ------------------------------------------------------------------------------

/// `open` (public), `club` (members) and `house` (organisation), all owned by INSEE.
async fn three_visibilities(pool: &PgPool) {
    setup(pool).await;
    let mut conn = pool.acquire().await.unwrap();
    for (slug, visibility) in [
        ("open", Visibility::Public),
        ("club", Visibility::Members),
        ("house", Visibility::Organisation),
    ] {
        let mut input = project_input(slug, &["insee"]);
        input.visibility = visibility;
        projects::save(&mut conn, &input, "test", SaveMode::Create, None)
            .await
            .unwrap();
    }
}

async fn visible(pool: &PgPool, caller: &Caller) -> Vec<String> {
    let mut conn = pool.acquire().await.unwrap();
    let (items, total) = projects::list(&mut conn, caller, &ProjectFilter::default(), ALL)
        .await
        .unwrap();
    assert_eq!(total, items.len() as i64);
    let mut slugs: Vec<String> = items.into_iter().map(|p| p.spec.slug.to_string()).collect();
    slugs.sort();
    for slug in ["open", "club", "house"] {
        let found = projects::get(&mut conn, caller, slug)
            .await
            .unwrap()
            .is_some();
        assert_eq!(
            found,
            slugs.iter().any(|s| s == slug),
            "{slug} for {caller:?}"
        );
    }
    slugs
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_anonymous_caller_sees_public_projects_only(pool: PgPool) {
    three_visibilities(&pool).await;
    assert_eq!(visible(&pool, &Caller::anonymous()).await, ["open"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_member_of_the_owning_organisation_sees_every_project(pool: PgPool) {
    three_visibilities(&pool).await;
    let caller = Caller::member("claire.dubois@insee.fr", &["insee"]);
    assert_eq!(visible(&pool, &caller).await, ["club", "house", "open"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_member_of_another_organisation_does_not_see_an_organisation_project(pool: PgPool) {
    three_visibilities(&pool).await;
    let caller = Caller::member("ana.lopez@inegi.org.mx", &["inegi"]);
    assert_eq!(visible(&pool, &caller).await, ["club", "open"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_co_owner_of_a_project_sees_it(pool: PgPool) {
    three_visibilities(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let mut input = project_input("joint", &["insee", "inegi"]);
    input.visibility = Visibility::Organisation;
    projects::save(&mut conn, &input, "test", SaveMode::Create, None)
        .await
        .unwrap();
    let inegi = Caller::member("ana.lopez@inegi.org.mx", &["inegi"]);
    assert!(
        projects::get(&mut conn, &inegi, "joint")
            .await
            .unwrap()
            .is_some()
    );
    let filter = ProjectFilter {
        organisation: Some("inegi".into()),
        ..Default::default()
    };
    let (items, total) = projects::list(&mut conn, &inegi, &filter, ALL)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (1, 1));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_system_caller_sees_every_project(pool: PgPool) {
    three_visibilities(&pool).await;
    assert_eq!(
        visible(&pool, &Caller::system()).await,
        ["club", "house", "open"]
    );
}

/// Builds slugs in tests.
trait ParseSlug {
    fn parse_slug(self) -> agora_schemas::Slug;
}

impl ParseSlug for &str {
    fn parse_slug(self) -> agora_schemas::Slug {
        agora_schemas::Slug::parse(self).expect("a valid slug")
    }
}
