//! A world of things some readers may not see, named by markers that must never reach
//! them: a members-only workstream (`hush-circle`), an organisation-only project linked
//! from a public card (`alpha-hidden`, linked from `alpha-pointer`), and a project that was
//! public when its events were written and was made organisation-only afterwards
//! (`fading-away`).

use axum::http::StatusCode;
use serde_json::json;

use super::{As, TestApp, model, organisation, project};

/// Who reads the world.
pub struct Readers {
    pub anonymous: As,
    /// Ben, a member of beta: signed in, so he may see `members` items.
    pub beta: As,
    /// Ann, a member of alpha, which owns the hidden items.
    pub alpha: As,
    pub admin: As,
}

/// What a reader must never find in any answer.
pub const HIDDEN_FROM_ANONYMOUS: &[&str] = &["hush-circle", "fading-away", "alpha-hidden"];
pub const HIDDEN_FROM_BETA: &[&str] = &["fading-away", "alpha-hidden"];

/// Builds the world; its events are written while `fading-away` is still public.
pub async fn world(app: &TestApp) -> Readers {
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    for (slug, code, visibility) in [
        ("ws-open", "WS1", "public"),
        ("hush-circle", "HC", "members"),
    ] {
        app.create(
            "/api/v1/workstreams",
            json!({"slug": slug, "code": code, "title": format!("Workstream {slug}"),
                   "goal": "Share.", "visibility": visibility}),
        )
        .await;
    }
    for (ws, org) in [
        ("ws-open", "alpha"),
        ("ws-open", "beta"),
        ("hush-circle", "alpha"),
    ] {
        app.create(
            "/api/v1/memberships",
            json!({"workstream": ws, "organisation": org}),
        )
        .await;
    }
    let ann = app.user("ann@alpha.test", "alpha").await;
    let ben = app.user("ben@beta.test", "beta").await;
    let readers = Readers {
        anonymous: As::Anonymous,
        beta: app.token(ben).await,
        alpha: app.token(ann).await,
        admin: app.admin().await,
    };

    // A public project in the members-only workstream, and a public benchmark serving it.
    let mut open = project("alpha-open", &["alpha"], "public");
    open["workstreams"] = json!(["ws-open", "hush-circle"]);
    app.create("/api/v1/projects", open).await;
    app.create(
        "/api/v1/benchmarks",
        json!({"slug": "bench-open", "title": "Benchmark bench-open", "description": "Evaluate.",
               "task": "coding", "metrics": [{"name": "accuracy", "direction": "maximize"}],
               "primary_metric": "accuracy", "command": ["evaluate", "{dataset}", "{output}"],
               "participants": [{"organisation": "alpha", "dataset": "alpha-data"}],
               "workstreams": ["ws-open", "hush-circle"], "visibility": "public"}),
    )
    .await;

    // An organisation-only project at a stage and GSBPM step no public item has, linked
    // from a public card that alpha's own member writes.
    let mut hidden = project("alpha-hidden", &["alpha"], "organisation");
    hidden["workstreams"] = json!(["ws-open", "hush-circle"]);
    hidden["stage"] = json!("maintenance");
    hidden["gsbpm"] = json!("7.4");
    app.create("/api/v1/projects", hidden).await;
    let pointer = app
        .post(
            "/api/v1/models",
            &readers.alpha,
            model("alpha", "alpha-pointer", Some("alpha-hidden"), "public"),
        )
        .await;
    assert_eq!(pointer.status, StatusCode::CREATED, "{}", pointer.text);
    app.create(
        "/api/v1/models/alpha/alpha-pointer/versions",
        json!({"version": "1"}),
    )
    .await;
    // Its assessment is public too; its workstreams would be the hidden project's.
    app.create(
        "/api/v1/assessments",
        super::qf4sa(
            json!({"organisation": "alpha", "model": "alpha-pointer", "version": "1"}),
            2,
        ),
    )
    .await;

    // A public project with a card and a stage change, made organisation-only afterwards.
    let mut fading = project("fading-away", &["alpha"], "public");
    fading["workstreams"] = json!(["ws-open"]);
    app.create("/api/v1/projects", fading.clone()).await;
    fading["stage"] = json!("validated");
    let moved = app
        .put(
            "/api/v1/projects/fading-away",
            &readers.admin,
            fading.clone(),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    app.create(
        "/api/v1/models",
        model("alpha", "fading-model", Some("fading-away"), "public"),
    )
    .await;
    app.create(
        "/api/v1/assessments",
        super::qf4sa(json!({"project": "fading-away"}), 3),
    )
    .await;
    fading["visibility"] = json!("organisation");
    let hidden_now = app
        .put("/api/v1/projects/fading-away", &readers.admin, fading)
        .await;
    assert_eq!(hidden_now.status, StatusCode::OK, "{}", hidden_now.text);
    readers
}

/// The markers found in `text`.
pub fn markers_in(text: &str, markers: &[&'static str]) -> Vec<&'static str> {
    markers
        .iter()
        .copied()
        .filter(|m| text.contains(m))
        .collect()
}
