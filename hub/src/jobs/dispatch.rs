//! One `LISTEN agora_jobs` connection per hub process, fanning notifications out to the
//! lease requests that wait for an organisation's jobs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{Notify, OnceCell};
use tokio::task::JoinHandle;

use crate::db::jobs::CHANNEL;
use crate::error::Result;

/// Wakes waiting lease requests when jobs of their organisation are queued. Cheap to
/// clone; the listening task starts on first use and stops with the last clone.
#[derive(Clone, Default)]
pub struct Dispatcher {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// One wake-up per organisation that has had a waiter; organisations are few.
    waiters: Mutex<HashMap<String, Arc<Notify>>>,
    /// Woken when the listening connection was lost: notifications may have been missed.
    everyone: Notify,
    listener: OnceCell<JoinHandle<()>>,
    /// Lease requests waiting right now (for the benchmark and tests).
    waiting: AtomicUsize,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = self.listener.get() {
            task.abort();
        }
    }
}

/// What a lease request waits on: a wake-up for its organisation, or for everyone.
pub struct Waiter {
    organisation: Arc<Notify>,
    inner: Arc<Inner>,
}

impl Waiter {
    /// Both wake-ups, registered now.
    pub fn register(&self) -> Registered<'_> {
        let mut organisation = Box::pin(self.organisation.notified());
        organisation.as_mut().enable();
        let mut everyone = Box::pin(self.inner.everyone.notified());
        everyone.as_mut().enable();
        Registered {
            organisation,
            everyone,
            inner: &self.inner,
        }
    }
}

/// Wake-ups registered before a look at the queue.
pub struct Registered<'a> {
    organisation: std::pin::Pin<Box<tokio::sync::futures::Notified<'a>>>,
    everyone: std::pin::Pin<Box<tokio::sync::futures::Notified<'a>>>,
    inner: &'a Inner,
}

/// Counts a request as waiting while it lives.
struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Registered<'_> {
    pub async fn wait(self) {
        let Registered {
            organisation,
            everyone,
            inner,
        } = self;
        inner.waiting.fetch_add(1, Ordering::Relaxed);
        let _counted = Counted(&inner.waiting);
        tokio::select! {
            () = organisation => {},
            () = everyone => {},
        }
    }
}

impl Dispatcher {
    /// Starts listening (once per process) and returns the waiter for an organisation.
    pub async fn waiter(&self, db: &PgPool, organisation: &str) -> Result<Waiter> {
        self.start(db).await?;
        let notify = {
            let mut waiters = self
                .inner
                .waiters
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            waiters
                .entry(organisation.to_string())
                .or_insert_with(|| Arc::new(Notify::new()))
                .clone()
        };
        Ok(Waiter {
            organisation: notify,
            inner: self.inner.clone(),
        })
    }

    /// Opens the listening connection, once. Returns when `LISTEN` is in effect, so a job
    /// committed afterwards is always announced.
    pub async fn start(&self, db: &PgPool) -> Result<()> {
        self.inner
            .listener
            .get_or_try_init(|| async {
                let mut listener = PgListener::connect_with(db).await?;
                listener.listen(CHANNEL).await?;
                let inner = Arc::downgrade(&self.inner);
                Ok::<_, crate::error::Error>(tokio::spawn(listen(listener, inner)))
            })
            .await?;
        Ok(())
    }

    /// How many lease requests of this process are waiting for a job now.
    pub fn waiting(&self) -> usize {
        self.inner.waiting.load(Ordering::Relaxed)
    }

    /// Wakes the waiters of an organisation (what a notification does).
    fn wake(inner: &Inner, organisation: &str) {
        let notify = inner
            .waiters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(organisation)
            .cloned();
        if let Some(n) = notify {
            n.notify_waiters();
        }
    }
}

/// Receives notifications until the pool closes or the dispatcher is dropped. When the
/// connection drops, every waiter is woken (they look at the queue again) and the
/// listener reconnects on the next receive.
async fn listen(mut listener: PgListener, inner: std::sync::Weak<Inner>) {
    loop {
        let received = listener.try_recv().await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        match received {
            Ok(Some(notification)) => Dispatcher::wake(&inner, notification.payload()),
            Ok(None) => {
                tracing::warn!("job notifications: connection lost, reconnecting");
                inner.everyone.notify_waiters();
            }
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "job notifications: cannot receive; retrying");
                inner.everyone.notify_waiters();
                drop(inner);
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}
