//! The sign-in, account and digest pages in the language a browser asks for, and the
//! language of e-mails kept with the account.

#[path = "auth_support/mod.rs"]
mod common;

use agora_hub::Config;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, TestApp, organisation};
use sqlx::PgPool;

fn dev_config() -> Config {
    Config {
        dev_login: true,
        ..Config::default()
    }
}

/// A GET with `Accept-Language` and, when given, cookies.
async fn get_in(app: &TestApp, uri: &str, accept_language: &str, cookies: Option<&str>) -> Answer {
    let mut request = Request::builder()
        .uri(uri)
        .header(header::ACCEPT_LANGUAGE, accept_language);
    if let Some(cookies) = cookies {
        request = request.header(header::COOKIE, cookies);
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

fn assert_translated(page: &Answer) {
    assert!(!page.text.contains('⟦'), "{}", page.text);
    assert!(
        !page.text.contains("{ $") && !page.text.contains("{$"),
        "{}",
        page.text
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_sign_in_page_speaks_the_browser_language(db: PgPool) {
    let app = TestApp::with_config(db, dev_config());
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    app.user("claire@insee.fr", "insee").await;

    let fr = get_in(&app, "/auth/login", "fr-FR,fr;q=0.9,en;q=0.5", None).await;
    assert_eq!(fr.status, StatusCode::OK);
    assert!(fr.text.contains(r#"<html lang="fr">"#), "{}", fr.text);
    assert!(fr.text.contains("Se connecter"), "{}", fr.text);
    assert!(
        fr.text.contains("Connexion de développement"),
        "{}",
        fr.text
    );
    assert!(fr.text.contains("claire@insee.fr"));
    // The switcher offers the other languages and comes back here.
    assert!(
        fr.text.contains(
            r#"href="/language/es?back=%2Fauth%2Flogin%3Freturn_to%3D%252Faccount" lang="es""#
        ),
        "{}",
        fr.text
    );
    assert_translated(&fr);

    let es = get_in(&app, "/auth/login", "es", None).await;
    assert!(es.text.contains(r#"<html lang="es">"#), "{}", es.text);
    assert!(es.text.contains("Iniciar sesión"), "{}", es.text);
    assert_translated(&es);

    let en = get_in(&app, "/auth/login", "de", None).await;
    assert!(en.text.contains(r#"<html lang="en">"#));
    assert!(en.text.contains("<h1>Sign in</h1>"));
    assert!(en.text.contains("Development sign-in"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_account_and_digest_pages_follow_the_language_switcher(db: PgPool) {
    let app = TestApp::with_config(db, dev_config());
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let claire = app.user("claire@insee.fr", "insee").await;
    let common::As::Session(cookie, _) = app.session(claire).await else {
        panic!("a session");
    };
    let cookies = format!("agora_session={cookie}; agora_lang=fr");

    let account = get_in(&app, "/account", "en", Some(&cookies)).await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.text);
    assert!(account.text.contains(r#"<html lang="fr">"#));
    assert!(account.text.contains("API personnels"), "{}", account.text);
    assert!(account.text.contains("Se déconnecter"));
    assert_translated(&account);

    let digests = get_in(&app, "/account/digests", "en", Some(&cookies)).await;
    assert_eq!(digests.status, StatusCode::OK, "{}", digests.text);
    assert!(
        digests.text.contains("Récapitulatifs par courriel"),
        "{}",
        digests.text
    );
    assert!(digests.text.contains("Langue des courriels"));
    assert!(
        digests
            .text
            .contains(r#"<option value="en" lang="en" selected>English</option>"#)
    );
    assert_translated(&digests);

    // An unsubscribe link that is not valid: the error page is French too.
    let refused = get_in(
        &app,
        "/digests/unsubscribe?u=1&w=x&t=y",
        "es",
        Some("agora_lang=fr"),
    )
    .await;
    assert!(
        refused.text.contains(r#"<html lang="fr">"#),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("Se connecter"), "{}", refused.text);
    assert_translated(&refused);

    let es = get_in(
        &app,
        "/account",
        "es",
        Some(&format!("agora_session={cookie}")),
    )
    .await;
    assert!(es.text.contains("Tokens personales de API"), "{}", es.text);
    assert!(es.text.contains("Cerrar sesión"));
    assert_translated(&es);
}

#[test]
fn french_puts_a_no_break_space_before_a_colon_even_after_a_link() {
    use agora_hub::i18n::Lang;
    for key in ["account-digests-after-link", "signin-dev-note-after"] {
        let text = Lang::Fr.t(key);
        assert!(text.starts_with("\u{a0}:"), "{key}: {text:?}");
        assert!(Lang::En.t(key).starts_with(':'), "{key}");
    }
    assert_eq!(
        Lang::Fr
            .msg("digest-unsubscribe-heading")
            .arg("workstream", "WS4 Données")
            .to_string(),
        "Se désabonner de WS4 Données\u{202f}?"
    );
}
