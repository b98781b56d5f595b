//! Every page in every language. A crawl from the front page of the demo data, signed in
//! as an administrator (so that edit forms, assessments and the account page are reached),
//! follows every local link and checks each page: it says its language (`<html lang>`,
//! `Content-Language`), shows the language's own words, and has no untranslated key
//! (`⟦key⟧`) or message argument left out (`{$name}`).

#[path = "auth_support/mod.rs"]
mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, As, TestApp};
use sqlx::PgPool;

/// Pages the crawl reads at most, per language.
const LIMIT: usize = 400;

/// What every page's language switcher is labelled, in the page's language.
fn switcher_label(lang: &str) -> &'static str {
    match lang {
        "fr" => "aria-label=\"Langue\"",
        "es" => "aria-label=\"Idioma\"",
        _ => "aria-label=\"Language\"",
    }
}

async fn get(app: &TestApp, url: &str, who: &As, lang_header: (&str, &str)) -> Answer {
    let mut b = Request::get(url).header(lang_header.0, lang_header.1);
    let mut cookies = Vec::new();
    if let As::Session(cookie, _) = who {
        cookies.push(format!("agora_session={cookie}"));
    }
    if lang_header.0 == "cookie" {
        cookies.push(lang_header.1.to_string());
        b = Request::get(url);
    }
    if !cookies.is_empty() {
        b = b.header(header::COOKIE, cookies.join("; "));
    }
    app.send(b.body(Body::empty()).expect("request")).await
}

/// The local page links of a page, without fragments.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        rest = &rest[i + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        let href = href.split('#').next().unwrap_or_default().to_string();
        let skip = href.starts_with("/api/")
            || href.starts_with("/static/")
            || href.starts_with("/language/")
            || href.starts_with("/auth/logout")
            || href.starts_with("//")
            || href.contains("unsubscribe")
            || href.ends_with(".csv")
            || href.ends_with(".svg")
            || href.ends_with(".json")
            || href.ends_with(".jsonld")
            || href.ends_with(".ttl");
        if !skip {
            out.push(href);
        }
    }
    out
}

/// Crawls from `/` and checks every HTML page; gives back the paths read.
async fn crawl(app: &TestApp, who: &As, lang: &str, via: (&str, &str)) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string(), "/no/such/page".to_string()]);
    while let Some(url) = queue.pop_front() {
        if seen.len() >= LIMIT || !seen.insert(url.clone()) {
            continue;
        }
        let answer = get(app, &url, who, via).await;
        let html_page = answer
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if !html_page {
            continue;
        }
        assert!(
            answer.status.is_success() || answer.status == StatusCode::NOT_FOUND,
            "{lang} {url}: {}",
            answer.status
        );
        let text = &answer.text;
        assert!(
            text.contains(&format!("<html lang=\"{lang}\">")),
            "{lang} {url}: the page does not say its language"
        );
        assert_eq!(
            answer
                .headers
                .get(header::CONTENT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
            Some(lang),
            "{lang} {url}"
        );
        if let Some(at) = text.find('⟦') {
            let end = (at + 80).min(text.len());
            let end = (end..text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            panic!("{lang} {url}: an untranslated key: {}", &text[at..end]);
        }
        assert!(
            !text.contains("{$"),
            "{lang} {url}: a message lacks an argument"
        );
        assert!(
            text.contains(switcher_label(lang)),
            "{lang} {url}: the page's frame is not in {lang}"
        );
        for link in links(text) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    seen
}

#[sqlx::test(migrations = "../migrations")]
async fn every_page_of_the_demo_reads_in_english_french_and_spanish(db: PgPool) {
    agora_hub::demo::seed(&db).await.expect("the demo data");
    let app = TestApp::new(db);
    app.index().await;
    let admin = app.user("polyglot@hub.test", "insee").await;
    app.grant(admin, "admin", None).await;
    let session = app.session(admin).await;

    let english = crawl(&app, &session, "en", ("accept-language", "en-GB")).await;
    assert!(
        english.len() > 40,
        "the crawl read only {} pages",
        english.len()
    );
    for path in ["/search", "/activity", "/account", "/benchmarks"] {
        assert!(english.contains(path), "the crawl never reached {path}");
    }
    let french = crawl(&app, &session, "fr", ("accept-language", "fr-FR,fr;q=0.9")).await;
    let spanish = crawl(&app, &session, "es", ("cookie", "agora_lang=es")).await;
    assert_eq!(french, english, "the French pages link to other pages");
    assert_eq!(spanish, english, "the Spanish pages link to other pages");

    // A visitor who is not signed in reads the public pages and the sign-in page.
    for lang in ["fr", "es"] {
        crawl(&app, &As::Anonymous, lang, ("accept-language", lang)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_switcher_remembers_the_language_and_goes_back(db: PgPool) {
    let app = TestApp::new(db);
    let answer = app
        .get(
            "/language/fr?back=%2Fprojects%3Fstage%3Dpilot",
            &As::Anonymous,
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/projects?stage=pilot"));
    assert_eq!(answer.cookie("agora_lang").as_deref(), Some("fr"));
    let set = answer.cookies().join("\n");
    assert!(
        set.contains("Max-Age=31536000") && set.contains("SameSite=Lax"),
        "{set}"
    );

    // The cookie wins over the browser's languages.
    let page = get(
        &app,
        "/projects",
        &As::Anonymous,
        ("cookie", "agora_lang=es"),
    )
    .await;
    assert!(page.text.contains("<html lang=\"es\">"));
    let vary = page
        .headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{vary}"
    );

    // Never a way off the hub, and only the languages it speaks.
    for back in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil.example",
    ] {
        let answer = app
            .get(&format!("/language/es?back={back}"), &As::Anonymous)
            .await;
        assert_eq!(answer.location(), Some("/"), "{back}");
    }
    let unknown = app.get("/language/de?back=%2F", &As::Anonymous).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.cookie("agora_lang").is_none());
    assert!(unknown.text.contains("`de`"), "{}", unknown.text);
}

#[sqlx::test(migrations = "../migrations")]
async fn dates_and_numbers_follow_the_language(db: PgPool) {
    agora_hub::demo::seed(&db).await.expect("the demo data");
    let app = TestApp::new(db);
    app.index().await;
    let fr = get(&app, "/activity", &As::Anonymous, ("accept-language", "fr")).await;
    let es = get(&app, "/activity", &As::Anonymous, ("accept-language", "es")).await;
    let en = get(&app, "/activity", &As::Anonymous, ("accept-language", "en")).await;
    // Moments are written `1 Dec 2026, 14:05 UTC`, `1 déc. 2026, …`, `1 dic 2026, …`.
    let months_fr = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let months_es = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ];
    assert!(
        months_fr
            .iter()
            .any(|m| fr.text.contains(&format!(" {m} 20"))),
        "{}",
        fr.text
    );
    assert!(
        months_es
            .iter()
            .any(|m| es.text.contains(&format!(" {m} 20")))
    );
    // Each line shows its time under its day; the whole moment, in UTC, is read out.
    assert!(en.text.contains(" UTC</span></time>"));
    assert!(en.text.contains(r#"<li class="day" aria-hidden="true">"#));
    // The hub's own activity lines are read back into the language.
    assert!(en.text.contains("” was submitted for review (version 1)"));
    assert!(
        fr.text.contains("» soumise à relecture (version 1)"),
        "{}",
        fr.text
    );
    assert!(
        es.text
            .contains("Se envió a revisión la evaluación QF4SA de «"),
        "{}",
        es.text
    );
    assert!(!fr.text.contains("was submitted for review"));
}

#[sqlx::test(migrations = "../migrations")]
async fn projects_and_cards_keep_their_own_language(db: PgPool) {
    use common::{model, organisation, project};
    let app = TestApp::new(db);
    app.create("/api/v1/organisations", organisation("insee"))
        .await;
    let mut french = project("codification-ape", &["insee"], "public");
    french["title"] = "Codification automatique de l'APE".into();
    french["text_language"] = "fr".into();
    app.create("/api/v1/projects", french).await;
    let mut card = model("insee", "codeur-ape", Some("codification-ape"), "public");
    card["text_language"] = "fr".into();
    app.create("/api/v1/models", card).await;
    app.create(
        "/api/v1/projects",
        project("english-pilot", &["insee"], "public"),
    )
    .await;

    // On a Spanish page the French project is marked French, the other one English.
    let page = get(&app, "/projects", &As::Anonymous, ("accept-language", "es")).await;
    assert!(page.text.contains("<html lang=\"es\">"));
    assert!(
        page.text
            .contains("lang=\"fr\">Codification automatique de l&#39;APE</a>")
            || page
                .text
                .contains("lang=\"fr\">Codification automatique de l&#x27;APE</a>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("lang=\"en\">Project english-pilot</a>"));
    let show = get(
        &app,
        "/projects/codification-ape",
        &As::Anonymous,
        ("accept-language", "en"),
    )
    .await;
    assert!(show.text.contains("<h1 lang=\"fr\">"), "{}", show.text);
    let card = get(
        &app,
        "/models/insee/codeur-ape",
        &As::Anonymous,
        ("accept-language", "en"),
    )
    .await;
    assert!(
        card.text.contains("<h1 lang=\"fr\">Model codeur-ape</h1>"),
        "{}",
        card.text
    );

    // The API gives the language back, and refuses one that is not a language.
    let api = app
        .get("/api/v1/projects/codification-ape", &As::Anonymous)
        .await;
    assert_eq!(api.body["text_language"], "fr");
    let mut bad = project("bad-language", &["insee"], "public");
    bad["text_language"] = "french".into();
    let admin = app.admin().await;
    let refused = app.post("/api/v1/projects", &admin, bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(refused.text.contains("text_language"), "{}", refused.text);
}
