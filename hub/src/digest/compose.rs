//! Composing one digest as its subscriber may read it now: content, rendering and the
//! signed unsubscribe link.

use chrono::Duration;
use sqlx::PgConnection;

use crate::config::Config;
use crate::digest::content::{self, PeriodEvents, WorkstreamInfo};
use crate::digest::mailer::SendError;
use crate::digest::period::Period;
use crate::digest::render::{self, Links, Rendered};
use crate::digest::signing;
use crate::error::{Error, Result};
use crate::i18n::Lang;

/// A digest ready to be sent: to whom, and what, in the recipient's language.
#[derive(Debug, Clone)]
pub struct Composed {
    pub to_name: String,
    pub to_address: String,
    pub unsubscribe: String,
    pub rendered: Rendered,
}

pub(super) enum Composing {
    /// The subscriber is no longer there.
    Gone,
    Failed(SendError),
}

/// The digest of `workstream` over `period` that a subscriber would get now: what they may
/// read, in the language of their account. `None` when nothing happened that they may
/// see, or when they are gone.
pub async fn compose(
    conn: &mut PgConnection,
    config: &Config,
    user_id: i64,
    workstream: &WorkstreamInfo,
    period: &Period,
) -> Result<Option<Composed>> {
    let lang = crate::db::users::locale(&mut *conn, user_id).await?;
    let silent_after = Duration::hours(i64::from(config.digest.silent_after_hours));
    let all = content::fetch(conn, workstream, period, silent_after).await?;
    match compose_from(conn, config, user_id, lang, workstream, period, &all).await {
        Ok(composed) => Ok(composed),
        Err(Composing::Gone) => Ok(None),
        Err(Composing::Failed(e)) => Err(Error::Internal(e.message().to_string())),
    }
}

/// [`compose`] from the period's events, already read.
pub(super) async fn compose_from(
    conn: &mut PgConnection,
    config: &Config,
    user_id: i64,
    lang: Lang,
    workstream: &WorkstreamInfo,
    period: &Period,
    all: &PeriodEvents,
) -> std::result::Result<Option<Composed>, Composing> {
    let transient =
        |e: Error| Composing::Failed(SendError::Transient(format!("preparing the digest: {e}")));
    let Some(who) = crate::auth::load_user(&mut *conn, user_id)
        .await
        .map_err(transient)?
    else {
        return Err(Composing::Gone);
    };
    let Some(user) = who.user else {
        return Err(Composing::Gone);
    };
    let content = content::build(lang, &who.caller, workstream, period, all);
    if content.is_empty() {
        return Ok(None);
    }
    let secret = config.digest.secret().map_err(transient)?;
    let base = config
        .public_url()
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let unsubscribe =
        signing::unsubscribe_url(&config.public_url(), secret, user_id, &workstream.slug);
    let rendered = render::render(
        &content,
        &Links {
            base,
            unsubscribe: unsubscribe.clone(),
        },
    )
    .map_err(|e| Composing::Failed(SendError::Permanent(e.to_string())))?;
    Ok(Some(Composed {
        to_name: user.name,
        to_address: user.email,
        unsubscribe,
        rendered,
    }))
}
