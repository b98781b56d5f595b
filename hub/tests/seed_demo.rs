//! `seed-demo` (`agora_hub::demo::seed`): loads the shipped demo data, idempotently.

mod common;

use agora_hub::demo::{self, DemoData, Tally};
use axum::http::StatusCode;
use common::*;
use sqlx::PgPool;

/// Row counts of every table of the schema.
async fn row_counts(pool: &PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(tables.len() >= 10, "{tables:?}");
    let mut counts = Vec::new();
    for table in tables {
        let n = count(pool, &table).await;
        counts.push((table, n));
    }
    counts
}

fn tally(report: &demo::SeedReport, kind: &str) -> Tally {
    report
        .rows
        .iter()
        .find(|(k, _)| *k == kind)
        .unwrap_or_else(|| panic!("no `{kind}` in the report"))
        .1
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn seeding_an_empty_database_creates_every_demo_record(pool: PgPool) {
    let data = DemoData::load().unwrap();
    let report = demo::seed(&pool).await.unwrap();
    let versions: usize = data.models.iter().map(|m| m.versions.len()).sum();
    for (kind, expected) in [
        ("organisations", data.organisations.len()),
        ("people", data.users.len()),
        ("workstreams", data.workstreams.len()),
        ("memberships", data.memberships.len()),
        ("projects", data.projects.len()),
        ("model cards", data.models.len()),
        ("model versions", versions),
        ("assessments", data.assessments.len()),
    ] {
        let t = tally(&report, kind);
        assert_eq!(
            t,
            Tally {
                created: expected,
                updated: 0,
                unchanged: 0
            },
            "{kind}"
        );
    }
    assert_eq!(count(&pool, "projects").await, data.projects.len() as i64);
    assert_eq!(count(&pool, "model_versions").await, versions as i64);
    // One event per record, except people (who are not published as events); an
    // assessment has one per version, submission and review.
    let assessment_events: usize = data
        .assessments
        .iter()
        .map(|a| a.versions.len() - 1 + usize::from(a.submitted) + usize::from(a.review.is_some()))
        .sum();
    // Digest subscriptions are preferences, not published either.
    let readers = tally(&report, "digest readers").created;
    let events = report.changed() - data.users.len() - readers + assessment_events;
    // Everyone who leads or is a member of a workstream follows it weekly.
    let followed = data.memberships.iter().filter(|m| m.user.is_some()).count();
    assert_eq!(count(&pool, "digest_subscriptions").await, followed as i64);
    let mut followers: Vec<_> = data
        .memberships
        .iter()
        .filter_map(|m| m.user.clone())
        .collect();
    followers.sort();
    followers.dedup();
    assert_eq!(readers, followers.len());
    let weekly: i64 =
        sqlx::query_scalar("SELECT count(*) FROM digest_subscriptions WHERE frequency = 'weekly'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(weekly, followed as i64);
    assert_eq!(event_count(&pool).await, events as i64);
    // Assessments are written and reviewed by demo people, everything else by seed-demo.
    let actors: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT actor FROM events WHERE subject_kind <> 'assessment'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(actors, ["seed-demo"]);
    let people: Vec<String> = data.users.iter().map(|u| u.email.to_string()).collect();
    let assessors: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT actor FROM events WHERE subject_kind = 'assessment'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        assessors.iter().all(|a| people.contains(a)),
        "{assessors:?}"
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn seeding_twice_changes_nothing_the_second_time(pool: PgPool) {
    let first = demo::seed(&pool).await.unwrap();
    assert!(first.changed() > 0);
    let counts = row_counts(&pool).await;
    let events = event_count(&pool).await;

    let second = demo::seed(&pool).await.unwrap();
    for (kind, t) in &second.rows {
        assert_eq!(
            (t.created, t.updated),
            (0, 0),
            "{kind} changed on the second run"
        );
        let created = tally(&first, kind).created;
        assert_eq!(t.unchanged, created, "{kind}");
    }
    assert_eq!(second.changed(), 0, "{second}");
    assert_eq!(
        event_count(&pool).await,
        events,
        "{:?}",
        event_kinds(&pool).await
    );
    assert_eq!(row_counts(&pool).await, counts);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn seeding_restores_demo_records_that_were_changed(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let app = app(pool.clone());
    let original = get(&app, "/api/v1/projects/imf-ts-coding").await.body;
    let mut changed = original.clone();
    for key in ["provenance", "created_at", "updated_at"] {
        changed.as_object_mut().unwrap().remove(key);
    }
    changed["stage"] = "idea".into();
    assert_eq!(
        put(&app, "/api/v1/projects/imf-ts-coding", &changed)
            .await
            .status,
        StatusCode::OK
    );

    let report = demo::seed(&pool).await.unwrap();
    assert_eq!(tally(&report, "projects").updated, 1);
    assert_eq!(report.changed(), 1, "{report}");
    assert_eq!(
        last_event(&pool).await,
        ("project.stage_changed".into(), "imf-ts-coding".into())
    );
    let restored = get(&app, "/api/v1/projects/imf-ts-coding").await.body;
    assert_eq!(restored["stage"], original["stage"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn after_seeding_the_project_list_shows_the_demo_projects(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let app = app(pool);
    let reply = get(&app, "/api/v1/projects?per_page=100").await;
    assert_eq!(reply.status, StatusCode::OK);
    let slugs = reply.items("slug");
    assert!(slugs.len() >= 8, "{slugs:?}");
    assert_eq!(reply.body["total"], slugs.len());
    assert!(slugs.iter().any(|s| s == "imf-ts-coding"), "{slugs:?}");
    // Demo projects kept to members or to their organisation stay hidden.
    assert!(
        !slugs
            .iter()
            .any(|s| s == "scb-ml-platform" || s == "inegi-enoe-imputation")
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn after_seeding_models_have_their_versions_and_results(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let app = app(pool);
    let card = get(&app, "/api/v1/models/insee/naf-coder").await;
    assert_eq!(card.status, StatusCode::OK);
    assert_eq!(card.body["latest_version"], "3");
    let versions = get(&app, "/api/v1/models/insee/naf-coder/versions").await;
    assert_eq!(versions.items("version"), ["3", "2", "1"]);
    assert_eq!(
        versions.body["items"][0]["results"][0]["metric"],
        "accuracy"
    );
    let coding = get(&app, "/api/v1/models?task=coding&per_page=100").await;
    assert!(coding.items("name").contains(&"naf-coder".to_string()));
    let feed = get(&app, "/api/v1/events?workstream=ws1&limit=200").await;
    assert!(!feed.items("id").is_empty());
}

/// The figures a text quotes as shares: decimals below one (`0.874`) and percentages
/// (`79%`, read as 0.79).
fn quoted_figures(text: &str) -> Vec<f64> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .filter_map(|word| {
            let word = word.trim_end_matches(['.', ':']);
            if let Some(percent) = word.strip_suffix('%') {
                return percent.parse::<f64>().ok().map(|p| p / 100.0);
            }
            word.starts_with("0.")
                .then(|| word.parse::<f64>().ok())
                .flatten()
        })
        .collect()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn figures_quoted_in_the_demo_qf4sa_evidence_are_the_versions_results(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    assert_eq!(
        quoted_figures("accuracy 0.874, and 79% coded."),
        [0.874, 0.79]
    );
    let rows: Vec<(String, serde_json::Value, Vec<f64>)> = sqlx::query_as(
        "SELECT o.slug || '/' || m.name || ' ' || v.version, a.content -> 'qf4sa', \
         ARRAY(SELECT r.value FROM evaluation_results r WHERE r.model_version_id = v.id) \
         FROM assessments a JOIN model_versions v ON v.id = a.model_version_id \
         JOIN model_cards m ON m.id = v.model_card_id JOIN organisations o ON o.id = m.organisation_id \
         WHERE a.kind = 'qf4sa'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!rows.is_empty(), "the demo assesses model versions");
    let mut quoted = 0;
    for (version, qf4sa, results) in rows {
        let dimensions = qf4sa.as_object().expect("QF4SA dimensions");
        for (name, dimension) in dimensions {
            let evidence = dimension["evidence"].as_str().unwrap_or_default();
            for figure in quoted_figures(evidence) {
                quoted += 1;
                assert!(
                    results.iter().any(|r| (r - figure).abs() < 5e-4),
                    "{version}: {name} quotes {figure}, which none of its results {results:?} is"
                );
            }
        }
    }
    assert!(quoted >= 4, "the demo evidence quotes figures: {quoted}");
}
