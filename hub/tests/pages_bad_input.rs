//! Pages refuse text nothing stored can match — a NUL character, bytes that are not
//! UTF-8, values longer than the hub keeps — in their path, query and forms with a 4xx
//! (404 for a path, 400 for a query, 422 for a form field), never a 5xx. Every page route
//! is walked with each bad value in each path parameter and in its query, anonymously and
//! signed in, and every form is posted with each bad value in its fields.

#[path = "auth_support/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{As, TestApp, model, organisation, project, qf4sa};
use serde_json::json;
use sqlx::PgPool;

/// Percent-encoded values: NUL alone and inside text, bytes that are not UTF-8 (a lone
/// continuation byte, a cut sequence, an overlong NUL), and one far too long.
fn bad_values() -> Vec<String> {
    vec![
        "%00".into(),
        "a%00b".into(),
        "%FF%FE".into(),
        "ok%C3".into(),
        "%C0%80".into(),
        "a".repeat(5_000),
    ]
}

/// Every page route that answers GET, with a valid value for each parameter.
const PAGES: &[&str] = &[
    "/",
    "/search",
    "/activity",
    "/models",
    "/models/{organisation}/{name}",
    "/models/{organisation}/{name}/edit",
    "/benchmarks",
    "/benchmarks/{benchmark}",
    "/benchmarks/{benchmark}/leaderboard.csv",
    "/benchmarks/{benchmark}/runs/{run}",
    "/projects",
    "/projects/{slug}",
    "/projects/{slug}/edit",
    "/workstreams",
    "/workstreams/{workstream}",
    "/organisations",
    "/organisations/{organisation}",
    "/assessments/new",
    "/assessments/compare",
    "/assessments/{id}",
    "/assessments/{id}/edit",
    "/assessments/{id}/history",
    "/assessments/{id}/print",
    "/account",
    "/account/digests",
    "/language/{code}",
    "/auth/login",
    "/auth/login/{provider}",
    "/auth/callback/{provider}",
];

/// The query parameters pages read.
const PARAMETERS: &[&str] = &[
    "q",
    "page",
    "per_page",
    "organisation",
    "workstream",
    "project",
    "model",
    "stage",
    "task",
    "kind",
    "sort",
    "framework",
    "language",
    "a",
    "b",
    "back",
    "next",
    "code",
    "state",
    "subject",
    "version",
];

/// Every form, by route, with the fields it reads.
const FORMS: &[(&str, &[&str])] = &[
    (
        "/models/{organisation}/{name}/edit",
        &[
            "title",
            "summary",
            "body",
            "tags",
            "language",
            "license",
            "project",
            "visibility",
        ],
    ),
    (
        "/projects/{slug}/edit",
        &[
            "title",
            "summary",
            "repositories",
            "tags",
            "languages",
            "stage",
            "visibility",
            "contacts",
        ],
    ),
    (
        "/assessments/new",
        &[
            "kind",
            "project",
            "explainability.level",
            "explainability.evidence",
            "explainability.links",
        ],
    ),
    (
        "/assessments/{id}/edit",
        &["kind", "project", "accuracy.evidence", "accuracy.links"],
    ),
    ("/assessments/{id}/submit", &["note"]),
    ("/assessments/{id}/review", &["decision", "comment"]),
    ("/account/tokens", &["name", "expires"]),
    ("/account/tokens/{token}/revoke", &["reason"]),
    (
        "/account/digests",
        &["frequency", "timezone", "workstream", "language"],
    ),
    ("/auth/dev-login", &["email", "name", "next"]),
    ("/auth/logout", &["next"]),
];

struct World {
    app: TestApp,
    cookie: String,
    csrf: String,
    values: Vec<(&'static str, String)>,
}

async fn world(db: PgPool) -> World {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("inegi"))
        .await;
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-one", "code": "WS1", "title": "One", "goal": "Work."}),
    )
    .await;
    app.create("/api/v1/projects", project("metrics", &["inegi"], "public"))
        .await;
    app.create(
        "/api/v1/models",
        model("inegi", "sinco", Some("metrics"), "public"),
    )
    .await;
    let assessment = app
        .create(
            "/api/v1/assessments",
            qf4sa(json!({"project": "metrics"}), 3),
        )
        .await;
    let id = assessment["id"].to_string();
    let user = app.user("ana@inegi.test", "inegi").await;
    app.grant(user, "admin", None).await;
    let (cookie, csrf) = match app.session(user).await {
        As::Session(cookie, Some(csrf)) => (format!("agora_session={cookie}"), csrf),
        other => panic!("{other:?}"),
    };
    let values = vec![
        ("{organisation}", "inegi".to_string()),
        ("{name}", "sinco".to_string()),
        ("{benchmark}", "none".to_string()),
        ("{run}", "1".to_string()),
        ("{slug}", "metrics".to_string()),
        ("{workstream}", "ws-one".to_string()),
        ("{id}", id),
        ("{code}", "fr".to_string()),
        ("{provider}", "dev".to_string()),
        ("{token}", "1".to_string()),
    ];
    World {
        app,
        cookie,
        csrf,
        values,
    }
}

impl World {
    /// The route with every parameter given its valid value but `bad` for `spoilt`.
    fn path(&self, route: &str, spoilt: Option<(&str, &str)>) -> String {
        let mut path = route.to_string();
        for (name, value) in &self.values {
            let value = match spoilt {
                Some((which, bad)) if which == *name => bad,
                _ => value.as_str(),
            };
            path = path.replace(name, value);
        }
        path
    }

    async fn get(&self, uri: &str, signed_in: bool) -> StatusCode {
        let mut request = Request::get(uri);
        if signed_in {
            request = request.header(header::COOKIE, &self.cookie);
        }
        self.app
            .send(request.body(Body::empty()).expect("a request"))
            .await
            .status
    }

    async fn post(&self, uri: &str, body: String) -> StatusCode {
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.cookie)
            .body(Body::from(body))
            .expect("a request");
        self.app.send(request).await.status
    }
}

fn parameters(route: &str) -> Vec<&str> {
    route.split('/').filter(|s| s.starts_with('{')).collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn no_page_answers_a_server_error_to_unusable_text(db: PgPool) {
    let w = world(db).await;
    // The walk reaches the pages: with good values they answer.
    assert_eq!(w.get("/projects/metrics", false).await, StatusCode::OK);
    assert_eq!(
        w.get("/models/inegi/sinco/edit", true).await,
        StatusCode::OK
    );
    assert_eq!(w.get("/search?q=metrics", false).await, StatusCode::OK);

    let mut failures = Vec::new();
    for route in PAGES {
        for bad in bad_values() {
            let shown = &bad[..bad.len().min(12)];
            for signed_in in [false, true] {
                for name in parameters(route) {
                    let uri = w.path(route, Some((name, &bad)));
                    let status = w.get(&uri, signed_in).await;
                    if status != StatusCode::NOT_FOUND {
                        failures.push(format!("GET {route} with {name}={shown}…: {status}"));
                    }
                }
                // All parameters at once, or one at a time when a URI would be too long.
                let mut queries: Vec<String> = if bad.len() < 100 {
                    vec![
                        PARAMETERS
                            .iter()
                            .map(|p| format!("{p}={bad}"))
                            .collect::<Vec<_>>()
                            .join("&"),
                    ]
                } else {
                    PARAMETERS.iter().map(|p| format!("{p}={bad}")).collect()
                };
                queries.push(format!("q=fine&{bad}=x"));
                for query in queries {
                    let uri = format!("{}?{query}", w.path(route, None));
                    let status = w.get(&uri, signed_in).await;
                    if status != StatusCode::BAD_REQUEST {
                        failures.push(format!("GET {route} with the query {shown}…: {status}"));
                    }
                }
            }
        }
    }
    for (route, fields) in FORMS {
        for bad in bad_values() {
            let shown = &bad[..bad.len().min(12)];
            for field in *fields {
                let body = format!("csrf={}&{field}={bad}", w.csrf);
                let status = w.post(&w.path(route, None), body).await;
                // A long value is the form's to judge (the body limit bounds it): only
                // never a 5xx.
                let expected = bad.len() > 100 || status == StatusCode::UNPROCESSABLE_ENTITY;
                if status.is_server_error() || !expected {
                    failures.push(format!("POST {route} with {field}={shown}…: {status}"));
                }
            }
            for name in parameters(route) {
                let uri = w.path(route, Some((name, &bad)));
                let status = w.post(&uri, format!("csrf={}", w.csrf)).await;
                if status.is_server_error() || status.is_success() {
                    failures.push(format!("POST {route} with {name}={shown}…: {status}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
