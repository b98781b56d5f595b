//! Returns jobs whose lease expired to the queue (or fails them after the attempt limit),
//! on every hub replica at once: row locks share the work, so no leader is needed.

use std::time::Duration;

use sqlx::PgPool;

use crate::db::jobs::{self, Reaped};
use crate::error::Result;
use crate::shutdown::Shutdown;

/// One pass, in its own transaction.
pub async fn reap_once(db: &PgPool, queue_timeout_seconds: u64) -> Result<Reaped> {
    let mut tx = db.begin().await?;
    let reaped = jobs::reap(&mut tx, queue_timeout_seconds).await?;
    tx.commit().await?;
    crate::metrics::global().reaped(&reaped);
    if reaped != Reaped::default() {
        tracing::info!(
            requeued = reaped.requeued,
            failed = reaped.failed,
            expired = reaped.expired,
            "expired job leases handled"
        );
    }
    Ok(reaped)
}

/// Runs [`reap_once`] every `every` until a stop is asked for; a pass under way finishes.
pub async fn run(db: PgPool, every: Duration, queue_timeout_seconds: u64, shutdown: Shutdown) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = shutdown.requested() => break,
        }
        if let Err(e) = reap_once(&db, queue_timeout_seconds).await {
            tracing::warn!(error = %e, "could not handle expired job leases");
        }
    }
    tracing::info!("lease reaper stopped");
}
