//! `agora-hub digest`: preview one digest, send what is due, list failures.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::config::Config;
use crate::digest::period::{Period, parse_time_zone};
use crate::digest::render::{self, Links};
use crate::digest::{self, Mailer, content, outbox, signing};
use crate::error::{Error, Result};
use crate::i18n::Lang;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the digest a person would get for a workstream and period (subject and plain
    /// text), without sending it or recording anything.
    Preview {
        /// The workstream's slug.
        #[arg(long)]
        workstream: String,
        /// The person's e-mail address.
        #[arg(long)]
        user: String,
        /// A week (`2026-W48`) or a day (`2026-11-30`) in the person's time zone.
        #[arg(long)]
        period: String,
        /// Also write the HTML part to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// The language to write it in (`en`, `fr`, `es`); the person's own by default.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// Plan the digests that are due and hand them to the SMTP server, once, then exit.
    /// Safe to run beside `serve` replicas: rows are claimed with row locks.
    SendDue {
        /// Act as if it were this instant (RFC 3339), to send periods ended by then.
        #[arg(long, value_name = "TIME")]
        now: Option<DateTime<Utc>>,
    },
    /// List digests that failed for good (SMTP refused them, or retries ran out).
    Failures {
        /// Most rows shown.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

pub async fn run(config: Config, command: Command) -> Result<()> {
    let db = crate::app::pool(&config)?;
    crate::app::migrate(&db).await?;
    let config = Arc::new(config);
    match command {
        Command::Preview {
            workstream,
            user,
            period,
            html,
            lang,
        } => {
            let lang = lang
                .map(|code| {
                    Lang::from_code(&code)
                        .filter(|l| l.code() == code)
                        .ok_or_else(|| {
                            Error::invalid("lang", format!("`{code}` is not en, fr or es"))
                        })
                })
                .transpose()?;
            preview(&db, &config, &workstream, &user, &period, html, lang).await
        }
        Command::SendDue { now } => {
            let mailer = Mailer::new(&config.digest)?;
            let round =
                digest::run_once(&db, &config, &mailer, now.unwrap_or_else(Utc::now)).await?;
            let d = &round.delivered;
            println!(
                "planned {}, sent {}, nothing to say {}, cancelled {}, retry later {}, failed {}",
                round.planned, d.sent, d.empty, d.cancelled, d.deferred, d.failed
            );
            Ok(())
        }
        Command::Failures { limit } => {
            let rows = outbox::failures(&db, limit.clamp(1, 10_000)).await?;
            if rows.is_empty() {
                println!("no failed digests");
            }
            for f in rows {
                let at = f
                    .failed_at
                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default();
                println!(
                    "{at}  {}  {} {}  after {} attempt(s): {}",
                    f.recipient,
                    f.workstream,
                    f.period,
                    f.attempts,
                    f.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

async fn preview(
    db: &sqlx::PgPool,
    config: &Config,
    workstream: &str,
    email: &str,
    period: &str,
    html: Option<PathBuf>,
    lang: Option<Lang>,
) -> Result<()> {
    let mut conn = db.acquire().await?;
    let found: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT u.id, p.time_zone FROM users u \
         LEFT JOIN digest_preferences p ON p.user_id = u.id WHERE u.email = lower($1)",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((user_id, tz)) = found else {
        return Err(Error::invalid(
            "user",
            format!("no user with e-mail {email}"),
        ));
    };
    let tz = parse_time_zone(tz.as_deref().unwrap_or("UTC")).unwrap_or(chrono_tz::UTC);
    let period = Period::parse(period, tz).map_err(|e| Error::invalid("period", e))?;
    let Some(ws) = content::workstream(&mut conn, workstream).await? else {
        return Err(Error::invalid(
            "workstream",
            format!("no workstream `{workstream}`"),
        ));
    };
    let who = crate::auth::load_user(&mut *conn, user_id)
        .await?
        .ok_or_else(|| Error::invalid("user", format!("no user with e-mail {email}")))?;
    let silent_after = Duration::hours(i64::from(config.digest.silent_after_hours));
    let lang = match lang {
        Some(lang) => lang,
        None => crate::db::users::locale(&mut *conn, user_id).await?,
    };
    let content =
        content::collect_in(lang, &mut conn, &who.caller, &ws, &period, silent_after).await?;
    if content.is_empty() {
        println!(
            "nothing happened in {} {} that {email} may see: no digest would be sent",
            ws.code, period
        );
        return Ok(());
    }
    // A preview shows the link's shape; without a secret the token is a placeholder.
    let unsubscribe = match config.digest.secret() {
        Ok(secret) => signing::unsubscribe_url(&config.public_url(), secret, user_id, &ws.slug),
        Err(_) => format!(
            "{}digests/unsubscribe?u={user_id}&w={}&t=…",
            config.public_url(),
            ws.slug
        ),
    };
    let base = config
        .public_url()
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let rendered = render::render(&content, &Links { base, unsubscribe })?;
    println!("Subject: {}\n\n{}", rendered.subject, rendered.text);
    if let Some(path) = html {
        std::fs::write(&path, &rendered.html)?;
        eprintln!("HTML part written to {}", path.display());
    }
    Ok(())
}
