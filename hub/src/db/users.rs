//! People. Signed-in users arrive through OpenID Connect; demo people through `seed-demo`.

use sqlx::{FromRow, PgConnection, PgExecutor};

use super::Outcome;
use crate::error::{Error, Result};

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub organisation: Option<String>,
}

pub async fn by_email(ex: impl PgExecutor<'_>, email: &str) -> Result<Option<User>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.name, o.slug::text AS organisation \
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
         WHERE u.email = lower($1)",
    )
    .bind(email)
    .fetch_optional(ex)
    .await?)
}

/// Creates or updates a person by e-mail.
pub async fn upsert(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    organisation: Option<&str>,
) -> Result<Outcome> {
    let organisation_id: Option<i64> = match organisation {
        Some(slug) => Some(
            sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| {
                    Error::invalid("organisation", format!("no organisation `{slug}`"))
                })?,
        ),
        None => None,
    };
    // `xmax = 0` tells an inserted row from an updated one; no row means nothing changed.
    let inserted: Option<bool> = sqlx::query_scalar(
        "INSERT INTO users (email, name, organisation_id) VALUES (lower($1), $2, $3) \
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, organisation_id = EXCLUDED.organisation_id \
         WHERE users.name IS DISTINCT FROM EXCLUDED.name \
            OR users.organisation_id IS DISTINCT FROM EXCLUDED.organisation_id \
         RETURNING (xmax = 0)",
    )
    .bind(email)
    .bind(name)
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match inserted {
        Some(true) => Outcome::Created,
        Some(false) => Outcome::Updated,
        None => Outcome::Unchanged,
    })
}
