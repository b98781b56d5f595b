//! What the DCAT-AP catalogue reads, one page at a time: the listed (not withdrawn)
//! projects and model cards a caller may see, in key order, so the catalogue is written
//! as it is read and never held whole.
//!
//! Pages are read by key (after the last key of the previous page, not by offset), so
//! each page is an index range scan whatever its position: projects by slug, model cards
//! by organisation and then name (the `(organisation_id, name)` key).

use std::collections::{HashMap, HashSet};

use agora_schemas::{EvaluationResult, ModelCard, Project};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::models::{CardRow, results_of, select_cards};
use super::projects::{self, OWNERS as PROJECT_OWNERS};
use crate::error::Result;
use crate::policy::Caller;

const CARD_OWNERS: &str = "ARRAY[o.slug::text]";

/// The newest change among the listed items the caller may see: the catalogue's
/// `dct:modified`.
pub async fn modified(conn: &mut PgConnection, caller: &Caller) -> Result<Option<DateTime<Utc>>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT max(at) FROM (SELECT max(p.updated_at) AS at FROM projects p WHERE p.withdrawn_at IS NULL AND ",
    );
    caller.push_can_read(&mut qb, "p.visibility", PROJECT_OWNERS);
    qb.push(
        " UNION ALL SELECT max(m.updated_at) FROM model_cards m \
         JOIN organisations o ON o.id = m.organisation_id WHERE m.withdrawn_at IS NULL AND ",
    );
    caller.push_can_read(&mut qb, "m.visibility", CARD_OWNERS);
    qb.push(") AS newest");
    Ok(qb.build_query_scalar().fetch_one(&mut *conn).await?)
}

/// Up to `limit` listed projects the caller may see, by slug, after `after`.
pub async fn projects_after(
    conn: &mut PgConnection,
    caller: &Caller,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Project>> {
    let mut qb = projects::select(caller);
    caller.push_can_read(&mut qb, "p.visibility", PROJECT_OWNERS);
    qb.push(" AND p.withdrawn_at IS NULL");
    if let Some(after) = after {
        qb.push(" AND p.slug > ").push_bind(after.to_string());
    }
    qb.push(" ORDER BY p.slug LIMIT ").push_bind(limit);
    let rows: Vec<projects::Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(projects::Row::into_project).collect()
}

/// The listed model cards the caller may see in these projects, as `(organisation,
/// name)` by project slug: what each project `dct:hasPart`.
pub async fn parts(
    conn: &mut PgConnection,
    caller: &Caller,
    project_slugs: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT p.slug::text, o.slug::text, m.name::text FROM model_cards m \
         JOIN organisations o ON o.id = m.organisation_id JOIN projects p ON p.id = m.project_id \
         WHERE m.withdrawn_at IS NULL AND p.slug = ANY(",
    );
    qb.push_bind(project_slugs.to_vec()).push(") AND ");
    caller.push_can_read(&mut qb, "m.visibility", CARD_OWNERS);
    qb.push(" ORDER BY o.slug, m.name");
    let rows: Vec<(String, String, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_project: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (project, org, name) in rows {
        by_project.entry(project).or_default().push((org, name));
    }
    Ok(by_project)
}

/// The first organisation slug after `after` (the first of all with `None`).
pub async fn next_organisation(
    conn: &mut PgConnection,
    after: Option<&str>,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT slug::text FROM organisations WHERE $1::text IS NULL OR slug > $1 ORDER BY slug LIMIT 1",
    )
    .bind(after)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Up to `limit` listed model cards of `organisation` the caller may see, by name, after
/// `after`.
pub async fn models_after(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ModelCard>> {
    let mut qb = select_cards(caller);
    caller.push_can_read(&mut qb, "m.visibility", CARD_OWNERS);
    qb.push(" AND m.withdrawn_at IS NULL AND o.slug = ")
        .push_bind(organisation.to_string());
    if let Some(after) = after {
        qb.push(" AND m.name > ").push_bind(after.to_string());
    }
    qb.push(" ORDER BY m.name LIMIT ").push_bind(limit);
    let rows: Vec<CardRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(CardRow::into_card).collect()
}

/// Of these project slugs, those listed and visible to the caller: a card says it is part
/// of a project only when the catalogue lists the project too.
pub async fn listed_projects(
    conn: &mut PgConnection,
    caller: &Caller,
    slugs: &[String],
) -> Result<HashSet<String>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT p.slug::text FROM projects p WHERE p.withdrawn_at IS NULL AND p.slug = ANY(",
    );
    qb.push_bind(slugs.to_vec()).push(") AND ");
    caller.push_can_read(&mut qb, "p.visibility", PROJECT_OWNERS);
    let rows: Vec<String> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}

#[derive(FromRow)]
struct Latest {
    name: String,
    id: i64,
    version: String,
}

/// The newest listed version of each of these cards of `organisation`, with its
/// evaluation results: `(organisation, name)` to `(version, results)`.
pub async fn latest_versions(
    conn: &mut PgConnection,
    organisation: &str,
    names: &[String],
) -> Result<HashMap<(String, String), (String, Vec<EvaluationResult>)>> {
    let rows: Vec<Latest> = sqlx::query_as(
        "SELECT DISTINCT ON (v.model_card_id) m.name::text AS name, v.id, v.version \
         FROM model_versions v JOIN model_cards m ON m.id = v.model_card_id \
         JOIN organisations o ON o.id = m.organisation_id \
         WHERE v.withdrawn_at IS NULL AND o.slug = $1 AND m.name = ANY($2) \
         ORDER BY v.model_card_id, v.registered_at DESC NULLS LAST, v.id DESC",
    )
    .bind(organisation)
    .bind(names)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut results = results_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let found = results.remove(&r.id).unwrap_or_default();
            ((organisation.to_string(), r.name), (r.version, found))
        })
        .collect())
}

/// A fingerprint of every row the catalogue is made from: the number of rows of each
/// table and the sum of a hash of each row's id and `xmin`. Any committed insert, update
/// or delete changes a row's `xmin` or the count, so the fingerprint changes with the
/// catalogue; it is read in one statement, without holding the rows in the hub.
pub async fn fingerprint(conn: &mut PgConnection) -> Result<String> {
    const TABLES: [(&str, &str); 6] = [
        ("projects", "id::text"),
        (
            "project_organisations",
            "project_id::text || '.' || organisation_id::text",
        ),
        ("model_cards", "id::text"),
        ("model_versions", "id::text"),
        ("evaluation_results", "id::text"),
        ("organisations", "id::text"),
    ];
    let parts: Vec<String> = TABLES
        .iter()
        .map(|(table, key)| {
            format!(
                "(SELECT count(*)::text || '.' || coalesce(sum(hashtext({key} || '/' || xmin::text)), 0)::text \
                 FROM {table})"
            )
        })
        .collect();
    let sql = format!("SELECT concat_ws(':', {})", parts.join(", "));
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?)
}
