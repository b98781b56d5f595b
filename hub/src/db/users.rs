//! People. Signed-in users arrive through OpenID Connect; demo people through `seed-demo`.

use sqlx::{FromRow, PgConnection, PgExecutor};

use super::Outcome;
use crate::error::{Error, Result};
use crate::i18n::Lang;

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

/// The language of a person's e-mails (English when the stored tag is unknown).
pub async fn locale(ex: impl PgExecutor<'_>, user_id: i64) -> Result<Lang> {
    let code: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(ex)
        .await?;
    Ok(code
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default())
}

/// Chooses the language of a person's e-mails.
pub async fn set_locale(ex: impl PgExecutor<'_>, user_id: i64, lang: Lang) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $2 WHERE id = $1 AND locale <> $2")
        .bind(user_id)
        .bind(lang.code())
        .execute(ex)
        .await?;
    Ok(())
}

/// Gives a person created in the current transaction the language they signed in with;
/// a person the hub knew already keeps theirs. (`now()` is the transaction's start, which
/// is also the `created_at` of a row inserted in it.)
pub async fn set_locale_if_new(conn: &mut PgConnection, user_id: i64, lang: Lang) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $2 WHERE id = $1 AND created_at = now()")
        .bind(user_id)
        .bind(lang.code())
        .execute(conn)
        .await?;
    Ok(())
}
