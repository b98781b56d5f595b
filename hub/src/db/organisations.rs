//! Organisations.

use agora_schemas::{Organisation, OrganisationInput, Visibility};
use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, FromRow, PgConnection, PgExecutor};

use super::events::{self, NewEvent};
use super::{Outcome, PageRequest, SaveMode, parse_checked, parse_stored};
use crate::error::{Error, Result};

#[derive(FromRow)]
struct Row {
    slug: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    country: Option<String>,
    website: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT slug::text, name, short_name, kind, country, website, created_at, updated_at \
                      FROM organisations";

impl Row {
    fn into_organisation(self) -> Result<Organisation> {
        Ok(Organisation {
            spec: OrganisationInput {
                slug: parse_checked("slug", self.slug)?,
                name: self.name,
                short_name: self.short_name,
                kind: parse_stored("kind", &self.kind)?,
                country: self
                    .country
                    .map(|c| parse_checked("country", c))
                    .transpose()?,
                website: self
                    .website
                    .map(|w| parse_checked("website", w))
                    .transpose()?,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

pub async fn get(ex: impl PgExecutor<'_>, slug: &str) -> Result<Option<Organisation>> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE slug = $1")))
        .bind(slug)
        .fetch_optional(ex)
        .await?;
    row.map(Row::into_organisation).transpose()
}

pub async fn list(conn: &mut PgConnection, page: PageRequest) -> Result<(Vec<Organisation>, i64)> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations")
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} ORDER BY slug LIMIT $1 OFFSET $2"
    )))
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .into_iter()
        .map(Row::into_organisation)
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// Creates or replaces an organisation and records the change; an unchanged one writes nothing.
pub async fn save(
    conn: &mut PgConnection,
    input: &OrganisationInput,
    actor: &str,
    mode: SaveMode,
) -> Result<(Organisation, Outcome)> {
    let current = get(&mut *conn, &input.slug).await?;
    let what = format!("organisation `{}`", input.slug);
    let Some(outcome) = mode.outcome(current.as_ref(), |c| c.spec == *input, "slug", &what)? else {
        return current
            .map(|c| (c, Outcome::Unchanged))
            .ok_or_else(|| Error::Internal(what));
    };
    let sql = match outcome {
        Outcome::Created => {
            "INSERT INTO organisations (slug, name, short_name, kind, country, website) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        }
        _ => {
            "UPDATE organisations SET name = $2, short_name = $3, kind = $4, country = $5, \
             website = $6 WHERE slug = $1"
        }
    };
    let kind = serde_json::to_value(input.kind).unwrap_or_default();
    sqlx::query(sql)
        .bind(input.slug.as_str())
        .bind(&input.name)
        .bind(&input.short_name)
        .bind(kind.as_str())
        .bind(input.country.as_deref())
        .bind(input.website.as_deref())
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            Error::from(e).on_unique(
                "slug",
                format!("organisation `{}` exists already", input.slug),
            )
        })?;
    let verb = if outcome == Outcome::Created {
        "joined the hub"
    } else {
        "was updated"
    };
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "organisation.created"
            } else {
                "organisation.updated"
            },
            subject_kind: "organisation",
            subject: input.slug.to_string(),
            summary: format!(
                "{} {verb}",
                input.short_name.as_deref().unwrap_or(&input.name)
            ),
            workstreams: vec![],
            organisations: vec![input.slug.to_string()],
            visibility: Visibility::Public,
            payload: serde_json::json!({}),
        },
    )
    .await?;
    let saved = get(&mut *conn, &input.slug)
        .await?
        .ok_or_else(|| Error::Internal("organisation vanished after save".into()))?;
    Ok((saved, outcome))
}
