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
        .after_connect(|conn, _| Box::pin(no_delay(conn)))
        .connect_lazy_with(options))
}

/// Turns Nagle's algorithm off on a new TCP connection to PostgreSQL, as libpq does.
///
/// sqlx 0.9.0 opens its sockets with Nagle's algorithm on
/// (<https://github.com/transact-rs/sqlx/issues/4335>). A message longer than one TCP
/// segment (the parameters of a statement that writes a sync batch are) then leaves its
/// tail behind until the server acknowledges the head, which a server waiting for the
/// rest of the message delays (TCP's delayed acknowledgement). sqlx does not hand out its
/// socket, so the socket is found among the process's descriptors by the local port the
/// server reports for this connection. Unix-domain connections have no port and are left
/// as they are; where `/proc/self/fd` is missing nothing changes. The fix upstream
/// (<https://github.com/transact-rs/sqlx/pull/4336>) sets the option in sqlx itself: once
/// a sqlx release with it is in `Cargo.lock`, this walk can go. What it saves a sync
/// batch is in `docs/benchmarks.md`.
async fn no_delay(conn: &mut sqlx::PgConnection) -> std::result::Result<(), sqlx::Error> {
    let port: Option<i32> = sqlx::query_scalar("SELECT inet_client_port()")
        .fetch_one(&mut *conn)
        .await?;
    if let Some(port) = port.and_then(|p| u16::try_from(p).ok()) {
        no_delay_on_port(port);
    }
    Ok(())
}

#[cfg(not(unix))]
fn no_delay_on_port(_port: u16) {}

/// Sets TCP_NODELAY on the process's TCP socket bound to this local port.
#[cfg(unix)]
fn no_delay_on_port(port: u16) {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for fd in fds.flatten() {
        let Some(fd) = fd.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        // SAFETY: the descriptor is only asked for its socket address and given an option
        // for the duration of this iteration. Closed meanwhile, the calls fail; reused for
        // another file, the address does not match and nothing is set.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&fd);
        let local = socket.local_addr().ok().and_then(|a| a.as_socket());
        if local.is_some_and(|a| a.port() == port)
            && socket.r#type().ok() == Some(socket2::Type::STREAM)
        {
            if let Err(e) = socket.set_tcp_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set on the database connection");
            }
            break;
        }
    }
}

/// Applies pending migrations.
pub async fn migrate(db: &PgPool) -> Result<()> {
    MIGRATOR.run(db).await?;
    Ok(())
}
