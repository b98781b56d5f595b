//! Regressions found by fuzzing the API with schemathesis (`tests/tests/api_fuzz.rs`):
//! each test is one answer that was a 5xx or did not match the OpenAPI document.

mod common;
mod jobs_support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use jobs_support::{lease_one, run_of, start_run, world};
use serde_json::{Value, json};
use sqlx::PgPool;

async fn openapi(app: &axum::Router) -> Value {
    get(app, "/api/v1/openapi.json").await.body
}

/// Follows a `$ref` (`#/components/schemas/Name`) to its name.
fn schema_name(schema: &Value) -> &str {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .unwrap_or_default()
}

/// Ids in the URL that do not decode (past `i64`, not a number) name nothing: a JSON 404,
/// not axum's plain-text 400, which no operation documents.
#[sqlx::test(migrations = "../migrations")]
async fn ids_in_the_url_that_are_no_number_answer_a_json_404(pool: PgPool) {
    let app = app(pool);
    let cases = [
        (Method::DELETE, "/api/v1/tokens/9223372036854775808"),
        (Method::DELETE, "/api/v1/tokens/abc"),
        (Method::GET, "/api/v1/benchmarks/b/runs/9223372036854775808"),
        (
            Method::GET,
            "/api/v1/benchmarks/b/runs/-9223372036854775809",
        ),
        (Method::POST, "/api/v1/benchmarks/b/runs/1.5/cancel"),
        (
            Method::POST,
            "/api/v1/benchmarks/b/runs/1/jobs/9223372036854775808/cancel",
        ),
        (Method::GET, "/api/v1/projects/%FF"),
    ];
    for (method, uri) in cases {
        let body = (method == Method::POST).then(|| json!({"reason": "x"}));
        let reply = send(&app, method.clone(), uri, body.as_ref()).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {uri}: {reply:?}"
        );
        assert_eq!(reply.body["error"]["code"], "not_found", "{method} {uri}");
        assert_eq!(
            reply.headers["content-type"], "application/json",
            "{method} {uri}"
        );
    }
}

/// Two response types were both called `VersionList`: the document described the
/// assessment versions as model versions.
#[sqlx::test(migrations = "../migrations")]
async fn assessment_and_model_version_lists_have_their_own_schemas(pool: PgPool) {
    let app = app(pool);
    let doc = openapi(&app).await;
    let ok = |path: &str| {
        doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone()
    };
    let assessments = ok("/api/v1/assessments/{id}/versions");
    let models = ok("/api/v1/models/{organisation}/{name}/versions");
    let (a, m) = (schema_name(&assessments), schema_name(&models));
    assert_ne!(a, m, "one schema for two lists");
    let items = |name: &str| {
        schema_name(&doc["components"]["schemas"][name]["properties"]["items"]["items"]).to_string()
    };
    assert_eq!(items(a), "AssessmentVersion");
    assert_eq!(items(m), "ModelVersion");
}

/// A log upload with a lease token that is not the job's is a `409` with an error body,
/// which the document described as the offset conflict (with `expected_offset`, which
/// this answer does not have): the `409` is now either.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_log_upload_with_a_stale_lease_is_a_documented_409(db: PgPool) {
    let w = world(db).await;
    start_run(&w.app, "nace", run_of("alpha/coder", "2", &["alpha"])).await;
    let lease = lease_one(&w.app, &w.alpha1).await;
    let job = lease["job_id"].as_i64().expect("job_id");
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/agent/jobs/{job}/log?offset=0"))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.alpha1))
        .header("agora-protocol", "1")
        .header("agora-lease-token", "not-the-lease-token")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("hello"))
        .expect("request");
    let answer = w.app.send(request).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text);
    assert_eq!(answer.body["error"]["field"], "lease_token");
    assert!(answer.body.get("expected_offset").is_none());

    let doc = w
        .app
        .get("/api/v1/openapi.json", &jobs_support::auth::As::Anonymous)
        .await
        .body;
    let conflict = &doc["paths"]["/api/v1/agent/jobs/{id}/log"]["put"]["responses"]["409"]["content"]
        ["application/json"]["schema"];
    let name = schema_name(conflict);
    let shapes: Vec<&str> = doc["components"]["schemas"][name]["anyOf"]
        .as_array()
        .map(|a| a.iter().map(schema_name).collect())
        .unwrap_or_default();
    assert_eq!(shapes, ["LogOffsetConflict", "ErrorBody"], "{conflict}");
}

/// A NUL character reached PostgreSQL, which stores none in text, and came back as a 500:
/// in a query parameter it is a 422 naming the parameter, in the path a 404, and in a JSON
/// body a 422 naming the field.
#[sqlx::test(migrations = "../migrations")]
async fn nul_characters_are_refused_before_they_reach_the_database(pool: PgPool) {
    let app = app(pool);
    for uri in [
        "/api/v1/benchmarks?workstream=%F2%98%BC%86%F3%B3%B7%80%00k",
        "/api/v1/memberships?workstream=%C2%AF%13%5D%00",
        "/api/v1/projects?organisation=a%00b",
    ] {
        let reply = get(&app, uri).await;
        let field = if uri.contains("organisation") {
            "organisation"
        } else {
            "workstream"
        };
        assert_invalid(&reply, field);
    }
    let reply = get(&app, "/api/v1/projects/a%00b").await;
    assert_not_found(&reply);

    let body = json!({"slug": "nul", "name": "Nul\u{0}Office", "kind": "other"});
    let reply = post(&app, "/api/v1/organisations", &body).await;
    assert_invalid(&reply, "name");
    let body = json!({"slug": "nul", "name": "Office", "kind": "other", "x": [{"y\u{0}": 1}]});
    let reply = post(&app, "/api/v1/organisations", &body).await;
    assert_invalid(&reply, "x[0].y\u{0}");
    // The text `\u0000` (an escaped backslash) is no NUL.
    let body = json!({"slug": "not-nul", "name": "Office \\u0000", "kind": "other"});
    let reply = post(&app, "/api/v1/organisations", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
}

/// Unknown keys of a card are kept as JSON in PostgreSQL, which writes `1.7976931348623157e308`
/// back as its 309 digits: read without exact float parsing, that was past `f64` and a 500.
/// The extremes of `f64` come back as they went in.
#[sqlx::test(migrations = "../migrations")]
async fn extreme_numbers_in_unknown_card_keys_come_back_unchanged(pool: PgPool) {
    let app = app(pool);
    create(&app, "/api/v1/organisations", &organisation("insee")).await;
    let extremes = json!([
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        1e300,
        u64::MAX,
        i64::MIN
    ]);
    let card = with(
        model_card("insee", "extremes"),
        "measures",
        json!({"x": extremes.clone()}),
    );
    let reply = post(&app, "/api/v1/models", &card).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    let reply = get(&app, "/api/v1/models/insee/extremes").await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body["measures"]["x"], extremes, "{:?}", reply.body);
}
