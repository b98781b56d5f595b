//! Digests against a real database: what a subscriber's digest holds (and never holds),
//! planning due periods exactly once, preferences through the API and the page, the signed
//! one-click unsubscribe, and the failure list for administrators.

#[path = "auth_support/mod.rs"]
mod common;

use agora_hub::Config;
use agora_hub::config::Secret;
use agora_hub::digest::compose;
use agora_hub::digest::content::{self, Content};
use agora_hub::digest::period::{Frequency, Period};
use agora_hub::digest::plan;
use agora_hub::digest::render::Rendered;
use agora_hub::digest::signing;
use agora_hub::i18n::Lang;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{As, TestApp, organisation};
use serde_json::{Value, json};
use sqlx::PgPool;

const SECRET: &str = "a-test-secret-of-at-least-thirty-two-characters";

fn config() -> Config {
    let mut c = Config::default();
    c.digest.secret = Some(Secret::new(SECRET));
    c
}

/// Two offices in one workstream, a member of each, and items of every visibility.
async fn world(pool: PgPool) -> TestApp {
    let app = TestApp::with_config(pool, config());
    app.create("/api/v1/organisations", organisation("alpha"))
        .await;
    app.create("/api/v1/organisations", organisation("beta"))
        .await;
    app.create(
        "/api/v1/workstreams",
        json!({"slug": "ws4", "code": "WS4", "title": "Training data", "goal": "Share."}),
    )
    .await;
    for org in ["alpha", "beta"] {
        app.create(
            "/api/v1/memberships",
            json!({"workstream": "ws4", "organisation": org}),
        )
        .await;
    }
    for (slug, vis) in [
        ("alpha-open", "public"),
        ("alpha-members", "members"),
        ("alpha-secret", "organisation"),
    ] {
        app.create(
            "/api/v1/projects",
            json!({"slug": slug, "title": format!("Project {slug}"), "summary": "A pilot.",
                   "organisations": ["alpha"], "workstreams": ["ws4"], "stage": "pilot",
                   "task": "coding", "visibility": vis}),
        )
        .await;
    }
    app.user("ana@alpha.test", "alpha").await;
    app.user("bo@beta.test", "beta").await;
    app
}

async fn event(
    app: &TestApp,
    kind: &str,
    subject_kind: &str,
    vis: &str,
    summary: &str,
    payload: Value,
) {
    sqlx::query(
        "INSERT INTO events (actor, kind, subject_kind, subject, summary, workstreams, \
           organisations, visibility, payload) \
         VALUES ('test', $1, $2, 's', $3, '{ws4}', '{alpha}', $4, $5)",
    )
    .bind(kind)
    .bind(subject_kind)
    .bind(summary)
    .bind(vis)
    .bind(payload)
    .execute(&app.db)
    .await
    .unwrap();
}

async fn digest_of(app: &TestApp, email: &str) -> Content {
    let mut conn = app.db.acquire().await.unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let who = agora_hub::auth::load_user(&mut *conn, id)
        .await
        .unwrap()
        .unwrap();
    let ws = content::workstream(&mut conn, "ws4")
        .await
        .unwrap()
        .unwrap();
    let period = Period::containing(Utc::now(), chrono_tz::UTC, Frequency::Weekly);
    content::collect(&mut conn, &who.caller, &ws, &period, Duration::hours(72))
        .await
        .unwrap()
}

fn all_text(c: &Content) -> String {
    c.sections
        .iter()
        .flat_map(|s| s.lines.iter())
        .map(|l| format!("{} {}\n", l.text, l.detail.clone().unwrap_or_default()))
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_digest_holds_only_what_its_subscriber_may_read(pool: PgPool) {
    let app = world(pool).await;
    let ana = all_text(&digest_of(&app, "ana@alpha.test").await);
    let bo = all_text(&digest_of(&app, "bo@beta.test").await);
    assert!(ana.contains("alpha-secret"), "{ana}");
    assert!(
        bo.contains("alpha-open") && bo.contains("alpha-members"),
        "{bo}"
    );
    assert!(!bo.contains("alpha-secret"), "{bo}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn assessments_benchmarks_and_unknown_kinds_are_rendered(pool: PgPool) {
    let app = world(pool).await;
    // Results on one leaderboard (coicop-2026 at alpha): bert-coder, then a model only
    // alpha may read, then cnn-coder twice. Ranks count only the models the reader may see.
    let result = |model: &str, value: f64| {
        json!({"benchmark": "coicop-2026", "model": model, "version": "3",
               "organisation": "alpha", "primary_metric": "f1", "value": value,
               "direction": "maximize", "rank": 1})
    };
    for (vis, summary, model, value) in [
        ("public", "r1", "bert-coder", 0.90),
        ("organisation", "r2", "secret-coder", 0.95),
        ("public", "r3", "cnn-coder", 0.80),
        ("public", "r4", "cnn-coder", 0.97),
    ] {
        event(
            &app,
            "benchmark_result.recorded",
            "benchmark_result",
            vis,
            summary,
            result(model, value),
        )
        .await;
    }
    event(
        &app,
        "assessment.submitted",
        "assessment",
        "public",
        "QF4SA assessment of cnn-coder submitted",
        json!({}),
    )
    .await;
    event(
        &app,
        "assessment.reviewed",
        "assessment",
        "organisation",
        "Secret review done",
        json!({}),
    )
    .await;
    event(
        &app,
        "telescope.pointed",
        "telescope",
        "public",
        "A telescope was pointed",
        json!({}),
    )
    .await;

    let ana = digest_of(&app, "ana@alpha.test").await;
    let text = all_text(&ana);
    assert!(
        text.contains("cnn-coder 3 (alpha) on coicop-2026: f1 0.97"),
        "{text}"
    );
    // Ana reads all four results: cnn-coder came in third, then moved up to first.
    assert!(text.contains("rank 3 (new on the leaderboard)"), "{text}");
    assert!(text.contains("rank 1 (up from 3)"), "{text}");
    assert!(text.contains("Secret review done"));
    assert!(
        text.contains("A telescope was pointed"),
        "unknown kinds fall back to their summary"
    );
    let subject = agora_hub::digest::render::subject(&ana);
    assert!(subject.starts_with("[WS4 Training data] 3 project updates, 2 assessments, 4 benchmark results, 2 new members, 2 other updates — week "), "{subject}");

    // Bo cannot read alpha's own model: on his leaderboard cnn-coder came in second.
    let bo = all_text(&digest_of(&app, "bo@beta.test").await);
    assert!(bo.contains("rank 2 (new on the leaderboard)"), "{bo}");
    assert!(bo.contains("rank 1 (up from 2)"), "{bo}");
    assert!(
        !bo.contains("rank 3") && !bo.contains("secret-coder") && !bo.contains("Secret review"),
        "{bo}"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn silent_agents_are_shown_to_their_own_organisation_only(pool: PgPool) {
    let app = world(pool).await;
    let period = Period::containing(Utc::now(), chrono_tz::UTC, Frequency::Weekly);
    sqlx::query(
        "INSERT INTO agents (organisation_id, name, token_hash, token_prefix, last_seen_at) \
         VALUES ((SELECT id FROM organisations WHERE slug = 'alpha'), 'paris-1', repeat('a', 64), 'agt_x', $1)",
    )
    .bind(period.start - Duration::hours(71))
    .execute(&app.db)
    .await
    .unwrap();
    let ana = all_text(&digest_of(&app, "ana@alpha.test").await);
    let bo = all_text(&digest_of(&app, "bo@beta.test").await);
    assert!(ana.contains("Agent paris-1 of alpha went silent"), "{ana}");
    assert!(!bo.contains("paris-1"), "{bo}");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_empty_period_gives_no_digest(pool: PgPool) {
    let app = world(pool).await;
    let mut conn = app.db.acquire().await.unwrap();
    let who = agora_hub::auth::load_user(&mut *conn, 1)
        .await
        .unwrap()
        .unwrap();
    let ws = content::workstream(&mut conn, "ws4")
        .await
        .unwrap()
        .unwrap();
    let last_year = Period::parse("2025-W10", chrono_tz::UTC).unwrap();
    let c = content::collect(&mut conn, &who.caller, &ws, &last_year, Duration::hours(72))
        .await
        .unwrap();
    assert!(c.is_empty());
}

async fn subscribe(app: &TestApp, email: &str, body: Value) -> (As, common::Answer) {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let who = app.token(id).await;
    let answer = app.put("/api/v1/me/digests", &who, body).await;
    (who, answer)
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn preferences_are_validated_naming_the_field(pool: PgPool) {
    let app = world(pool).await;
    assert_eq!(
        app.get("/api/v1/me/digests", &As::Anonymous).await.status,
        StatusCode::UNAUTHORIZED
    );
    let cases = [
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
        (json!({"time_zone": ""}), "time_zone"),
        (
            json!({"time_zone": "UTC", "subscriptions": [{"workstream": "nope", "frequency": "daily"}]}),
            "subscriptions[0].workstream",
        ),
        (
            json!({"time_zone": "UTC", "subscriptions": [{"workstream": "ws4", "frequency": "hourly"}]}),
            "subscriptions[0].frequency",
        ),
        (
            json!({"time_zone": "UTC", "subscriptions": [{"workstream": "ws4", "frequency": "daily"}, {"workstream": "ws4", "frequency": "weekly"}]}),
            "subscriptions[1].workstream",
        ),
        (json!({"time_zone": "UTC", "colour": "blue"}), "colour"),
    ];
    for (body, field) in cases {
        let (_, answer) = subscribe(&app, "ana@alpha.test", body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            answer.text
        );
        assert_eq!(
            answer.body["error"]["field"], field,
            "{body}: {}",
            answer.text
        );
    }
    let (who, answer) = subscribe(
        &app,
        "ana@alpha.test",
        json!({"time_zone": "Europe/Paris", "subscriptions": [{"workstream": "ws4", "frequency": "weekly"}]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let got = app.get("/api/v1/me/digests", &who).await;
    assert_eq!(got.body["time_zone"], "Europe/Paris");
    assert_eq!(got.body["subscriptions"][0]["workstream"], "ws4");
    assert_eq!(got.body["subscriptions"][0]["frequency"], "weekly");
    assert_eq!(got.body["subscriptions"][0]["code"], "WS4");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_due_period_is_planned_once_even_by_racing_schedulers(pool: PgPool) {
    let app = world(pool).await;
    for email in ["ana@alpha.test", "bo@beta.test"] {
        let (_, a) = subscribe(
            &app,
            email,
            json!({"time_zone": "America/Mexico_City", "subscriptions": [{"workstream": "ws4", "frequency": "daily"}]}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let config = config();
    let tomorrow = Utc::now() + Duration::days(1);
    assert_eq!(
        plan::plan(&app.db, &config, Utc::now()).await.unwrap(),
        0,
        "nothing is due yet"
    );
    let (a, b) = tokio::join!(
        plan::plan(&app.db, &config, tomorrow),
        plan::plan(&app.db, &config, tomorrow)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2, "one row per subscriber");
    assert_eq!(plan::plan(&app.db, &config, tomorrow).await.unwrap(), 0);
    let periods: Vec<(String, String)> =
        sqlx::query_as("SELECT period, time_zone FROM digest_outbox ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let today = Period::containing(
        Utc::now(),
        "America/Mexico_City".parse().unwrap(),
        Frequency::Daily,
    );
    assert_eq!(
        periods,
        vec![(today.label(), "America/Mexico_City".to_string()); 2]
    );
    // Paused subscribers are not planned.
    subscribe(&app, "bo@beta.test", json!({"time_zone": "America/Mexico_City", "paused": true, "subscriptions": [{"workstream": "ws4", "frequency": "daily"}]})).await;
    let later = tomorrow + Duration::days(1);
    assert_eq!(plan::plan(&app.db, &config, later).await.unwrap(), 1);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_signed_link_unsubscribes_without_signing_in(pool: PgPool) {
    let app = world(pool).await;
    subscribe(&app, "bo@beta.test", json!({"time_zone": "UTC", "subscriptions": [{"workstream": "ws4", "frequency": "weekly"}]})).await;
    let bo: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bo@beta.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = signing::unsubscribe_token(SECRET.as_bytes(), bo, "ws4");
    let link = format!("/digests/unsubscribe?u={bo}&w=ws4&t={token}");
    let page = app.get(&link, &As::Anonymous).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Unsubscribe from WS4 Training data?"),
        "{}",
        page.text
    );
    // A forged link for someone else is refused.
    let forged = format!("/digests/unsubscribe?u={}&w=ws4&t={token}", bo - 1);
    assert_eq!(
        app.form(&forged, "", &[("List-Unsubscribe", "One-Click")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/digests/unsubscribe?u=1&w=ws4", &As::Anonymous)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // RFC 8058: POST with List-Unsubscribe=One-Click, no cookie, no CSRF token.
    let done = app
        .form(&link, "", &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("You are unsubscribed"));
    let frequency: String =
        sqlx::query_scalar("SELECT frequency FROM digest_subscriptions WHERE user_id = $1")
            .bind(bo)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(frequency, "off");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_page_preselects_a_workstream_and_saves_after_confirmation(pool: PgPool) {
    let app = world(pool).await;
    let anonymous = app
        .get("/account/digests?workstream=ws4", &As::Anonymous)
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.location(),
        Some("/auth/login?return_to=%2Faccount%2Fdigests%3Fworkstream%3Dws4")
    );
    let ana: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ana@alpha.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let As::Session(cookie, Some(csrf)) = app.session(ana).await else {
        panic!("a session");
    };
    let cookies = format!("agora_session={cookie}");
    let page = app
        .call(
            axum::http::Method::GET,
            "/account/digests?workstream=ws4",
            &As::Session(cookie.clone(), None),
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("To follow <strong>WS4 Training data</strong>"),
        "{}",
        page.text
    );
    assert!(page.text.contains(r#"<option value="weekly" selected>"#));
    // Nothing is saved before confirmation.
    assert_eq!(app.count("digest_subscriptions").await, 0);
    let no_csrf = app
        .form(
            "/account/digests",
            &cookies,
            &[("time_zone", "UTC"), ("ws.ws4", "weekly")],
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let bad = app
        .form(
            "/account/digests",
            &cookies,
            &[
                ("csrf", &csrf),
                ("time_zone", "Nowhere/Land"),
                ("ws.ws4", "weekly"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("not an IANA time zone"), "{}", bad.text);
    let saved = app
        .form(
            "/account/digests",
            &cookies,
            &[
                ("csrf", &csrf),
                ("time_zone", "Asia/Tokyo"),
                ("ws.ws4", "weekly"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert!(saved.text.contains("Your digest choices are saved."));
    let row: (String, Option<chrono::DateTime<Utc>>) =
        sqlx::query_as("SELECT frequency, next_due_at FROM digest_subscriptions")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let week = Period::containing(Utc::now(), "Asia/Tokyo".parse().unwrap(), Frequency::Weekly);
    assert_eq!(row, ("weekly".to_string(), Some(week.end)));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn failures_are_listed_for_administrators_only(pool: PgPool) {
    let app = world(pool).await;
    sqlx::query(
        "INSERT INTO digest_outbox (user_id, workstream_id, period, period_start, period_end, \
           time_zone, message_id, state, attempts, last_error, finished_at) \
         SELECT u.id, w.id, '2026-W48', now() - interval '7 days', now(), 'UTC', '<x@y>', \
                'failed', 1, '550 mailbox unavailable', now() \
         FROM users u, workstreams w WHERE u.email = 'bo@beta.test' AND w.slug = 'ws4'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let bo = app.token(2).await;
    assert_eq!(
        app.get("/api/v1/digests/failures", &bo).await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.admin().await;
    let list = app.get("/api/v1/digests/failures", &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["items"][0]["recipient"], "bo@beta.test");
    assert_eq!(
        list.body["items"][0]["last_error"],
        "550 mailbox unavailable"
    );
    let bad = app.get("/api/v1/digests/failures?limit=0", &admin).await;
    assert_eq!(bad.body["error"]["field"], "limit");
}

/// Chooses a person's language of e-mails on the digest preferences page, as they would.
async fn choose_language(app: &TestApp, user_id: i64, code: &str) -> common::Answer {
    let As::Session(cookie, Some(csrf)) = app.session(user_id).await else {
        panic!("a session");
    };
    app.form(
        "/account/digests",
        &format!("agora_session={cookie}"),
        &[
            ("csrf", &csrf),
            ("time_zone", "UTC"),
            ("ws.ws4", "weekly"),
            ("locale", code),
        ],
    )
    .await
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The digest of ws4 this week that a person would get now.
async fn composed_for(app: &TestApp, user_id: i64) -> Rendered {
    let mut conn = app.db.acquire().await.unwrap();
    let ws = content::workstream(&mut conn, "ws4")
        .await
        .unwrap()
        .unwrap();
    let period = Period::containing(Utc::now(), chrono_tz::UTC, Frequency::Weekly);
    compose::compose(&mut conn, &config(), user_id, &ws, &period)
        .await
        .unwrap()
        .expect("a digest")
        .rendered
}

fn assert_no_missing_message(r: &Rendered) {
    for body in [&r.subject, &r.text, &r.html] {
        assert!(
            !body.contains('⟦') && !body.contains("{$") && !body.contains("{ $"),
            "{body}"
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn digests_are_written_in_the_language_of_their_recipient(pool: PgPool) {
    let app = world(pool).await;
    app.user("carol@alpha.test", "alpha").await;
    event(
        &app,
        "project.created",
        "project",
        "public",
        "Project alpha-open was created",
        json!({}),
    )
    .await;
    event(
        &app,
        "model.created",
        "model",
        "public",
        "Model cnn-coder was listed",
        json!({}),
    )
    .await;
    event(
        &app,
        "benchmark_result.recorded",
        "benchmark_result",
        "public",
        "A result",
        json!({"benchmark": "coicop-2026", "model": "cnn-coder", "version": "3",
               "organisation": "alpha", "metric": "f1", "value": 0.91, "rank": 1}),
    )
    .await;
    let (ana, bo, carol) = (
        user_id(&app, "ana@alpha.test").await,
        user_id(&app, "bo@beta.test").await,
        user_id(&app, "carol@alpha.test").await,
    );
    // Ana chooses French and Bo Spanish on the preferences page; Carol keeps English.
    for (id, code) in [(ana, "fr"), (bo, "es")] {
        let saved = choose_language(&app, id, code).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        assert!(
            saved.text.contains(&format!(
                r#"<option value="{code}" lang="{code}" selected>"#
            )),
            "{}",
            saved.text
        );
    }
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT locale FROM users WHERE email LIKE '%@alpha.test' OR email LIKE '%@beta.test' \
         ORDER BY email",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, ["fr", "es", "en"]);
    let bad = choose_language(&app, carol, "de").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);

    let fr = composed_for(&app, ana).await;
    assert_eq!(fr.lang, Lang::Fr);
    assert!(
        fr.subject.starts_with("[WS4 Training data] "),
        "{}",
        fr.subject
    );
    for words in [
        " mises à jour de projets, ",
        "1 nouveau modèle, 1 résultat de banc d'essai, ",
        " nouveaux membres",
        " — semaine ",
    ] {
        assert!(fr.subject.contains(words), "{words}: {}", fr.subject);
    }
    for body in [&fr.text, &fr.html] {
        assert!(body.contains("Nouveaux modèles"), "{body}");
        assert!(
            body.contains("cnn-coder 3 (alpha) sur coicop-2026\u{a0}: f1 0,91"),
            "{body}"
        );
        assert!(body.contains("rang 1 (nouveau au classement)"), "{body}");
        assert!(body.contains("Se désabonner de ce chantier"), "{body}");
        assert!(
            body.contains("Vous recevez ce récapitulatif hebdomadaire"),
            "{body}"
        );
        // What people wrote keeps its language.
        assert!(body.contains("Project alpha-open was created"), "{body}");
    }
    assert!(fr.html.contains(r#"<html lang="fr">"#));
    assert!(fr.text.contains("Semaine "), "{}", fr.text);
    assert_no_missing_message(&fr);

    let es = composed_for(&app, bo).await;
    assert_eq!(es.lang, Lang::Es);
    for words in [
        " actualizaciones de proyectos, ",
        "1 modelo nuevo, 1 resultado de prueba comparativa, ",
        " miembros nuevos",
        " — semana ",
    ] {
        assert!(es.subject.contains(words), "{words}: {}", es.subject);
    }
    for body in [&es.text, &es.html] {
        assert!(body.contains("Modelos nuevos"), "{body}");
        assert!(
            body.contains("puesto 1 (nuevo en la clasificación)"),
            "{body}"
        );
        assert!(
            body.contains("Darse de baja de esta línea de trabajo"),
            "{body}"
        );
        assert!(body.contains("Recibe este resumen semanal"), "{body}");
    }
    assert!(es.html.contains(r#"<html lang="es">"#));
    assert_no_missing_message(&es);

    let en = composed_for(&app, carol).await;
    assert_eq!(en.lang, Lang::En);
    for words in [
        "[WS4 Training data] ",
        " project updates, 1 new model, 1 benchmark result, ",
        " new members",
        " — week ",
    ] {
        assert!(en.subject.contains(words), "{words}: {}", en.subject);
    }
    for body in [&en.text, &en.html] {
        assert!(body.contains("New models"), "{body}");
        assert!(
            body.contains("cnn-coder 3 (alpha) on coicop-2026: f1 0.91"),
            "{body}"
        );
        assert!(body.contains("rank 1 (new on the leaderboard)"), "{body}");
        assert!(
            body.contains(
                "You receive this weekly digest because you follow WS4 Training data on Agora."
            ),
            "{body}"
        );
    }
    assert!(
        en.text.contains("\nChange your digests: http"),
        "{}",
        en.text
    );
    assert!(
        en.text.contains("\nUnsubscribe from this workstream: http"),
        "{}",
        en.text
    );
    assert!(en.text.contains("\nWorkstream: http"), "{}", en.text);
    assert!(en.text.contains("\nWeek "), "{}", en.text);
    assert!(en.html.contains(r#"<html lang="en">"#));
    assert_no_missing_message(&en);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_new_account_takes_the_language_it_signed_in_with(pool: PgPool) {
    let app = world(pool).await;
    let ana = user_id(&app, "ana@alpha.test").await;
    let mut tx = app.db.begin().await.unwrap();
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name) VALUES ('new@alpha.test', 'New') RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    agora_hub::db::users::set_locale_if_new(&mut tx, new, Lang::Es)
        .await
        .unwrap();
    agora_hub::db::users::set_locale_if_new(&mut tx, ana, Lang::Fr)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        agora_hub::db::users::locale(&app.db, new).await.unwrap(),
        Lang::Es
    );
    assert_eq!(
        agora_hub::db::users::locale(&app.db, ana).await.unwrap(),
        Lang::En,
        "an existing account keeps its language"
    );
}

/// The digests a person would be sent, rendered for each reader of the hidden world: a
/// project made private after its events, a public card of an organisation-only project,
/// and a members-only workstream never show to those who may not read them.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn digests_hold_only_what_each_reader_may_read_today(pool: PgPool) {
    use common::hidden::{HIDDEN_FROM_BETA, markers_in, world};
    let app = TestApp::with_config(pool, config());
    world(&app).await;
    let (ann, ben) = (
        user_id(&app, "ann@alpha.test").await,
        user_id(&app, "ben@beta.test").await,
    );
    let period = Period::containing(Utc::now(), chrono_tz::UTC, Frequency::Weekly);
    let digest = |user: i64, slug: &'static str| {
        let app = &app;
        let period = period.clone();
        async move {
            let mut conn = app.db.acquire().await.unwrap();
            let ws = content::workstream(&mut conn, slug).await.unwrap().unwrap();
            compose::compose(&mut conn, &config(), user, &ws, &period)
                .await
                .unwrap()
                .map(|c| {
                    format!(
                        "{}\n{}\n{}",
                        c.rendered.subject, c.rendered.text, c.rendered.html
                    )
                })
                .unwrap_or_default()
        }
    };
    for slug in ["ws-open", "hush-circle"] {
        let text = digest(ben, slug).await;
        assert!(
            markers_in(&text, HIDDEN_FROM_BETA).is_empty(),
            "ben's digest of {slug}: {text}"
        );
        // The public card of the hidden project is not placed in that project's workstreams.
        assert!(
            !text.contains("alpha-pointer"),
            "ben's digest of {slug}: {text}"
        );
    }
    let open = digest(ben, "ws-open").await;
    assert!(open.contains("Project alpha-open"), "{open}");
    let own = digest(ann, "ws-open").await;
    for seen in ["fading-away", "alpha-hidden", "alpha-pointer"] {
        assert!(own.contains(seen), "ann's digest lacks {seen}: {own}");
    }
}
