//! `agora-hub serve`.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::app::{self, AppState};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::search::Search;
use crate::shutdown::Shutdown;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; overrides the `listen` setting.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Offer development sign-in as any user in the database, without a provider.
    /// Refused unless the hub listens on a loopback address. Never use it in production.
    #[arg(long)]
    pub dev_login: bool,
}

pub async fn run(mut config: Config, args: Args) -> Result<()> {
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    config.dev_login |= args.dev_login;
    crate::auth::dev_login::check(&config)?;
    if config.dev_login {
        tracing::warn!(
            "development sign-in is on: anyone reaching http://{} may sign in as any user",
            config.listen
        );
    }
    if config.secure_cookies() && config.public_url().scheme() == "http" {
        tracing::warn!(
            public_url = %config.public_url(),
            "cookies are Secure but `public_url` is plain HTTP off loopback: browsers will not keep sessions; serve the hub over HTTPS"
        );
    }
    for p in &config.oidc.providers {
        tracing::info!(provider = %p.name, issuer = %p.issuer, callback = %crate::auth::oidc::callback_url(&config, &p.name), "sign-in provider");
    }
    let db = app::pool(&config)?;
    tracing::info!(database = %config.database_url_redacted(), "applying migrations");
    app::migrate(&db).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::Config(format!("`listen`: cannot listen on {}: {e}", config.listen)))?;
    let metrics_listener = match config.metrics_listen {
        Some(addr) => Some(crate::http::metrics::bind(addr).await?),
        None => None,
    };
    let addr = listener.local_addr()?;
    let search = Search::open(&config.index_dir)?;
    tracing::info!(dir = %config.index_dir.display(), documents = search.num_docs(), "search index opened");
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    let state = AppState::with_search(db, config, search);
    let shutdown = state.shutdown.clone();
    let mut background = JoinSet::new();
    background.spawn(
        state
            .search
            .clone()
            .run_indexer_until(state.db.clone(), shutdown.clone()),
    );
    tracing::info!(%addr, "agora-hub listening on http://{addr}");
    background.spawn(purge_expired_sessions(state.db.clone(), shutdown.clone()));
    background.spawn(crate::jobs::reaper::run(
        state.db.clone(),
        Duration::from_secs(u64::from(state.config.job_reaper_seconds)),
        state.config.job_queue_timeout_seconds,
        shutdown.clone(),
    ));
    let digests = crate::digest::spawn_scheduler(
        state.db.clone(),
        state.config.clone(),
        shutdown.clone(),
        grace,
    );
    // Listening before the first request, so the first long poll does not wait for it.
    if let Err(e) = state.jobs.start(&state.db).await {
        tracing::warn!(error = %e, "job notifications: cannot listen yet; will retry on the first lease request");
    }
    if let Some(listener) = metrics_listener {
        let (state, shutdown) = (state.clone(), shutdown.clone());
        background.spawn(async move {
            if let Err(e) = crate::http::metrics::serve(listener, state, shutdown).await {
                tracing::error!(error = %e, "metrics listener failed");
            }
        });
    }
    let signals = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { shutdown.on_signals().await }
    });
    let db = state.db.clone();
    let mut server = tokio::spawn(serve_until(listener, state, shutdown.clone()));
    // A server that stops by itself (it should not) stops everything else too.
    let ended = tokio::select! {
        () = shutdown.requested() => None,
        ended = &mut server => Some(ended),
    };
    shutdown.trigger();
    signals.abort();
    // From here on everything gets `grace` in all, then the process exits regardless.
    let deadline = tokio::time::Instant::now() + grace;
    let ended = match ended {
        Some(ended) => Ok(ended),
        None => tokio::time::timeout_at(deadline, server).await,
    };
    let result = match ended {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(Error::Internal(format!("the server task failed: {e}"))),
        Err(_) => {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "requests still in flight at the end of the grace period: closing them"
            );
            Ok(())
        }
    };
    if let Some(digests) = digests {
        background.spawn(async move {
            let _ = digests.await;
        });
    }
    tracing::info!(
        tasks = background.len(),
        "waiting for background work to finish"
    );
    let drained = tokio::time::timeout_at(deadline, async {
        while background.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = background.len(),
            "background work still running at the end of the grace period: stopping it"
        );
        background.abort_all();
    }
    db.close().await;
    tracing::info!("agora-hub stopped");
    result
}

/// Removes expired sessions and sign-ins in progress every ten minutes.
async fn purge_expired_sessions(db: sqlx::PgPool, shutdown: Shutdown) {
    loop {
        if let Err(e) = crate::auth::session::purge_expired(&db).await {
            tracing::warn!(error = %e, "could not purge expired sessions");
        }
        if !shutdown.sleep(Duration::from_secs(600)).await {
            return;
        }
    }
}

/// Serves until `shutdown` is asked for, then stops accepting connections and returns
/// once the requests in flight have been answered (waiting lease requests answer at once).
pub async fn serve_until(listener: TcpListener, state: AppState, shutdown: Shutdown) -> Result<()> {
    // One router for every connection: serving a `Router` directly would rebuild it
    // (every route cloned) for each connection accepted.
    let router = crate::http::router(state).into_make_service();
    let stop = shutdown.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { stop.requested().await })
        .await?;
    tracing::info!("HTTP server stopped: requests in flight answered");
    Ok(())
}
