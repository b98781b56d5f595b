//! Workstreams.

use agora_schemas::{Workstream, WorkstreamInput};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::events::{self, NewEvent};
use super::{Outcome, PageRequest, SaveMode, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

#[derive(FromRow)]
struct Row {
    slug: String,
    code: String,
    title: String,
    goal: String,
    status: String,
    visibility: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT slug::text, code, title, goal, status, visibility::text, created_at, \
                      updated_at FROM workstreams w WHERE ";

impl Row {
    fn into_workstream(self) -> Result<Workstream> {
        Ok(Workstream {
            spec: WorkstreamInput {
                slug: parse_checked("slug", self.slug)?,
                code: self.code,
                title: self.title,
                goal: self.goal,
                status: parse_stored("status", &self.status)?,
                visibility: parse_stored("visibility", &self.visibility)?,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn visible(caller: &Caller) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(SELECT);
    caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
    qb
}

pub async fn get(
    conn: &mut PgConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Option<Workstream>> {
    let mut qb = visible(caller);
    qb.push(" AND slug = ").push_bind(slug.to_string());
    let row: Option<Row> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(Row::into_workstream).transpose()
}

pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    page: PageRequest,
) -> Result<(Vec<Workstream>, i64)> {
    let mut count = QueryBuilder::new("SELECT count(*) FROM workstreams w WHERE ");
    caller.push_can_read(&mut count, "w.visibility", "'{}'::text[]");
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = visible(caller);
    qb.push(" ORDER BY code, slug LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(Row::into_workstream)
        .collect::<Result<_>>()?;
    Ok((items, total))
}

pub async fn save(
    conn: &mut PgConnection,
    input: &WorkstreamInput,
    actor: &str,
    mode: SaveMode,
) -> Result<(Workstream, Outcome)> {
    let current = get(conn, &Caller::system(), &input.slug).await?;
    let what = format!("workstream `{}`", input.slug);
    let Some(outcome) = mode.outcome(current.as_ref(), |c| c.spec == *input, "slug", &what)? else {
        return current
            .map(|c| (c, Outcome::Unchanged))
            .ok_or_else(|| Error::Internal(what));
    };
    let sql = if outcome == Outcome::Created {
        "INSERT INTO workstreams (slug, code, title, goal, status, visibility) VALUES ($1, $2, $3, $4, $5, $6)"
    } else {
        "UPDATE workstreams SET code = $2, title = $3, goal = $4, status = $5, visibility = $6 WHERE slug = $1"
    };
    let status = serde_json::to_value(input.status).unwrap_or_default();
    sqlx::query(sql)
        .bind(input.slug.as_str())
        .bind(&input.code)
        .bind(&input.title)
        .bind(&input.goal)
        .bind(status.as_str())
        .bind(input.visibility.as_str())
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            Error::from(e).on_unique(
                "slug",
                format!("workstream `{}` exists already", input.slug),
            )
        })?;
    let created = outcome == Outcome::Created;
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: if created {
                "workstream.created"
            } else {
                "workstream.updated"
            },
            subject_kind: "workstream",
            subject: input.slug.to_string(),
            summary: format!(
                "{} {} was {}",
                input.code,
                input.title,
                if created { "started" } else { "updated" }
            ),
            workstreams: vec![input.slug.to_string()],
            organisations: vec![],
            visibility: input.visibility,
            payload: serde_json::json!({}),
        },
    )
    .await?;
    let saved = get(conn, &Caller::system(), &input.slug)
        .await?
        .ok_or_else(|| Error::Internal("workstream vanished after save".into()))?;
    Ok((saved, outcome))
}
