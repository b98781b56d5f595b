//! Assessment pages: the form checked on the server with each error next to its field
//! (behind CSRF), submit and review through forms, the view page's radar chart, history
//! with a diff, print and comparison pages, and the list partial of subject pages.

#[path = "auth_support/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, As, TestApp, model, organisation, project, qf4sa};
use serde_json::json;
use sqlx::PgPool;

struct World {
    app: TestApp,
    /// Session cookie header and CSRF token of a person of `inegi` (the owner).
    owner: (String, String),
    /// The same for a person of `insee`.
    outsider: (String, String),
}

fn cookie_and_csrf(who: As) -> (String, String) {
    match who {
        As::Session(cookie, Some(csrf)) => (format!("agora_session={cookie}"), csrf),
        other => panic!("{other:?}"),
    }
}

async fn world(db: PgPool) -> World {
    let app = TestApp::new(db);
    for org in ["inegi", "insee"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    app.create("/api/v1/projects", project("metrics", &["inegi"], "public"))
        .await;
    app.create(
        "/api/v1/projects",
        project("hidden", &["inegi"], "organisation"),
    )
    .await;
    for (org, name) in [("inegi", "sinco"), ("insee", "naf")] {
        app.create("/api/v1/models", model(org, name, None, "public"))
            .await;
        app.create(
            &format!("/api/v1/models/{org}/{name}/versions"),
            json!({"version": "1"}),
        )
        .await;
    }
    let owner = app.user("ana@inegi.test", "inegi").await;
    let outsider = app.user("claire@insee.test", "insee").await;
    World {
        owner: cookie_and_csrf(app.session(owner).await),
        outsider: cookie_and_csrf(app.session(outsider).await),
        app,
    }
}

fn filled(csrf: &str) -> Vec<(String, String)> {
    let mut f = vec![
        ("csrf".to_string(), csrf.to_string()),
        ("kind".into(), "qf4sa".into()),
        ("project".into(), "metrics".into()),
    ];
    for d in [
        "explainability",
        "accuracy",
        "reproducibility",
        "timeliness",
        "cost_effectiveness",
    ] {
        f.push((format!("{d}.level"), "3".into()));
        f.push((format!("{d}.evidence"), format!("{d} is documented")));
        f.push((format!("{d}.links"), String::new()));
    }
    f
}

fn set(form: &mut [(String, String)], name: &str, value: &str) {
    if let Some(f) = form.iter_mut().find(|(k, _)| k == name) {
        f.1 = value.to_string();
    }
}

async fn post(w: &World, uri: &str, who: &(String, String), form: &[(String, String)]) -> Answer {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    w.app.form(uri, &who.0, &fields).await
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_form_shows_each_error_next_to_its_field_and_saves_when_valid(db: PgPool) {
    let w = world(db).await;
    let session = As::Session(
        w.owner.0.trim_start_matches("agora_session=").to_string(),
        None,
    );
    let page = w
        .app
        .get("/assessments/new?project=metrics", &session)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains(r#"name="accuracy.level""#));
    assert!(page.text.contains(r#"name="csrf""#));
    // Signed out, the form sends to sign in.
    let anonymous = w
        .app
        .get("/assessments/new?project=metrics", &As::Anonymous)
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);

    let mut form = filled(&w.owner.1);
    set(&mut form, "accuracy.level", "7");
    set(&mut form, "timeliness.evidence", "  ");
    set(
        &mut form,
        "reproducibility.links",
        "https://ok.example\nnot a link",
    );
    let refused = post(&w, "/assessments/new", &w.owner, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = &refused.text;
    assert!(html.contains("3 problems to fix"), "{html}");
    for id in [
        "accuracy-level-error",
        "timeliness-evidence-error",
        "reproducibility-links-error",
    ] {
        assert!(
            html.contains(&format!(r#"aria-describedby="{id}""#))
                && html.contains(&format!(r#"id="{id}""#)),
            "{id} in {html}"
        );
    }
    assert!(html.contains("level must be a whole number from 1 to 5"));
    // What was typed is kept.
    assert!(html.contains("https://ok.example\nnot a link"));
    assert_eq!(w.app.count("assessments").await, 0);

    // Without the CSRF token nothing is saved.
    let mut forged = filled("wrong");
    set(&mut forged, "csrf", "wrong");
    let forged = post(&w, "/assessments/new", &w.owner, &forged).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Another organisation's person is told, in the form, that they may not.
    let mut theirs = filled(&w.outsider.1);
    set(&mut theirs, "csrf", &w.outsider.1);
    let theirs = post(&w, "/assessments/new", &w.outsider, &theirs).await;
    assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(theirs.text.contains("own people write its assessments"));

    let saved = post(&w, "/assessments/new", &w.owner, &filled(&w.owner.1)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let at = saved.location().unwrap().to_string();
    assert!(at.starts_with("/assessments/"), "{at}");
    let view = w.app.get(&at, &As::Anonymous).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.text.contains("Draft"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn submit_review_and_history_work_through_the_pages(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    let created = w
        .app
        .post(
            "/api/v1/assessments",
            &admin,
            qf4sa(json!({"project": "metrics"}), 3),
        )
        .await;
    let id = created.body["id"].as_i64().unwrap();
    let view = format!("/assessments/{id}");

    // The view: an accessible radar chart and the levels in a table.
    let page = w.app.get(&view, &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.text;
    assert!(html.contains(r#"<svg class="radar radar-full""#), "{html}");
    assert!(html.contains(r#"role="img""#));
    assert!(html.contains(&format!(
        r#"<title id="radar-{id}-title">QF4SA levels of Project metrics</title>"#
    )));
    assert!(html.contains("Accuracy 3 of 5 (Adequate)"));
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("Submit version"),
        "anonymous visitors get no forms"
    );

    // Edit through the form: version 2, back to draft, with a diff in the history.
    let mut form = filled(&w.owner.1);
    set(&mut form, "accuracy.level", "5");
    set(&mut form, "accuracy.evidence", "first line\nsecond line");
    form.retain(|(k, _)| !["kind", "project"].contains(&k.as_str()));
    form.push(("note".into(), "audited".into()));
    let edited = post(&w, &format!("{view}/edit"), &w.owner, &form).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.text);
    let history = w.app.get(&format!("{view}/history"), &As::Anonymous).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.text.contains("From version 1 to version 2"));
    assert!(history.text.contains("Accuracy: level"));
    assert!(
        history
            .text
            .contains("<del><span class=\"visually-hidden\">removed: </span>3 (Adequate)</del>")
    );
    assert!(
        history
            .text
            .contains("<ins><span class=\"visually-hidden\">added: </span>5 (Exemplary)</ins>")
    );
    assert!(history.text.contains("audited"));

    // Submit, then review: the owner may not; another organisation's person may.
    let submit = vec![
        ("csrf".to_string(), w.owner.1.clone()),
        ("version".into(), "2".into()),
    ];
    let submitted = post(&w, &format!("{view}/submit"), &w.owner, &submit).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.text
    );
    let outsider_session = As::Session(
        w.outsider
            .0
            .trim_start_matches("agora_session=")
            .to_string(),
        None,
    );
    let page = w.app.get(&view, &outsider_session).await;
    assert!(page.text.contains("Review version 2"), "{}", page.text);
    let owner_session = As::Session(
        w.owner.0.trim_start_matches("agora_session=").to_string(),
        None,
    );
    let page = w.app.get(&view, &owner_session).await;
    assert!(!page.text.contains("Review version 2"));

    let mut review = vec![
        ("csrf".to_string(), w.outsider.1.clone()),
        ("decision".into(), "accepted".into()),
        ("comments".into(), "".into()),
        ("version".into(), "2".into()),
    ];
    let refused = post(&w, &format!("{view}/review"), &w.outsider, &review).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains(r#"id="comments-error""#));
    review[2].1 = "Sound evidence.".into();
    let by_owner = {
        let mut r = review.clone();
        r[0].1 = w.owner.1.clone();
        post(&w, &format!("{view}/review"), &w.owner, &r).await
    };
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN);
    let accepted = post(&w, &format!("{view}/review"), &w.outsider, &review).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text);
    let page = w.app.get(&view, &As::Anonymous).await;
    assert!(
        page.text
            .contains(r#"<span class="badge state-reviewed">Reviewed</span>"#)
    );
    assert!(page.text.contains("Sound evidence."));
    assert!(
        page.text
            .contains("claire@insee.test (insee), of another organisation")
    );

    // Print-friendly.
    let print = w.app.get(&format!("{view}/print"), &As::Anonymous).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.text.contains(r#"<article class="print">"#));
    assert!(print.text.contains("<svg"));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn comparison_list_partial_and_visibility(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    let mut ids = Vec::new();
    for (org, name, level) in [("inegi", "sinco", 4), ("insee", "naf", 2)] {
        let a = w
            .app
            .post(
                "/api/v1/assessments",
                &admin,
                qf4sa(
                    json!({"organisation": org, "model": name, "version": "1"}),
                    level,
                ),
            )
            .await;
        ids.push(a.body["id"].as_i64().unwrap());
    }
    let hidden = w
        .app
        .post(
            "/api/v1/assessments",
            &admin,
            qf4sa(json!({"project": "hidden"}), 5),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    let page = w
        .app
        .get(
            &format!("/assessments/compare?model=inegi/sinco&model=insee/naf&id={hidden}"),
            &As::Anonymous,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    // One radar, a line for each model in its own colour and dash, named by the legend.
    assert_eq!(page.text.matches("<svg class=\"radar ").count(), 1);
    assert!(
        page.text
            .contains(r#"<svg class="radar radar-full radar-overlay""#)
    );
    assert_eq!(page.text.matches(r#"<polygon class="levels""#).count(), 2);
    assert!(page.text.contains(r#"stroke-dasharray="7 4""#));
    assert_eq!(page.text.matches(r#"<svg class="swatch""#).count(), 4);
    assert!(page.text.contains("Model sinco · version 1"));
    assert!(page.text.contains("Model naf · version 1"));
    assert!(page.text.contains("No QF4SA assessment you may see for"));
    assert!(!page.text.contains("Project hidden"));
    // Every dimension differs (levels 4 and 2), marked as the API names the differences,
    // on the chart's axes too.
    assert_eq!(page.text.matches(r#"<tr class="differs">"#).count(), 5);
    assert_eq!(page.text.matches(r#"font-weight="700""#).count(), 5);
    // Another model can be added; those compared stay in the form.
    assert!(
        page.text
            .contains(r#"<input type="hidden" name="model" value="inegi/sinco">"#)
    );
    assert!(page.text.contains(r#"<datalist id="compare-models">"#));
    let api = w
        .app
        .get(
            "/api/v1/assessments/compare?model=inegi/sinco&model=insee/naf",
            &As::Anonymous,
        )
        .await;
    assert_eq!(api.body["differences"].as_array().map(Vec::len), Some(5));

    // Projects are compared by slug; the hidden one only by those who may see it.
    let by_project = "/assessments/compare?project=HIDDEN&model=inegi/sinco";
    let page = w.app.get(by_project, &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(!page.text.contains("Project hidden"));
    assert!(page.text.contains("No QF4SA assessment you may see for"));
    let page = w.app.get(by_project, &admin).await;
    assert!(page.text.contains("Project hidden"), "{}", page.text);
    assert_eq!(page.text.matches(r#"<tr class="differs">"#).count(), 5);

    // A private assessment is not found by others, on any page.
    for path in ["", "/history", "/print", "/edit"] {
        let answer = w
            .app
            .get(&format!("/assessments/{hidden}{path}"), &As::Anonymous)
            .await;
        assert!(
            answer.status == StatusCode::NOT_FOUND
                || (path == "/edit" && answer.status == StatusCode::SEE_OTHER),
            "{path}: {}",
            answer.status
        );
    }

    // The list partial's cards, as subject pages show them.
    let mut conn = w.app.db.acquire().await.unwrap();
    let anonymous = agora_hub::policy::Caller::anonymous();
    let cards = agora_hub::http::pages::view::assessments::cards(
        &mut conn,
        &anonymous,
        None,
        Some("inegi/sinco"),
    )
    .await
    .unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].state, "draft");
    assert_eq!(cards[0].link, format!("/assessments/{}", ids[0]));
    assert!(cards[0].radar.as_deref().unwrap().contains("radar-mini"));
    let none = agora_hub::http::pages::view::assessments::cards(
        &mut conn,
        &anonymous,
        Some("hidden"),
        None,
    )
    .await
    .unwrap();
    assert!(none.is_empty());
}

/// A page as someone whose browser asks for `lang` (with `cookie`, if any).
async fn page_in(w: &World, uri: &str, lang: &str, cookie: Option<&str>) -> String {
    let mut request = Request::get(uri).header(header::ACCEPT_LANGUAGE, lang);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let answer = w.app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{uri} in {lang}: {}",
        answer.text
    );
    answer.text
}

/// A page, who asks for it (a cookie, or anyone) and words it shows in French and Spanish.
type Checked<'a> = (String, Option<&'a str>, [&'a str; 2], [&'a str; 2]);

fn assert_in(html: &str, lang: &str, words: &[&str], uri: &str) {
    assert!(
        html.contains(&format!(r#"<html lang="{lang}">"#)),
        "{uri} in {lang}: {html}"
    );
    assert!(
        !html.contains('⟦'),
        "{uri} in {lang} misses a message: {html}"
    );
    assert!(
        !html.contains("{$"),
        "{uri} in {lang} misses an argument: {html}"
    );
    for word in words {
        assert!(
            html.contains(word),
            "{uri} in {lang}: no “{word}” in {html}"
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn assessment_pages_speak_french_and_spanish(db: PgPool) {
    let w = world(db).await;
    let admin = w.app.admin().await;
    let created = w
        .app
        .post(
            "/api/v1/assessments",
            &admin,
            qf4sa(json!({"project": "metrics"}), 3),
        )
        .await;
    let id = created.body["id"].as_i64().unwrap();
    let mut content = qf4sa(json!({}), 3)["content"].clone();
    content["qf4sa"]["accuracy"] = json!({"level": 5, "evidence": "audited",
        "links": ["https://inegi.test/report"]});
    content["qf4sa"]["summary"] = json!("Sound.");
    let edited = w
        .app
        .put(
            &format!("/api/v1/assessments/{id}"),
            &admin,
            json!({"content": content, "note": "audit"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    let submit = vec![
        ("csrf".to_string(), w.owner.1.clone()),
        ("version".into(), "2".into()),
    ];
    let view = format!("/assessments/{id}");
    let submitted = post(&w, &format!("{view}/submit"), &w.owner, &submit).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    let review = vec![
        ("csrf".to_string(), w.outsider.1.clone()),
        ("decision".into(), "changes_requested".into()),
        ("comments".into(), "More evidence.".into()),
        ("version".into(), "2".into()),
    ];
    let reviewed = post(&w, &format!("{view}/review"), &w.outsider, &review).await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.text);

    let mut ethics = serde_json::Map::new();
    for p in [
        "public_good",
        "confidentiality",
        "methods_quality",
        "legal_compliance",
        "public_views",
        "transparency",
    ] {
        ethics.insert(
            p.into(),
            json!({"answer": "yes", "risk": "medium", "mitigation": "reviewed yearly"}),
        );
    }
    let ethics = w
        .app
        .post(
            "/api/v1/assessments",
            &admin,
            json!({"subject": {"project": "metrics"}, "content": {"ethics": ethics}}),
        )
        .await;
    assert_eq!(ethics.status, StatusCode::CREATED, "{}", ethics.text);
    let ethics = ethics.body["id"].as_i64().unwrap();
    for (org, name) in [("inegi", "sinco"), ("insee", "naf")] {
        w.app
            .post(
                "/api/v1/assessments",
                &admin,
                qf4sa(
                    json!({"organisation": org, "model": name, "version": "1"}),
                    4,
                ),
            )
            .await;
    }

    let owner = w.owner.0.as_str();
    let pages: [Checked; 9] = [
        (
            view.clone(),
            None,
            ["Précision 5 sur 5 (Exemplaire)", "Modifications demandées"],
            ["Precisión 5 de 5 (Ejemplar)", "Cambios solicitados"],
        ),
        (
            view.clone(),
            Some(owner),
            ["Modifier (nouvelle version)", "Explicabilité"],
            ["Editar (nueva versión)", "Explicabilidad"],
        ),
        (
            format!("{view}/edit"),
            Some(owner),
            ["Choisir un niveau", "3 — Adéquat"],
            ["Elija un nivel", "3 — Adecuado"],
        ),
        (
            "/assessments/new?project=metrics&kind=ethics".into(),
            Some(owner),
            [
                "Nouvelle auto-évaluation éthique du projet metrics",
                "élevé",
            ],
            ["Nueva autoevaluación ética del proyecto metrics", "alto"],
        ),
        (
            format!("{view}/history"),
            None,
            ["De la version 1 à la version 2", "Précision\u{a0}: niveau"],
            ["De la versión 1 a la versión 2", "Precisión: nivel"],
        ),
        (
            format!("{view}/print"),
            None,
            ["Évaluation QF4SA de", "Examens"],
            ["Evaluación QF4SA de", "Revisiones"],
        ),
        (
            format!("/assessments/{ethics}"),
            None,
            ["Bien public", "moyen"],
            ["Bien público", "medio"],
        ),
        (
            "/assessments/compare?model=inegi/sinco&model=insee/naf&model=nobody/none".into(),
            None,
            ["Aucune évaluation QF4SA", "Rentabilité"],
            ["No hay ninguna evaluación QF4SA", "Rentabilidad"],
        ),
        (
            "/assessments/compare".into(),
            None,
            [
                "Rien à comparer pour l’instant\u{a0}: choisissez un modèle ci-dessous",
                "Comparaison",
            ],
            [
                "Aún no hay nada que comparar: elija un modelo abajo",
                "Comparación",
            ],
        ),
    ];
    for (uri, cookie, fr, es) in &pages {
        for (lang, words) in [("fr", fr), ("es", es)] {
            let html = page_in(&w, uri, lang, *cookie).await;
            assert_in(&html, lang, words, uri);
        }
    }

    // A refused form speaks the language too, its errors included.
    let mut form = filled(&w.owner.1);
    form.retain(|(k, _)| !["kind", "project"].contains(&k.as_str()));
    set(&mut form, "accuracy.level", "");
    set(&mut form, "timeliness.evidence", " ");
    let cookies = format!("{}; agora_lang=fr", w.owner.0);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = w.app.form(&format!("{view}/edit"), &cookies, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(
        &refused.text,
        "fr",
        &[
            "2 problèmes à corriger",
            "choisissez un niveau de 1 à 5",
            "ne doit pas être vide",
        ],
        "the refused form",
    );

    // The list of a subject's assessments, on its page.
    let project = page_in(&w, "/projects/metrics", "es", None).await;
    assert!(project.contains("Autoevaluación ética"), "{project}");
    assert!(project.contains("Niveles QF4SA de"), "{project}");
}
