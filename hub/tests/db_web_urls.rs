//! URLs stored before they were checked: the migration that checks them normalises what
//! it can repair and drops what it cannot, in project repositories, organisation web
//! sites and the links of QF4SA assessments (current content and versions).

use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, PgPool};

const MIGRATION: &str = include_str!("../../migrations/20261207000300_web_urls.sql");

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn old_urls_are_normalised_or_dropped(pool: PgPool) {
    sqlx::raw_sql(
        "INSERT INTO organisations (slug, name, kind, website) VALUES \
           ('good', 'Good', 'other', 'HTTPS://Example.ORG'), \
           ('bad', 'Bad', 'other', 'javascript:alert(1)'); \
         INSERT INTO projects (slug, title, summary, stage, repositories) VALUES ('old-project', 'P', 'S', 'pilot', \
           ARRAY['https://github.com/a/b', ' \"https://github.com/c/d\" ', '<https://x.org/e f>', \
                 'https://user:secret@git.example.org/g', 'ftp://x.org/h', 'https://x.org/\"onclick=\"x', \
                 'https://GitHub.com/a/b', 'not a url']);",
    )
    .execute(&pool)
    .await
    .expect("old rows");
    let content = json!({"qf4sa": {
        "accuracy": {"level": 3, "evidence": "x", "links": ["https://x.org/report", "https://x.org/<b>", "https://a:b@x.org/r"]},
        "timeliness": {"level": 3, "evidence": "x", "links": []}
    }});
    sqlx::query(
        "INSERT INTO assessments (kind, project_id, content) \
         SELECT 'qf4sa', p.id, $1 FROM projects p WHERE p.slug = 'old-project'",
    )
    .bind(&content)
    .execute(&pool)
    .await
    .expect("an old assessment");

    let mut conn = PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::raw_sql(MIGRATION)
        .execute(&mut conn)
        .await
        .expect("the migration runs again");

    let repositories: Vec<String> =
        sqlx::query_scalar("SELECT repositories FROM projects WHERE slug = 'old-project'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        repositories,
        [
            "https://github.com/a/b",
            "https://github.com/c/d",
            "https://x.org/e%20f",
            "https://git.example.org/g",
        ]
    );
    let websites: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT slug::text, website FROM organisations ORDER BY slug")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        websites,
        [
            ("bad".to_string(), None),
            ("good".to_string(), Some("https://example.org/".to_string()))
        ]
    );
    let stored: Value = sqlx::query_scalar("SELECT content FROM assessments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        stored["qf4sa"]["accuracy"]["links"],
        json!(["https://x.org/report", "https://x.org/r"])
    );
    assert_eq!(stored["qf4sa"]["timeliness"]["links"], json!([]));
}
