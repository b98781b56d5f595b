//! A stop request shared by the server and its background loops: set once (on SIGTERM or
//! Ctrl-C), seen by every clone. Loops finish what they are doing, then return.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// Cheap to clone; every clone sees the same request.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            tx: Arc::new(watch::Sender::new(false)),
        }
    }
}

impl Shutdown {
    /// Asks every holder to stop.
    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_requested(&self) -> bool {
        *self.tx.borrow()
    }

    /// Returns once a stop has been asked for (at once if it already was).
    pub async fn requested(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `d`, or less when a stop is asked for; returns whether to go on.
    pub async fn sleep(&self, d: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(d) => !self.is_requested(),
            () = self.requested() => false,
        }
    }

    /// Resolves on SIGTERM or Ctrl-C, then asks every holder to stop.
    pub async fn on_signals(&self) {
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
        let signal = tokio::select! {
            () = ctrl_c => "SIGINT",
            () = term => "SIGTERM",
            () = self.requested() => return,
        };
        tracing::info!(
            signal,
            "shutting down: no new connections; answering waiting lease requests; finishing requests in flight"
        );
        self.trigger();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_sees_the_request_and_sleeps_end_early() {
        let a = Shutdown::default();
        let b = a.clone();
        assert!(!b.is_requested());
        let waiting = tokio::spawn(async move { b.sleep(Duration::from_secs(600)).await });
        tokio::task::yield_now().await;
        a.trigger();
        let went_on = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the sleep ends at once")
            .expect("the task");
        assert!(!went_on);
        a.requested().await;
        assert!(!a.sleep(Duration::from_secs(600)).await);
    }
}
