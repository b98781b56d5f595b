//! Data access: one module per entity, functions over any `PgExecutor` so handlers,
//! commands and background work share them and transactions compose.

pub mod agents;
pub mod assessments;
pub mod benchmarks;
pub mod catalog;
pub mod events;
pub mod jobs;
pub mod keys;
pub mod memberships;
pub mod models;
pub mod organisations;
pub mod overview;
pub mod projects;
pub mod provenance;
pub mod qf4sa_filter;
pub mod results;
pub mod runs;
pub mod sync;
pub mod users;
pub mod workstreams;

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, PgConnection};

use crate::error::{Error, Result};

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// How a save treats an item that exists (or not) already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    /// Refuse (409) when the item exists.
    Create,
    /// Refuse (404) when the item does not exist.
    Replace,
    /// Create or replace.
    Upsert,
}

impl SaveMode {
    /// What saving an item does, given what is stored under its key: `None` when the
    /// stored item is already what would be saved. `what` names the item in errors
    /// (409 on `field` when creating over it, 404 when replacing nothing).
    pub(crate) fn outcome<T>(
        self,
        current: Option<&T>,
        unchanged: impl FnOnce(&T) -> bool,
        field: &str,
        what: &str,
    ) -> Result<Option<Outcome>> {
        match (current, self) {
            (Some(_), SaveMode::Create) => {
                Err(Error::conflict(field, format!("{what} exists already")))
            }
            (None, SaveMode::Replace) => Err(Error::NotFound(what.to_string())),
            (Some(c), _) if unchanged(c) => Ok(None),
            (Some(_), _) => Ok(Some(Outcome::Updated)),
            (None, _) => Ok(Some(Outcome::Created)),
        }
    }
}

/// A page of a list: 1-based page number and size.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub fn offset(&self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.per_page)
    }
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

/// Reads a stored enum value back through its serde name.
/// Why a value holding a NUL character is refused: PostgreSQL stores none in text or jsonb.
pub(crate) const NUL_REASON: &str =
    "contains a NUL character (\\u0000), which the hub cannot store; remove it";

pub(crate) fn parse_stored<T: DeserializeOwned>(column: &str, value: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|e| Error::Internal(format!("stored {column} `{value}` is unreadable: {e}")))
}

/// Reads a stored checked string (slug, language...) back.
pub(crate) fn parse_checked<T>(column: &str, value: String) -> Result<T>
where
    T: TryFrom<String, Error = String>,
{
    T::try_from(value).map_err(|e| Error::Internal(format!("stored {column} is unreadable: {e}")))
}

pub(crate) fn parse_all<T>(column: &str, values: Vec<String>) -> Result<Vec<T>>
where
    T: TryFrom<String, Error = String>,
{
    values
        .into_iter()
        .map(|v| parse_checked(column, v))
        .collect()
}

/// Resolves slugs to ids in one query; an unknown slug is a 422 naming `field[i]`.
pub(crate) async fn resolve_slugs(
    conn: &mut PgConnection,
    table: &'static str,
    field: &str,
    slugs: &[impl AsRef<str>],
) -> Result<Vec<i64>> {
    let wanted: Vec<String> = slugs.iter().map(|s| s.as_ref().to_string()).collect();
    // `table` is one of the crate's own constants, never input.
    let rows: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT slug::text, id FROM {table} WHERE slug = ANY($1)"
    )))
    .bind(&wanted)
    .fetch_all(&mut *conn)
    .await?;
    let found: HashMap<String, i64> = rows.into_iter().collect();
    let noun = table.trim_end_matches('s');
    wanted
        .iter()
        .enumerate()
        .map(|(i, slug)| {
            found.get(slug).copied().ok_or_else(|| {
                Error::invalid(format!("{field}[{i}]"), format!("no {noun} `{slug}`"))
            })
        })
        .collect()
}
