//! Relevance, typo tolerance, text analysis, facets and pagination.

mod search_common;

use search_common::*;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_title_match_ranks_above_a_body_match(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let links = links(&search(&state, &anonymous(), "q=occupation&kind=project"));
    assert_eq!(links, ["/projects/occ-title", "/projects/occ-body"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn a_misspelt_word_still_matches_and_exact_matches_rank_first(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let found = links(&search(&state, &anonymous(), "q=ocupation&kind=project"));
    assert_eq!(found, ["/projects/occ-title", "/projects/occ-body"]);
    // `censos` is one edit away from `census`: found, but after the exact match.
    let found = links(&search(&state, &anonymous(), "q=census"));
    assert_eq!(found, ["/projects/census-exact", "/projects/censos-fuzzy"]);
    // One edit away from `editing`.
    let found = links(&search(&state, &anonymous(), "q=edting"));
    assert_eq!(found.len(), 2, "{found:?}");
    // Short words are not fuzzy: `edt` finds nothing.
    assert_eq!(search(&state, &anonymous(), "q=edt").total, 0);
}

/// A word found in many documents is taken as spelt right: its near spellings are not
/// looked for. A rare word's still are.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn near_spellings_of_a_common_word_are_not_looked_for(db: sqlx::PgPool) {
    organisation(&db, "stat-a").await;
    let item = |slug: String, title: String| {
        serde_json::json!({"slug": slug, "title": title, "summary": "Editing rules.",
            "organisations": ["stat-a"], "stage": "pilot", "task": "editing",
            "languages": ["en"], "visibility": "public"})
    };
    for i in 0..20 {
        project(
            &db,
            item(format!("census-{i}"), format!("Census round {i}")),
        )
        .await;
    }
    project(&db, item("censos".into(), "Censos".into())).await;
    let state = state(db).await;
    let common = links(&search(&state, &anonymous(), "q=census&per_page=100"));
    assert_eq!(common.len(), 20, "{common:?}");
    assert!(!common.contains(&"/projects/censos".to_string()));
    // `censos` is in one document: `census`, one edit away, is looked for too.
    let rare = search(&state, &anonymous(), "q=censos&per_page=100");
    assert_eq!(rare.total, 21);
    assert_eq!(links(&rare)[0], "/projects/censos");
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn accents_fold_and_french_is_stemmed(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    for q in [
        "economie",
        "ÉCONOMIE",
        "économie",
        "r%C3%A9gionale",
        "economiques",
    ] {
        let found = links(&search(&state, &anonymous(), &format!("q={q}")));
        assert_eq!(found, ["/projects/eco-fr"], "{q}");
    }
    let hit = &search(&state, &anonymous(), "q=economie").hits[0];
    assert!(
        hit.title_html.contains("<mark>Économie</mark>"),
        "{}",
        hit.title_html
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn quoted_phrases_match_words_in_order(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let found = links(&search(&state, &anonymous(), "q=%22occupation+coding%22"));
    assert_eq!(found, ["/projects/occ-title", "/projects/occ-body"]);
    assert_eq!(
        search(&state, &anonymous(), "q=%22coding+occupation%22").total,
        0
    );
    let found = links(&search(
        &state,
        &anonymous(),
        "q=occupation+-survey&kind=project",
    ));
    assert_eq!(found, ["/projects/occ-title"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn facet_counts_are_right_under_combined_filters(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    // Everything anonymous can see: 5 public projects, 1 public model, 2 organisations.
    let all = search(&state, &anonymous(), "");
    assert_eq!(all.total, 8);
    let (status, body) = get(
        &state,
        "/api/v1/search?organisation=stat-b&task=coding,editing",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // stat-b's coding and editing items.
    assert_eq!(body["total"], 3);
    let mut found = json_links(&body);
    found.sort();
    assert_eq!(
        found,
        [
            "/projects/censos-fuzzy",
            "/projects/census-exact",
            "/projects/occ-body"
        ]
    );
    // Each facet is counted under the other facets' filters.
    assert_eq!(facet_count(&body, "task", "coding"), 1);
    assert_eq!(facet_count(&body, "task", "editing"), 2);
    assert_eq!(facet_count(&body, "task", "imputation"), 0);
    assert_eq!(facet_count(&body, "organisation", "stat-b"), 3);
    // stat-a has two public items with a coding or editing task (a project and a model).
    assert_eq!(facet_count(&body, "organisation", "stat-a"), 2);
    assert_eq!(facet_count(&body, "kind", "project"), 3);
    assert_eq!(facet_count(&body, "stage", "validated"), 2);
    assert_eq!(facet_count(&body, "language", "es"), 2);
    let selected: Vec<&str> = body["facets"]["task"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["selected"] == true)
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(selected, ["editing", "coding"]);
    // Facets of models: framework and licence.
    let models = search(
        &state,
        &anonymous(),
        "kind=model&framework=fasttext&licence=mit",
    );
    assert_eq!(links(&models), ["/models/stat-a/coder"]);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn pagination_is_stable_and_complete(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    for query in ["", "q=editing+coding+occupation", "sort=updated"] {
        let whole = links(&search(
            &state,
            &anonymous(),
            &format!("{query}&per_page=100"),
        ));
        assert!(!whole.is_empty());
        let mut paged = Vec::new();
        for page in 1..=whole.len().div_ceil(3) {
            let results = search(
                &state,
                &anonymous(),
                &format!("{query}&per_page=3&page={page}"),
            );
            assert_eq!(results.total as usize, whole.len());
            paged.extend(links(&results));
        }
        assert_eq!(paged, whole, "{query}");
        assert_eq!(
            links(&search(
                &state,
                &anonymous(),
                &format!("{query}&per_page=100")
            )),
            whole
        );
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn hits_carry_links_and_highlighted_snippets(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let (_, body) = get(&state, "/api/v1/search?q=coding&kind=model").await;
    let hit = &body["hits"][0];
    assert_eq!(hit["link"], "/models/stat-a/coder");
    assert_eq!(hit["api"], "/api/v1/models/stat-a/coder");
    assert_eq!(hit["snippet_html"], "<mark>Codes</mark> job titles.");
    assert_eq!(hit["framework"], "fasttext");
    assert!(body["took_ms"].as_f64().unwrap() >= 0.0);
}
