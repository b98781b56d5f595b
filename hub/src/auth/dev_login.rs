//! Development sign-in: with `--dev-login` (or `dev_login = true`), the sign-in page offers
//! every person in the database and signs in as the one picked, without a provider. Off by
//! default, and refused at start unless the hub listens on a loopback address, so it can
//! never be reached from another machine.

use sqlx::{FromRow, PgExecutor};

use crate::config::Config;
use crate::error::{Error, Result};

/// Refuses development sign-in on anything but loopback.
pub fn check(config: &Config) -> Result<()> {
    if config.dev_login && !config.listen.ip().is_loopback() {
        return Err(Error::Config(format!(
            "`dev_login`: development sign-in is refused unless the hub listens on a loopback \
             address (127.0.0.1 or ::1), and `listen` is {}",
            config.listen
        )));
    }
    Ok(())
}

/// A person offered on the development sign-in form.
#[derive(Debug, Clone, FromRow)]
pub struct DemoUser {
    pub email: String,
    pub name: String,
    pub organisation: Option<String>,
    pub roles: Vec<String>,
}

/// The people one may sign in as, by organisation and name.
pub async fn users(ex: impl PgExecutor<'_>) -> Result<Vec<DemoUser>> {
    Ok(sqlx::query_as(
        r#"SELECT u.email, u.name, o.slug::text AS organisation,
                  ARRAY(SELECT r.role || coalesce(':' || ro.slug::text, '') FROM user_roles r
                        LEFT JOIN organisations ro ON ro.id = r.organisation_id
                        WHERE r.user_id = u.id ORDER BY 1) AS roles
           FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
           ORDER BY o.slug NULLS LAST, u.name LIMIT 200"#,
    )
    .fetch_all(ex)
    .await?)
}

/// The id of the person with this e-mail address.
pub async fn user_id(ex: impl PgExecutor<'_>, email: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = lower($1)")
        .bind(email)
        .fetch_optional(ex)
        .await?
        .ok_or_else(|| Error::invalid("email", format!("no user with e-mail `{email}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_sign_in_needs_loopback() {
        let mut config = Config {
            dev_login: true,
            ..Config::default()
        };
        assert!(check(&config).is_ok());
        config.listen = "[::1]:8080".parse().unwrap();
        assert!(check(&config).is_ok());
        config.listen = "0.0.0.0:8080".parse().unwrap();
        let err = check(&config).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        config.dev_login = false;
        assert!(check(&config).is_ok());
    }
}
