//! E-mail digests of workstream progress.
//!
//! A person follows workstreams daily or weekly ([`preferences`]); periods are local days
//! or ISO weeks in the person's time zone ([`period`]). Each round of the scheduler
//! ([`run_once`]) first *plans* ([`plan`]): subscriptions whose period has ended are claimed with
//! `FOR UPDATE SKIP LOCKED` and get one outbox row per (subscriber, workstream, period),
//! unique in the database. It then *delivers* ([`outbox`]): pending rows are claimed one per
//! transaction with `FOR UPDATE SKIP LOCKED`, the digest is collected from the event log as
//! that subscriber may read it ([`content`], through the policy's `can_read`), rendered
//! ([`render`]), handed to SMTP ([`mailer`]) and the row marked `sent` — all while the row
//! stays locked, so another replica skips it. A digest with nothing to say is marked
//! `empty` and sends nothing. Transient SMTP failures (server unreachable, 4xx) are retried
//! with exponential back-off; permanent ones (5xx) and rows out of attempts are marked
//! `failed` and listed for administrators (`GET /api/v1/digests/failures`,
//! `agora-hub digest failures`).
//!
//! # What is guaranteed
//!
//! * **Never two messages from two schedulers.** A row is locked from claim to record;
//!   a concurrent scheduler skips it, and after the commit it is no longer pending.
//! * **Never two rows for one period.** `(user, workstream, period)` is unique.
//! * **No message is lost**: a row leaves `pending` only in the transaction that records
//!   what happened to it; a crash before that commit rolls the row back to `pending`.
//! * **A crash between SMTP acceptance and recording sends the message again.** If the
//!   hub dies (or loses its database connection) after the server answered 250 to the
//!   message and before the `sent` state commits, the row is still `pending` and the next
//!   round sends it once more. SMTP has no idempotency key, so no sender can close this
//!   window; delivery is therefore *at least once*, and *exactly once* whenever no such
//!   crash happens. The repeat carries the same `Message-ID` (fixed when the row was
//!   planned, derived from subscriber, workstream and period), the same subject and the
//!   same content (the period is closed), so mail stores that deduplicate by Message-ID
//!   show it once. The window is one SMTP round trip plus one `UPDATE … COMMIT`.

pub mod compose;
pub mod content;
pub mod mailer;
pub mod outbox;
pub mod period;
pub mod plan;
pub mod preferences;
pub mod render;
pub mod signing;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::config::Config;
use crate::error::Result;
use crate::shutdown::Shutdown;

pub use mailer::Mailer;
pub use outbox::Report;

/// What one round did: rows planned, then what delivery did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Round {
    pub planned: u64,
    #[serde(flatten)]
    pub delivered: Report,
}

/// One round: plan what is due at `now`, then deliver what is pending.
pub async fn run_once(
    db: &PgPool,
    config: &Arc<Config>,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<Round> {
    let planned = plan::plan(db, config, now).await?;
    let delivered = outbox::deliver(db, config, mailer, now).await?;
    Ok(Round { planned, delivered })
}

/// The scheduler inside `serve`: a round every `digest.interval_secs`, until a stop is
/// asked for. A round under way on SIGTERM goes on for up to `grace`, so rows being sent
/// are recorded; past it the round is dropped and its open transaction rolls back (the
/// row stays pending and is sent by the next round, see above). Returns `None` (and says
/// why) when digests are disabled or cannot be signed.
pub fn spawn_scheduler(
    db: PgPool,
    config: Arc<Config>,
    shutdown: Shutdown,
    grace: Duration,
) -> Option<tokio::task::JoinHandle<()>> {
    if !config.digest.enabled {
        tracing::info!("digest scheduler disabled (`digest.enabled = false`)");
        return None;
    }
    if config.digest.secret.is_none() {
        tracing::warn!(
            "digest scheduler not started: set `digest.secret` (AGORA_DIGEST__SECRET) to send digests"
        );
        return None;
    }
    let mailer = match Mailer::new(&config.digest) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "digest scheduler not started");
            return None;
        }
    };
    let every = Duration::from_secs(config.digest.interval_secs);
    tracing::info!(interval_secs = every.as_secs(), smtp = %config.digest.smtp.host, "digest scheduler started");
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = shutdown.requested() => break,
            }
            let round = run_once(&db, &config, &mailer, Utc::now());
            tokio::pin!(round);
            let finished = tokio::select! {
                r = &mut round => r,
                () = shutdown.requested() => {
                    tracing::info!(grace_secs = grace.as_secs(), "stopping: letting the digest round finish");
                    match tokio::time::timeout(grace, &mut round).await {
                        Ok(r) => r,
                        Err(_) => {
                            tracing::warn!("digest round cut short by the shutdown grace period; pending rows go to the next round");
                            break;
                        }
                    }
                }
            };
            match finished {
                Ok(round) if round != Round::default() => {
                    tracing::info!(?round, "digest round");
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "digest round failed; trying again next round")
                }
            }
        }
        tracing::info!("digest scheduler stopped");
    }))
}
