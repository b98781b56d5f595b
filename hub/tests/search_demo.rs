//! Search over the demo data: the examples the issue names.

mod search_common;

use search_common::*;

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn occupation_coding_with_a_typo_finds_the_imf_and_inegi_coding_work(db: sqlx::PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let state = state(db).await;
    let (status, body) = get(&state, "/api/v1/search?q=ocupation%20coding").await;
    assert_eq!(status, 200, "{body}");
    println!("{}", serde_json::to_string_pretty(&body).unwrap());
}
