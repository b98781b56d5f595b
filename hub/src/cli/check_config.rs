//! `agora-hub check-config`.

use crate::app;
use crate::config::Config;
use crate::error::{Error, Result};

pub async fn run(config: Config) -> Result<()> {
    println!("configuration: ok");
    println!("  listen          {}", config.listen);
    println!("  database_url    {}", config.database_url_redacted());
    println!("  max_body_bytes  {}", config.max_body_bytes);
    println!("  log_format      {:?}", config.log_format);
    println!("  public_url      {}", config.public_url());
    println!(
        "  cookies         {}",
        if config.secure_cookies() {
            "Secure"
        } else {
            "plain HTTP on loopback"
        }
    );
    println!("  dev_login       {}", config.dev_login);
    crate::auth::dev_login::check(&config)?;
    for p in &config.oidc.providers {
        println!(
            "  provider        {} ({}), client {}, secret {}, callback {}",
            p.name,
            p.issuer,
            p.client_id,
            if p.client_secret.is_some() {
                "set"
            } else {
                "absent"
            },
            crate::auth::oidc::callback_url(&config, &p.name)
        );
    }
    println!("  index_dir       {}", config.index_dir.display());
    let db = app::pool(&config)?;
    let pending = pending_migrations(&db).await?;
    println!("database: reachable, {pending} pending migration(s)");
    Ok(())
}

async fn pending_migrations(db: &sqlx::PgPool) -> Result<usize> {
    let applied: Vec<i64> =
        match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(db)
            .await
        {
            Ok(v) => v,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => vec![],
            Err(e) => {
                return Err(Error::Config(format!(
                    "`database_url`: cannot reach the database: {e}"
                )));
            }
        };
    Ok(app::MIGRATOR
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .count())
}
