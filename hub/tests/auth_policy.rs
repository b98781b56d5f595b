//! The write policy on every API write: 401 anonymous, 403 without the right, success for
//! the item's own organisation, leads, stewards and administrators; refusals change nothing.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::{Method, StatusCode};
use common::{As, TestApp, model, organisation, project};
use serde_json::json;
use sqlx::PgPool;

struct World {
    app: TestApp,
    admin: As,
    alpha: As,
    beta: As,
    beta_steward: As,
    lead: As,
}

async fn world(db: PgPool) -> World {
    let app = TestApp::new(db);
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-x", "code": "WSX", "title": "X", "goal": "Work together.", "visibility": "public"}),
    )
    .await;
    let admin = app.admin().await;
    let a = app.user("ann@alpha.test", "alpha").await;
    let b = app.user("ben@beta.test", "beta").await;
    let s = app.user("sue@beta.test", "beta").await;
    app.grant(s, "steward", Some("beta")).await;
    let l = app.user("lea@alpha.test", "alpha").await;
    app.create(
        "/api/v1/memberships",
        json!({"workstream": "ws-x", "user": "lea@alpha.test", "role": "lead"}),
    )
    .await;
    World {
        alpha: app.token(a).await,
        beta: app.token(b).await,
        beta_steward: app.token(s).await,
        lead: app.token(l).await,
        admin,
        app,
    }
}

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = vec![];
    for t in [
        "organisations",
        "workstreams",
        "memberships",
        "projects",
        "model_cards",
        "model_versions",
        "events",
    ] {
        counts.push(app.count(t).await);
    }
    counts
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn anonymous_writes_are_validated_first_then_refused(db: PgPool) {
    let w = world(db).await;
    let before = snapshot(&w.app).await;
    let mut bogus = project("new-pilot", &["alpha"], "public");
    bogus["stage"] = json!("bogus");
    let invalid = w.app.post("/api/v1/projects", &As::Anonymous, bogus).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.body["error"]["field"], "stage");

    let valid = project("new-pilot", &["alpha"], "public");
    let refused = w.app.post("/api/v1/projects", &As::Anonymous, valid).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body["error"]["code"], "unauthorized");
    for (uri, body) in [
        ("/api/v1/organisations", organisation("gamma")),
        ("/api/v1/models", model("alpha", "mm", None, "public")),
        (
            "/api/v1/memberships",
            json!({"workstream": "ws-x", "organisation": "alpha"}),
        ),
    ] {
        assert_eq!(
            w.app.post(uri, &As::Anonymous, body).await.status,
            StatusCode::UNAUTHORIZED,
            "{uri}"
        );
    }
    assert_eq!(snapshot(&w.app).await, before);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn projects_and_models_are_written_by_their_own_organisation(db: PgPool) {
    let w = world(db).await;
    let app = &w.app;
    let before = snapshot(app).await;
    // Another organisation's name: refused.
    let theirs = app
        .post(
            "/api/v1/projects",
            &w.beta,
            project("alpha-pilot", &["alpha"], "public"),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert_eq!(theirs.body["error"]["code"], "forbidden");
    let card = app
        .post(
            "/api/v1/models",
            &w.beta,
            model("alpha", "coder", None, "public"),
        )
        .await;
    assert_eq!(card.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(app).await, before);

    // Their own: created.
    let ours = app
        .post(
            "/api/v1/projects",
            &w.alpha,
            project("alpha-pilot", &["alpha"], "public"),
        )
        .await;
    assert_eq!(ours.status, StatusCode::CREATED, "{}", ours.text);
    let private = project("alpha-secret", &["alpha"], "organisation");
    assert_eq!(
        app.post("/api/v1/projects", &w.alpha, private.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let card = app
        .post(
            "/api/v1/models",
            &w.alpha,
            model("alpha", "coder", Some("alpha-pilot"), "public"),
        )
        .await;
    assert_eq!(card.status, StatusCode::CREATED, "{}", card.text);
    let version = app
        .post(
            "/api/v1/models/alpha/coder/versions",
            &w.alpha,
            json!({"version": "1"}),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.text);

    let before = snapshot(app).await;
    // Beta sees the public project but may not change it, nor take it over.
    let mut edit = project("alpha-pilot", &["alpha"], "public");
    edit["title"] = json!("Taken");
    assert_eq!(
        app.put("/api/v1/projects/alpha-pilot", &w.beta, edit.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let takeover = project("alpha-pilot", &["beta"], "public");
    assert_eq!(
        app.put("/api/v1/projects/alpha-pilot", &w.beta, takeover)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // ...and cannot tell that the private one exists.
    let hidden = app
        .put("/api/v1/projects/alpha-secret", &w.beta, private.clone())
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let v = app
        .post(
            "/api/v1/models/alpha/coder/versions",
            &w.beta,
            json!({"version": "2"}),
        )
        .await;
    assert_eq!(v.status, StatusCode::FORBIDDEN);
    let v = app
        .put(
            "/api/v1/models/alpha/coder",
            &w.beta,
            model("alpha", "coder", None, "public"),
        )
        .await;
    assert_eq!(v.status, StatusCode::FORBIDDEN);
    // Alpha may not give its project away either.
    let give = project("alpha-pilot", &["beta"], "public");
    assert_eq!(
        app.put("/api/v1/projects/alpha-pilot", &w.alpha, give)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(snapshot(app).await, before);

    assert_eq!(
        app.put("/api/v1/projects/alpha-pilot", &w.alpha, edit.clone())
            .await
            .status,
        StatusCode::OK
    );
    // Administrators write anything.
    edit["title"] = json!("By the admin");
    assert_eq!(
        app.put("/api/v1/projects/alpha-pilot", &w.admin, edit)
            .await
            .status,
        StatusCode::OK
    );
    let shared = project("shared", &["beta", "alpha"], "members");
    assert_eq!(
        app.post("/api/v1/projects", &w.admin, shared).await.status,
        StatusCode::CREATED
    );
    let v = app
        .post(
            "/api/v1/models/alpha/coder/versions",
            &w.admin,
            json!({"version": "3"}),
        )
        .await;
    assert_eq!(v.status, StatusCode::CREATED);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn organisations_workstreams_and_memberships_follow_roles(db: PgPool) {
    let w = world(db).await;
    let app = &w.app;
    let before = snapshot(app).await;
    assert_eq!(
        app.post(
            "/api/v1/organisations",
            &w.beta_steward,
            organisation("gamma")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let mut beta = organisation("beta");
    beta["name"] = json!("Beta office");
    assert_eq!(
        app.put("/api/v1/organisations/beta", &w.beta, beta.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut alpha = organisation("alpha");
    alpha["name"] = json!("Renamed");
    assert_eq!(
        app.put("/api/v1/organisations/alpha", &w.beta_steward, alpha)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let ws = json!({"slug": "ws-y", "code": "WSY", "title": "Y", "goal": "More.", "visibility": "public"});
    assert_eq!(
        app.post("/api/v1/workstreams", &w.lead, ws.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let ws_x = json!({"slug": "ws-x", "code": "WSX", "title": "X, renamed", "goal": "Work together.", "visibility": "public"});
    assert_eq!(
        app.put("/api/v1/workstreams/ws-x", &w.alpha, ws_x.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A steward enrols its own organisation only; nobody but leads makes leads.
    let enrol_alpha = json!({"workstream": "ws-x", "organisation": "alpha"});
    assert_eq!(
        app.post("/api/v1/memberships", &w.beta_steward, enrol_alpha.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let make_lead = json!({"workstream": "ws-x", "user": "sue@beta.test", "role": "lead"});
    assert_eq!(
        app.post("/api/v1/memberships", &w.beta_steward, make_lead.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            "/api/v1/memberships",
            &w.beta,
            json!({"workstream": "ws-x", "organisation": "beta"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(snapshot(app).await, before);

    assert_eq!(
        app.put("/api/v1/organisations/beta", &w.beta_steward, beta)
            .await
            .status,
        StatusCode::OK
    );
    let enrolled = app
        .post(
            "/api/v1/memberships",
            &w.beta_steward,
            json!({"workstream": "ws-x", "organisation": "beta"}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.text);
    let id = enrolled.body["id"].as_i64().unwrap();
    assert_eq!(
        app.put("/api/v1/workstreams/ws-x", &w.lead, ws_x)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/v1/memberships", &w.lead, make_lead)
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/api/v1/memberships", &w.lead, enrol_alpha)
            .await
            .status,
        StatusCode::CREATED
    );
    let uri = format!("/api/v1/memberships/{id}");
    assert_eq!(
        app.call(Method::DELETE, &uri, &w.alpha, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(Method::DELETE, &uri, &As::Anonymous, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(Method::DELETE, &uri, &w.beta_steward, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post("/api/v1/workstreams", &w.admin, ws).await.status,
        StatusCode::CREATED
    );
}
