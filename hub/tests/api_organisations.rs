//! `/api/v1/organisations`: create, read, list, replace, and the errors of each.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_an_organisation_answers_201_with_its_location_and_body(pool: PgPool) {
    let app = app(pool);
    let body = json!({
        "slug": "insee",
        "name": "Institut national de la statistique et des études économiques",
        "short_name": "INSEE",
        "kind": "national-statistical-office",
        "country": "FR",
        "website": "https://www.insee.fr",
    });
    let reply = create(&app, "/api/v1/organisations", &body).await;
    assert_eq!(reply.location(), "/api/v1/organisations/insee");
    for key in ["slug", "name", "short_name", "kind", "country"] {
        assert_eq!(reply.body[key], body[key], "{key}");
    }
    // Web URLs are stored parsed: an empty path is written `/`.
    assert_eq!(reply.body["website"], "https://www.insee.fr/");
    assert!(reply.body["created_at"].is_string());
    assert!(reply.body["updated_at"].is_string());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_created_organisation_can_be_read_back(pool: PgPool) {
    let app = app(pool);
    let created = create(&app, "/api/v1/organisations", &organisation("inegi")).await;
    let reply = get(&app, "/api/v1/organisations/inegi").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, created.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_organisation_is_404(pool: PgPool) {
    let app = app(pool);
    assert_not_found(&get(&app, "/api/v1/organisations/nowhere").await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisations_are_listed_by_slug(pool: PgPool) {
    let app = app(pool);
    for slug in ["scb", "imf", "insee"] {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    let reply = get(&app, "/api/v1/organisations").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.items("slug"), ["imf", "insee", "scb"]);
    assert_eq!(reply.body["total"], 3);
    assert_eq!(reply.body["page"], 1);
    assert_eq!(reply.body["per_page"], 20);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisation_pages_cover_the_list_once_in_a_stable_order(pool: PgPool) {
    let app = app(pool);
    let slugs = ["ab", "cd", "ef", "gh", "ij"];
    for slug in slugs.iter().rev() {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    let mut seen = Vec::new();
    for page in 1..=3 {
        let reply = get(
            &app,
            &format!("/api/v1/organisations?page={page}&per_page=2"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["total"], 5);
        assert_eq!(reply.body["page"], page);
        assert_eq!(reply.body["per_page"], 2);
        seen.extend(reply.items("slug"));
    }
    assert_eq!(seen, slugs);
    let beyond = get(&app, "/api/v1/organisations?page=4&per_page=2").await;
    assert_eq!(beyond.items("slug"), Vec::<String>::new());
    assert_eq!(beyond.body["total"], 5);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisation_per_page_outside_1_to_100_is_rejected_naming_per_page(pool: PgPool) {
    let app = app(pool);
    assert_invalid(
        &get(&app, "/api/v1/organisations?per_page=0").await,
        "per_page",
    );
    assert_invalid(
        &get(&app, "/api/v1/organisations?per_page=101").await,
        "per_page",
    );
    assert_eq!(
        get(&app, "/api/v1/organisations?per_page=100").await.status,
        StatusCode::OK
    );
    assert_invalid(&get(&app, "/api/v1/organisations?page=0").await, "page");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replacing_an_organisation_changes_it(pool: PgPool) {
    let app = app(pool);
    let created = create(&app, "/api/v1/organisations", &organisation("scb")).await;
    let changed = json!({
        "slug": "scb",
        "name": "Statistics Sweden",
        "short_name": "SCB",
        "kind": "national-statistical-office",
        "country": "SE",
    });
    let reply = put(&app, "/api/v1/organisations/scb", &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.location(), "/api/v1/organisations/scb");
    assert_eq!(reply.body["name"], "Statistics Sweden");
    assert_eq!(reply.body["created_at"], created.body["created_at"]);
    let read = get(&app, "/api/v1/organisations/scb").await;
    assert_eq!(read.body, reply.body);
    assert_eq!(read.body["country"], "SE");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_with_a_mismatching_slug_is_rejected_naming_slug(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/organisations", &organisation("scb")).await;
    create(&app, "/api/v1/organisations", &organisation("ons")).await;
    let events = event_count(&pool).await;
    let reply = put(&app, "/api/v1/organisations/scb", &organisation("ons")).await;
    assert_invalid(&reply, "slug");
    assert_eq!(event_count(&pool).await, events);
    assert_eq!(
        get(&app, "/api/v1/organisations/scb").await.body["slug"],
        "scb"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_organisation_is_404(pool: PgPool) {
    let app = app(pool.clone());
    assert_not_found(&put(&app, "/api/v1/organisations/ghost", &organisation("ghost")).await);
    assert_eq!(count(&pool, "organisations").await, 0);
    assert_eq!(event_count(&pool).await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_duplicate_organisation_slug_is_a_409_naming_slug(pool: PgPool) {
    let app = app(pool.clone());
    create(&app, "/api/v1/organisations", &organisation("istat")).await;
    let reply = post(&app, "/api/v1/organisations", &organisation("istat")).await;
    assert_conflict(&reply, "slug");
    assert_eq!(count(&pool, "organisations").await, 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_organisation_slug_is_rejected_naming_slug(pool: PgPool) {
    let app = app(pool.clone());
    for bad in ["Insee", "a", "in--see", "-insee", "insee_fr"] {
        let reply = post(&app, "/api/v1/organisations", &organisation(bad)).await;
        assert_invalid(&reply, "slug");
    }
    assert_eq!(count(&pool, "organisations").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_statistical_office_without_country_is_rejected_naming_country(pool: PgPool) {
    let app = app(pool);
    let body = with(
        organisation("destatis"),
        "kind",
        json!("national-statistical-office"),
    );
    assert_invalid(&post(&app, "/api/v1/organisations", &body).await, "country");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_country_code_is_rejected_naming_country(pool: PgPool) {
    let app = app(pool);
    let body = with(organisation("destatis"), "country", json!("deu"));
    assert_invalid(&post(&app, "/api/v1/organisations", &body).await, "country");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_non_http_website_is_rejected_naming_website(pool: PgPool) {
    let app = app(pool);
    let body = with(organisation("cbs"), "website", json!("ftp://cbs.nl/"));
    assert_invalid(&post(&app, "/api/v1/organisations", &body).await, "website");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_organisation_kind_is_rejected_naming_kind(pool: PgPool) {
    let app = app(pool);
    let body = with(organisation("cbs"), "kind", json!("ministry"));
    assert_invalid(&post(&app, "/api/v1/organisations", &body).await, "kind");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_missing_organisation_name_is_rejected_naming_name(pool: PgPool) {
    let app = app(pool);
    let reply = post(
        &app,
        "/api/v1/organisations",
        &without(organisation("cbs"), "name"),
    )
    .await;
    assert_invalid(&reply, "name");
    assert_eq!(reply.body["error"]["message"], "is required");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_organisation_field_is_rejected_naming_it(pool: PgPool) {
    let app = app(pool);
    let body = with(organisation("cbs"), "motto", json!("data"));
    assert_invalid(&post(&app, "/api/v1/organisations", &body).await, "motto");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_query_parameter_on_organisations_is_rejected_naming_it(pool: PgPool) {
    let app = app(pool);
    assert_invalid(&get(&app, "/api/v1/organisations?sort=name").await, "sort");
}
