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
