//! `/api/v1/projects`: create, read, list with filters and pages, replace, validation.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Organisations `insee`, `inegi`, `imf`; workstreams `ws1` (WS1) and `ws2` (WS2).
async fn setup(pool: &PgPool) -> Router {
    let app = app(pool.clone());
    for slug in ["insee", "inegi", "imf"] {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws2", "WS2")).await;
    app
}

/// A project that fills every field.
fn full_project() -> Value {
    json!({
        "slug": "insee-ape-coding",
        "title": "APE activity coding",
        "summary": "Codes the activity of new businesses.",
        "organisations": ["insee", "inegi"],
        "workstreams": ["ws1", "ws2"],
        "stage": "production",
        "gsbpm": "5.2",
        "domain": "business register",
        "task": "coding",
        "data_sources": ["Sirene registrations"],
        "languages": ["fr", "es"],
        "repositories": ["https://github.com/InseeFrLab/codif-ape-train"],
        "contacts": [{ "name": "Claire Dubois", "email": "claire.dubois@insee.fr" }],
        "tags": ["nace", "fasttext"],
        "visibility": "public",
    })
}

async fn post_project(app: &Router, body: &Value) -> common::Reply {
    post(app, "/api/v1/projects", body).await
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_a_project_answers_201_with_every_field_stored(pool: PgPool) {
    let app = setup(&pool).await;
    let body = full_project();
    let reply = create(&app, "/api/v1/projects", &body).await;
    assert_eq!(reply.location(), "/api/v1/projects/insee-ape-coding");
    for (key, value) in body.as_object().unwrap() {
        assert_eq!(&reply.body[key], value, "{key}");
    }
    assert_eq!(reply.body["provenance"]["origin"], "manual");
    assert_eq!(reply.body["provenance"]["withdrawn"], false);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_minimal_project_gets_empty_lists_and_stays_with_its_organisations(pool: PgPool) {
    let app = setup(&pool).await;
    let body = without(project("naf-coding", &["insee"]), "visibility");
    let reply = create(&app, "/api/v1/projects", &body).await;
    assert_eq!(reply.body["visibility"], "organisation");
    assert_eq!(reply.body["workstreams"], json!([]));
    assert_eq!(reply.body["contacts"], json!([]));
    assert!(reply.body.get("task").is_none());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_created_project_can_be_read_back(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/projects", &full_project()).await;
    let reply = get(&app, "/api/v1/projects/insee-ape-coding").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, created.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_project_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    assert_not_found(&get(&app, "/api/v1/projects/nothing-here").await);
}

/// Four public projects with distinct workstreams, organisations, stages and tasks.
async fn four_projects(app: &Router) {
    let projects = [
        ("a-coding", vec!["insee"], vec!["ws1"], "pilot", "coding"),
        (
            "b-imputation",
            vec!["inegi"],
            vec!["ws2"],
            "production",
            "imputation",
        ),
        (
            "c-nowcast",
            vec!["imf", "insee"],
            vec!["ws1", "ws2"],
            "production",
            "nowcasting",
        ),
        ("d-idea", vec!["imf"], vec![], "idea", "coding"),
    ];
    for (slug, orgs, wss, stage, task) in projects {
        let body = project(slug, &orgs);
        let body = with(body, "workstreams", json!(wss));
        let body = with(body, "stage", json!(stage));
        let body = with(body, "task", json!(task));
        create(app, "/api/v1/projects", &body).await;
    }
}

async fn listed(app: &Router, query: &str) -> Vec<String> {
    let reply = get(app, &format!("/api/v1/projects?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    let mut slugs = reply.items("slug");
    assert_eq!(reply.body["total"], slugs.len(), "{query}");
    slugs.sort();
    slugs
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_filtered_by_workstream(pool: PgPool) {
    let app = setup(&pool).await;
    four_projects(&app).await;
    assert_eq!(
        listed(&app, "workstream=ws1").await,
        ["a-coding", "c-nowcast"]
    );
    assert_eq!(
        listed(&app, "workstream=ws2").await,
        ["b-imputation", "c-nowcast"]
    );
    // An unknown key is an error naming it, not a silent empty list.
    assert_invalid(
        &get(&app, "/api/v1/projects?workstream=ws9").await,
        "workstream",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_filtered_by_organisation(pool: PgPool) {
    let app = setup(&pool).await;
    four_projects(&app).await;
    assert_eq!(
        listed(&app, "organisation=insee").await,
        ["a-coding", "c-nowcast"]
    );
    assert_eq!(
        listed(&app, "organisation=imf").await,
        ["c-nowcast", "d-idea"]
    );
    assert_eq!(listed(&app, "organisation=inegi").await, ["b-imputation"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_filtered_by_stage(pool: PgPool) {
    let app = setup(&pool).await;
    four_projects(&app).await;
    assert_eq!(
        listed(&app, "stage=production").await,
        ["b-imputation", "c-nowcast"]
    );
    assert_eq!(listed(&app, "stage=idea").await, ["d-idea"]);
    assert!(listed(&app, "stage=maintenance").await.is_empty());
    assert_invalid(&get(&app, "/api/v1/projects?stage=bogus").await, "stage");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_filtered_by_task(pool: PgPool) {
    let app = setup(&pool).await;
    four_projects(&app).await;
    assert_eq!(listed(&app, "task=coding").await, ["a-coding", "d-idea"]);
    assert_eq!(listed(&app, "task=nowcasting").await, ["c-nowcast"]);
    assert_invalid(&get(&app, "/api/v1/projects?task=divination").await, "task");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn project_filters_combine(pool: PgPool) {
    let app = setup(&pool).await;
    four_projects(&app).await;
    assert_eq!(
        listed(&app, "organisation=insee&stage=production").await,
        ["c-nowcast"]
    );
    assert_eq!(
        listed(&app, "workstream=ws1&task=coding").await,
        ["a-coding"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_are_listed_most_recently_updated_first_in_stable_pages(pool: PgPool) {
    let app = setup(&pool).await;
    let slugs = ["p-one", "p-two", "p-three", "p-four", "p-five"];
    for slug in slugs {
        create(&app, "/api/v1/projects", &project(slug, &["insee"])).await;
    }
    let newest_first: Vec<&str> = slugs.iter().rev().copied().collect();
    assert_eq!(
        get(&app, "/api/v1/projects").await.items("slug"),
        newest_first
    );
    let mut paged = Vec::new();
    for page in 1..=3 {
        let reply = get(&app, &format!("/api/v1/projects?page={page}&per_page=2")).await;
        assert_eq!(reply.body["total"], 5);
        assert_eq!(reply.body["page"], page);
        assert_eq!(reply.body["per_page"], 2);
        assert_eq!(reply.items("slug").len(), if page < 3 { 2 } else { 1 });
        paged.extend(reply.items("slug"));
    }
    assert_eq!(paged, newest_first);

    // An update moves the project to the front.
    let changed = with(project("p-two", &["insee"]), "stage", json!("validated"));
    assert_eq!(
        put(&app, "/api/v1/projects/p-two", &changed).await.status,
        StatusCode::OK
    );
    let order = get(&app, "/api/v1/projects").await.items("slug");
    assert_eq!(order, ["p-two", "p-five", "p-four", "p-three", "p-one"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn project_per_page_outside_1_to_100_is_rejected_naming_per_page(pool: PgPool) {
    let app = setup(&pool).await;
    assert_invalid(&get(&app, "/api/v1/projects?per_page=0").await, "per_page");
    assert_invalid(
        &get(&app, "/api/v1/projects?per_page=101").await,
        "per_page",
    );
    assert_invalid(
        &get(&app, "/api/v1/projects?per_page=many").await,
        "per_page",
    );
    assert_invalid(&get(&app, "/api/v1/projects?page=0").await, "page");
    assert_eq!(
        get(&app, "/api/v1/projects?per_page=100").await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_project_query_parameter_is_rejected_naming_it(pool: PgPool) {
    let app = setup(&pool).await;
    assert_invalid(&get(&app, "/api/v1/projects?country=FR").await, "country");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replacing_a_project_changes_it(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/projects", &full_project()).await;
    let changed = with(full_project(), "title", json!("APE coding, second edition"));
    let changed = with(changed, "workstreams", json!(["ws2"]));
    let reply = put(&app, "/api/v1/projects/insee-ape-coding", &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.location(), "/api/v1/projects/insee-ape-coding");
    assert_eq!(reply.body["title"], "APE coding, second edition");
    assert_eq!(reply.body["workstreams"], json!(["ws2"]));
    assert_eq!(reply.body["created_at"], created.body["created_at"]);
    assert_eq!(
        get(&app, "/api/v1/projects/insee-ape-coding").await.body,
        reply.body
    );
    assert_eq!(count(&pool, "project_workstreams").await, 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_project_with_a_mismatching_slug_is_rejected_naming_slug(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("one", &["insee"])).await;
    let reply = put(&app, "/api/v1/projects/one", &project("two", &["insee"])).await;
    assert_invalid(&reply, "slug");
    assert_not_found(&get(&app, "/api/v1/projects/two").await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_project_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    assert_not_found(
        &put(
            &app,
            "/api/v1/projects/ghost",
            &project("ghost", &["insee"]),
        )
        .await,
    );
    assert_eq!(count(&pool, "projects").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_duplicate_project_slug_is_a_409_naming_slug(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("twice", &["insee"])).await;
    assert_conflict(
        &post_project(&app, &project("twice", &["inegi"])).await,
        "slug",
    );
    assert_eq!(
        get(&app, "/api/v1/projects/twice").await.body["organisations"],
        json!(["insee"])
    );
}

// --- Validation: each error names its field ----------------------------------------------

async fn assert_refused(pool: &PgPool, body: Value, field: &str) {
    let app = setup(pool).await;
    let events = event_count(pool).await;
    assert_invalid(&post_project(&app, &body).await, field);
    assert_eq!(count(pool, "projects").await, 0, "{field}");
    assert_eq!(event_count(pool).await, events, "{field}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bogus_stage_is_rejected_naming_stage(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "stage", json!("bogus"));
    assert_refused(&pool, body, "stage").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_project_slug_is_rejected_naming_slug(pool: PgPool) {
    assert_refused(&pool, project("Not A Slug", &["insee"]), "slug").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_language_code_is_rejected_naming_its_index(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "languages", json!(["fr", "xx"]));
    assert_refused(&pool, body, "languages[1]").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_gsbpm_code_is_rejected_naming_gsbpm(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "gsbpm", json!("9.9"));
    assert_refused(&pool, body, "gsbpm").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_non_http_repository_is_rejected_naming_its_index(pool: PgPool) {
    let repos = json!(["https://github.com/a/b", "ftp://example.org/repo"]);
    let body = with(project("p-x", &["insee"]), "repositories", repos);
    assert_refused(&pool, body, "repositories[1]").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_project_field_is_rejected_naming_it(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "colour", json!("red"));
    assert_refused(&pool, body, "colour").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_nested_field_is_rejected_naming_its_path(pool: PgPool) {
    let contacts = json!([{ "name": "A", "email": "a@insee.fr", "phone": "+33 1" }]);
    let body = with(project("p-x", &["insee"]), "contacts", contacts);
    assert_refused(&pool, body, "contacts[0].phone").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_bad_contact_email_is_rejected_naming_its_path(pool: PgPool) {
    let contacts = json!([{ "name": "A", "email": "a@insee.fr" }, { "name": "B", "email": "b" }]);
    let body = with(project("p-x", &["insee"]), "contacts", contacts);
    assert_refused(&pool, body, "contacts[1].email").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_missing_required_project_field_is_rejected_naming_it(pool: PgPool) {
    assert_refused(&pool, without(project("p-x", &["insee"]), "title"), "title").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_project_without_organisations_is_rejected_naming_organisations(pool: PgPool) {
    assert_refused(&pool, project("p-x", &[]), "organisations").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_organisation_is_rejected_naming_its_index(pool: PgPool) {
    assert_refused(
        &pool,
        project("p-x", &["nowhere", "insee"]),
        "organisations[0]",
    )
    .await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_workstream_is_rejected_naming_its_index(pool: PgPool) {
    let body = with(
        project("p-x", &["insee"]),
        "workstreams",
        json!(["ws1", "ws9"]),
    );
    assert_refused(&pool, body, "workstreams[1]").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_repeated_organisation_is_rejected_naming_its_index(pool: PgPool) {
    assert_refused(
        &pool,
        project("p-x", &["insee", "insee"]),
        "organisations[1]",
    )
    .await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_empty_title_is_rejected_naming_title(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "title", json!("   "));
    assert_refused(&pool, body, "title").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_wrongly_typed_field_is_rejected_naming_it(pool: PgPool) {
    let body = with(project("p-x", &["insee"]), "tags", json!("not-a-list"));
    assert_refused(&pool, body, "tags").await;
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_put_is_validated_like_a_post(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/projects", &project("p-x", &["insee"])).await;
    let body = with(project("p-x", &["insee"]), "stage", json!("bogus"));
    assert_invalid(&put(&app, "/api/v1/projects/p-x", &body).await, "stage");
    let body = project("p-x", &["nowhere"]);
    assert_invalid(
        &put(&app, "/api/v1/projects/p-x", &body).await,
        "organisations[0]",
    );
    assert_eq!(
        get(&app, "/api/v1/projects/p-x").await.body["stage"],
        "pilot"
    );
}

// --- Visibility -----------------------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn only_public_projects_are_shown_to_the_anonymous_caller(pool: PgPool) {
    let app = setup(&pool).await;
    for (slug, visibility) in [
        ("open", "public"),
        ("club", "members"),
        ("house", "organisation"),
    ] {
        let body = with(project(slug, &["insee"]), "visibility", json!(visibility));
        let reply = create(&app, "/api/v1/projects", &body).await;
        assert_eq!(reply.body["visibility"], visibility);
    }
    let list = get(&app, "/api/v1/projects").await;
    assert_eq!(list.items("slug"), ["open"]);
    assert_eq!(list.body["total"], 1);
    assert_eq!(listed(&app, "organisation=insee").await, ["open"]);
    assert_eq!(
        get(&app, "/api/v1/projects/open").await.status,
        StatusCode::OK
    );
    assert_not_found(&get(&app, "/api/v1/projects/club").await);
    assert_not_found(&get(&app, "/api/v1/projects/house").await);
}
