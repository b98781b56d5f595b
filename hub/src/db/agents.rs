//! Agents: one per office deployment, each with a hashed token, and the counts of the sync
//! epochs they have sent.

use agora_schemas::sync::{EpochCounts, ItemResult};
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, PgConnection};
use utoipa::ToSchema;

use crate::db::PageRequest;
use crate::error::{Error, Result};

/// How agent tokens begin.
pub const TOKEN_PREFIX: &str = "agt_";

/// A new random token: `agt_` and 32 letters and digits (about 190 bits).
pub fn new_token() -> String {
    let tail: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    format!("{TOKEN_PREFIX}{tail}")
}

/// SHA-256 of a token, hex: what the hub stores and looks tokens up by.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An agent as the hub shows it: never its token, only the token's first characters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentInfo {
    pub organisation: String,
    pub name: String,
    /// The token's first characters, to tell tokens apart.
    pub token_prefix: String,
    /// The agent's version, from its last request's `User-Agent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What the agent can do (its sources and executors), from `Agora-Capabilities`.
    pub capabilities: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The latest epoch of each source.
    pub last_epochs: Vec<EpochInfo>,
}

/// One listing of one source, with its counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EpochInfo {
    pub source: String,
    pub epoch: String,
    pub counts: EpochCounts,
    /// Items refused in this epoch, with key, field and reason.
    pub rejected_items: Vec<ItemResult>,
    /// Items accepted in this epoch with warnings, each with its warnings' fields and reasons.
    pub warned_items: Vec<ItemResult>,
    pub started_at: DateTime<Utc>,
    /// Absent while the epoch is open (its listing has not been completed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
}

/// An agent with the history of its epochs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentDetail {
    #[serde(flatten)]
    pub agent: AgentInfo,
    /// Recent epochs of every source, newest first (at most 50).
    pub epochs: Vec<EpochInfo>,
}

/// The agent a token belongs to, as the sync routes need it.
#[derive(Debug, Clone, FromRow)]
pub struct TokenOwner {
    pub id: i64,
    pub organisation: String,
    pub name: String,
    pub version: Option<String>,
    pub capabilities: serde_json::Value,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

#[derive(FromRow)]
struct AgentRow {
    id: i64,
    organisation: String,
    name: String,
    token_prefix: String,
    version: Option<String>,
    capabilities: serde_json::Value,
    last_seen_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct EpochRow {
    agent_id: i64,
    source: String,
    epoch: String,
    added: i64,
    updated: i64,
    unchanged: i64,
    withdrawn: i64,
    rejected: i64,
    rejected_items: serde_json::Value,
    warned: i64,
    warned_items: serde_json::Value,
    started_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

impl EpochRow {
    fn into_info(self) -> EpochInfo {
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        EpochInfo {
            source: self.source,
            epoch: self.epoch,
            counts: EpochCounts {
                added: count(self.added),
                updated: count(self.updated),
                unchanged: count(self.unchanged),
                withdrawn: count(self.withdrawn),
                rejected: count(self.rejected),
                warned: count(self.warned),
            },
            rejected_items: serde_json::from_value(self.rejected_items).unwrap_or_default(),
            warned_items: serde_json::from_value(self.warned_items).unwrap_or_default(),
            started_at: self.started_at,
            completed_at: self.completed_at,
        }
    }
}

const SELECT_AGENTS: &str = "SELECT a.id, o.slug::text AS organisation, a.name::text, a.token_prefix, \
     a.version, a.capabilities, a.last_seen_at, a.revoked_at, a.created_at \
     FROM agents a JOIN organisations o ON o.id = a.organisation_id";

const SELECT_EPOCHS: &str = "SELECT agent_id, source, epoch, added, updated, unchanged, withdrawn, \
     rejected, rejected_items, warned, warned_items, started_at, completed_at FROM sync_epochs";

fn capabilities(value: serde_json::Value) -> Vec<String> {
    serde_json::from_value(value).unwrap_or_default()
}

impl AgentRow {
    fn into_info(self, last_epochs: Vec<EpochInfo>) -> AgentInfo {
        AgentInfo {
            organisation: self.organisation,
            name: self.name,
            token_prefix: self.token_prefix,
            version: self.version,
            capabilities: capabilities(self.capabilities),
            last_seen_at: self.last_seen_at,
            revoked: self.revoked_at.is_some(),
            revoked_at: self.revoked_at,
            created_at: self.created_at,
            last_epochs,
        }
    }
}

/// Creates an agent and returns its token: the only time the token is known.
pub async fn create(conn: &mut PgConnection, organisation: &str, name: &str) -> Result<String> {
    let org_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(organisation)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::invalid("org", format!("no organisation `{organisation}`")))?;
    let token = new_token();
    sqlx::query(
        "INSERT INTO agents (organisation_id, name, token_hash, token_prefix) VALUES ($1, $2, $3, $4)",
    )
    .bind(org_id)
    .bind(name)
    .bind(token_hash(&token))
    .bind(&token[..TOKEN_PREFIX.len() + 4])
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        Error::from(e).on_unique(
            "name",
            format!("agent `{organisation}/{name}` exists already"),
        )
    })?;
    Ok(token)
}

/// Revokes an agent's token; its requests are refused from then on. Returns false when
/// there is no such agent.
pub async fn revoke(conn: &mut PgConnection, organisation: &str, name: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE agents a SET revoked_at = coalesce(a.revoked_at, now()) FROM organisations o \
         WHERE o.id = a.organisation_id AND o.slug = $1 AND a.name = $2",
    )
    .bind(organisation)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The agent holding this token, revoked or not.
pub async fn by_token(conn: &mut PgConnection, token: &str) -> Result<Option<TokenOwner>> {
    Ok(sqlx::query_as(
        "SELECT a.id, o.slug::text AS organisation, a.name::text, a.version, a.capabilities, \
         a.last_seen_at, a.revoked_at IS NOT NULL AS revoked \
         FROM agents a JOIN organisations o ON o.id = a.organisation_id WHERE a.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&mut *conn)
    .await?)
}

/// Records the agent's contact, version and capabilities.
pub async fn touch(
    conn: &mut PgConnection,
    id: i64,
    version: Option<&str>,
    capabilities: &[String],
) -> Result<()> {
    sqlx::query(
        "UPDATE agents SET last_seen_at = now(), version = coalesce($2, version), \
         capabilities = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(version)
    .bind(serde_json::json!(capabilities))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn latest_epochs(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<EpochRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT ON (agent_id, source) * FROM ({SELECT_EPOCHS} WHERE agent_id = ANY($1)) e \
         ORDER BY agent_id, source, started_at DESC, epoch DESC"
    )))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?)
}

/// Every agent (of one organisation, if given), by organisation and name.
pub async fn list(conn: &mut PgConnection, organisation: Option<&str>) -> Result<Vec<AgentInfo>> {
    let rows: Vec<AgentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_AGENTS} WHERE ($1::text IS NULL OR o.slug = $1) ORDER BY o.slug, a.name"
    )))
    .bind(organisation)
    .fetch_all(&mut *conn)
    .await?;
    with_epochs(conn, rows).await
}

/// One page of the agents of `organisation` (or of all) among those of the organisations
/// `among` (all when `None`), by organisation and name, and how many there are in all.
pub async fn list_page(
    conn: &mut PgConnection,
    organisation: Option<&str>,
    among: Option<&[String]>,
    page: PageRequest,
) -> Result<(Vec<AgentInfo>, i64)> {
    const WHERE: &str = "WHERE ($1::text IS NULL OR o.slug = $1) \
         AND ($2::text[] IS NULL OR o.slug = ANY($2))";
    let rows: Vec<AgentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_AGENTS} {WHERE} ORDER BY o.slug, a.name LIMIT $3 OFFSET $4"
    )))
    .bind(organisation)
    .bind(among)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM agents a JOIN organisations o ON o.id = a.organisation_id {WHERE}"
    )))
    .bind(organisation)
    .bind(among)
    .fetch_one(&mut *conn)
    .await?;
    Ok((with_epochs(conn, rows).await?, total))
}

async fn with_epochs(conn: &mut PgConnection, rows: Vec<AgentRow>) -> Result<Vec<AgentInfo>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut epochs = latest_epochs(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = epochs
                .extract_if(.., |e| e.agent_id == r.id)
                .map(EpochRow::into_info)
                .collect();
            r.into_info(mine)
        })
        .collect())
}

/// One agent with its recent epochs.
pub async fn get(
    conn: &mut PgConnection,
    organisation: &str,
    name: &str,
) -> Result<Option<AgentDetail>> {
    let row: Option<AgentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_AGENTS} WHERE o.slug = $1 AND a.name = $2"
    )))
    .bind(organisation)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last = latest_epochs(conn, &[row.id])
        .await?
        .into_iter()
        .map(EpochRow::into_info)
        .collect();
    let epochs: Vec<EpochRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_EPOCHS} WHERE agent_id = $1 ORDER BY started_at DESC, epoch DESC LIMIT 50"
    )))
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(AgentDetail {
        agent: row.into_info(last),
        epochs: epochs.into_iter().map(EpochRow::into_info).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = new_token();
        assert!(a.starts_with("agt_") && a.len() == 36, "{a}");
        assert!(a[4..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, new_token());
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert_eq!(h, token_hash(&a));
    }
}
