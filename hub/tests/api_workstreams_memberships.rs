//! `/api/v1/workstreams` and `/api/v1/memberships`.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Organisations `insee`, `inegi`, `scb`; workstreams `ws1` (WS1), `ws2` (WS2); people
/// of INSEE and INEGI.
async fn setup(pool: &PgPool) -> Router {
    let app = app(pool.clone());
    for slug in ["insee", "inegi", "scb"] {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws2", "WS2")).await;
    add_user(pool, "claire.dubois@insee.fr", "Claire Dubois", "insee").await;
    add_user(pool, "ana.lopez@inegi.org.mx", "Ana López", "inegi").await;
    app
}

// --- Workstreams -------------------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_a_workstream_answers_201_with_defaults_filled_in(pool: PgPool) {
    let app = app(pool);
    let reply = create(&app, "/api/v1/workstreams", &workstream("ws4", "WS4")).await;
    assert_eq!(reply.location(), "/api/v1/workstreams/ws4");
    assert_eq!(reply.body["code"], "WS4");
    assert_eq!(reply.body["status"], "active");
    assert_eq!(reply.body["visibility"], "public");
    let read = get(&app, "/api/v1/workstreams/ws4").await;
    assert_eq!(read.status, StatusCode::OK);
    // The workstream as written, with who leads it and takes part (nobody yet).
    let mut fields = read.body.as_object().unwrap().clone();
    assert_eq!(fields.remove("leads"), Some(json!([])));
    assert_eq!(fields.remove("organisations"), Some(json!([])));
    assert_eq!(Value::Object(fields), reply.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_workstream_names_its_leads_and_organisations(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/memberships", &org_membership("ws2", "insee")).await;
    create(&app, "/api/v1/memberships", &org_membership("ws2", "inegi")).await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws2", "claire.dubois@insee.fr", "lead"),
    )
    .await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws2", "ana.lopez@inegi.org.mx", "member"),
    )
    .await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "scb")).await;
    let ws2 = get(&app, "/api/v1/workstreams/WS2").await;
    assert_eq!(ws2.status, StatusCode::OK, "{}", ws2.body);
    let names = |key: &str| -> Vec<String> {
        let mut names: Vec<String> = ws2.body[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("leads"), ["Claire Dubois"]);
    assert_eq!(ws2.body["leads"][0]["user_organisation"], "insee");
    assert_eq!(
        names("organisations"),
        ["Organisation inegi", "Organisation insee"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_workstream_is_404(pool: PgPool) {
    let app = app(pool);
    assert_not_found(&get(&app, "/api/v1/workstreams/ws9").await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn workstreams_are_listed_by_code_in_stable_pages(pool: PgPool) {
    let app = app(pool);
    for (slug, code) in [
        ("gamma", "WS3"),
        ("alpha", "WS1"),
        ("delta", "WS4"),
        ("beta", "WS2"),
    ] {
        create(&app, "/api/v1/workstreams", &workstream(slug, code)).await;
    }
    let all = get(&app, "/api/v1/workstreams").await;
    assert_eq!(all.items("code"), ["WS1", "WS2", "WS3", "WS4"]);
    assert_eq!(all.body["total"], 4);
    let mut paged = Vec::new();
    for page in 1..=2 {
        let reply = get(&app, &format!("/api/v1/workstreams?per_page=3&page={page}")).await;
        assert_eq!(reply.body["total"], 4);
        assert_eq!(reply.body["per_page"], 3);
        paged.extend(reply.items("code"));
    }
    assert_eq!(paged, all.items("code"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn workstream_per_page_outside_1_to_100_is_rejected_naming_per_page(pool: PgPool) {
    let app = app(pool);
    assert_invalid(
        &get(&app, "/api/v1/workstreams?per_page=0").await,
        "per_page",
    );
    assert_invalid(
        &get(&app, "/api/v1/workstreams?per_page=101").await,
        "per_page",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replacing_a_workstream_changes_it(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/workstreams", &workstream("ws6", "WS6")).await;
    let changed = with(workstream("ws6", "WS6"), "status", json!("closed"));
    let reply = put(&app, "/api/v1/workstreams/ws6", &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["status"], "closed");
    assert_eq!(
        get(&app, "/api/v1/workstreams/ws6").await.body["status"],
        "closed"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_workstream_with_a_mismatching_slug_is_rejected_naming_slug(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/workstreams", &workstream("ws6", "WS6")).await;
    let reply = put(&app, "/api/v1/workstreams/ws6", &workstream("ws7", "WS7")).await;
    assert_invalid(&reply, "slug");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_workstream_is_404(pool: PgPool) {
    let app = app(pool.clone());
    assert_not_found(&put(&app, "/api/v1/workstreams/ws6", &workstream("ws6", "WS6")).await);
    assert_eq!(count(&pool, "workstreams").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_duplicate_workstream_slug_is_a_409_naming_slug(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    assert_conflict(
        &post(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await,
        "slug",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_workstream_visible_to_one_organisation_is_rejected_naming_visibility(pool: PgPool) {
    let app = app(pool);
    let body = with(
        workstream("ws1", "WS1"),
        "visibility",
        json!("organisation"),
    );
    assert_invalid(
        &post(&app, "/api/v1/workstreams", &body).await,
        "visibility",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_empty_workstream_code_is_rejected_naming_code(pool: PgPool) {
    let app = app(pool);
    let body = with(workstream("ws1", "WS1"), "code", json!("  "));
    assert_invalid(&post(&app, "/api/v1/workstreams", &body).await, "code");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_members_only_workstream_is_hidden_from_the_anonymous_caller(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/workstreams", &workstream("open", "WS1")).await;
    let hidden = with(
        workstream("closed-group", "WS2"),
        "visibility",
        json!("members"),
    );
    create(&app, "/api/v1/workstreams", &hidden).await;
    let list = get(&app, "/api/v1/workstreams").await;
    assert_eq!(list.items("slug"), ["open"]);
    assert_eq!(list.body["total"], 1);
    assert_not_found(&get(&app, "/api/v1/workstreams/closed-group").await);
}

// --- Memberships -------------------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn adding_an_organisation_to_a_workstream_answers_201(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    let id = reply.body["id"].as_i64().expect("an id");
    assert_eq!(reply.location(), format!("/api/v1/memberships/{id}"));
    assert_eq!(reply.body["workstream"], "ws1");
    assert_eq!(reply.body["organisation"], "insee");
    assert_eq!(reply.body["role"], "member");
    assert_eq!(reply.body["name"], "Organisation insee");
    let read = get(&app, &format!("/api/v1/memberships/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, reply.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn adding_the_same_member_again_answers_200_with_the_same_membership(pool: PgPool) {
    let app = setup(&pool).await;
    let first = create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    let events = event_count(&pool).await;
    let again = post(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body, first.body);
    assert_eq!(count(&pool, "memberships").await, 1);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_membership_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    assert_not_found(&get(&app, "/api/v1/memberships/4242").await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn memberships_are_filtered_by_workstream(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "inegi")).await;
    create(&app, "/api/v1/memberships", &org_membership("ws2", "scb")).await;
    let reply = get(&app, "/api/v1/memberships?workstream=ws1").await;
    assert_eq!(reply.body["total"], 2);
    assert!(reply.items("workstream").iter().all(|w| w == "ws1"));
    let reply = get(&app, "/api/v1/memberships?workstream=ws2").await;
    assert_eq!(reply.items("organisation"), ["scb"]);
    let all = get(&app, "/api/v1/memberships").await;
    assert_eq!(all.body["total"], 3);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn memberships_filtered_by_organisation_include_its_people(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "inegi")).await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws2", "claire.dubois@insee.fr", "lead"),
    )
    .await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws2", "ana.lopez@inegi.org.mx", "member"),
    )
    .await;
    let reply = get(&app, "/api/v1/memberships?organisation=insee").await;
    assert_eq!(reply.body["total"], 2, "{}", reply.body);
    let mut names = reply.items("name");
    names.sort();
    assert_eq!(names, ["Claire Dubois", "Organisation insee"]);
    // A person's membership names their organisation; an organisation's has none.
    let items = reply.body["items"].as_array().unwrap();
    let claire = items.iter().find(|m| m["name"] == "Claire Dubois").unwrap();
    assert_eq!(claire["user_organisation"], "insee", "{claire}");
    assert_eq!(claire["role"], "lead");
    let insee = items.iter().find(|m| m["organisation"] == "insee").unwrap();
    assert!(insee.get("user_organisation").is_none(), "{insee}");
    // Slugs are read in any case.
    assert_eq!(
        get(
            &app,
            "/api/v1/memberships?organisation=INSEE&workstream=WS2"
        )
        .await
        .items("name"),
        ["Claire Dubois"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn memberships_are_filtered_by_role(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "claire.dubois@insee.fr", "lead"),
    )
    .await;
    create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "ana.lopez@inegi.org.mx", "member"),
    )
    .await;
    let leads = get(&app, "/api/v1/memberships?role=lead").await;
    assert_eq!(leads.items("name"), ["Claire Dubois"]);
    assert_eq!(leads.body["total"], 1);
    let members = get(&app, "/api/v1/memberships?role=member").await;
    assert_eq!(members.body["total"], 2);
    assert_invalid(&get(&app, "/api/v1/memberships?role=chair").await, "role");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn membership_pages_cover_the_list_once_in_a_stable_order(pool: PgPool) {
    let app = setup(&pool).await;
    for (ws, org) in [
        ("ws1", "insee"),
        ("ws1", "inegi"),
        ("ws1", "scb"),
        ("ws2", "insee"),
        ("ws2", "scb"),
    ] {
        create(&app, "/api/v1/memberships", &org_membership(ws, org)).await;
    }
    let all = get(&app, "/api/v1/memberships?per_page=100").await;
    assert_eq!(all.body["total"], 5);
    let mut paged = Vec::new();
    for page in 1..=3 {
        let reply = get(&app, &format!("/api/v1/memberships?per_page=2&page={page}")).await;
        assert_eq!(reply.body["total"], 5);
        paged.extend(reply.items("id"));
    }
    assert_eq!(paged, all.items("id"));
    assert_invalid(
        &get(&app, "/api/v1/memberships?per_page=0").await,
        "per_page",
    );
    assert_invalid(
        &get(&app, "/api/v1/memberships?per_page=101").await,
        "per_page",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn people_s_e_mail_addresses_are_hidden_from_the_anonymous_caller(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "claire.dubois@insee.fr", "lead"),
    )
    .await;
    let id = reply.body["id"].as_i64().unwrap();
    let read = get(&app, &format!("/api/v1/memberships/{id}")).await;
    assert_eq!(read.body["name"], "Claire Dubois");
    assert!(read.body.get("user").is_none(), "{}", read.body);
    let list = get(&app, "/api/v1/memberships").await;
    assert!(list.body["items"][0].get("user").is_none(), "{}", list.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn putting_a_membership_changes_its_role(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "ana.lopez@inegi.org.mx", "member"),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    let uri = format!("/api/v1/memberships/{id}");
    let reply = put(
        &app,
        &uri,
        &user_membership("ws1", "ana.lopez@inegi.org.mx", "lead"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["id"], id);
    assert_eq!(reply.body["role"], "lead");
    assert_eq!(get(&app, &uri).await.body["role"], "lead");
    assert_eq!(
        last_event(&pool).await,
        ("membership.updated".into(), id.to_string())
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn putting_a_membership_naming_another_member_is_rejected_naming_workstream(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    let id = created.body["id"].as_i64().unwrap();
    let events = event_count(&pool).await;
    let reply = put(
        &app,
        &format!("/api/v1/memberships/{id}"),
        &org_membership("ws2", "insee"),
    )
    .await;
    assert_invalid(&reply, "workstream");
    // The membership the refused body would have added was rolled back, with its event.
    assert_eq!(count(&pool, "memberships").await, 1);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_membership_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = put(
        &app,
        "/api/v1/memberships/4242",
        &org_membership("ws1", "insee"),
    )
    .await;
    assert_not_found(&reply);
    assert_eq!(count(&pool, "memberships").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn deleting_a_membership_removes_it(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    let id = created.body["id"].as_i64().unwrap();
    let uri = format!("/api/v1/memberships/{id}");
    let reply = delete(&app, &uri).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.body, serde_json::Value::Null);
    assert_not_found(&get(&app, &uri).await);
    assert_eq!(get(&app, "/api/v1/memberships").await.body["total"], 0);
    assert_eq!(
        last_event(&pool).await,
        ("membership.deleted".into(), id.to_string())
    );
    assert_not_found(&delete(&app, &uri).await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn deleting_a_missing_membership_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    let events = event_count(&pool).await;
    assert_not_found(&delete(&app, "/api/v1/memberships/4242").await);
    assert_eq!(event_count(&pool).await, events);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_lead_given_as_an_organisation_is_rejected_naming_role(pool: PgPool) {
    let app = setup(&pool).await;
    let body = with(org_membership("ws1", "insee"), "role", json!("lead"));
    assert_invalid(&post(&app, "/api/v1/memberships", &body).await, "role");
    assert_eq!(count(&pool, "memberships").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_membership_needs_exactly_one_member(pool: PgPool) {
    let app = setup(&pool).await;
    let neither = json!({ "workstream": "ws1" });
    assert_invalid(
        &post(&app, "/api/v1/memberships", &neither).await,
        "organisation",
    );
    let both = with(
        org_membership("ws1", "insee"),
        "user",
        json!("claire.dubois@insee.fr"),
    );
    assert_invalid(&post(&app, "/api/v1/memberships", &both).await, "user");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_membership_of_unknown_things_is_rejected_naming_the_unknown_one(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = post(&app, "/api/v1/memberships", &org_membership("ws9", "insee")).await;
    assert_invalid(&reply, "workstream");
    let reply = post(
        &app,
        "/api/v1/memberships",
        &org_membership("ws1", "nowhere"),
    )
    .await;
    assert_invalid(&reply, "organisation");
    let reply = post(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "nobody@insee.fr", "member"),
    )
    .await;
    assert_invalid(&reply, "user");
    let reply = post(
        &app,
        "/api/v1/memberships",
        &user_membership("ws1", "not-an-address", "member"),
    )
    .await;
    assert_invalid(&reply, "user");
    assert_eq!(count(&pool, "memberships").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn memberships_of_a_members_only_workstream_are_hidden_from_the_anonymous_caller(
    pool: PgPool,
) {
    let app = setup(&pool).await;
    let hidden = with(workstream("ws3", "WS3"), "visibility", json!("members"));
    create(&app, "/api/v1/workstreams", &hidden).await;
    create(&app, "/api/v1/memberships", &org_membership("ws1", "insee")).await;
    let secret = create(&app, "/api/v1/memberships", &org_membership("ws3", "insee")).await;
    let list = get(&app, "/api/v1/memberships").await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.items("workstream"), ["ws1"]);
    let id = secret.body["id"].as_i64().unwrap();
    assert_not_found(&get(&app, &format!("/api/v1/memberships/{id}")).await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_membership_id_that_is_not_a_number_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    for id in ["abc", "1.5", "99999999999999999999"] {
        let uri = format!("/api/v1/memberships/{id}");
        assert_not_found(&get(&app, &uri).await);
        assert_not_found(&put(&app, &uri, &org_membership("ws1", "insee")).await);
        assert_not_found(&delete(&app, &uri).await);
    }
    assert_eq!(count(&pool, "memberships").await, 0);
}
