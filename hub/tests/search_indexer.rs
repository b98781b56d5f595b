//! The indexer: incremental and full builds agree, restarts lose nothing, transactions
//! that commit out of order are not skipped, and the folder is disposable.

mod search_common;

use std::time::{Duration, Instant};

use agora_hub::AppState;
use agora_hub::policy::Caller;
use agora_hub::search::{Search, SearchRequest};
use search_common::*;
use serde_json::json;

/// What a search answers, without the timing and scores.
fn answer(search: &Search, caller: &Caller, query: &str) -> serde_json::Value {
    let r = search
        .search(caller, &SearchRequest::from_query(query).unwrap())
        .unwrap();
    let mut hits: Vec<String> = r.hits.iter().map(|h| h.link.clone()).collect();
    if !query.contains("sort=updated") {
        hits.sort();
    }
    json!({"hits": hits, "total": r.total, "facets": r.facets})
}

const QUERIES: [&str; 6] = [
    "per_page=100",
    "q=occupation&per_page=100",
    "q=imputation&per_page=100",
    "task=coding,imputation&per_page=100",
    "sort=updated&per_page=100",
    "q=%22occupation+coding%22",
];

fn answers(search: &Search) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for caller in [anonymous(), member_of("stat-a"), member_of("stat-b")] {
        for q in QUERIES {
            out.push(answer(search, &caller, q));
        }
    }
    out
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_full_rebuild_and_incremental_indexing_give_the_same_results(db: sqlx::PgPool) {
    let incremental = Search::in_ram().unwrap();
    incremental.catch_up(&db).await.unwrap();
    assert_eq!(incremental.num_docs(), 0);
    corpus(&db).await;
    let report = incremental.catch_up(&db).await.unwrap();
    assert!(!report.rebuilt && report.events > 0);
    // Changes after the first pass: an update, a stage change, a new item.
    project(
        &db,
        json!({"slug": "occ-body", "title": "A pilot study of survey answers",
        "summary": "We test automatic occupation coding on survey answers, now in production.",
        "organisations": ["stat-b"], "stage": "maintenance", "task": "coding", "languages": ["es"],
        "visibility": "public"}),
    )
    .await;
    project(&db, json!({"slug": "late", "title": "Imputation of late returns", "summary": "Late.",
        "organisations": ["stat-a"], "stage": "idea", "task": "imputation", "visibility": "organisation"})).await;
    incremental.catch_up(&db).await.unwrap();

    let full = Search::in_ram().unwrap();
    assert!(full.catch_up(&db).await.unwrap().rebuilt);
    assert_eq!(incremental.num_docs(), full.num_docs());
    assert_eq!(answers(&incremental), answers(&full));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_indexer_resumes_after_a_restart_with_nothing_lost(db: sqlx::PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let first = Search::open(dir.path()).unwrap();
    corpus(&db).await;
    assert!(first.catch_up(&db).await.unwrap().rebuilt);
    let cursor = first.cursor().await.unwrap();
    let docs = first.num_docs();
    drop(first);

    // Written while no hub runs.
    project(&db, json!({"slug": "while-down", "title": "Written while the hub was down",
        "summary": "Nowcasting.", "organisations": ["stat-a"], "stage": "idea", "visibility": "public"})).await;

    let second = Search::open(dir.path()).unwrap();
    // The position is read back from the index: the last one committed. An empty stretch
    // read after it (the horizon moving on while other transactions end) moves the cursor
    // in memory only, and is read again after a restart.
    let read = second.cursor().await;
    assert!(
        read.is_some_and(|c| c <= cursor),
        "the position is read back from the index: {read:?}, {cursor:?} before the restart"
    );
    assert_eq!(second.num_docs(), docs);
    let report = second.catch_up(&db).await.unwrap();
    assert!(!report.rebuilt, "resumed rather than rebuilt");
    assert_eq!(report.events, 1);
    assert_eq!(second.num_docs(), docs + 1);
    let found = links(&search_in(&second, "q=nowcasting"));
    assert_eq!(found, ["/projects/while-down"]);
    // Same content as a full rebuild.
    let full = Search::in_ram().unwrap();
    full.catch_up(&db).await.unwrap();
    assert_eq!(answers(&second), answers(&full));
}

fn search_in(search: &Search, query: &str) -> agora_hub::search::SearchResults {
    search
        .search(
            &Caller::system(),
            &SearchRequest::from_query(query).unwrap(),
        )
        .unwrap()
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn transactions_that_commit_out_of_order_are_not_skipped(db: sqlx::PgPool) {
    organisation(&db, "stat-a").await;
    let search = Search::in_ram().unwrap();
    search.catch_up(&db).await.unwrap();
    let item = |slug: &str, title: &str| {
        json!({"slug": slug, "title": title, "summary": "x",
        "organisations": ["stat-a"], "stage": "idea", "visibility": "public"})
    };

    // A long transaction starts first and commits last.
    let mut slow = db.begin().await.unwrap();
    let input = serde_json::from_value(item("slow", "Slow forecasting")).unwrap();
    agora_hub::db::projects::save(
        &mut slow,
        &input,
        "test",
        agora_hub::db::SaveMode::Create,
        None,
    )
    .await
    .unwrap();
    project(&db, item("fast", "Fast forecasting")).await;
    search.apply_pending(&db).await.unwrap();
    // Events behind an unfinished transaction wait for it rather than pass it.
    let found = links(&search_in(&search, "q=forecasting"));
    assert!(!found.contains(&"/projects/slow".to_string()));
    slow.commit().await.unwrap();
    search.catch_up(&db).await.unwrap();
    let mut found = links(&search_in(&search, "q=forecasting"));
    found.sort();
    assert_eq!(found, ["/projects/fast", "/projects/slow"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn withdrawn_items_leave_the_index(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    assert_eq!(search(&state, &anonymous(), "q=solidaire").total, 1);
    let mut tx = state.db.begin().await.unwrap();
    sqlx::query("UPDATE projects SET withdrawn_at = now() WHERE slug = 'eco-fr'")
        .execute(&mut *tx)
        .await
        .unwrap();
    agora_hub::db::events::append(
        &mut *tx,
        &agora_hub::db::events::NewEvent {
            actor: "test".into(),
            kind: "project.withdrawn",
            subject_kind: "project",
            subject: "eco-fr".into(),
            summary: "withdrawn".into(),
            workstreams: vec![],
            organisations: vec!["stat-a".into()],
            visibility: agora_schemas::Visibility::Public,
            payload: json!({}),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    state.search.catch_up(&state.db).await.unwrap();
    assert_eq!(search(&state, &anonymous(), "q=solidaire").total, 0);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_change_through_the_api_is_found_by_the_running_indexer(db: sqlx::PgPool) {
    corpus(&db).await;
    let admin: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name) VALUES ('admin@hub.test', 'Administrator') RETURNING id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO user_roles (user_id, role, source) VALUES ($1, 'admin', 'hub')")
        .bind(admin)
        .execute(&db)
        .await
        .unwrap();
    let (_, token) = agora_hub::auth::tokens::create(&db, admin, "tests", None)
        .await
        .unwrap();
    let state = AppState::new(db, agora_hub::Config::default());
    let indexer = tokio::spawn(state.search.clone().run_indexer(state.db.clone()));
    wait_for(&state, "per_page=1", |r| r.total > 0).await;

    let body = json!({"slug": "fresh", "title": "Nowcasting retail trade", "summary": "Fresh.",
        "organisations": ["stat-a"], "stage": "idea", "visibility": "public"});
    let response = tower::ServiceExt::oneshot(
        agora_hub::http::router(state.clone()),
        axum::http::Request::post("/api/v1/projects")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 201);
    // The indexer polls every 200 ms; how long a change takes to show is measured by the
    // search benchmark, not asserted here.
    wait_for(&state, "q=nowcasting", |r| r.total == 1).await;
    indexer.abort();
}

async fn wait_for(
    state: &AppState,
    query: &str,
    done: impl Fn(&agora_hub::search::SearchResults) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if done(&search(state, &anonymous(), query)) {
            return;
        }
        assert!(Instant::now() < deadline, "`{query}` never became true");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_damaged_or_deleted_index_folder_is_rebuilt(db: sqlx::PgPool) {
    corpus(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let search = Search::open(&path).unwrap();
    search.catch_up(&db).await.unwrap();
    let docs = search.num_docs();
    assert!(docs > 0 && search.size_on_disk() > 0);
    drop(search);

    std::fs::write(path.join("meta.json"), "{ not an index").unwrap();
    let search = Search::open(&path).unwrap();
    assert_eq!(search.cursor().await, None);
    assert!(search.catch_up(&db).await.unwrap().rebuilt);
    assert_eq!(search.num_docs(), docs);
    drop(search);

    std::fs::remove_dir_all(&path).unwrap();
    let search = Search::open(&path).unwrap();
    assert!(search.catch_up(&db).await.unwrap().rebuilt);
    assert_eq!(search.num_docs(), docs);
    let rebuilt = search.rebuild(&db, &|_, _| {}).await.unwrap();
    assert_eq!(rebuilt, docs);
}
