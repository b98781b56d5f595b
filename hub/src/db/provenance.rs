//! Agent provenance of synced items: which agent and source sent an item, under which key,
//! at which commit; and whether the source still lists it.

use sqlx::{AssertSqlSafe, FromRow, PgConnection};

use crate::error::Result;

/// Where an item sent by an agent came from. Saves given one stamp it on the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncProvenance {
    pub agent_id: i64,
    /// The agent's source, such as `mlflow-prod`.
    pub source: String,
    /// The item's stable key within the source.
    pub key: String,
    pub commit: Option<String>,
}

/// The tables that carry provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Projects,
    ModelCards,
    ModelVersions,
    Assessments,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::ModelCards => "model_cards",
            Self::ModelVersions => "model_versions",
            Self::Assessments => "assessments",
        }
    }
}

/// The SQL expression giving `org/name` of the agent of row alias `t`, or NULL.
pub(crate) fn agent_label(alias: &str) -> String {
    format!(
        "(SELECT ao.slug::text || '/' || a.name::text FROM agents a \
         JOIN organisations ao ON ao.id = a.organisation_id WHERE a.id = {alias}.agent_id)"
    )
}

/// The provenance stored on a row, read while the row is locked.
#[derive(Debug, Clone, Default, FromRow)]
pub(crate) struct Stored {
    pub agent_id: Option<i64>,
    pub source: Option<String>,
    pub source_key: Option<String>,
    pub commit_id: Option<String>,
    pub withdrawn: bool,
}

impl Stored {
    /// Reads the provenance of row `id` of `table`.
    pub async fn read(conn: &mut PgConnection, table: Table, id: i64) -> Result<Self> {
        // `table` is one of the crate's constants, never input.
        Ok(sqlx::query_as(AssertSqlSafe(format!(
            "SELECT agent_id, source, source_key, commit_id, withdrawn_at IS NOT NULL AS withdrawn \
             FROM {} WHERE id = $1",
            table.name()
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default())
    }

    fn holds_key(&self, p: &SyncProvenance) -> bool {
        self.agent_id == Some(p.agent_id)
            && self.source.as_deref() == Some(p.source.as_str())
            && self.source_key.as_deref() == Some(p.key.as_str())
    }

    /// Whether stamping `p` would change nothing.
    pub fn matches(&self, p: &SyncProvenance) -> bool {
        self.holds_key(p) && self.commit_id == p.commit && !self.withdrawn
    }
}

/// Stamps row `id` as sent by the agent (and listed again, if it was withdrawn). If another
/// row of the same agent and source held this key, the key now gives this item: the epoch's
/// completion withdraws the other one.
pub(crate) async fn stamp(
    conn: &mut PgConnection,
    table: Table,
    id: i64,
    _stored: &Stored,
    p: &SyncProvenance,
) -> Result<()> {
    let name = table.name();
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {name} SET origin = 'agent', agent_id = $2, source = $3, source_key = $4, \
         commit_id = $5, synced_at = now(), withdrawn_at = NULL WHERE id = $1"
    )))
    .bind(id)
    .bind(p.agent_id)
    .bind(&p.source)
    .bind(&p.key)
    .bind(&p.commit)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
