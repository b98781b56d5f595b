//! The application's shared state and how it is built.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::auth::oidc::Providers;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::search::Search;

/// Migrations embedded from the workspace's `migrations/` folder.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Cheap handles shared by every request and background task.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    /// OpenID providers, discovered on first use.
    pub providers: Arc<Providers>,
    pub search: Search,
    /// Wakes agents' lease requests when jobs are queued (one listening connection).
    pub jobs: crate::jobs::Dispatcher,
    /// Set on SIGTERM: waiting lease requests answer at once, loops stop.
    pub shutdown: crate::shutdown::Shutdown,
}

impl AppState {
    /// State with an empty search index in memory, built from the database on its first
    /// catch-up (`state.search.catch_up(&state.db)`): what tests and tools need.
    pub fn new(db: PgPool, config: Config) -> Self {
        // An empty index in memory needs no input and no disk.
        #[allow(clippy::expect_used)]
        let search = Search::in_ram().expect("an empty in-memory index opens");
        Self::with_search(db, config, search)
    }

    pub fn with_search(db: PgPool, config: Config, search: Search) -> Self {
        Self {
            db,
            config: Arc::new(config),
            providers: Arc::new(Providers::default()),
            search,
            jobs: crate::jobs::Dispatcher::default(),
            shutdown: crate::shutdown::Shutdown::default(),
        }
    }
}

/// Opens the connection pool. Connections are made lazily, so the hub starts (and
/// `/readyz` reports the outage) while the database is down.
pub fn pool(config: &Config) -> Result<PgPool> {
    let options: PgConnectOptions = config
        .database_url
        .parse()
        .map_err(|e| Error::Config(format!("`database_url`: {e}")))?;
    Ok(PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options))
}

/// Applies pending migrations.
pub async fn migrate(db: &PgPool) -> Result<()> {
    MIGRATOR.run(db).await?;
    Ok(())
}
