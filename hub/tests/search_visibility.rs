//! A caller sees only what it may read, in hits and in counts.

mod search_common;

use agora_hub::policy::Caller;
use search_common::*;

fn keys(state: &agora_hub::AppState, caller: &Caller, query: &str) -> Vec<String> {
    let mut found = links(&search(state, caller, &format!("{query}&per_page=100")));
    found.sort();
    found
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn each_caller_sees_its_own_items_in_hits_and_counts(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let (anon, a, b) = (anonymous(), member_of("stat-a"), member_of("stat-b"));

    assert!(keys(&state, &anon, "q=imputation").is_empty());
    assert_eq!(
        keys(&state, &a, "q=imputation"),
        ["/projects/members-a", "/projects/private-a"]
    );
    assert_eq!(
        keys(&state, &b, "q=imputation"),
        ["/projects/members-a", "/projects/private-b"]
    );
    assert_eq!(
        keys(&state, &Caller::system(), "q=imputation"),
        [
            "/projects/members-a",
            "/projects/private-a",
            "/projects/private-b"
        ]
    );

    let counts = |caller: &Caller| {
        let r = search(&state, caller, "task=imputation");
        let org = |slug: &str| {
            r.facets
                .organisation
                .iter()
                .find(|v| v.value == slug)
                .map(|v| v.count)
                .unwrap_or(0)
        };
        let imputation = r
            .facets
            .task
            .iter()
            .find(|v| v.value == "imputation")
            .map(|v| v.count);
        (
            r.total,
            org("stat-a"),
            org("stat-b"),
            imputation.unwrap_or(0),
        )
    };
    assert_eq!(counts(&anon), (0, 0, 0, 0));
    assert_eq!(counts(&a), (2, 2, 0, 2));
    assert_eq!(counts(&b), (2, 1, 1, 2));

    // Browsing everything: totals differ by exactly the private items.
    let all = |c: &Caller| search(&state, c, "").total;
    assert_eq!((all(&anon), all(&a), all(&b)), (8, 10, 10));
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn suggestions_respect_visibility(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let titles = |c: &Caller, q: &str| -> Vec<String> {
        state
            .search
            .suggest(c, q)
            .unwrap()
            .into_iter()
            .map(|s| s.title)
            .collect()
    };
    assert!(titles(&anonymous(), "private imp").is_empty());
    assert_eq!(
        titles(&member_of("stat-a"), "private imp"),
        ["Private imputation at A"]
    );
    assert_eq!(
        titles(&member_of("stat-b"), "privat imput"),
        ["Private imputation at B"]
    );
    let (status, body) = get(&state, "/api/v1/search/suggest?q=occup").await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Occupation coding with transformers"),
        "{titles:?}"
    );
    assert!(titles.contains(&"Occupation coder"), "{titles:?}");
}

/// Whether a word is common enough to be taken as spelt right is decided on what the
/// caller may see: words in others' private items never change what a caller finds.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn private_items_do_not_change_which_words_count_as_misspelt(db: sqlx::PgPool) {
    organisation(&db, "stat-a").await;
    let item = |slug: String, title: &str, visibility: &str| {
        serde_json::json!({"slug": slug, "title": title, "summary": "Editing rules.",
            "organisations": ["stat-a"], "stage": "pilot", "task": "editing",
            "languages": ["en"], "visibility": visibility})
    };
    for i in 0..25 {
        project(
            &db,
            item(format!("secret-{i}"), "Zephyrix pilot", "organisation"),
        )
        .await;
    }
    project(&db, item("near".into(), "Zephyrit pilot", "public")).await;
    let state = state(db).await;
    // Anonymous sees no `zephyrix`: the word is looked for as a misspelling.
    let anon = search(&state, &anonymous(), "q=zephyrix&per_page=100");
    assert_eq!(links(&anon), ["/projects/near"]);
    // stat-a sees 25 documents with it: spelt right, and only exact matches come back.
    let a = search(&state, &member_of("stat-a"), "q=zephyrix&per_page=100");
    assert_eq!(a.total, 25);
    assert!(!links(&a).contains(&"/projects/near".to_string()));
}
