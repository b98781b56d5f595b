//! Sessions, cookies, CSRF tokens and development sign-in, through the real router.

#[path = "auth_support/mod.rs"]
mod common;

use agora_hub::Config;
use axum::http::StatusCode;
use common::{As, TestApp, organisation, project};
use sqlx::PgPool;

fn dev_config() -> Config {
    Config {
        dev_login: true,
        ..Config::default()
    }
}

/// The value of a hidden form field.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).expect("the field") + marker.len();
    let rest = &html[at..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The pre-sign-in CSRF token from the login page: the hidden field and its cookie.
fn login_form_token(page: &common::Answer) -> (String, String) {
    let token = field(&page.text, "csrf");
    let cookie = page.cookie("agora_csrf").expect("the csrf cookie");
    assert_eq!(token, cookie);
    (token, cookie)
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_session_cookie_identifies_the_caller(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let id = app.user("alice@insee.fr", "insee").await;
    let who = app.session(id).await;
    let me = app.get("/api/v1/me", &who).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["signed_in"], true);
    assert_eq!(me.body["credential"], "session");
    assert_eq!(me.body["user"]["email"], "alice@insee.fr");
    assert_eq!(me.body["user"]["organisation"], "insee");
    assert!(me.body["csrf_token"].is_string());

    let anon = app.get("/api/v1/me", &As::Anonymous).await;
    assert_eq!(anon.body["signed_in"], false);
    assert_eq!(anon.body["credential"], "anonymous");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn development_sign_in_opens_a_fresh_session_each_time(db: PgPool) {
    let app = TestApp::with_config(db, dev_config());
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    app.user("claire@insee.fr", "insee").await;

    let page = app.get("/auth/login", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("claire@insee.fr"), "{}", page.text);
    assert!(page.text.contains("--dev-login"));
    let (token, cookie) = login_form_token(&page);

    let signed = app
        .form(
            "/auth/dev-login",
            &format!("agora_csrf={cookie}"),
            &[
                ("csrf", &token),
                ("email", "claire@insee.fr"),
                ("return_to", "/account"),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    assert_eq!(signed.location(), Some("/account"));
    let set = signed
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("agora_session="))
        .expect("a session cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"));
    assert!(!set.contains("Secure"), "plain-HTTP loopback hub: {set}");
    let first = signed.cookie("agora_session").unwrap();

    let account = app.get("/account", &As::Session(first.clone(), None)).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.text.contains("claire@insee.fr"));

    // Signing in again from the same browser replaces the session: no fixation. Signed in,
    // the form carries the session's token.
    let page = app
        .get("/auth/login", &As::Session(first.clone(), None))
        .await;
    let token = field(&page.text, "csrf");
    let again = app
        .form(
            "/auth/dev-login",
            &format!("agora_csrf={cookie}; agora_session={first}"),
            &[("csrf", &token), ("email", "claire@insee.fr")],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text);
    let second = again.cookie("agora_session").unwrap();
    assert_ne!(first, second);
    assert_eq!(app.count("sessions").await, 1);
    let old = app.get("/api/v1/me", &As::Session(first, None)).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn development_sign_in_is_off_by_default(db: PgPool) {
    let app = TestApp::new(db);
    app.user("claire@example.org", "").await;
    let page = app.get("/auth/login", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("claire@example.org"));
    assert!(page.cookie("agora_csrf").is_none());
    let refused = app
        .form(
            "/auth/dev-login",
            "agora_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            &[
                ("csrf", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                ("email", "claire@example.org"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("sessions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn development_sign_in_needs_the_csrf_token(db: PgPool) {
    let app = TestApp::with_config(db, dev_config());
    app.user("claire@example.org", "").await;
    let page = app.get("/auth/login", &As::Anonymous).await;
    let (_, cookie) = login_form_token(&page);
    let missing = app
        .form(
            "/auth/dev-login",
            &format!("agora_csrf={cookie}"),
            &[("email", "claire@example.org")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = app
        .form(
            "/auth/dev-login",
            &format!("agora_csrf={cookie}"),
            &[("csrf", "forged"), ("email", "claire@example.org")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_expired_session_is_refused_and_removed(db: PgPool) {
    let app = TestApp::new(db);
    let id = app.user("alice@example.org", "").await;
    let who = app.session(id).await;
    assert_eq!(app.get("/api/v1/me", &who).await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET expires_at = now() - interval '1 second'")
        .execute(&app.db)
        .await
        .unwrap();
    let refused = app.get("/api/v1/me", &who).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body["error"]["code"], "unauthorized");
    assert_eq!(app.count("sessions").await, 0);

    // Idle too long: refused as well.
    let who = app.session(id).await;
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '13 hours'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/v1/me", &who).await.status,
        StatusCode::UNAUTHORIZED
    );
    // An unknown cookie is refused too, not read as anonymous.
    let unknown = As::Session("not-a-session".into(), None);
    assert_eq!(
        app.get("/api/v1/projects", &unknown).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Pages read a stale cookie as signed out and offer to sign in again.
    let page = app.get("/account", &unknown).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/auth/login?return_to=/account"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn cookie_authenticated_api_writes_need_the_csrf_header(db: PgPool) {
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let id = app.user("alice@insee.fr", "insee").await;
    let As::Session(cookie, csrf) = app.session(id).await else {
        unreachable!()
    };
    let events = app.count("events").await;
    let body = project("insee-pilot", &["insee"], "organisation");

    let missing = app
        .post(
            "/api/v1/projects",
            &As::Session(cookie.clone(), None),
            body.clone(),
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN, "{}", missing.text);
    assert_eq!(missing.body["error"]["code"], "forbidden");
    let wrong = app
        .post(
            "/api/v1/projects",
            &As::Session(cookie.clone(), Some("nope".into())),
            body.clone(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("projects").await, 0);
    assert_eq!(app.count("events").await, events);

    // Reads need no token.
    let read = app
        .get("/api/v1/projects", &As::Session(cookie.clone(), None))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let made = app
        .post("/api/v1/projects", &As::Session(cookie, csrf), body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn account_forms_need_the_csrf_token(db: PgPool) {
    let app = TestApp::new(db);
    let id = app.user("alice@example.org", "").await;
    let As::Session(cookie, Some(csrf)) = app.session(id).await else {
        unreachable!()
    };
    let jar = format!("agora_session={cookie}");
    let page = app
        .get("/account", &As::Session(cookie.clone(), None))
        .await;
    assert!(
        page.text
            .contains(&format!("name=\"csrf\" value=\"{csrf}\""))
    );
    assert_eq!(page.headers["cache-control"], "no-store");

    let missing = app
        .form("/account/tokens", &jar, &[("name", "script")])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let forged = app
        .form(
            "/account/tokens",
            &jar,
            &[("name", "script"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("api_tokens").await, 0);

    let made = app
        .form(
            "/account/tokens",
            &jar,
            &[("name", "script"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    assert!(made.text.contains("agp_"), "the new token is shown once");
    assert_eq!(app.count("api_tokens").await, 1);
    let listed = app
        .get("/account", &As::Session(cookie.clone(), None))
        .await;
    let secret_start = made.text.find("<code>agp_").unwrap() + 6;
    let secret = &made.text[secret_start..secret_start + 47];
    assert!(
        !listed.text.contains(secret),
        "the secret is not shown again"
    );

    let token_id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/account/tokens/{token_id}/revoke");
    assert_eq!(
        app.form(&path, &jar, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let revoked = app.form(&path, &jar, &[("csrf", &csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(live, 0);

    // Signing out: refused without the token, then the session is gone and the cookie cleared.
    assert_eq!(
        app.form("/auth/logout", &jar, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("sessions").await, 1);
    let out = app.form("/auth/logout", &jar, &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.cookies()
            .iter()
            .any(|c| c.starts_with("agora_session=;") && c.contains("Max-Age=0"))
    );
    assert_eq!(app.count("sessions").await, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_account_page_sends_strangers_to_sign_in(db: PgPool) {
    let app = TestApp::new(db);
    let page = app.get("/account", &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let login = app
        .get(
            "/auth/login?return_to=https://evil.example/",
            &As::Anonymous,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(!login.text.contains("evil.example"));
    let unknown = app.get("/auth/login/nowhere", &As::Anonymous).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn pages_escape_what_people_and_providers_wrote(db: PgPool) {
    let app = TestApp::with_config(db, dev_config());
    let id = app.user("mallory@example.org", "").await;
    sqlx::query("UPDATE users SET name = '<script>alert(1)</script>' WHERE id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let who = app.session(id).await;
    for page in ["/account", "/auth/login"] {
        let answer = app.get(page, &who).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(!answer.text.contains("<script>"), "{page}");
        assert!(
            answer.text.contains("&lt;script&gt;") || answer.text.contains("&#60;script&#62;"),
            "{page}: {}",
            answer.text
        );
    }
}
