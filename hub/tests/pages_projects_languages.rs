//! The project, organisation and workstream pages and the edit forms in French and
//! Spanish: each is written in the language asked for, with no message missing.

#[path = "auth_support/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, As, TestApp, model, organisation, project};
use serde_json::json;
use sqlx::PgPool;

/// Alpha's open project with a model card in an open workstream; a member of alpha, `ann`,
/// with a session.
async fn world(app: &TestApp) -> As {
    app.create("/api/v1/organisations", organisation("alpha"))
        .await;
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
    open["repositories"] = json!(["https://git.example.org/alpha/open"]);
    app.create("/api/v1/projects", open).await;
    app.create(
        "/api/v1/models",
        model("alpha", "alpha-coder", Some("alpha-open"), "public"),
    )
    .await;
    let ann = app.user("ann@alpha.test", "alpha").await;
    app.session(ann).await
}

/// A page in a language: asked through `Accept-Language`, or through the language cookie
/// next to a session.
async fn get_in(app: &TestApp, url: &str, lang: &str, who: &As) -> Answer {
    let mut request = Request::builder().uri(url);
    match who {
        As::Session(c, _) => {
            request = request.header(
                header::COOKIE,
                format!("agora_session={c}; agora_lang={lang}"),
            )
        }
        As::Token(t) => {
            request = request
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::ACCEPT_LANGUAGE, lang)
        }
        _ => request = request.header(header::ACCEPT_LANGUAGE, lang),
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

fn assert_in(answer: &Answer, url: &str, lang: &str, words: &[&str]) {
    let html = &answer.text;
    assert!(
        html.contains(&format!("<html lang=\"{lang}\">")),
        "{url} in {lang}: {html}"
    );
    assert!(
        !html.contains('⟦'),
        "{url} in {lang}: a missing message: {html}"
    );
    assert!(
        !html.contains("{$"),
        "{url} in {lang}: a missing argument: {html}"
    );
    for w in words {
        assert!(html.contains(w), "{url} in {lang} shows {w}: {html}");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_project_pages_and_forms_speak_french_and_spanish(db: PgPool) {
    let app = TestApp::new(db);
    let ann = world(&app).await;
    let admin = app.admin().await;
    let pages: [(&str, &As, [&str; 2], [&str; 2]); 8] = [
        (
            "/projects",
            &As::Anonymous,
            ["Filtrer les projets", "Toutes les étapes"],
            ["Filtrar proyectos", "Cualquier etapa"],
        ),
        (
            "/projects?stage=idea",
            &As::Anonymous,
            ["Aucun projet", "Effacer les filtres"],
            ["Ningún proyecto", "Quitar los filtros"],
        ),
        (
            "/projects/alpha-open",
            &ann,
            ["Étape du parcours\u{a0}: Pilote", "Modifier le projet"],
            ["Etapa del recorrido: Piloto", "Editar el proyecto"],
        ),
        (
            "/organisations",
            &As::Anonymous,
            ["Sigle", "Institut national de statistique"],
            ["Sigla", "Oficina nacional de estadística"],
        ),
        (
            "/organisations/alpha",
            &admin,
            ["Aucun agent", "Visible des référents"],
            [
                "No hay ningún agente registrado",
                "Visible para los responsables",
            ],
        ),
        (
            "/workstreams",
            &As::Anonymous,
            ["1 projet", "Actif"],
            ["1 proyecto", "Activa"],
        ),
        (
            "/workstreams/ws-open",
            &As::Anonymous,
            [
                "Projets par étape du parcours",
                "abonner à son récapitulatif",
            ],
            [
                "Proyectos por etapa del recorrido",
                "Suscribirse a su resumen",
            ],
        ),
        (
            "/projects/alpha-open/edit",
            &ann,
            ["Enregistrer les modifications", "(obligatoire)"],
            ["Guardar los cambios", "(obligatorio)"],
        ),
    ];
    for (url, who, fr, es) in pages {
        for (lang, words) in [("fr", fr), ("es", es)] {
            let answer = get_in(&app, url, lang, who).await;
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{url} in {lang}: {}",
                answer.text
            );
            assert_in(&answer, url, lang, &words);
        }
    }
    let card = "/models/alpha/alpha-coder/edit";
    let fr = get_in(&app, card, "fr", &ann).await;
    assert_in(
        &fr,
        card,
        "fr",
        &["Usage prévu", "Modifier «\u{a0}Model alpha-coder\u{a0}»"],
    );
    let es = get_in(&app, card, "es", &ann).await;
    assert_in(
        &es,
        card,
        "es",
        &["Uso previsto", "Editar «Model alpha-coder»"],
    );

    // A refused save says so in the language of the form.
    let As::Session(cookie, Some(csrf)) = &ann else {
        panic!("a session")
    };
    let refused = app
        .form(
            "/projects/alpha-open/edit",
            &format!("agora_session={cookie}; agora_lang=fr"),
            &[
                ("csrf", csrf.as_str()),
                ("title", "Renamed"),
                ("summary", "A pilot."),
                ("stage", "pilot"),
                ("organisations", "alpha"),
                ("repositories", "not a url"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(
        &refused,
        "/projects/alpha-open/edit",
        "fr",
        &[
            "ont pas été enregistrées",
            "<title>Erreur\u{a0}: Modifier",
            "Dépôts\u{a0}: ",
        ],
    );
}
