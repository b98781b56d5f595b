//! Search over the demo data: the examples the issue names.

mod search_common;

use search_common::*;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn occupation_coding_with_a_typo_finds_the_imf_and_inegi_coding_work(db: sqlx::PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let state = state(db).await;
    let (status, body) = get(&state, "/api/v1/search?q=ocupation%20coding").await;
    assert_eq!(status, 200, "{body}");
    let found = json_links(&body);
    let first: Vec<&str> = found.iter().take(3).map(String::as_str).collect();
    assert!(first.contains(&"/projects/imf-ts-coding"), "{found:?}");
    assert!(first.contains(&"/projects/inegi-nlp-coding"), "{found:?}");
    assert!(
        first.contains(&"/models/inegi/sinco-occupation-coder"),
        "{found:?}"
    );
    let snippets: Vec<&str> = body["hits"].as_array().unwrap()[..3]
        .iter()
        .map(|h| h["snippet_html"].as_str().unwrap())
        .collect();
    assert!(
        snippets.iter().all(|s| s.contains("<mark>")),
        "{snippets:?}"
    );
    assert!(
        snippets
            .iter()
            .any(|s| s.contains("<mark>occupation</mark>")),
        "{snippets:?}"
    );
    assert!(
        facet_count(&body, "task", "coding") >= 4,
        "{}",
        body["facets"]
    );
    assert!(facet_count(&body, "organisation", "inegi") >= 2);
    assert!(body["total"].as_u64().unwrap() >= 4);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn an_organisation_private_model_is_neither_shown_nor_counted_elsewhere(db: sqlx::PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let state = state(db).await;
    let private = "/models/inegi/enoe-income-imputer";
    for caller in [anonymous(), member_of("insee"), member_of("imf")] {
        let r = search(&state, &caller, "q=income+imputation&per_page=100");
        assert!(!links(&r).iter().any(|l| l == private), "{caller:?}");
        let r = search(
            &state,
            &caller,
            "organisation=inegi&kind=model&task=imputation",
        );
        assert_eq!(r.total, 0, "{caller:?}");
        assert!(
            r.facets
                .task
                .iter()
                .all(|v| v.value != "imputation" || v.count == 0 || v.selected)
        );
    }
    let r = search(
        &state,
        &member_of("inegi"),
        "organisation=inegi&kind=model&task=imputation",
    );
    assert_eq!(links(&r), [private]);
}
