//! Delivering the digest outbox: one row per transaction, the row locked while its
//! message is handed to SMTP; and the list of failures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use sqlx::{FromRow, PgConnection, PgPool};

use crate::config::Config;
use crate::digest::compose::{Composed, Composing, compose_from};
use crate::digest::content::{self, PeriodEvents, WorkstreamInfo};
use crate::digest::mailer::{Envelope, Mailer, SendError};
use crate::digest::period::Period;
use crate::digest::plan::{message_host, zone};
use crate::error::{Error, Result};
use crate::i18n::Lang;

/// What one delivery round did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub sent: u64,
    /// Nothing happened that the subscriber may see: no message.
    pub empty: u64,
    /// Unsubscribed or paused since the row was planned: no message.
    pub cancelled: u64,
    /// Failed for now; tried again after a back-off.
    pub deferred: u64,
    pub failed: u64,
}

#[derive(FromRow)]
struct Claimed {
    id: i64,
    user_id: i64,
    workstream_id: i64,
    period: String,
    time_zone: String,
    message_id: String,
    attempts: i32,
    slug: String,
    code: String,
    title: String,
    /// The language of the subscriber's e-mails.
    locale: String,
    /// Still subscribed and not paused.
    active: bool,
}

enum Outcome {
    Sent,
    Empty,
    Cancelled,
    Deferred,
    Failed,
}

impl Outcome {
    /// The `outcome` label of `agora_digest_messages_total`.
    fn label(&self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Empty => "empty",
            Self::Cancelled => "cancelled",
            Self::Deferred => "deferred",
            Self::Failed => "failed",
        }
    }
}

/// The wait before attempt `attempts + 1`: `base · 2^(attempts-1)`, at most `max`.
pub fn backoff(attempts: i32, base_secs: u64, max_secs: u64) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let secs = base_secs.saturating_mul(1u64 << exp).min(max_secs);
    Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000))
}

/// Delivers every pending row whose time has come, `digest.concurrency` at a time. Each
/// row is tried at most once per call: an attempt either takes the row out of `pending` or
/// moves its `next_attempt_at` past `now`. Returns what happened.
pub async fn deliver(
    db: &PgPool,
    config: &Arc<Config>,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<Report> {
    config.digest.secret()?;
    let cache = Cache::default();
    let report = Arc::new(Mutex::new(Report::default()));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..config.digest.concurrency {
        let (db, config, mailer) = (db.clone(), config.clone(), mailer.clone());
        let (report, cache) = (report.clone(), cache.clone());
        workers.spawn(async move {
            loop {
                let outcome = deliver_one(&db, &config, &mailer, now, &cache).await?;
                let Some(outcome) = outcome else {
                    return Ok::<(), Error>(());
                };
                crate::metrics::global().digest(outcome.label());
                if let Ok(mut r) = report.lock() {
                    match outcome {
                        Outcome::Sent => r.sent += 1,
                        Outcome::Empty => r.empty += 1,
                        Outcome::Cancelled => r.cancelled += 1,
                        Outcome::Deferred => r.deferred += 1,
                        Outcome::Failed => r.failed += 1,
                    }
                }
            }
        });
    }
    let mut first_error = None;
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(e)) => first_error = first_error.or(Some(e)),
            Err(e) => first_error = first_error.or(Some(Error::Internal(e.to_string()))),
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let report = report.lock().map(|r| r.clone()).unwrap_or_default();
    Ok(report)
}

/// Claims one due row, renders it, sends it and records the outcome, in one transaction:
/// the row stays locked while the SMTP server takes the message.
async fn deliver_one(
    db: &PgPool,
    config: &Config,
    mailer: &Mailer,
    now: DateTime<Utc>,
    cache: &Cache,
) -> Result<Option<Outcome>> {
    let mut tx = db.begin().await?;
    let claimed: Option<Claimed> = sqlx::query_as(
        // The row is picked from the outbox alone (an index scan that stops at the first
        // unlocked row), then joined: joining first would read every pending row each time.
        "WITH o AS (SELECT * FROM digest_outbox \
                    WHERE state = 'pending' AND next_attempt_at <= $1 \
                    ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
         SELECT o.id, o.user_id, o.workstream_id, o.period, o.time_zone, o.message_id, \
                o.attempts, w.slug::text AS slug, w.code, w.title, u.locale, \
                (coalesce(s.frequency, 'off') <> 'off' AND NOT coalesce(p.paused, false)) AS active \
         FROM o JOIN workstreams w ON w.id = o.workstream_id \
         JOIN users u ON u.id = o.user_id \
         LEFT JOIN digest_subscriptions s \
                ON s.user_id = o.user_id AND s.workstream_id = o.workstream_id \
         LEFT JOIN digest_preferences p ON p.user_id = o.user_id",
    )
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = claimed else {
        tx.commit().await?;
        return Ok(None);
    };
    let outcome = attempt(&mut tx, config, mailer, &row, cache).await;
    let attempts = row.attempts + 1;
    let (state, error, outcome) = match outcome {
        Ok(Attempt::Sent { subject, recipient }) => {
            sqlx::query(
                "UPDATE digest_outbox SET state = 'sent', attempts = $2, subject = $3, \
                   recipient = $4, finished_at = now(), last_error = NULL WHERE id = $1",
            )
            .bind(row.id)
            .bind(attempts)
            .bind(subject)
            .bind(recipient)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Some(Outcome::Sent));
        }
        Ok(Attempt::Empty) => ("empty", None, Outcome::Empty),
        Ok(Attempt::Cancelled) => ("cancelled", None, Outcome::Cancelled),
        Err(SendError::Transient(e)) if attempts < config.digest.max_attempts => {
            let wait = backoff(
                attempts,
                config.digest.retry_base_secs,
                config.digest.retry_max_secs,
            );
            tracing::warn!(outbox = row.id, attempts, retry_in_secs = wait.num_seconds(), error = %e, "digest not sent; will retry");
            sqlx::query(
                "UPDATE digest_outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 \
                 WHERE id = $1",
            )
            .bind(row.id)
            .bind(attempts)
            .bind(&e)
            .bind(now.max(Utc::now()) + wait)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Some(Outcome::Deferred));
        }
        Err(e) => {
            tracing::error!(outbox = row.id, attempts, error = %e.message(), "digest failed for good");
            ("failed", Some(e.message().to_string()), Outcome::Failed)
        }
    };
    sqlx::query(
        "UPDATE digest_outbox SET state = $2, attempts = $3, last_error = $4, finished_at = now() \
         WHERE id = $1",
    )
    .bind(row.id)
    .bind(state)
    .bind(attempts)
    .bind(error)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(outcome))
}

/// The events of each (workstream, period) read during one delivery round: a closed
/// period's events are the same for all its subscribers, so they are read once.
#[derive(Clone, Default)]
struct Cache(Arc<Mutex<HashMap<PeriodKey, Arc<PeriodEvents>>>>);

/// (workstream id, period start, period end).
type PeriodKey = (i64, DateTime<Utc>, DateTime<Utc>);

enum Attempt {
    Sent { subject: String, recipient: String },
    Empty,
    Cancelled,
}

/// Builds the digest of a claimed row as its subscriber may read it now, and sends it.
/// Database errors count as transient: the row is tried again later.
async fn attempt(
    conn: &mut PgConnection,
    config: &Config,
    mailer: &Mailer,
    row: &Claimed,
    cache: &Cache,
) -> std::result::Result<Attempt, SendError> {
    let transient = |e: Error| SendError::Transient(format!("preparing the digest: {e}"));
    if !row.active {
        return Ok(Attempt::Cancelled);
    }
    let workstream = WorkstreamInfo {
        id: row.workstream_id,
        slug: row.slug.clone(),
        code: row.code.clone(),
        title: row.title.clone(),
    };
    let period = Period::parse(&row.period, zone(&row.time_zone)).map_err(SendError::Permanent)?;
    let silent_after = Duration::hours(i64::from(config.digest.silent_after_hours));
    let key = (workstream.id, period.start, period.end);
    let cached = cache.0.lock().ok().and_then(|c| c.get(&key).cloned());
    let all = match cached {
        Some(all) => all,
        None => {
            let all = Arc::new(
                content::fetch(conn, &workstream, &period, silent_after)
                    .await
                    .map_err(transient)?,
            );
            if let Ok(mut c) = cache.0.lock() {
                c.insert(key, all.clone());
            }
            all
        }
    };
    let lang = Lang::from_code(&row.locale).unwrap_or_default();
    let composed =
        match compose_from(conn, config, row.user_id, lang, &workstream, &period, &all).await {
            Ok(Some(composed)) => composed,
            Ok(None) => return Ok(Attempt::Empty),
            Err(Composing::Gone) => return Ok(Attempt::Cancelled),
            Err(Composing::Failed(e)) => return Err(e),
        };
    let Composed {
        to_name,
        to_address,
        unsubscribe,
        rendered,
    } = composed;
    let list_id = format!("{}.{}", workstream.slug, message_host(config));
    let message = mailer.message(
        &Envelope {
            to_name: &to_name,
            to_address: &to_address,
            message_id: &row.message_id,
            unsubscribe_url: &unsubscribe,
            list_id: &list_id,
        },
        &rendered,
    )?;
    mailer.send(message).await?;
    Ok(Attempt::Sent {
        subject: rendered.subject,
        recipient: to_address,
    })
}

/// A message that will not be sent, as administrators see it.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct Failure {
    pub id: i64,
    pub recipient: String,
    pub workstream: String,
    pub period: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub failed_at: Option<DateTime<Utc>>,
}

/// Messages that failed for good, newest first.
pub async fn failures(db: &PgPool, limit: i64) -> Result<Vec<Failure>> {
    Ok(sqlx::query_as(
        "SELECT o.id, u.email AS recipient, w.slug::text AS workstream, o.period, o.attempts, \
                o.last_error, o.finished_at AS failed_at \
         FROM digest_outbox o JOIN users u ON u.id = o.user_id \
         JOIN workstreams w ON w.id = o.workstream_id \
         WHERE o.state = 'failed' ORDER BY o.finished_at DESC, o.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_ceiling() {
        assert_eq!(backoff(1, 60, 3600).num_seconds(), 60);
        assert_eq!(backoff(2, 60, 3600).num_seconds(), 120);
        assert_eq!(backoff(4, 60, 3600).num_seconds(), 480);
        assert_eq!(backoff(10, 60, 3600).num_seconds(), 3600);
        assert_eq!(backoff(i32::MAX, 60, 3600).num_seconds(), 3600);
    }
}
