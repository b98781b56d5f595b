//! Demo digest subscriptions: each demo person follows, weekly and in their own time zone,
//! the workstreams they lead or are members of, so `digest send-due` has people to write
//! to. Saved through the same preferences path as `/account/digests`; a person who already
//! has preferences (chosen on the account page since the last seeding) keeps them.

use agora_schemas::{
    DigestFrequency, DigestPreferencesInput, DigestSubscriptionInput, MembershipInput,
};
use chrono::Utc;
use sqlx::PgConnection;

use super::{DemoUser, Tally};
use crate::digest::preferences;
use crate::error::{Error, Result};
use crate::policy::Caller;

pub async fn seed(
    conn: &mut PgConnection,
    users: &[DemoUser],
    memberships: &[MembershipInput],
    tally: &mut Tally,
) -> Result<()> {
    for user in users {
        let subscriptions: Vec<DigestSubscriptionInput> = memberships
            .iter()
            .filter(|m| m.user.as_ref() == Some(&user.email))
            .map(|m| DigestSubscriptionInput {
                workstream: m.workstream.clone(),
                frequency: DigestFrequency::Weekly,
            })
            .collect();
        if subscriptions.is_empty() {
            continue;
        }
        let (user_id, chosen): (i64, bool) = sqlx::query_as(
            "SELECT u.id, EXISTS (SELECT 1 FROM digest_preferences p WHERE p.user_id = u.id) \
             FROM users u WHERE u.email = $1",
        )
        .bind(user.email.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::Demo(format!("person {} was not saved", user.email)))?;
        if chosen {
            tally.unchanged += 1;
            continue;
        }
        let input = DigestPreferencesInput {
            time_zone: user.time_zone.clone(),
            paused: false,
            subscriptions,
        };
        preferences::save(conn, &Caller::system(), user_id, &input, Utc::now()).await?;
        tally.created += 1;
    }
    Ok(())
}
