//! The OpenAPI document served at `/api/v1/openapi.json`: OpenAPI 3.1, complete, and
//! internally consistent.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Every (method, path) the router serves.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/catalog.ttl"),
    ("get", "/api/v1/catalog.jsonld"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/agent/me"),
    ("post", "/api/v1/agent/sync/batches"),
    ("post", "/api/v1/agent/sync/epochs/{epoch}/complete"),
    ("get", "/api/v1/agents"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/search/suggest"),
    ("get", "/api/v1/agents/{organisation}/{name}"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("get", "/api/v1/organisations"),
    ("post", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{slug}"),
    ("put", "/api/v1/organisations/{slug}"),
    ("get", "/api/v1/workstreams"),
    ("post", "/api/v1/workstreams"),
    ("get", "/api/v1/workstreams/{slug}"),
    ("put", "/api/v1/workstreams/{slug}"),
    ("get", "/api/v1/memberships"),
    ("post", "/api/v1/memberships"),
    ("get", "/api/v1/memberships/{id}"),
    ("put", "/api/v1/memberships/{id}"),
    ("delete", "/api/v1/memberships/{id}"),
    ("get", "/api/v1/projects"),
    ("post", "/api/v1/projects"),
    ("get", "/api/v1/projects/{slug}"),
    ("put", "/api/v1/projects/{slug}"),
    ("get", "/api/v1/models"),
    ("post", "/api/v1/models"),
    ("get", "/api/v1/models/{organisation}/{name}"),
    ("put", "/api/v1/models/{organisation}/{name}"),
    ("get", "/api/v1/models/{organisation}/{name}/card.md"),
    ("get", "/api/v1/models/{organisation}/{name}/results"),
    ("get", "/api/v1/models/{organisation}/{name}/versions"),
    ("post", "/api/v1/models/{organisation}/{name}/versions"),
    (
        "get",
        "/api/v1/models/{organisation}/{name}/versions/{version}",
    ),
    (
        "put",
        "/api/v1/models/{organisation}/{name}/versions/{version}",
    ),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/benchmarks"),
    ("post", "/api/v1/benchmarks"),
    ("get", "/api/v1/benchmarks/{slug}"),
    ("put", "/api/v1/benchmarks/{slug}"),
    ("get", "/api/v1/benchmarks/{slug}/leaderboard"),
    ("get", "/api/v1/benchmarks/{slug}/runs"),
    ("post", "/api/v1/benchmarks/{slug}/runs"),
    ("get", "/api/v1/benchmarks/{slug}/runs/{id}"),
    ("post", "/api/v1/benchmarks/{slug}/runs/{id}/cancel"),
    (
        "post",
        "/api/v1/benchmarks/{slug}/runs/{id}/jobs/{job}/cancel",
    ),
    ("post", "/api/v1/agent/jobs/lease"),
    ("put", "/api/v1/agent/jobs/{id}"),
    ("put", "/api/v1/agent/jobs/{id}/log"),
    ("get", "/api/v1/me/digests"),
    ("put", "/api/v1/me/digests"),
    ("get", "/api/v1/digests/failures"),
    ("get", "/api/v1/assessments"),
    ("get", "/api/v1/assessments/compare"),
    ("post", "/api/v1/assessments"),
    ("get", "/api/v1/assessments/{id}"),
    ("put", "/api/v1/assessments/{id}"),
    ("post", "/api/v1/assessments/{id}/submit"),
    ("post", "/api/v1/assessments/{id}/reviews"),
    ("get", "/api/v1/assessments/{id}/versions"),
    ("get", "/api/v1/assessments/{id}/diff"),
    ("get", "/api/v1/assessments/{id}/export"),
];

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn served_document(pool: PgPool) -> Value {
    let reply = get(&app(pool), "/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let content_type = reply.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    reply.body
}

fn expected_routes() -> BTreeMap<String, BTreeSet<String>> {
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, path) in ROUTES {
        routes
            .entry(path.to_string())
            .or_default()
            .insert(method.to_string());
    }
    routes
}

/// A concrete URL for a documented path template.
fn concrete(path: &str) -> String {
    path.replace("{slug}", "x-y")
        .replace("{id}", "1")
        .replace("{organisation}", "insee")
        .replace("{name}", "coder")
        .replace("{version}", "1")
        .replace("{epoch}", "e1")
        .replace("{job}", "1")
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_document_is_openapi_3_1_json(pool: PgPool) {
    let doc = served_document(pool).await;
    let version = doc["openapi"].as_str().expect("an `openapi` version");
    assert!(version.starts_with("3.1."), "{version}");
    assert_eq!(doc["info"]["title"], "Agora hub API");
    assert!(doc["info"]["version"].is_string());
    assert!(doc["paths"].is_object() && doc["components"]["schemas"].is_object());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_served_document_is_the_one_the_crate_builds(pool: PgPool) {
    let doc = served_document(pool).await;
    let built = agora_hub::http::openapi_json();
    assert_eq!(doc, built);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_route_is_documented_with_exactly_its_methods(pool: PgPool) {
    let doc = served_document(pool).await;
    let documented: BTreeMap<String, BTreeSet<String>> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| HTTP_METHODS.contains(&k.as_str()))
                .cloned()
                .collect();
            (path.clone(), methods)
        })
        .collect();
    assert_eq!(documented, expected_routes());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_documented_operation_is_served(pool: PgPool) {
    let app = app(pool);
    for (method, path) in ROUTES {
        let method: Method = method.to_uppercase().parse().unwrap();
        let body = matches!(method, Method::POST | Method::PUT).then(|| json!({}));
        let reply = send(&app, method.clone(), &concrete(path), body.as_ref()).await;
        assert_ne!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_ne!(
            reply.body["error"]["message"], "no such route not found",
            "{method} {path}"
        );
        assert!(
            !reply.status.is_server_error(),
            "{method} {path}: {}",
            reply.body
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn methods_that_are_not_documented_are_not_served(pool: PgPool) {
    let app = app(pool);
    for (path, methods) in expected_routes() {
        for method in ["get", "post", "put", "delete", "patch"] {
            if methods.contains(method) {
                continue;
            }
            let verb: Method = method.to_uppercase().parse().unwrap();
            let reply = send(&app, verb, &concrete(&path), None).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
        }
    }
}

fn collect_refs<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => refs.push(r),
                    _ => collect_refs(v, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_ref_resolves_to_a_component_schema(pool: PgPool) {
    let doc = served_document(pool).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50, "only {} references", refs.len());
    for r in &refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("`{r}` does not point at a component schema"));
        assert!(schemas.contains_key(name), "`{r}` does not resolve");
    }
    // The wire types every client needs are components, not inlined copies.
    for name in [
        "ErrorBody",
        "Project",
        "ProjectInput",
        "ModelCard",
        "ModelVersionInput",
        "Event",
        "Slug",
    ] {
        assert!(schemas.contains_key(name), "{name} is not a component");
        assert!(
            refs.contains(&format!("#/components/schemas/{name}").as_str()),
            "{name} is never used"
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_operation_declares_its_path_parameters_and_a_unique_id(pool: PgPool) {
    let doc = served_document(pool).await;
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let wanted: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} is repeated");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}: no tag"
            );
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, wanted, "{method} {path}");
        }
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn list_operations_document_their_query_parameters(pool: PgPool) {
    let doc = served_document(pool).await;
    let cases: &[(&str, &[&str])] = &[
        ("/api/v1/organisations", &["page", "per_page"]),
        ("/api/v1/workstreams", &["page", "per_page"]),
        (
            "/api/v1/memberships",
            &["workstream", "organisation", "role", "page", "per_page"],
        ),
        (
            "/api/v1/projects",
            &[
                "workstream",
                "organisation",
                "stage",
                "task",
                "language",
                "has_qf4sa",
                "qf4sa_min",
                "sort",
                "page",
                "per_page",
            ],
        ),
        (
            "/api/v1/models",
            &[
                "organisation",
                "project",
                "workstream",
                "task",
                "stage",
                "framework",
                "language",
                "license",
                "tag",
                "has_qf4sa",
                "qf4sa_min",
                "sort",
                "page",
                "per_page",
            ],
        ),
        (
            "/api/v1/models/{organisation}/{name}/results",
            &["source", "metric", "page", "per_page"],
        ),
        (
            "/api/v1/events",
            &[
                "cursor",
                "since",
                "until",
                "per_page",
                "before",
                "limit",
                "workstream",
                "organisation",
                "kind",
                "subject_kind",
                "subject",
            ],
        ),
    ];
    for (path, wanted) in cases {
        let declared: BTreeSet<&str> = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: no parameters"))
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(declared, wanted.iter().copied().collect(), "{path}");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn writes_document_their_json_body_and_error_answers(pool: PgPool) {
    let doc = served_document(pool).await;
    for (method, path) in ROUTES.iter().filter(|(m, _)| *m == "post" || *m == "put") {
        let op = &doc["paths"][path][method];
        // A log upload is plain text: no JSON to be malformed.
        let plain = op["requestBody"]["content"]["text/plain"].is_object();
        let body = &op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        assert!(
            plain || body.is_string(),
            "{method} {path}: no JSON request body"
        );
        let statuses: &[&str] = if plain {
            &["413", "415", "422"]
        } else {
            &["400", "413", "415", "422"]
        };
        for status in statuses {
            let schema = &op["responses"][*status]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(
                schema, "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
    }
}

/// The bounds of a query parameter, as `(minimum, maximum, maxLength)`.
fn bounds(doc: &Value, path: &str, name: &str) -> (Value, Value, Value) {
    let params = doc["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} has parameters"));
    let p = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{path} has `{name}`"));
    let s = &p["schema"];
    (
        s["minimum"].clone(),
        s["maximum"].clone(),
        s["maxLength"].clone(),
    )
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_document_states_the_limits_the_hub_enforces(pool: PgPool) {
    let doc = served_document(pool.clone()).await;
    let app = app(pool);
    for path in [
        "/api/v1/projects",
        "/api/v1/models",
        "/api/v1/organisations",
        "/api/v1/workstreams",
        "/api/v1/memberships",
        "/api/v1/benchmarks",
        "/api/v1/assessments",
    ] {
        assert_eq!(bounds(&doc, path, "page").0, 1, "{path} page");
        assert_eq!(bounds(&doc, path, "page").1, 10000, "{path} page");
        assert_eq!(bounds(&doc, path, "per_page").0, 1, "{path} per_page");
        assert_eq!(bounds(&doc, path, "per_page").1, 100, "{path} per_page");
        // The stated bounds are the enforced ones: inside passes, outside is a 422.
        assert_eq!(
            get(&app, &format!("{path}?page=10000&per_page=100"))
                .await
                .status,
            StatusCode::OK
        );
        assert_invalid(&get(&app, &format!("{path}?page=10001")).await, "page");
        assert_invalid(
            &get(&app, &format!("{path}?per_page=101")).await,
            "per_page",
        );
    }
    assert_eq!(bounds(&doc, "/api/v1/search", "page").1, 100);
    assert_eq!(bounds(&doc, "/api/v1/search", "q").2, 256);
    assert_invalid(
        &get(&app, "/api/v1/search?page=101&per_page=1").await,
        "page",
    );
    assert_eq!(bounds(&doc, "/api/v1/search/suggest", "q").2, 100);
    for path in ["/api/v1/events", "/api/v1/benchmarks/{slug}/runs"] {
        assert_eq!(bounds(&doc, path, "limit").0, 1, "{path}");
        assert_eq!(bounds(&doc, path, "limit").1, 200, "{path}");
    }
    // A required text is not empty (nor only spaces), holds no NUL (which PostgreSQL cannot
    // store) and has its maximum length; a closed set says its names instead.
    let not_blank = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";
    for (schema, field, max) in [
        ("ProjectInput", "title", 200),
        ("ProjectInput", "summary", 20000),
        ("OrganisationInput", "name", 200),
        ("WorkstreamInput", "code", 16),
        ("BenchmarkInput", "title", 200),
        ("ReviewInput", "comments", 10000),
        ("DigestPreferencesInput", "time_zone", 64),
    ] {
        let s = &doc["components"]["schemas"][schema]["properties"][field];
        assert_eq!(s["minLength"], 1, "{schema}.{field}: {s}");
        assert_eq!(s["maxLength"], max, "{schema}.{field}: {s}");
        let pattern = if s.get("enum").is_some() {
            "\\S"
        } else {
            not_blank
        };
        assert_eq!(s["pattern"], pattern, "{schema}.{field}: {s}");
    }
    let project = json!({"slug": "blank", "title": " ", "summary": "s", "organisations": [], "stage": "pilot"});
    assert_invalid(&post(&app, "/api/v1/projects", &project).await, "title");
    let project = json!({"slug": "nul", "title": "a\u{0}b", "summary": "s", "organisations": [], "stage": "pilot"});
    assert_invalid(&post(&app, "/api/v1/projects", &project).await, "title");
}

/// The parameter's schema.
fn param_schema<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or_else(|| panic!("{method} {path} has `{name}`"))
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn search_facets_state_the_bounds_the_hub_reads_them_with(pool: PgPool) {
    let doc = served_document(pool.clone()).await;
    let app = app(pool);
    let licence = param_schema(&doc, "/api/v1/search", "get", "licence");
    assert_eq!(licence["maxItems"], 20, "{licence}");
    let pattern = licence["items"]["pattern"].as_str().unwrap();
    assert_eq!(pattern, "^[^,]{0,100}(?:,[^,]{0,100}){0,19}$");
    let kind = param_schema(&doc, "/api/v1/search", "get", "kind");
    assert_eq!(kind["maxItems"], 20, "{kind}");
    assert!(
        kind["items"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!(""))
    );
    let sort = param_schema(&doc, "/api/v1/search", "get", "sort");
    assert!(sort.to_string().contains(r#""""#), "{sort}");

    let search = |query: String| {
        let app = app.clone();
        async move { get(&app, &format!("/api/v1/search?{query}")).await }
    };
    let repeated = |n: usize, value: &str| vec![format!("licence={value}"); n].join("&");
    let long = "a".repeat(100);
    let listed = |n: usize| vec!["mit"; n].join(",");
    // At the bounds: accepted; past them: refused, naming the parameter.
    for ok in [
        repeated(20, "mit"),
        format!("licence={long}"),
        format!("licence={}", listed(20)),
        "sort=".to_string(),
        "kind=".to_string(),
    ] {
        let answer = search(ok.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{ok}: {:?}", answer.body);
    }
    for bad in [
        repeated(21, "mit"),
        format!("licence={long}a"),
        format!("licence=%20{long}"),
        format!("licence={}", listed(21)),
    ] {
        assert_invalid(&search(bad).await, "licence");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn agent_routes_require_the_protocol_they_speak(pool: PgPool) {
    let doc = served_document(pool).await;
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/agent/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let protocol = op["parameters"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["name"] == "Agora-Protocol"))
                .unwrap_or_else(|| panic!("{method} {path} declares Agora-Protocol"));
            assert_eq!(protocol["required"], true, "{method} {path}");
            assert_eq!(
                protocol["schema"]["pattern"], "^[ \\t]*0*(?:1)[ \\t]*$",
                "{method} {path}"
            );
            seen += 1;
        }
    }
    assert!(seen >= 5, "{seen} agent operations");
}
