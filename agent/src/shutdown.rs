//! Stopping the agent's loops: SIGTERM or Ctrl-C sets a flag the loops check between two
//! batches and wakes whatever sleeps, so every loop ends at a safe point.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// A stop request from a signal: a flag checked between batches, and a wake-up for sleeps.
#[derive(Clone, Default)]
pub struct Stop {
    pub flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Stop {
    /// Listens for SIGTERM and Ctrl-C.
    pub fn on_signals() -> Self {
        let stop = Self::default();
        let handle = stop.clone();
        tokio::spawn(async move {
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
            tracing::info!("stop requested: finishing the current batch");
            handle.flag.store(true, Ordering::SeqCst);
            handle.notify.notify_waiters();
        });
        stop
    }

    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Returns once a stop is requested.
    pub async fn stopped(&self) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.requested() {
                return;
            }
            notified.await;
        }
    }

    /// Asks the loops to stop, as a signal would.
    pub fn request(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Sleeps, waking early on a stop request.
    pub async fn sleep(&self, d: Duration) {
        if self.requested() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(d) => {},
            () = self.notify.notified() => {},
        }
    }
}
