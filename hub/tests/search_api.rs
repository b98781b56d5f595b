//! The search API's limits and its page: bad input is a clear 422, never a 500.

mod search_common;

use search_common::*;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn malformed_query_syntax_falls_back_to_plain_words(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    for q in [
        "%22unclosed+occupation",
        "occupation+AND+(coding+OR",
        "title%3Aoccupation~2^3+*",
        "---",
        "%22%22",
        "-",
        "%F0%9F%98%80+%E2%80%94",
        "a%00b",
    ] {
        let (status, body) = get(&state, &format!("/api/v1/search?q={q}")).await;
        assert_eq!(status, 200, "{q}: {body}");
    }
    let (_, body) = get(&state, "/api/v1/search?q=%22unclosed+occupation").await;
    assert!(json_links(&body).contains(&"/projects/occ-title".to_string()));
    // `items`, as every list answers, and `hits` kept beside it for one protocol version;
    // a hit spells `language` and `license` as a model card does.
    assert!(!body["items"].as_array().unwrap().is_empty(), "{body}");
    assert_eq!(body["items"], body["hits"]);
    for hit in body["items"].as_array().unwrap() {
        assert_eq!(hit["language"], hit["languages"], "{hit}");
        assert_eq!(hit["license"], hit["licence"], "{hit}");
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn limits_are_422s_naming_the_parameter(db: sqlx::PgPool) {
    let state = state(db).await;
    let long = "a".repeat(257);
    for (query, field) in [
        (format!("q={long}"), "q"),
        ("per_page=101".into(), "per_page"),
        ("per_page=0".into(), "per_page"),
        ("page=0".into(), "page"),
        ("page=200&per_page=100".into(), "page"),
        ("kind=dataset".into(), "kind"),
        ("stage=done".into(), "stage"),
        ("sort=best".into(), "sort"),
        ("colour=red".into(), "colour"),
        ("page=two".into(), "page"),
    ] {
        let (status, body) = get(&state, &format!("/api/v1/search?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    let (status, body) = get(&state, &format!("/api/v1/search/suggest?q={long}")).await;
    assert_eq!(
        (status.as_u16(), body["error"]["field"].as_str()),
        (422, Some("q"))
    );
    let (status, _) = get(&state, "/api/v1/search/suggest").await;
    assert_eq!(status, 422);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_search_page_works_without_javascript(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let (status, html) = get_text(&state, "/search?q=ocupation&kind=project").await;
    assert_eq!(status, 200);
    // One deferred script makes filters apply as they are ticked; without it the form's
    // buttons do the same, and no script is written into the page.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(html.contains(r#"<script src="/static/pages."#) && html.contains(" defer></script>"));
    assert!(html.contains("Apply filters</button>"));
    assert!(html.contains(
        r#"<form class="search" role="search" method="get" action="/search" data-autosubmit>"#
    ));
    // The active filter is a chip whose link is the same search without it.
    assert!(
        html.contains(r#"<a class="remove" href="/search?q=ocupation" aria-label="Remove the filter Project">"#),
        "{html}"
    );
    assert!(html.contains(r#"<label for="q">"#));
    assert!(html.contains(r#"value="ocupation""#));
    assert!(html.contains("<mark>Occupation</mark> coding with transformers"));
    assert!(
        html.contains(r#"name="kind" value="project" checked"#),
        "the ticked facet stays ticked"
    );
    assert!(
        html.contains(r#"name="task" value="coding""#),
        "facets are checkboxes"
    );
    assert!(html.contains("2 results"));
    assert!(html.contains(r#"<main id="main""#) && html.contains("Skip to content"));

    let css = html
        .split("href=\"/static/app.")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let response = tower::ServiceExt::oneshot(
        agora_hub::http::router(state.clone()),
        axum::http::Request::get(format!("/static/app.{css}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn the_search_page_paginates_and_helps_when_nothing_matches(db: sqlx::PgPool) {
    corpus(&db).await;
    let state = state(db).await;
    let (_, html) = get_text(&state, "/search?per_page=3&page=2").await;
    assert!(html.contains(r#"aria-label="Pages of results""#));
    assert!(
        html.contains(r#"href="/search?page=2&#38;per_page=3" aria-current="page""#),
        "{html}"
    );
    assert!(html.contains(r#"rel="prev""#) && html.contains(r#"rel="next""#));

    let (status, html) = get_text(&state, "/search?q=zzzzqqq&task=coding").await;
    assert_eq!(status, 200);
    assert!(html.contains("No results"));
    assert!(html.contains("Search again without filters"));
    assert!(html.contains(r#"href="/search?q=zzzzqqq""#));

    let (status, html) = get_text(&state, "/search?per_page=1000").await;
    assert_eq!(status, 422);
    assert!(html.contains("per_page"), "{html}");
}

/// Issue 22: a language tag counts under its language in the facet (`pt-BR` and `por`
/// under `pt`), and a card whose task the hub cannot map counts under no task but is
/// still found by its words, its task as written included.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn regional_tags_count_under_their_language_and_odd_tasks_stay_findable(db: sqlx::PgPool) {
    use serde_json::json;
    organisation(&db, "ibge").await;
    model(
        &db,
        json!({"organisation": "ibge", "name": "cbo-coder", "visibility": "public",
               "title": "CBO occupation coder", "language": ["pt-BR", "en"],
               "task": "occupation-guessing", "license": "free-for-all"}),
    )
    .await;
    model(
        &db,
        json!({"organisation": "ibge", "name": "cnae-coder", "visibility": "public",
               "title": "CNAE activity coder", "language": "por",
               "pipeline_tag": "text-classification"}),
    )
    .await;
    let state = state(db).await;
    let (status, body) = get(&state, "/api/v1/search?kind=model").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(facet_count(&body, "language", "pt"), 2, "{body}");
    assert_eq!(facet_count(&body, "language", "pt-BR"), 0, "{body}");
    assert_eq!(facet_count(&body, "language", "en"), 1, "{body}");
    assert_eq!(facet_count(&body, "task", "classification"), 1, "{body}");
    assert_eq!(facet_count(&body, "licence", "free-for-all"), 0, "{body}");
    let (_, body) = get(&state, "/api/v1/search?q=guessing").await;
    assert_eq!(json_links(&body), ["/models/ibge/cbo-coder"], "{body}");
    let (_, body) = get(&state, "/api/v1/search?q=coder&language=pt").await;
    assert_eq!(json_links(&body).len(), 2, "{body}");
    // The page names the tag as people read it.
    let (status, html) = get_text(&state, "/models/ibge/cbo-coder").await;
    assert_eq!(status, 200);
    assert!(html.contains("Portuguese (Brazil)"), "{html}");
    assert!(html.contains("occupation-guessing"), "{html}");
}

/// Cards are Markdown: a hit's snippet shows its words, not its markup.
#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn snippets_show_a_cards_words_without_its_markup(db: sqlx::PgPool) {
    use serde_json::json;
    organisation(&db, "ibge").await;
    model(
        &db,
        json!({"organisation": "ibge", "name": "cbo-coder", "visibility": "public",
               "summary": "Does **occupation coding** for the [census](https://ibge.gov.br).",
               "body": "## How it works\n\nThe `fastText` model codes *occupation* answers."}),
    )
    .await;
    let state = state(db).await;
    let (status, body) = get(&state, "/api/v1/search?q=occupation").await;
    assert_eq!(status, 200, "{body}");
    let snippet = body["items"][0]["snippet_html"]
        .as_str()
        .expect("a snippet");
    assert!(snippet.contains("<mark>occupation</mark>"), "{snippet}");
    for markup in ["**", "](", "`", "##"] {
        assert!(!snippet.contains(markup), "{markup} in {snippet}");
    }
}
