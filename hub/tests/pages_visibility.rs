//! The visibility walk over the pages: every page type is read by an anonymous visitor, a
//! member of another organisation, a member of the owning organisation and an
//! administrator, before and after organisation A adds `members` and `organisation` items.
//! What an anonymous visitor reads never changes; what another organisation's member reads
//! never changes when A adds organisation-private items — not an item, not a count, not an
//! event. An organisation's agents are shown only to its stewards and administrators.

#[path = "auth_support/mod.rs"]
mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::{As, TestApp, model, organisation, project};
use serde_json::json;
use sqlx::PgPool;

/// Every page type, with filters, including the items about to be added.
const PAGES: &[&str] = &[
    "/",
    "/projects",
    "/projects?organisation=alpha",
    "/projects?workstream=ws-open",
    "/projects?workstream=alpha-circle",
    "/projects?stage=production",
    "/projects/alpha-open",
    "/projects/alpha-members",
    "/projects/alpha-private",
    "/projects/alpha-private/edit",
    "/models",
    "/models?organisation=alpha",
    "/models/alpha/alpha-open-model",
    "/models/alpha/alpha-members-model",
    "/models/alpha/alpha-private-model",
    "/models/alpha/alpha-private-model/edit",
    "/workstreams",
    "/workstreams/ws-open",
    "/workstreams/alpha-circle",
    "/organisations",
    "/organisations/alpha",
    "/activity",
    "/activity?organisation=alpha",
    "/activity?workstream=ws-open",
    "/activity?kind=model_version",
    "/search",
    "/search?q=alpha",
    "/search?q=alpha&kind=project",
];

type Snapshot = BTreeMap<&'static str, (StatusCode, String)>;

/// The page as compared between snapshots: the search's timing is left out.
fn normalise(html: &str) -> String {
    html.lines()
        .filter(|l| !l.contains(" ms</p>"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn walk(app: &TestApp, who: &As) -> Snapshot {
    app.index().await;
    let mut out = Snapshot::new();
    for url in PAGES {
        let answer = app.get(url, who).await;
        assert!(
            [
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::FORBIDDEN,
                StatusCode::SEE_OTHER
            ]
            .contains(&answer.status),
            "{url}: {}",
            answer.status
        );
        out.insert(url, (answer.status, normalise(&answer.text)));
    }
    out
}

fn assert_same(label: &str, before: &Snapshot, after: &Snapshot) {
    for (url, answer) in before {
        assert!(
            Some(answer) == after.get(url),
            "{label}: {url} changed when organisation-private items were added:\n{}",
            after.get(url).map(|a| a.1.as_str()).unwrap_or_default()
        );
    }
}

fn changed(before: &Snapshot, after: &Snapshot) -> Vec<&'static str> {
    before
        .iter()
        .filter(|(url, answer)| after.get(*url) != Some(answer))
        .map(|(url, _)| *url)
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn pages_never_show_or_count_what_the_caller_may_not_see(db: PgPool) {
    let app = TestApp::new(db);
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-open", "code": "WS1", "title": "Open", "goal": "Share.", "visibility": "public"}),
    )
    .await;
    for org in ["alpha", "beta"] {
        app.create(
            "/api/v1/memberships",
            json!({"workstream": "ws-open", "organisation": org}),
        )
        .await;
    }
    let mut open = project("alpha-open", &["alpha"], "public");
    open["workstreams"] = json!(["ws-open"]);
    app.create("/api/v1/projects", open).await;
    app.create(
        "/api/v1/projects",
        project("beta-open", &["beta"], "public"),
    )
    .await;
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-open-model", Some("alpha-open"), "public"),
    )
    .await;
    app.create(
        "/api/v1/models/alpha/alpha-open-model/versions",
        json!({"version": "1"}),
    )
    .await;
    let ann = app.user("ann@alpha.test", "alpha").await;
    let ben = app.user("ben@beta.test", "beta").await;
    let sue = app.user("sue@alpha.test", "alpha").await;
    app.grant(sue, "steward", Some("alpha")).await;
    let (anonymous, beta, alpha, steward, admin) = (
        As::Anonymous,
        app.token(ben).await,
        app.token(ann).await,
        app.token(sue).await,
        app.admin().await,
    );

    let s0_anonymous = walk(&app, &anonymous).await;
    let s0_beta = walk(&app, &beta).await;

    // `members` items: a members-only workstream, a project and a model card.
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "alpha-circle", "code": "AC", "title": "Alpha circle", "goal": "Talk.", "visibility": "members"}),
    )
    .await;
    app.create(
        "/api/v1/memberships",
        json!({"workstream": "alpha-circle", "organisation": "alpha"}),
    )
    .await;
    let mut members = project("alpha-members", &["alpha"], "members");
    members["workstreams"] = json!(["ws-open", "alpha-circle"]);
    app.create("/api/v1/projects", members).await;
    app.create(
        "/api/v1/models",
        model(
            "alpha",
            "alpha-members-model",
            Some("alpha-members"),
            "members",
        ),
    )
    .await;

    let s1_anonymous = walk(&app, &anonymous).await;
    let s1_beta = walk(&app, &beta).await;
    assert_same("anonymous", &s0_anonymous, &s1_anonymous);
    assert!(
        changed(&s0_beta, &s1_beta).contains(&"/projects/alpha-members"),
        "a member of another organisation sees `members` items"
    );
    let s1_alpha = walk(&app, &alpha).await;

    // Organisation-private items: a project in both workstreams that changes stage, a card
    // with versions, and an agent.
    let mut private = project("alpha-private", &["alpha"], "organisation");
    private["workstreams"] = json!(["ws-open", "alpha-circle"]);
    app.create("/api/v1/projects", private.clone()).await;
    private["stage"] = json!("production");
    assert_eq!(
        app.put("/api/v1/projects/alpha-private", &admin, private)
            .await
            .status,
        StatusCode::OK
    );
    app.create(
        "/api/v1/models",
        model(
            "alpha",
            "alpha-private-model",
            Some("alpha-private"),
            "organisation",
        ),
    )
    .await;
    for v in ["1", "2"] {
        app.create(
            "/api/v1/models/alpha/alpha-private-model/versions",
            json!({"version": v, "results": [{"metric": "accuracy", "value": 0.5, "dataset": "secret-set"}]}),
        )
        .await;
    }
    let mut conn = app.db.acquire().await.unwrap();
    agora_hub::db::agents::create(&mut conn, "alpha", "alpha-agent")
        .await
        .unwrap();
    drop(conn);

    let s2_anonymous = walk(&app, &anonymous).await;
    let s2_beta = walk(&app, &beta).await;
    assert_same("anonymous", &s0_anonymous, &s2_anonymous);
    assert_same("a member of another organisation", &s1_beta, &s2_beta);
    for (url, (_, html)) in s2_anonymous.iter().chain(s2_beta.iter()) {
        for secret in [
            "alpha-private",
            "Project alpha-private",
            "secret-set",
            "alpha-agent",
        ] {
            assert!(
                !html.contains(secret) || url.contains("alpha-private"),
                "{url} shows `{secret}`"
            );
        }
    }
    assert_eq!(s2_beta["/projects/alpha-private"].0, StatusCode::NOT_FOUND);
    assert_eq!(
        s2_beta["/projects/alpha-private/edit"].0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s2_anonymous["/projects/alpha-private/edit"].0,
        StatusCode::SEE_OTHER
    );

    // Its own people see the private items, and the counts include them.
    let s2_alpha = walk(&app, &alpha).await;
    let moved = changed(&s1_alpha, &s2_alpha);
    for url in [
        "/",
        "/projects",
        "/projects/alpha-private",
        "/models/alpha/alpha-private-model",
        "/organisations/alpha",
        "/workstreams/ws-open",
        "/activity",
        "/search?q=alpha",
    ] {
        assert!(
            moved.contains(&url),
            "alpha should see the private item at {url}"
        );
    }
    assert!(
        s2_alpha["/models/alpha/alpha-private-model"]
            .1
            .contains("secret-set")
    );

    // A public card that points at the private project does not name it.
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-pointer", Some("alpha-private"), "public"),
    )
    .await;
    for who in [&anonymous, &beta] {
        let card = app.get("/models/alpha/alpha-pointer", who).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(!card.text.contains("alpha-private"), "{}", card.text);
    }
    let own = app.get("/models/alpha/alpha-pointer", &alpha).await.text;
    assert!(own.contains("href=\"/projects/alpha-private\""));

    // Agents and their health: stewards and administrators only, not every member.
    assert!(!s2_alpha["/organisations/alpha"].1.contains("alpha-agent"));
    for who in [&steward, &admin] {
        let page = app.get("/organisations/alpha", who).await.text;
        assert!(
            page.contains("alpha-agent") && page.contains("Never connected"),
            "{page}"
        );
    }
}

/// Links, later changes and members-only workstreams, on the pages: no page shown to an
/// anonymous visitor or another organisation's member names what it may not read.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn pages_never_name_hidden_projects_later_private_items_or_members_workstreams(db: PgPool) {
    use common::hidden::{HIDDEN_FROM_ANONYMOUS, HIDDEN_FROM_BETA, markers_in, world};
    let app = TestApp::new(db);
    let readers = world(&app).await;
    app.index().await;
    let mut pages: Vec<&str> = PAGES.to_vec();
    pages.extend([
        "/activity?workstream=hush-circle",
        "/projects?workstream=hush-circle",
        "/projects/alpha-open",
        "/projects/fading-away",
        "/projects/alpha-hidden",
        "/models/alpha/alpha-pointer",
        "/models/alpha/fading-model",
        "/benchmarks",
        "/benchmarks/bench-open",
        "/search?q=pointer",
        "/search?q=fading",
        "/search?workstream=ws-open",
        "/search?stage=maintenance",
    ]);
    for (who, label, markers) in [
        (&readers.anonymous, "anonymous", HIDDEN_FROM_ANONYMOUS),
        (&readers.beta, "beta", HIDDEN_FROM_BETA),
    ] {
        let mut leaks = Vec::new();
        for url in &pages {
            let answer = app.get(url, who).await;
            let found: Vec<&str> = markers_in(&answer.text, markers)
                .into_iter()
                .filter(|m| !url.contains(m))
                .collect();
            if !found.is_empty() {
                leaks.push(format!("{url} ({}) shows {found:?}", answer.status));
            }
        }
        assert!(leaks.is_empty(), "{label}:\n{}", leaks.join("\n"));
        for url in ["/projects/fading-away", "/projects/alpha-hidden"] {
            assert_eq!(
                app.get(url, who).await.status,
                StatusCode::NOT_FOUND,
                "{label} {url}"
            );
        }
        // The card's page says nothing of its hidden project: not its stage either.
        let card = app.get("/models/alpha/alpha-pointer", who).await.text;
        assert!(!card.contains("aintenance"), "{label}: {card}");
    }
    // Its own organisation still reads all of it.
    for url in ["/activity", "/projects/fading-away", "/workstreams/ws-open"] {
        let page = app.get(url, &readers.alpha).await.text;
        assert!(page.contains("fading-away"), "alpha {url}: {page}");
    }
}
