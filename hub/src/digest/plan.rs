//! Planning: every subscription whose period has ended gets one outbox row for it.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::{FromRow, PgPool};

use super::period::{Frequency, Period, parse_time_zone};
use super::signing;
use crate::config::Config;
use crate::error::Result;

/// Subscriptions planned per statement.
const PLAN_BATCH: i64 = 500;

#[derive(FromRow)]
struct DueSubscription {
    id: i64,
    user_id: i64,
    workstream_id: i64,
    workstream: String,
    frequency: String,
    time_zone: String,
}

/// The host part of Message-IDs: the hub's public host name.
pub(super) fn message_host(config: &Config) -> String {
    config
        .public_url()
        .host_str()
        .unwrap_or("localhost")
        .to_string()
}

pub(super) fn zone(name: &str) -> Tz {
    // A zone that was valid when saved and is unknown now (a renamed zone): read as UTC.
    parse_time_zone(name).unwrap_or(chrono_tz::UTC)
}

/// Turns every subscription due at `now` into an outbox row for its last complete period,
/// and moves it on to the end of the period under way. Subscriptions are claimed with
/// `FOR UPDATE SKIP LOCKED`; the outbox row is unique per (user, workstream, period), so a
/// subscription planned twice still gives one row. Returns the rows made.
pub async fn plan(db: &PgPool, config: &Config, now: DateTime<Utc>) -> Result<u64> {
    let secret = config.digest.secret()?;
    let host = message_host(config);
    let mut made = 0;
    loop {
        let mut tx = db.begin().await?;
        let due: Vec<DueSubscription> = sqlx::query_as(
            "WITH s AS (SELECT s.id, s.user_id, s.workstream_id, s.frequency \
                        FROM digest_subscriptions s \
                        WHERE s.next_due_at <= $1 \
                          AND NOT EXISTS (SELECT 1 FROM digest_preferences p \
                                          WHERE p.user_id = s.user_id AND p.paused) \
                        ORDER BY s.next_due_at, s.id LIMIT $2 FOR UPDATE SKIP LOCKED) \
             SELECT s.id, s.user_id, s.workstream_id, w.slug::text AS workstream, s.frequency, \
                    coalesce(p.time_zone, 'UTC') AS time_zone \
             FROM s JOIN workstreams w ON w.id = s.workstream_id \
             LEFT JOIN digest_preferences p ON p.user_id = s.user_id",
        )
        .bind(now)
        .bind(PLAN_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if due.is_empty() {
            tx.commit().await?;
            return Ok(made);
        }
        for s in &due {
            let Ok(frequency) = s.frequency.parse::<Frequency>() else {
                continue;
            };
            let tz = zone(&s.time_zone);
            let period = Period::last_complete(now, tz, frequency);
            let label = period.label();
            let message_id = signing::message_id(secret, s.user_id, &s.workstream, &label, &host);
            let inserted = sqlx::query(
                "INSERT INTO digest_outbox (user_id, workstream_id, period, period_start, \
                   period_end, time_zone, message_id, next_attempt_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (user_id, workstream_id, period) DO NOTHING",
            )
            .bind(s.user_id)
            .bind(s.workstream_id)
            .bind(&label)
            .bind(period.start)
            .bind(period.end)
            .bind(tz.name())
            .bind(&message_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            made += inserted.rows_affected();
            let next = Period::containing(now, tz, frequency);
            sqlx::query("UPDATE digest_subscriptions SET next_due_at = $2 WHERE id = $1")
                .bind(s.id)
                .bind(next.end)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
}
