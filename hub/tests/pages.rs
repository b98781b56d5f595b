//! The pages through the real router: each page type renders with its landmarks, title and
//! description; edit forms check their fields on the server and show the message next to
//! the field; errors are pages for browsers and JSON for the API; assets are hashed and
//! cached for good.

#[path = "auth_support/mod.rs"]
mod common;

use axum::http::{StatusCode, header};
use common::{Answer, As, TestApp, model, organisation, project};
use serde_json::json;
use sqlx::PgPool;

/// Alpha's open project with a model card (with a version and results) in an open
/// workstream; a member of alpha (`ann`) and one of beta (`ben`), each with a session.
async fn world(app: &TestApp) -> (As, As) {
    for org in ["alpha", "beta"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws-open", "code": "WS1", "title": "Open pilots", "goal": "Share pilots. And more.", "visibility": "public"}),
    )
    .await;
    app.create(
        "/api/v1/memberships",
        json!({"workstream": "ws-open", "organisation": "alpha"}),
    )
    .await;
    let mut open = project("alpha-open", &["alpha"], "public");
    open["workstreams"] = json!(["ws-open"]);
    open["summary"] = json!("A **pilot** on coding.\n\n<script>alert(1)</script>");
    app.create("/api/v1/projects", open).await;
    let mut card = model("alpha", "alpha-coder", Some("alpha-open"), "public");
    card["body"] = json!("# Coder\n\nReads text. <img src=x onerror=alert(1)>");
    card["license"] = json!("mit");
    app.create("/api/v1/models", card).await;
    app.create(
        "/api/v1/models/alpha/alpha-coder/versions",
        json!({"version": "1", "stage": "production", "results": [{"metric": "accuracy", "value": 0.915, "dataset": "audit-2025", "split": "test"}]}),
    )
    .await;
    let ann = app.user("ann@alpha.test", "alpha").await;
    let ben = app.user("ben@beta.test", "beta").await;
    (app.session(ann).await, app.session(ben).await)
}

fn cookie(who: &As) -> String {
    match who {
        As::Session(c, _) => format!("agora_session={c}"),
        _ => String::new(),
    }
}

fn csrf(who: &As) -> String {
    match who {
        As::Session(_, Some(t)) => t.clone(),
        _ => String::new(),
    }
}

fn assert_page(answer: &Answer, url: &str) {
    assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.text);
    let html = &answer.text;
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{url}"
    );
    assert_eq!(html.matches("<h1").count(), 1, "{url}: one h1");
    for landmark in [
        "<main id=\"main\"",
        "<header class=\"site\"",
        "<nav aria-label=\"Main\"",
        "<footer",
        "Skip to content",
    ] {
        assert!(html.contains(landmark), "{url}: {landmark}");
    }
    assert!(
        html.contains("<title>") && html.contains(" · Agora</title>"),
        "{url}"
    );
    let description = html
        .split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    assert!(description.len() > 20, "{url}: a meta description");
    assert_eq!(
        answer.headers[header::CACHE_CONTROL],
        "private, no-cache",
        "{url}"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn every_page_type_renders_with_landmarks_title_and_description(db: PgPool) {
    let app = TestApp::new(db);
    world(&app).await;
    app.index().await;
    for (url, expect) in [
        ("/", "Open pilots"),
        ("/projects", "Project alpha-open"),
        (
            "/projects?stage=pilot&workstream=ws-open",
            "Project alpha-open",
        ),
        ("/projects/alpha-open", "Journey stage: Pilot"),
        ("/models", "Model alpha-coder"),
        (
            "/models?organisation=alpha&task=coding",
            "Model alpha-coder",
        ),
        ("/models/alpha/alpha-coder", "audit-2025"),
        ("/workstreams", "Open pilots"),
        ("/workstreams/ws-open", "Projects by journey stage"),
        ("/organisations", "Office alpha"),
        ("/organisations/alpha", "Model alpha-coder"),
        ("/activity", "New project"),
        ("/activity?organisation=alpha&kind=project", "New project"),
        ("/search?q=alpha", "<mark>"),
    ] {
        let answer = app.get(url, &As::Anonymous).await;
        assert_page(&answer, url);
        assert!(answer.text.contains(expect), "{url} shows {expect}");
    }

    // The card's markdown is rendered and sanitised; so is the project's summary.
    let card = app
        .get("/models/alpha/alpha-coder", &As::Anonymous)
        .await
        .text;
    assert!(card.contains("<h3>Coder</h3>"), "{card}");
    assert!(!card.contains("onerror"));
    assert!(card.contains("0.915") && card.contains("production"));
    let project = app.get("/projects/alpha-open", &As::Anonymous).await.text;
    assert!(project.contains("<strong>pilot</strong>"));
    assert!(!project.contains("<script>alert"));
    assert!(project.contains("href=\"/models/alpha/alpha-coder\""));
    assert!(project.contains("aria-current=\"step\""));

    // The workstream offers its digest.
    let ws = app.get("/workstreams/ws-open", &As::Anonymous).await.text;
    assert!(ws.contains("href=\"/account/digests?workstream=ws-open\""));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn assets_are_named_by_their_content_and_cached_for_good(db: PgPool) {
    let app = TestApp::new(db);
    let home = app.get("/", &As::Anonymous).await.text;
    for (prefix, kind) in [
        ("href=\"/static/app.", "text/css"),
        ("href=\"/static/favicon.", "image/svg+xml"),
    ] {
        let path = home
            .split(prefix)
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the asset is linked");
        let url = format!("{}{path}", &prefix[6..]);
        let asset = app.get(&url, &As::Anonymous).await;
        assert_eq!(asset.status, StatusCode::OK, "{url}");
        assert!(
            asset.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
        assert_eq!(
            asset.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    let old = app.get("/static/app.css", &As::Anonymous).await;
    assert!(old.status.is_redirection());
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn errors_are_pages_for_browsers_and_json_for_the_api(db: PgPool) {
    let app = TestApp::new(db);
    world(&app).await;
    let page = app.get("/projects/no-such-project", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text.contains("Page not found"));
    assert!(
        page.text.contains("href=\"/search?q=no+such+project\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("signing in may show it"));
    let route = app.get("/no/such/page", &As::Anonymous).await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    assert!(route.text.contains("<main"));
    let api = app.get("/api/v1/nothing", &As::Anonymous).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.body["error"]["code"], "not_found");
    let bad = app.get("/projects?stage=bogus", &As::Anonymous).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("is not a known value"));

    // A database out of reach is a page that says so (503: try again) and hides the cause.
    app.db.close().await;
    let broken = app.get("/projects", &As::Anonymous).await;
    assert_eq!(broken.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(broken.text.contains("Something went wrong"));
    assert!(
        !broken.text.to_lowercase().contains("pool"),
        "{}",
        broken.text
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_project_form_shows_a_refused_field_next_to_it_and_saves_a_good_one(db: PgPool) {
    let app = TestApp::new(db);
    let (ann, ben) = world(&app).await;

    // Anonymous callers are sent to sign in; another organisation's member is refused.
    let anon = app.get("/projects/alpha-open/edit", &As::Anonymous).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anon.location(),
        Some("/auth/login?return_to=%2Fprojects%2Falpha-open%2Fedit")
    );
    let other = app.get("/projects/alpha-open/edit", &ben).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(other.text.contains("Not allowed") && other.text.contains("You are signed in as"));
    let shown = app.get("/projects/alpha-open", &ben).await.text;
    assert!(
        !shown.contains("/projects/alpha-open/edit"),
        "no edit link for beta"
    );
    let own = app.get("/projects/alpha-open", &ann).await.text;
    assert!(own.contains("href=\"/projects/alpha-open/edit\""));

    let form = app.get("/projects/alpha-open/edit", &ann).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(
        form.text
            .contains(&format!("name=\"csrf\" value=\"{}\"", csrf(&ann)))
    );
    assert!(form.text.contains("value=\"Project alpha-open\""));

    let base = |title: &'static str, repo: &'static str| {
        vec![
            ("title", title),
            ("summary", "A pilot on coding."),
            ("stage", "validated"),
            ("task", "coding"),
            ("organisations", "alpha"),
            ("workstreams", "ws-open"),
            ("repositories", repo),
            ("visibility", "public"),
        ]
    };
    // Without the CSRF token: refused.
    let forged = app
        .form(
            "/projects/alpha-open/edit",
            &cookie(&ann),
            &base("Renamed", ""),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let token: &'static str = csrf(&ann).leak();
    let with_csrf = |mut fields: Vec<(&'static str, &'static str)>| {
        let mut all: Vec<(&str, &str)> = vec![("csrf", token)];
        all.append(&mut fields);
        all
    };
    let refused = app
        .form(
            "/projects/alpha-open/edit",
            &cookie(&ann),
            &with_csrf(base("  ", "")),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = &refused.text;
    assert!(
        html.contains("<p class=\"field-error\" id=\"title-error\">"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"title-hint title-error\""));
    assert!(html.contains("must not be empty"));
    assert!(html.contains("The changes were not saved"));
    // What was typed elsewhere is kept.
    assert!(html.contains("<option value=\"validated\" selected>"));

    let bad_repo = app
        .form(
            "/projects/alpha-open/edit",
            &cookie(&ann),
            &with_csrf(base("Renamed", "not a url")),
        )
        .await;
    assert_eq!(bad_repo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_repo.text.contains("id=\"repositories-error\""),
        "{}",
        bad_repo.text
    );

    let mut away = base("Renamed", "");
    away[4] = ("organisations", "beta");
    let taken = app
        .form("/projects/alpha-open/edit", &cookie(&ann), &with_csrf(away))
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text.contains("id=\"organisations-error\""));

    let saved = app
        .form(
            "/projects/alpha-open/edit",
            &cookie(&ann),
            &with_csrf(base("Renamed pilot", "https://git.example.org/alpha/pilot")),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert_eq!(saved.location(), Some("/projects/alpha-open"));
    let api = app.get("/api/v1/projects/alpha-open", &As::Anonymous).await;
    assert_eq!(api.body["title"], "Renamed pilot");
    assert_eq!(api.body["stage"], "validated");
    assert_eq!(
        api.body["repositories"][0],
        "https://git.example.org/alpha/pilot"
    );
    let page = app.get("/projects/alpha-open", &As::Anonymous).await.text;
    assert!(page.contains("moved from pilot to validated"), "{page}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_model_card_form_checks_the_title_and_saves_the_text(db: PgPool) {
    let app = TestApp::new(db);
    let (ann, ben) = world(&app).await;
    let url = "/models/alpha/alpha-coder/edit";
    assert_eq!(app.get(url, &ben).await.status, StatusCode::FORBIDDEN);
    let form = app.get(url, &ann).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let token = csrf(&ann);
    let fields = |title: String, licence: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("title", title),
            ("body", "## How it works\n\nWell.".to_string()),
            ("license", licence.to_string()),
            ("task", "coding".to_string()),
            ("visibility", "public".to_string()),
        ]
    };
    // A title over the limit is refused next to its field; a licence the hub does not
    // know is no longer refused (issue 22): it is kept as written, with a warning.
    let bad = fields("t".repeat(201), "apache-2.0");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.form(url, &cookie(&ann), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("id=\"title-error\""),
        "{}",
        refused.text
    );
    // Two bad fields are both reported in one round, in words rather than code marks, and
    // the summary of errors takes the focus.
    let mut two = fields("t".repeat(201), "apache-2.0");
    two.retain(|(k, _)| *k != "visibility");
    two.push(("visibility", "everyone".to_string()));
    let two: Vec<(&str, &str)> = two.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.form(url, &cookie(&ann), &two).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["title-error", "visibility-error"] {
        assert!(
            refused.text.contains(&format!("id=\"{id}\"")),
            "{id}: {}",
            refused.text
        );
    }
    assert!(refused.text.contains("tabindex=\"-1\" autofocus>"));
    let errors: Vec<&str> = refused
        .text
        .split("class=\"field-error\"")
        .skip(1)
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|e| !e[..e.find("</p>").unwrap_or(e.len())].contains('`'))
    );
    // Typing a licence or a language offers the known ones; no field is marked optional.
    assert!(form.text.contains(r#"list="license-suggestions""#));
    assert!(
        form.text
            .contains(r#"<option value="apache-2.0">Apache License 2.0</option>"#)
    );
    assert!(form.text.contains(r#"<option value="fr">French</option>"#));
    assert!(!form.text.contains("(optional)"));
    // "Preview" shows the Markdown as the page will and saves nothing.
    let mut preview = fields("Previewed title".to_string(), "apache-2.0");
    preview.push(("preview", "1".to_string()));
    let preview: Vec<(&str, &str)> = preview.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let shown = app.form(url, &cookie(&ann), &preview).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(shown.text.contains(r#"<section class="panel preview""#));
    assert!(
        shown.text.contains("<h3>How it works</h3>"),
        "{}",
        shown.text
    );
    assert!(shown.text.contains(r#"value="Previewed title""#));
    let card = app
        .get("/models/alpha/alpha-coder", &As::Anonymous)
        .await
        .text;
    assert!(!card.contains("Previewed title"));
    let good = fields("Alpha coder".to_string(), "not a licence !");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app.form(url, &cookie(&ann), &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let page = app
        .get("/models/alpha/alpha-coder", &As::Anonymous)
        .await
        .text;
    // The card's top heading sits right under the page's section, with no gap.
    assert!(page.contains("<h3>How it works</h3>"), "{page}");
    assert!(page.contains("Alpha coder"));
    assert!(page.contains("not a licence !"), "{page}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_synced_card_names_its_agent_source_and_last_sync(db: PgPool) {
    use agora_hub::db::{SaveMode, models, provenance::SyncProvenance};
    let app = TestApp::new(db);
    let (ann, _) = world(&app).await;
    let mut conn = app.db.acquire().await.unwrap();
    agora_hub::db::agents::create(&mut conn, "alpha", "alpha-agent")
        .await
        .unwrap();
    let agent_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE name = 'alpha-agent'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let card: agora_schemas::ModelCardInput =
        serde_json::from_value(model("alpha", "synced-coder", Some("alpha-open"), "public"))
            .unwrap();
    let stamp = SyncProvenance {
        agent_id,
        source: "mlflow-prod".into(),
        key: "synced-coder".into(),
        commit: None,
    };
    models::save_card(&mut conn, &card, "agent", SaveMode::Upsert, Some(&stamp))
        .await
        .unwrap();
    drop(conn);
    let page = app.get("/models/alpha/synced-coder", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Sent by the organisation&#39;s agent",
        "alpha/alpha-agent",
        "mlflow-prod",
        "Last sync",
    ] {
        assert!(page.text.contains(text), "{text}: {}", page.text);
    }
    let form = app.get("/models/alpha/synced-coder/edit", &ann).await;
    assert!(
        form.text.contains("kept in sync from mlflow-prod"),
        "{}",
        form.text
    );
}

/// Issue 22: values kept as written but unusable are shown to the card's organisation on
/// the model page, and each refused or warned item of an agent's latest listing on the
/// organisation's page; people of other organisations see neither.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn warnings_and_refusals_are_shown_to_the_items_organisation(db: PgPool) {
    let app = TestApp::new(db);
    let (ann, ben) = world(&app).await;
    let mut odd = model("alpha", "odd-coder", None, "public");
    odd["task"] = json!("telepathy");
    odd["language"] = json!(["pt-BR", "pt_BR"]);
    app.create("/api/v1/models", odd).await;
    let page = app.get("/models/alpha/odd-coder", &ann).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Values kept as written"),
        "{}",
        page.text
    );
    assert!(page.text.contains("<code>task</code>"), "{}", page.text);
    assert!(
        page.text.contains("<code>language[1]</code>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Portuguese (Brazil)"), "{}", page.text);
    for other in [&ben, &As::Anonymous] {
        let page = app.get("/models/alpha/odd-coder", other).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.text.contains("Values kept as written"),
            "{}",
            page.text
        );
        assert!(!page.text.contains("<code>language[1]</code>"));
        assert!(
            page.text.contains("telepathy"),
            "the task is shown as written"
        );
    }

    let mut conn = app.db.acquire().await.unwrap();
    agora_hub::db::agents::create(&mut conn, "alpha", "alpha-agent")
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sync_epochs (agent_id, source, epoch, added, rejected, rejected_items, warned, warned_items) \
         SELECT id, 'git-cards', 'e1', 1, 1, $1, 1, $2 FROM agents WHERE name = 'alpha-agent'",
    )
    .bind(json!([{"key": "cards/bad/MODEL_CARD.md", "outcome": "rejected", "field": "name",
                  "reason": "`Bad Card` is not a slug"}]))
    .bind(json!([{"key": "cards/odd/MODEL_CARD.md", "outcome": "added",
                  "warnings": [{"field": "license", "reason": "`free-for-all` is unknown"}]}]))
    .execute(&mut *conn)
    .await
    .unwrap();
    // Agents are shown to the organisation's stewards and the hub's administrators.
    let admin = app.admin().await;
    let page = app.get("/organisations/alpha", &admin).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "cards/bad/MODEL_CARD.md",
        "`Bad Card` is not a slug",
        "cards/odd/MODEL_CARD.md",
        "<code>license</code>",
        "`free-for-all` is unknown",
    ] {
        assert!(page.text.contains(text), "{text} missing: {}", page.text);
    }
    let page = app.get("/organisations/alpha", &ben).await;
    assert!(!page.text.contains("cards/bad/MODEL_CARD.md"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn sign_in_and_account_pages_are_in_the_sites_layout(db: PgPool) {
    let app = TestApp::new(db);
    world(&app).await;
    let id = app.user("page-reader@alpha.test", "alpha").await;
    app.grant(id, "steward", Some("alpha")).await;
    let session = app.session(id).await;
    for (path, who) in [("/auth/login", As::Anonymous), ("/account", session)] {
        let page = app.get(path, &who).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
        for part in [
            r##"<a class="skip" href="#main">"##,
            r#"<header class="site">"#,
            r#"<main id="main""#,
            r#"<footer class="site">"#,
        ] {
            assert!(page.text.contains(part), "{path}: no {part}");
        }
    }
    // Roles in words, the organisation by its name.
    let account = app.get("/account", &app.session(id).await).await.text;
    assert!(account.contains("Steward of Office alpha"), "{account}");
    assert!(account.contains("Member"), "{account}");
    assert!(!account.contains("steward:alpha"), "{account}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_front_page_counts_what_the_caller_may_see(db: PgPool) {
    let app = TestApp::new(db);
    world(&app).await;
    app.create(
        "/api/v1/projects",
        project("alpha-quiet", &["alpha"], "organisation"),
    )
    .await;
    let id = app.user("counter@alpha.test", "alpha").await;
    let member = app.token(id).await;
    for who in [As::Anonymous, member] {
        let home = app.get("/", &who).await.text;
        for (list, one, many) in [
            ("projects", "project", "projects"),
            ("models", "model", "models"),
            ("benchmarks", "benchmark", "benchmarks"),
            ("organisations", "organisation", "organisations"),
        ] {
            let total = app.get(&format!("/api/v1/{list}"), &who).await.body["total"]
                .as_i64()
                .expect("a total");
            let words = if total == 1 { one } else { many };
            let link = format!(r#"<a href="/{list}">{total} {words}</a>"#);
            assert!(home.contains(&link), "no {link} in {home}");
        }
    }
    // The anonymous caller's count leaves the private items out.
    let anonymous = app.get("/api/v1/projects", &As::Anonymous).await.body["total"].clone();
    let own = app.get("/api/v1/projects", &app.token(id).await).await.body["total"].clone();
    assert!(anonymous.as_i64() < own.as_i64(), "{anonymous} {own}");
}
