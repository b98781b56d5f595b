//! The baseline: PostgreSQL full-text search over the same items, with the same filters,
//! answering what the hub answers — a ranked page, the total and the facet counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sqlx::PgPool;

use super::Figures;

pub async fn prepare(db: &PgPool) {
    sqlx::raw_sql(
        r#"
CREATE TABLE bench_fts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL, title text NOT NULL, body text NOT NULL,
    task text, framework text, licence text, stage text,
    languages text[] NOT NULL, organisations text[] NOT NULL, workstreams text[] NOT NULL,
    visibility text NOT NULL, updated_at timestamptz NOT NULL,
    tsv tsvector GENERATED ALWAYS AS
        (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED
);
INSERT INTO bench_fts (kind, title, body, task, framework, licence, stage, languages, organisations,
                       workstreams, visibility, updated_at)
SELECT 'project', p.title, concat_ws(' ', p.summary, p.domain, array_to_string(p.tags, ' ')), p.task, NULL, NULL,
       p.stage, p.languages,
       ARRAY(SELECT o.slug::text FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id
             WHERE po.project_id = p.id),
       ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id
             WHERE pw.project_id = p.id),
       p.visibility, p.updated_at FROM projects p;
INSERT INTO bench_fts (kind, title, body, task, framework, licence, stage, languages, organisations,
                       workstreams, visibility, updated_at)
SELECT 'model', coalesce(m.title, m.name), concat_ws(' ', m.summary, m.body, m.intended_use, m.limitations,
       array_to_string(m.tags, ' ')), m.task, lower(m.library_name), m.license, p.stage, m.language,
       ARRAY[o.slug::text],
       ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id
             WHERE pw.project_id = m.project_id),
       m.visibility, m.updated_at
FROM model_cards m JOIN organisations o ON o.id = m.organisation_id LEFT JOIN projects p ON p.id = m.project_id;
CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv);
ANALYZE bench_fts;
"#,
    )
    .execute(db)
    .await
    .unwrap();
}

const QUERY: &str = r#"
WITH m AS MATERIALIZED (
    SELECT id, kind, title, task, framework, licence, stage, languages, organisations, workstreams,
           updated_at, ts_rank(tsv, query) AS rank
    FROM bench_fts, websearch_to_tsquery('english', $1) AS query
    WHERE tsv @@ query AND visibility = 'public'
      AND ($2::text[] IS NULL OR kind = ANY($2)) AND ($3::text[] IS NULL OR task = ANY($3))
      AND ($4::text[] IS NULL OR languages && $4) AND ($5::text[] IS NULL OR organisations && $5)
      AND ($6::text[] IS NULL OR stage = ANY($6)) AND ($7::text[] IS NULL OR framework = ANY($7))
)
(SELECT 'hit' AS facet, title AS value, rank::float8 AS n FROM m
 ORDER BY CASE WHEN $8 THEN extract(epoch FROM updated_at) ELSE rank END DESC, id LIMIT 20)
UNION ALL SELECT 'total', NULL, count(*)::float8 FROM m
UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
UNION ALL SELECT 'task', task, count(*) FROM m GROUP BY task
UNION ALL SELECT 'framework', framework, count(*) FROM m GROUP BY framework
UNION ALL SELECT 'licence', licence, count(*) FROM m GROUP BY licence
UNION ALL SELECT 'stage', stage, count(*) FROM m GROUP BY stage
UNION ALL SELECT 'language', l, count(*) FROM m, unnest(languages) l GROUP BY l
UNION ALL SELECT 'organisation', o, count(*) FROM m, unnest(organisations) o GROUP BY o
UNION ALL SELECT 'workstream', w, count(*) FROM m, unnest(workstreams) w GROUP BY w
"#;

use super::corpus::Query;

fn filter(filters: &[(&'static str, String)], name: &str) -> Option<Vec<String>> {
    let values: Vec<String> = filters
        .iter()
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.clone())
        .collect();
    (!values.is_empty()).then_some(values)
}

pub async fn pass(db: &PgPool, queries: &[Query], connections: usize) -> Figures {
    let queries = Arc::new(queries.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let db = db.clone();
            let queries = queries.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(super::corpus::Query {
                        q,
                        filters,
                        by_date,
                        ..
                    }) = queries.get(i)
                    else {
                        break;
                    };
                    let t = Instant::now();
                    let rows: Vec<(String, Option<String>, Option<f64>)> = sqlx::query_as(QUERY)
                        .bind(q)
                        .bind(filter(filters, "kind"))
                        .bind(filter(filters, "task"))
                        .bind(filter(filters, "language"))
                        .bind(filter(filters, "organisation"))
                        .bind(filter(filters, "stage"))
                        .bind(filter(filters, "framework"))
                        .bind(*by_date)
                        .fetch_all(&db)
                        .await
                        .unwrap();
                    assert!(!rows.is_empty());
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    Figures::from(all, started.elapsed())
}
