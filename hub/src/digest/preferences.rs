//! Reading and saving a person's digest preferences, and the one-click unsubscribe.

use agora_schemas::{
    DigestFrequency, DigestPreferences, DigestPreferencesInput, DigestSubscription, Slug,
    Visibility,
};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};

use super::period::{Frequency, Period, parse_time_zone};
use crate::error::{Error, Result};
use crate::policy::Caller;

#[derive(FromRow)]
struct SubscriptionRow {
    workstream: String,
    code: String,
    title: String,
    frequency: String,
}

fn frequency_of(s: &str) -> DigestFrequency {
    match s {
        "daily" => DigestFrequency::Daily,
        "weekly" => DigestFrequency::Weekly,
        _ => DigestFrequency::Off,
    }
}

/// The preferences of a person (defaults when they never saved any).
pub async fn get(conn: &mut PgConnection, user_id: i64) -> Result<DigestPreferences> {
    let prefs: Option<(String, bool)> =
        sqlx::query_as("SELECT time_zone, paused FROM digest_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (time_zone, paused) = prefs.unwrap_or_else(|| ("UTC".into(), false));
    let rows: Vec<SubscriptionRow> = sqlx::query_as(
        "SELECT w.slug::text AS workstream, w.code, w.title, s.frequency \
         FROM digest_subscriptions s JOIN workstreams w ON w.id = s.workstream_id \
         WHERE s.user_id = $1 ORDER BY w.code, w.slug",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let subscriptions = rows
        .into_iter()
        .filter_map(|r| {
            Some(DigestSubscription {
                workstream: Slug::parse(r.workstream).ok()?,
                code: r.code,
                title: r.title,
                frequency: frequency_of(&r.frequency),
            })
        })
        .collect();
    Ok(DigestPreferences {
        time_zone,
        paused,
        subscriptions,
    })
}

#[derive(FromRow)]
struct Existing {
    workstream_id: i64,
    frequency: String,
}

/// Replaces a person's preferences. Workstreams left out are turned off. A subscription
/// whose frequency or time zone changes, or that comes back from a pause, starts with the
/// period under way; an unchanged one keeps its schedule.
pub async fn save(
    conn: &mut PgConnection,
    caller: &Caller,
    user_id: i64,
    input: &DigestPreferencesInput,
    now: DateTime<Utc>,
) -> Result<DigestPreferences> {
    let tz = parse_time_zone(input.time_zone.trim()).map_err(|e| Error::invalid("time_zone", e))?;
    let mut workstream_ids = Vec::with_capacity(input.subscriptions.len());
    for (i, s) in input.subscriptions.iter().enumerate() {
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT id, visibility::text FROM workstreams WHERE slug = $1")
                .bind(s.workstream.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        let readable = found.as_ref().is_some_and(|(_, vis)| {
            vis.parse::<Visibility>()
                .is_ok_and(|v| caller.can_read(v, &[] as &[&str]))
        });
        match found {
            Some((id, _)) if readable => workstream_ids.push(id),
            _ => {
                return Err(Error::invalid(
                    format!("subscriptions[{i}].workstream"),
                    format!("no workstream `{}`", s.workstream),
                ));
            }
        }
    }
    let before: Option<(String, bool)> = sqlx::query_as(
        "SELECT time_zone, paused FROM digest_preferences WHERE user_id = $1 FOR UPDATE",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (old_tz, old_paused) = before.unwrap_or_else(|| ("UTC".into(), false));
    let reschedule_all = old_tz != tz.name() || (old_paused && !input.paused);
    sqlx::query(
        "INSERT INTO digest_preferences (user_id, time_zone, paused) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, \
           paused = EXCLUDED.paused, updated_at = now()",
    )
    .bind(user_id)
    .bind(tz.name())
    .bind(input.paused)
    .execute(&mut *conn)
    .await?;
    let existing: Vec<Existing> = sqlx::query_as(
        "SELECT workstream_id, frequency FROM digest_subscriptions WHERE user_id = $1 FOR UPDATE",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for (s, id) in input.subscriptions.iter().zip(&workstream_ids) {
        let old = existing.iter().find(|e| e.workstream_id == *id);
        let unchanged = old.is_some_and(|o| o.frequency == s.frequency.as_str());
        if unchanged && !reschedule_all {
            continue;
        }
        set_frequency(conn, user_id, *id, s.frequency, tz, now).await?;
    }
    for e in &existing {
        if !workstream_ids.contains(&e.workstream_id) && e.frequency != "off" {
            set_frequency(
                conn,
                user_id,
                e.workstream_id,
                DigestFrequency::Off,
                tz,
                now,
            )
            .await?;
        }
    }
    get(conn, user_id).await
}

/// Sets one subscription's frequency; a running one is due at the end of the period
/// under way in `tz`.
async fn set_frequency(
    conn: &mut PgConnection,
    user_id: i64,
    workstream_id: i64,
    frequency: DigestFrequency,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<()> {
    let due = match frequency {
        DigestFrequency::Daily => Some(Period::containing(now, tz, Frequency::Daily).end),
        DigestFrequency::Weekly => Some(Period::containing(now, tz, Frequency::Weekly).end),
        DigestFrequency::Off => None,
    };
    sqlx::query(
        "INSERT INTO digest_subscriptions (user_id, workstream_id, frequency, next_due_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, workstream_id) DO UPDATE \
           SET frequency = EXCLUDED.frequency, next_due_at = EXCLUDED.next_due_at",
    )
    .bind(user_id)
    .bind(workstream_id)
    .bind(frequency.as_str())
    .bind(due)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Turns off a person's digest of one workstream (the signed link's action). Returns the
/// workstream's title, or `None` when there is no such workstream.
pub async fn unsubscribe(
    conn: &mut PgConnection,
    user_id: i64,
    workstream: &str,
) -> Result<Option<String>> {
    let title: Option<(i64, String)> =
        sqlx::query_as("SELECT id, code || ' ' || title FROM workstreams WHERE slug = $1")
            .bind(workstream)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, title)) = title else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE digest_subscriptions SET frequency = 'off', next_due_at = NULL \
         WHERE user_id = $1 AND workstream_id = $2",
    )
    .bind(user_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(title))
}
