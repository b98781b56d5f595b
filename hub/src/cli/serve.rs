//! `agora-hub serve`.

use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{self, AppState};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::search::Search;

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
    let addr = listener.local_addr()?;
    let search = Search::open(&config.index_dir)?;
    tracing::info!(dir = %config.index_dir.display(), documents = search.num_docs(), "search index opened");
    let indexer = tokio::spawn(search.clone().run_indexer(db.clone()));
    tracing::info!(%addr, "agora-hub listening on http://{addr}");
    purge_expired_sessions(db.clone());
    let reaper = tokio::spawn(crate::jobs::reaper::run(
        db.clone(),
        std::time::Duration::from_secs(u64::from(config.job_reaper_seconds)),
        config.job_queue_timeout_seconds,
    ));
    let state = AppState::with_search(db, config, search);
    let digests = crate::digest::spawn_scheduler(state.db.clone(), state.config.clone());
    // Listening before the first request, so the first long poll does not wait for it.
    if let Err(e) = state.jobs.start(&state.db).await {
        tracing::warn!(error = %e, "job notifications: cannot listen yet; will retry on the first lease request");
    }
    let result = serve(listener, state).await;
    indexer.abort();
    reaper.abort();
    if let Some(digests) = digests {
        digests.abort();
    }
    result
}

/// Removes expired sessions and sign-ins in progress every ten minutes.
fn purge_expired_sessions(db: sqlx::PgPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = crate::auth::session::purge_expired(&db).await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
        }
    });
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(listener: TcpListener, state: AppState) -> Result<()> {
    // One router for every connection: serving a `Router` directly would rebuild it
    // (every route cloned) for each connection accepted.
    let router = crate::http::router(state).into_make_service();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("agora-hub stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
