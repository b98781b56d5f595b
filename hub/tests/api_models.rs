//! `/api/v1/models`: model cards, their versions and evaluation results.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Organisations `insee` and `inegi`; workstreams `ws1`, `ws2`; public projects
/// `ape-coding` (INSEE, WS1) and `enoe-coding` (INEGI, WS2).
async fn setup(pool: &PgPool) -> Router {
    let app = app(pool.clone());
    for slug in ["insee", "inegi"] {
        create(&app, "/api/v1/organisations", &organisation(slug)).await;
    }
    create(&app, "/api/v1/workstreams", &workstream("ws1", "WS1")).await;
    create(&app, "/api/v1/workstreams", &workstream("ws2", "WS2")).await;
    let ape = with(
        project("ape-coding", &["insee"]),
        "workstreams",
        json!(["ws1"]),
    );
    create(&app, "/api/v1/projects", &ape).await;
    let enoe = with(
        project("enoe-coding", &["inegi"]),
        "workstreams",
        json!(["ws2"]),
    );
    create(&app, "/api/v1/projects", &enoe).await;
    app
}

/// A model card that fills most fields, with a `model-index`.
fn full_card() -> Value {
    json!({
        "organisation": "insee",
        "name": "naf-coder",
        "title": "NAF activity coder",
        "summary": "Assigns a NAF sub-class to an activity description.",
        "project": "ape-coding",
        "task": "coding",
        "pipeline_tag": "text-classification",
        "library_name": "fasttext",
        "license": "mit",
        "language": ["fr"],
        "tags": ["nace"],
        "datasets": ["sirene-2018-2024"],
        "metrics": ["accuracy"],
        "model-index": [{
            "name": "naf-coder",
            "results": [{
                "task": { "type": "text-classification" },
                "dataset": { "type": "insee/sirene", "name": "Sirene", "split": "test" },
                "metrics": [{ "type": "accuracy", "value": 0.915 }],
            }],
        }],
        "intended_use": "Coding new registrations.",
        "visibility": "public",
    })
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn creating_a_model_card_answers_201_with_every_field_stored(pool: PgPool) {
    let app = setup(&pool).await;
    let body = full_card();
    let reply = create(&app, "/api/v1/models", &body).await;
    assert_eq!(reply.location(), "/api/v1/models/insee/naf-coder");
    for (key, value) in body.as_object().unwrap() {
        assert_eq!(&reply.body[key], value, "{key}");
    }
    assert!(reply.body.get("latest_version").is_none());
    assert_eq!(reply.body["provenance"]["origin"], "manual");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_licence_is_stored_in_lower_case(pool: PgPool) {
    let app = setup(&pool).await;
    let body = with(model_card("insee", "m-one"), "license", json!("Apache-2.0"));
    let reply = create(&app, "/api/v1/models", &body).await;
    assert_eq!(reply.body["license"], "apache-2.0");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_created_model_card_can_be_read_back(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/models", &full_card()).await;
    let reply = get(&app, "/api/v1/models/insee/naf-coder").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, created.body);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_model_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    assert_not_found(&get(&app, "/api/v1/models/insee/other-coder").await);
    assert_not_found(&get(&app, "/api/v1/models/inegi/naf-coder").await);
    assert_not_found(&get(&app, "/api/v1/models/nowhere/naf-coder").await);
}

/// Four public cards across organisations, projects, tasks and frameworks.
async fn four_cards(app: &Router) {
    let cards = [
        (
            "insee",
            "naf-coder",
            Some("ape-coding"),
            "coding",
            "fasttext",
        ),
        ("insee", "pcs-coder", None, "coding", "transformers"),
        (
            "inegi",
            "sinco-coder",
            Some("enoe-coding"),
            "coding",
            "Transformers",
        ),
        (
            "inegi",
            "imputer",
            Some("enoe-coding"),
            "imputation",
            "scikit-learn",
        ),
    ];
    for (org, name, project, task, library) in cards {
        let mut body = model_card(org, name);
        if let Some(p) = project {
            body = with(body, "project", json!(p));
        }
        let body = with(body, "task", json!(task));
        let body = with(body, "library_name", json!(library));
        create(app, "/api/v1/models", &body).await;
    }
}

async fn listed(app: &Router, query: &str) -> Vec<String> {
    let reply = get(app, &format!("/api/v1/models?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    let mut names = reply.items("name");
    assert_eq!(reply.body["total"], names.len(), "{query}");
    names.sort();
    names
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_organisation(pool: PgPool) {
    let app = setup(&pool).await;
    four_cards(&app).await;
    assert_eq!(
        listed(&app, "organisation=insee").await,
        ["naf-coder", "pcs-coder"]
    );
    assert_eq!(
        listed(&app, "organisation=inegi").await,
        ["imputer", "sinco-coder"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_project(pool: PgPool) {
    let app = setup(&pool).await;
    four_cards(&app).await;
    assert_eq!(listed(&app, "project=ape-coding").await, ["naf-coder"]);
    assert_eq!(
        listed(&app, "project=enoe-coding").await,
        ["imputer", "sinco-coder"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_workstream_through_their_project(pool: PgPool) {
    let app = setup(&pool).await;
    four_cards(&app).await;
    assert_eq!(listed(&app, "workstream=ws1").await, ["naf-coder"]);
    assert_eq!(
        listed(&app, "workstream=ws2").await,
        ["imputer", "sinco-coder"]
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_task(pool: PgPool) {
    let app = setup(&pool).await;
    four_cards(&app).await;
    assert_eq!(listed(&app, "task=imputation").await, ["imputer"]);
    assert_eq!(listed(&app, "task=coding").await.len(), 3);
    assert_invalid(&get(&app, "/api/v1/models?task=magic").await, "task");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_framework_ignoring_case(pool: PgPool) {
    let app = setup(&pool).await;
    four_cards(&app).await;
    assert_eq!(
        listed(&app, "framework=transformers").await,
        ["pcs-coder", "sinco-coder"]
    );
    assert_eq!(listed(&app, "framework=FastText").await, ["naf-coder"]);
    assert!(listed(&app, "framework=torch").await.is_empty());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_filtered_by_language_licence_and_tag_in_any_case(pool: PgPool) {
    let app = setup(&pool).await;
    for (name, language, license, tags) in [
        (
            "fr-coder",
            json!(["fr-CA", "en"]),
            "apache-2.0",
            json!(["Occupation"]),
        ),
        (
            "es-coder",
            json!(["es"]),
            "mit",
            json!(["occupation", "sinco"]),
        ),
        ("no-language", json!([]), "mit", json!([])),
    ] {
        let body = with(model_card("insee", name), "language", language);
        let body = with(body, "license", json!(license));
        let body = with(body, "tags", tags);
        create(&app, "/api/v1/models", &body).await;
    }
    assert_eq!(listed(&app, "language=FR").await, ["fr-coder"]);
    assert_eq!(listed(&app, "language=fr-ca").await, ["fr-coder"]);
    assert!(
        listed(&app, "language=f").await.is_empty(),
        "a code, not a prefix"
    );
    assert_eq!(
        listed(&app, "license=MIT").await,
        ["es-coder", "no-language"]
    );
    assert_eq!(
        listed(&app, "tag=OCCUPATION").await,
        ["es-coder", "fr-coder"]
    );
    assert_eq!(
        listed(&app, "tag=occupation&language=es").await,
        ["es-coder"]
    );
    assert_eq!(
        listed(&app, "organisation=INSEE").await,
        ["es-coder", "fr-coder", "no-language"]
    );
    let by_name = get(&app, "/api/v1/models?sort=name").await;
    assert_eq!(
        by_name.items("name"),
        ["es-coder", "fr-coder", "no-language"]
    );
    let by_created = get(&app, "/api/v1/models?sort=created").await;
    assert_eq!(
        by_created.items("name"),
        ["no-language", "es-coder", "fr-coder"]
    );
    assert_invalid(&get(&app, "/api/v1/models?sort=downloads").await, "sort");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn models_are_listed_most_recently_updated_first_in_stable_pages(pool: PgPool) {
    let app = setup(&pool).await;
    let names = ["m-one", "m-two", "m-three", "m-four", "m-five"];
    for name in names {
        create(&app, "/api/v1/models", &model_card("insee", name)).await;
    }
    let newest_first: Vec<&str> = names.iter().rev().copied().collect();
    assert_eq!(
        get(&app, "/api/v1/models").await.items("name"),
        newest_first
    );
    let mut paged = Vec::new();
    for page in 1..=3 {
        let reply = get(&app, &format!("/api/v1/models?page={page}&per_page=2")).await;
        assert_eq!(reply.body["total"], 5);
        assert_eq!(reply.body["per_page"], 2);
        paged.extend(reply.items("name"));
    }
    assert_eq!(paged, newest_first);
    assert_invalid(&get(&app, "/api/v1/models?per_page=0").await, "per_page");
    assert_invalid(&get(&app, "/api/v1/models?per_page=101").await, "per_page");
    assert_invalid(&get(&app, "/api/v1/models?licence=mit").await, "licence");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replacing_a_model_card_changes_it(pool: PgPool) {
    let app = setup(&pool).await;
    let created = create(&app, "/api/v1/models", &full_card()).await;
    let changed = with(full_card(), "title", json!("NAF coder, retrained"));
    let changed = without(changed, "project");
    let reply = put(&app, "/api/v1/models/insee/naf-coder", &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.location(), "/api/v1/models/insee/naf-coder");
    assert_eq!(reply.body["title"], "NAF coder, retrained");
    assert!(reply.body.get("project").is_none());
    assert_eq!(reply.body["created_at"], created.body["created_at"]);
    assert_eq!(
        get(&app, "/api/v1/models/insee/naf-coder").await.body,
        reply.body
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_model_card_with_a_mismatching_key_is_rejected_naming_it(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let renamed = with(full_card(), "name", json!("ape-coder"));
    assert_invalid(
        &put(&app, "/api/v1/models/insee/naf-coder", &renamed).await,
        "name",
    );
    let moved = with(full_card(), "organisation", json!("inegi"));
    let moved = without(moved, "project");
    assert_invalid(
        &put(&app, "/api/v1/models/insee/naf-coder", &moved).await,
        "organisation",
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_model_card_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = put(
        &app,
        "/api/v1/models/insee/ghost",
        &model_card("insee", "ghost"),
    )
    .await;
    assert_not_found(&reply);
    assert_eq!(count(&pool, "model_cards").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_duplicate_model_name_within_an_organisation_is_a_409_naming_name(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &model_card("insee", "coder")).await;
    assert_conflict(
        &post(&app, "/api/v1/models", &model_card("insee", "coder")).await,
        "name",
    );
    // The same name in another organisation is another model.
    create(&app, "/api/v1/models", &model_card("inegi", "coder")).await;
    assert_eq!(count(&pool, "model_cards").await, 2);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_model_card_of_an_unknown_organisation_is_rejected_naming_organisation(pool: PgPool) {
    let app = setup(&pool).await;
    let reply = post(&app, "/api/v1/models", &model_card("nowhere", "coder")).await;
    assert_invalid(&reply, "organisation");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_model_card_of_an_unknown_project_is_rejected_naming_project(pool: PgPool) {
    let app = setup(&pool).await;
    let body = with(
        model_card("insee", "coder"),
        "project",
        json!("no-such-project"),
    );
    assert_invalid(&post(&app, "/api/v1/models", &body).await, "project");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn model_cards_without_a_usable_name_or_over_a_limit_are_refused(pool: PgPool) {
    let app = setup(&pool).await;
    let cases = [
        (model_card("insee", "C X"), "name"),
        (without(model_card("insee", "c-x"), "name"), "name"),
        (
            with(model_card("insee", "c-x"), "title", json!("t".repeat(201))),
            "title",
        ),
        (
            with(model_card("insee", "c-x"), "summary", json!("nul\u{0}here")),
            "summary",
        ),
    ];
    for (body, field) in cases {
        assert_invalid(&post(&app, "/api/v1/models", &body).await, field);
    }
    assert_eq!(count(&pool, "model_cards").await, 0);
}

/// Values the hub cannot use (a licence, language or task outside its lists, a repeated
/// tag) keep the card: they are kept as written, with a warning naming their path; unknown
/// keys are kept without one.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn odd_model_card_values_are_kept_with_warnings_naming_their_path(pool: PgPool) {
    let app = setup(&pool).await;
    let cases = [
        ("c-1", "license", json!("free-for-all"), Some("license")),
        (
            "c-2",
            "language",
            json!(["fr", "french"]),
            Some("language[1]"),
        ),
        ("c-3", "task", json!("telepathy"), Some("task")),
        ("c-4", "tags", json!(["a", "a"]), Some("tags[1]")),
        ("c-5", "framework", json!("torch"), None),
        (
            "c-6",
            "model-index",
            json!([{ "name": "x", "results": [{
                "task": { "type": "t" },
                "dataset": { "type": "d", "name": "n" },
                "metrics": [{ "type": "accuracy", "value": 0.9, "unit": "%" }],
            }]}]),
            None,
        ),
        (
            "c-7",
            "language",
            json!(["pt-BR", "zh-Hant", "es-419", "multilingual"]),
            None,
        ),
    ];
    for (name, field, value, warned) in cases {
        let body = with(model_card("insee", name), field, value.clone());
        let reply = post(&app, "/api/v1/models", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{field}: {}", reply.body);
        assert_eq!(reply.body[field], value, "{field} is given back as written");
        let warnings = reply.body["agora_warnings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        match warned {
            Some(path) => {
                assert_eq!(warnings.len(), 1, "{}", reply.body);
                assert_eq!(warnings[0]["field"], path);
                assert!(
                    warnings[0]["reason"]
                        .as_str()
                        .is_some_and(|r| !r.is_empty())
                );
            }
            None => assert!(warnings.is_empty(), "{}", reply.body),
        }
    }
    assert_eq!(count(&pool, "model_cards").await, 7);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn only_public_model_cards_are_shown_to_the_anonymous_caller(pool: PgPool) {
    let app = setup(&pool).await;
    for (name, visibility) in [
        ("open", "public"),
        ("club", "members"),
        ("house", "organisation"),
    ] {
        let body = with(model_card("insee", name), "visibility", json!(visibility));
        create(&app, "/api/v1/models", &body).await;
        let version = post(
            &app,
            &format!("/api/v1/models/insee/{name}/versions"),
            &model_version("1"),
        )
        .await;
        assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    }
    let list = get(&app, "/api/v1/models").await;
    assert_eq!(list.items("name"), ["open"]);
    assert_eq!(list.body["total"], 1);
    for name in ["club", "house"] {
        assert_not_found(&get(&app, &format!("/api/v1/models/insee/{name}")).await);
        assert_not_found(&get(&app, &format!("/api/v1/models/insee/{name}/versions")).await);
        assert_not_found(&get(&app, &format!("/api/v1/models/insee/{name}/versions/1")).await);
    }
    assert_eq!(
        get(&app, "/api/v1/models/insee/open/versions/1")
            .await
            .status,
        StatusCode::OK
    );
}

// --- Versions ------------------------------------------------------------------------------

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn registering_a_version_answers_201_with_its_evaluation_results(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let body = json!({
        "version": "3",
        "description": "Retrained on 2024 registrations.",
        "stage": "production",
        "aliases": ["champion"],
        "artifact_uri": "s3://projet-ape/naf-coder/3",
        "registered_at": "2026-01-20T10:05:00Z",
        "results": [
            { "metric": "accuracy", "value": 0.915, "dataset": "sirene-2018-2024", "split": "test" },
            { "metric": "f1_macro", "value": 0.842, "dataset": "sirene-2018-2024" },
        ],
    });
    let reply = create(&app, "/api/v1/models/insee/naf-coder/versions", &body).await;
    assert_eq!(
        reply.location(),
        "/api/v1/models/insee/naf-coder/versions/3"
    );
    assert_eq!(reply.body["organisation"], "insee");
    assert_eq!(reply.body["model"], "naf-coder");
    for (key, value) in body.as_object().unwrap() {
        assert_eq!(&reply.body[key], value, "{key}");
    }
    let read = get(&app, "/api/v1/models/insee/naf-coder/versions/3").await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, reply.body);
    let card = get(&app, "/api/v1/models/insee/naf-coder").await;
    assert_eq!(card.body["latest_version"], "3");
}

/// Registers versions at the given times, in the given order.
async fn registered(app: &Router, uri: &str, versions: &[(&str, &str)]) {
    for (version, at) in versions {
        create(
            app,
            uri,
            &with(model_version(version), "registered_at", json!(at)),
        )
        .await;
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn versions_are_listed_newest_first(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    registered(
        &app,
        uri,
        &[
            ("2", "2025-07-03T14:15:00Z"),
            ("1", "2025-02-11T09:42:00Z"),
            ("3", "2026-01-20T10:05:00Z"),
        ],
    )
    .await;
    let reply = get(&app, uri).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.items("version"), ["3", "2", "1"]);
    assert_eq!(reply.body["items"][0]["results"][0]["metric"], "accuracy");
    assert_eq!(
        get(&app, "/api/v1/models/insee/naf-coder").await.body["latest_version"],
        "3"
    );
}

/// A registry can hold thousands of versions of one model: the list comes a page at a time.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn versions_come_a_page_at_a_time(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    registered(
        &app,
        uri,
        &[
            ("1", "2025-02-11T09:42:00Z"),
            ("2", "2025-07-03T14:15:00Z"),
            ("3", "2026-01-20T10:05:00Z"),
        ],
    )
    .await;
    let first = get(&app, &format!("{uri}?per_page=2")).await;
    assert_eq!(first.items("version"), ["3", "2"]);
    assert_eq!(first.body["total"], 3);
    let second = get(&app, &format!("{uri}?per_page=2&page=2")).await;
    assert_eq!(second.items("version"), ["1"]);
    assert_eq!(second.body["items"][0]["results"][0]["metric"], "accuracy");
    assert_eq!(second.body["page"], 2);
    assert_invalid(&get(&app, &format!("{uri}?per_page=101")).await, "per_page");
    assert_invalid(&get(&app, &format!("{uri}?page=0")).await, "page");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_model_without_versions_lists_none(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let reply = get(&app, "/api/v1/models/insee/naf-coder/versions").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body,
        json!({ "items": [], "total": 0, "page": 1, "per_page": 20 })
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn versions_of_an_unknown_model_are_404(pool: PgPool) {
    let app = setup(&pool).await;
    assert_not_found(&get(&app, "/api/v1/models/insee/ghost/versions").await);
    assert_not_found(&get(&app, "/api/v1/models/insee/ghost/versions/1").await);
    let reply = post(
        &app,
        "/api/v1/models/insee/ghost/versions",
        &model_version("1"),
    )
    .await;
    assert_not_found(&reply);
    assert_eq!(count(&pool, "model_versions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_unknown_version_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    create(
        &app,
        "/api/v1/models/insee/naf-coder/versions",
        &model_version("1"),
    )
    .await;
    assert_not_found(&get(&app, "/api/v1/models/insee/naf-coder/versions/2").await);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn replacing_a_version_replaces_its_evaluation_results(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    let created = create(&app, uri, &model_version("1")).await;
    let changed = json!({
        "version": "1",
        "stage": "archived",
        "results": [
            { "metric": "accuracy", "value": 0.93, "dataset": "audit-2025" },
            { "metric": "recall", "value": 0.5, "dataset": "audit-2025" },
        ],
    });
    let reply = put(&app, &format!("{uri}/1"), &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.location(),
        "/api/v1/models/insee/naf-coder/versions/1"
    );
    assert_eq!(reply.body["stage"], "archived");
    assert_eq!(reply.body["results"], changed["results"]);
    assert_eq!(reply.body["created_at"], created.body["created_at"]);
    assert_eq!(get(&app, &format!("{uri}/1")).await.body, reply.body);
    assert_eq!(count(&pool, "evaluation_results").await, 2);
    // Replacing with no results removes them all.
    let bare = json!({ "version": "1" });
    let reply = put(&app, &format!("{uri}/1"), &bare).await;
    assert_eq!(reply.body["results"], json!([]));
    assert_eq!(count(&pool, "evaluation_results").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_version_with_a_mismatching_label_is_rejected_naming_version(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    create(
        &app,
        "/api/v1/models/insee/naf-coder/versions",
        &model_version("1"),
    )
    .await;
    let reply = put(
        &app,
        "/api/v1/models/insee/naf-coder/versions/1",
        &model_version("2"),
    )
    .await;
    assert_invalid(&reply, "version");
    assert_eq!(count(&pool, "model_versions").await, 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn put_of_a_missing_version_is_404(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let reply = put(
        &app,
        "/api/v1/models/insee/naf-coder/versions/7",
        &model_version("7"),
    )
    .await;
    assert_not_found(&reply);
    assert_eq!(count(&pool, "model_versions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_duplicate_version_is_a_409_naming_version(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    create(&app, uri, &model_version("1.0.0")).await;
    assert_conflict(&post(&app, uri, &model_version("1.0.0")).await, "version");
    assert_eq!(count(&pool, "model_versions").await, 1);
    assert_eq!(count(&pool, "evaluation_results").await, 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_invalid_version_label_is_rejected_naming_version(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    for bad in ["v 1", "1/2", "", "   ", "ünïcode", &"9".repeat(65)] {
        assert_invalid(&post(&app, uri, &model_version(bad)).await, "version");
    }
    assert_eq!(count(&pool, "model_versions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn version_fields_are_validated_naming_their_path(pool: PgPool) {
    let app = setup(&pool).await;
    create(&app, "/api/v1/models", &full_card()).await;
    let uri = "/api/v1/models/insee/naf-coder/versions";
    let result = |r: Value| {
        with(
            model_version("1"),
            "results",
            json!([{ "metric": "a", "value": 1, "dataset": "d" }, r]),
        )
    };
    let cases = [
        (
            result(json!({ "metric": " ", "value": 1, "dataset": "d" })),
            "results[1].metric",
        ),
        (
            result(json!({ "metric": "a", "value": 1, "dataset": "" })),
            "results[1].dataset",
        ),
        (
            result(json!({ "metric": "a", "value": "high", "dataset": "d" })),
            "results[1].value",
        ),
        (
            result(json!({ "metric": "a", "dataset": "d" })),
            "results[1].value",
        ),
        (
            result(json!({ "metric": "a", "value": 1, "dataset": "d", "n": 5 })),
            "results[1].n",
        ),
        (with(model_version("1"), "stage", json!("shipped")), "stage"),
        (
            with(model_version("1"), "registered_at", json!("yesterday")),
            "registered_at",
        ),
        (
            with(
                model_version("1"),
                "aliases",
                json!(["champion", "champion"]),
            ),
            "aliases[1]",
        ),
    ];
    for (body, field) in cases {
        assert_invalid(&post(&app, uri, &body).await, field);
    }
    assert_eq!(count(&pool, "model_versions").await, 0);
}

/// A card read from the API can be sent back as it is: the answer's own keys
/// (`provenance`, `latest_version`, timestamps, warnings) are not kept as card metadata.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_card_read_from_the_api_is_sent_back_unchanged(pool: PgPool) {
    let app = setup(&pool).await;
    let mut body = with(model_card("insee", "round"), "task", json!("telepathy"));
    body["new_version"] = json!("insee/round-2");
    let created = post(&app, "/api/v1/models", &body).await;
    assert_eq!(created.status, StatusCode::CREATED);
    // The answer as the card's organisation gets it, warnings included.
    let mut read = get(&app, "/api/v1/models/insee/round").await.body;
    read["agora_warnings"] = created.body["agora_warnings"].clone();
    assert!(read["agora_warnings"].is_array(), "{}", created.body);
    let again = put(&app, "/api/v1/models/insee/round", &read).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let after = get(&app, "/api/v1/models/insee/round").await.body;
    assert_eq!(after["new_version"], "insee/round-2");
    assert_eq!(after["updated_at"], read["updated_at"], "nothing changed");
}
