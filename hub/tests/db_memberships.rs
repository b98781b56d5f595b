//! `db::organisations`, `db::workstreams`, `db::users` and `db::memberships` called
//! directly: outcomes, deletes, and what signed-in callers see.

mod common;

use agora_hub::Error;
use agora_hub::db::memberships::{self, MembershipFilter};
use agora_hub::db::{self, Outcome, PageRequest, SaveMode};
use agora_hub::policy::Caller;
use agora_schemas::{
    MembershipInput, MembershipRole, OrganisationInput, Visibility, WorkstreamInput,
};
use common::*;
use sqlx::PgPool;

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 100,
};

fn org(slug: &str) -> OrganisationInput {
    serde_json::from_value(organisation(slug)).unwrap()
}

fn ws(slug: &str, code: &str) -> WorkstreamInput {
    serde_json::from_value(workstream(slug, code)).unwrap()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisation_save_modes_report_their_outcome(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let input = org("insee");
    let missing = db::organisations::save(&mut conn, &input, "test", SaveMode::Replace).await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    let (_, outcome) = db::organisations::save(&mut conn, &input, "test", SaveMode::Upsert)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Created);
    let conflict = db::organisations::save(&mut conn, &input, "test", SaveMode::Create).await;
    assert!(
        matches!(&conflict, Err(Error::Conflict(f)) if f.field == "slug"),
        "{conflict:?}"
    );
    let (_, outcome) = db::organisations::save(&mut conn, &input, "test", SaveMode::Replace)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let mut changed = input.clone();
    changed.short_name = Some("INSEE".into());
    let (saved, outcome) = db::organisations::save(&mut conn, &changed, "test", SaveMode::Upsert)
        .await
        .unwrap();
    assert_eq!((outcome, saved.spec), (Outcome::Updated, changed));
    assert_eq!(event_count(&pool).await, 2);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn workstream_save_modes_report_their_outcome(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let input = ws("ws1", "WS1");
    let (_, outcome) = db::workstreams::save(&mut conn, &input, "test", SaveMode::Create)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Created);
    let (_, outcome) = db::workstreams::save(&mut conn, &input, "test", SaveMode::Upsert)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unchanged);
    let mut hidden = input.clone();
    hidden.visibility = Visibility::Members;
    let (_, outcome) = db::workstreams::save(&mut conn, &hidden, "test", SaveMode::Replace)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Updated);
    assert!(
        db::workstreams::get(&mut conn, &Caller::anonymous(), "ws1")
            .await
            .unwrap()
            .is_none()
    );
    let member = Caller::member("a@inegi.org.mx", &["inegi"]);
    assert!(
        db::workstreams::get(&mut conn, &member, "ws1")
            .await
            .unwrap()
            .is_some()
    );
    let (items, total) = db::workstreams::list(&mut conn, &member, ALL)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (1, 1));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_person_is_created_updated_or_left_unchanged(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    for slug in ["insee", "inegi"] {
        db::organisations::save(&mut conn, &org(slug), "test", SaveMode::Create)
            .await
            .unwrap();
    }
    let upsert = db::users::upsert;
    assert_eq!(
        upsert(&mut conn, "Ana.Lopez@inegi.org.mx", "Ana", Some("inegi"))
            .await
            .unwrap(),
        Outcome::Created
    );
    assert_eq!(
        upsert(&mut conn, "ana.lopez@inegi.org.mx", "Ana", Some("inegi"))
            .await
            .unwrap(),
        Outcome::Unchanged
    );
    assert_eq!(
        upsert(
            &mut conn,
            "ana.lopez@inegi.org.mx",
            "Ana López",
            Some("inegi")
        )
        .await
        .unwrap(),
        Outcome::Updated
    );
    assert_eq!(
        upsert(
            &mut conn,
            "ana.lopez@inegi.org.mx",
            "Ana López",
            Some("insee")
        )
        .await
        .unwrap(),
        Outcome::Updated
    );
    let unknown = upsert(&mut conn, "x@y.org", "X", Some("nowhere")).await;
    assert!(
        matches!(&unknown, Err(Error::Invalid(f)) if f.field == "organisation"),
        "{unknown:?}"
    );
    let user = db::users::by_email(&mut *conn, "ANA.LOPEZ@inegi.org.mx")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.email.as_str(), user.name.as_str()),
        ("ana.lopez@inegi.org.mx", "Ana López")
    );
    assert_eq!(user.organisation.as_deref(), Some("insee"));
    assert_eq!(count(&pool, "users").await, 1);
}

/// INSEE and INEGI, workstreams `ws1` (public) and `ws2` (members only), and a person.
async fn setup(pool: &PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    for slug in ["insee", "inegi"] {
        db::organisations::save(&mut conn, &org(slug), "test", SaveMode::Create)
            .await
            .unwrap();
    }
    db::workstreams::save(&mut conn, &ws("ws1", "WS1"), "test", SaveMode::Create)
        .await
        .unwrap();
    let mut hidden = ws("ws2", "WS2");
    hidden.visibility = Visibility::Members;
    db::workstreams::save(&mut conn, &hidden, "test", SaveMode::Create)
        .await
        .unwrap();
    db::users::upsert(
        &mut conn,
        "claire.dubois@insee.fr",
        "Claire Dubois",
        Some("insee"),
    )
    .await
    .unwrap();
}

fn membership(body: serde_json::Value) -> MembershipInput {
    serde_json::from_value(body).unwrap()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn saving_a_membership_creates_changes_or_keeps_it(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let member = membership(user_membership("ws1", "claire.dubois@insee.fr", "member"));
    let (id, outcome) = memberships::save(&mut conn, &member, "test").await.unwrap();
    assert_eq!(outcome, Outcome::Created);
    assert_eq!(
        memberships::save(&mut conn, &member, "test").await.unwrap(),
        (id, Outcome::Unchanged)
    );
    let mut lead = member.clone();
    lead.role = MembershipRole::Lead;
    assert_eq!(
        memberships::save(&mut conn, &lead, "test").await.unwrap(),
        (id, Outcome::Updated)
    );
    let stored = memberships::get(&mut conn, &Caller::system(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.spec.role, MembershipRole::Lead);
    let kinds: Vec<String> = event_kinds(&pool)
        .await
        .into_iter()
        .skip(4)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["membership.created", "membership.updated"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn deleting_a_membership_records_who_left(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let (id, _) = memberships::save(
        &mut conn,
        &membership(org_membership("ws1", "inegi")),
        "test",
    )
    .await
    .unwrap();
    memberships::delete(&mut conn, id, "test").await.unwrap();
    assert!(
        memberships::get(&mut conn, &Caller::system(), id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        last_event(&pool).await,
        ("membership.deleted".into(), id.to_string())
    );
    let again = memberships::delete(&mut conn, id, "test").await;
    assert!(matches!(again, Err(Error::NotFound(_))), "{again:?}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn signed_in_callers_see_members_only_workstreams_and_e_mail_addresses(pool: PgPool) {
    setup(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    memberships::save(
        &mut conn,
        &membership(org_membership("ws1", "insee")),
        "test",
    )
    .await
    .unwrap();
    memberships::save(
        &mut conn,
        &membership(user_membership("ws2", "claire.dubois@insee.fr", "lead")),
        "test",
    )
    .await
    .unwrap();
    let all = MembershipFilter::default();

    let (items, total) = memberships::list(&mut conn, &Caller::anonymous(), &all, ALL)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (1, 1));
    assert_eq!(items[0].spec.workstream.as_str(), "ws1");

    let member = Caller::member("a@inegi.org.mx", &["inegi"]);
    let (items, total) = memberships::list(&mut conn, &member, &all, ALL)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (2, 2));
    let person = items
        .iter()
        .find(|m| m.spec.workstream.as_str() == "ws2")
        .unwrap();
    assert_eq!(person.spec.user.as_deref(), Some("claire.dubois@insee.fr"));
    assert_eq!(person.name, "Claire Dubois");

    let insee_people = MembershipFilter {
        organisation: Some("insee".into()),
        ..Default::default()
    };
    let (_, total) = memberships::list(&mut conn, &member, &insee_people, ALL)
        .await
        .unwrap();
    assert_eq!(total, 2, "the organisation and its person");
}
