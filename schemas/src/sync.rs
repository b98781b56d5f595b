//! The sync protocol between an agent and the hub.
//!
//! An agent lists a source completely (one *epoch*), sends the items whose content hash
//! changed since its last sync in batches (`POST /api/v1/agent/sync/batches`), then closes
//! the epoch with the full list of keys it saw
//! (`POST /api/v1/agent/sync/epochs/{epoch}/complete`). Only then does the hub mark the
//! source's items missing from that list as withdrawn. A listing that fails part-way
//! closes no epoch and withdraws nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::Slug;
use crate::model::ModelVersionInput;
use crate::validate::{self, FieldError, Validate};
pub use crate::warning::ItemWarning;

/// The protocol version agents send as `Agora-Protocol`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Most items in one batch.
pub const MAX_BATCH_ITEMS: usize = 500;

/// What an item is; its payload is decoded as the matching input type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Payload: [`crate::ProjectInput`].
    Project,
    /// Payload: [`crate::ModelCardInput`].
    ModelCard,
    /// Payload: [`SyncModelVersion`].
    ModelVersion,
    /// Payload: [`crate::SyncAssessment`] (read from a `qf4sa.yaml`).
    Assessment,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::ModelCard => "model_card",
            Self::ModelVersion => "model_version",
            Self::Assessment => "assessment",
        }
    }
}

/// A version of one of the agent organisation's models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct SyncModelVersion {
    /// The model's name within the agent's organisation.
    pub model: Slug,
    pub version: ModelVersionInput,
}

impl Validate for SyncModelVersion {
    fn validate(&self) -> Result<(), FieldError> {
        self.version
            .validate()
            .map_err(|e| FieldError::new(format!("version.{}", e.field), e.message))
    }
}

/// One item of a source, as the agent lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct SyncItem {
    /// Stable key of the item within its source, such as `models/naf-coder/versions/3`.
    pub key: String,
    /// Hex SHA-256 of the payload as sent: an item whose hash has not changed is not sent.
    pub hash: String,
    pub kind: ItemKind,
    /// The item, decoded by the hub as the input type of `kind`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    /// The git commit the item was read at, for items read from a repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// A batch of changed items. Sending the same `batch_id` again does nothing more and
/// returns the first answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct SyncBatch {
    /// Idempotency key chosen by the agent (a UUID).
    pub batch_id: String,
    /// The source's name in the agent's configuration, such as `mlflow-prod`.
    pub source: Slug,
    /// The listing this batch belongs to.
    pub epoch: String,
    pub items: Vec<SyncItem>,
}

/// An item's key: not blank, at most 512 characters, and no NUL (which PostgreSQL cannot
/// store).
fn key_text(field: &str, value: &str) -> Result<(), FieldError> {
    validate::text(field, value, 512)?;
    if value.contains('\0') {
        return Err(FieldError::new(field, "must not contain a NUL character"));
    }
    Ok(())
}

fn check_token(field: &str, value: &str) -> Result<(), FieldError> {
    validate::text(field, value, 128)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "use letters, digits, `-`, `_`, `.` and `:` only",
        ))
    }
}

impl Validate for SyncBatch {
    fn validate(&self) -> Result<(), FieldError> {
        check_token("batch_id", &self.batch_id)?;
        check_token("epoch", &self.epoch)?;
        if self.items.len() > MAX_BATCH_ITEMS {
            return Err(FieldError::new(
                "items",
                format!("must have at most {MAX_BATCH_ITEMS} entries"),
            ));
        }
        let mut keys = std::collections::HashSet::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            // A NUL in a key refuses that item, never the batch (the hub answers it).
            validate::text(&format!("items[{i}].key"), &item.key, 512)?;
            let hex = item.hash.len() == 64 && item.hash.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return Err(FieldError::new(
                    format!("items[{i}].hash"),
                    "must be a hex SHA-256 (64 characters)",
                ));
            }
            if let Some(commit) = &item.commit {
                check_token(&format!("items[{i}].commit"), commit)?;
            }
            if !keys.insert(item.key.as_str()) {
                return Err(FieldError::new(format!("items[{i}].key"), "is repeated"));
            }
        }
        Ok(())
    }
}

/// What the hub did with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ItemOutcome {
    Added,
    Updated,
    Unchanged,
    Rejected,
}

/// The hub's answer for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemResult {
    pub key: String,
    pub outcome: ItemOutcome,
    /// For a rejected item: the field at fault, as a path in the payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a rejected item: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For an accepted item: values kept as written that the hub could not use (for a
    /// facet, a link...), each with its field path and why. Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ItemWarning>,
}

/// The hub's answer to a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    pub batch_id: String,
    /// True when this batch had been received before and nothing was applied again.
    pub replayed: bool,
    pub results: Vec<ItemResult>,
}

/// Closes an epoch: every key the listing saw, sent or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct EpochCompletion {
    pub source: Slug,
    /// All keys of the complete listing. Items of this source missing from it are
    /// marked withdrawn (kept, flagged, hidden from search), never deleted.
    pub keys: Vec<String>,
    /// Items the agent listed but could not read (a malformed manifest...), with the
    /// field and the reason. They are not sent; the hub counts and shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<ItemResult>,
}

impl Validate for EpochCompletion {
    fn validate(&self) -> Result<(), FieldError> {
        if self.keys.len() > 1_000_000 {
            return Err(FieldError::new("keys", "must have at most 1000000 entries"));
        }
        for (i, key) in self.keys.iter().enumerate() {
            key_text(&format!("keys[{i}]"), key)?;
        }
        if self.rejected.len() > 10_000 {
            return Err(FieldError::new(
                "rejected",
                "must have at most 10000 entries",
            ));
        }
        for (i, r) in self.rejected.iter().enumerate() {
            key_text(&format!("rejected[{i}].key"), &r.key)?;
            validate::optional_text(&format!("rejected[{i}].field"), r.field.as_deref(), 512)?;
            validate::optional_text(&format!("rejected[{i}].reason"), r.reason.as_deref(), 2_000)?;
        }
        Ok(())
    }
}

/// Counts of one epoch of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpochCounts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub withdrawn: u64,
    pub rejected: u64,
    /// Items accepted with warnings (values kept as written that the hub could not use).
    #[serde(default)]
    pub warned: u64,
}

/// The hub's answer to an epoch completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpochSummary {
    pub source: Slug,
    pub epoch: String,
    pub counts: EpochCounts,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{DecodeError, from_json};

    fn batch(items: serde_json::Value) -> String {
        serde_json::json!({"batch_id": "b-1", "source": "mlflow-prod", "epoch": "e1", "items": items})
            .to_string()
    }

    #[test]
    fn a_batch_decodes_and_checks_its_items() {
        let hash = "a".repeat(64);
        let ok = batch(
            serde_json::json!([{"key": "k", "hash": hash, "kind": "model_card", "payload": {}}]),
        );
        assert!(from_json::<SyncBatch>(ok.as_bytes()).is_ok());
        let bad_hash =
            batch(serde_json::json!([{"key": "k", "hash": "x", "kind": "project", "payload": {}}]));
        match from_json::<SyncBatch>(bad_hash.as_bytes()) {
            Err(DecodeError::Invalid(e)) => assert_eq!(e.field, "items[0].hash"),
            other => panic!("{other:?}"),
        }
        let repeated = batch(serde_json::json!([
            {"key": "k", "hash": hash, "kind": "project", "payload": {}},
            {"key": "k", "hash": hash, "kind": "project", "payload": {}}
        ]));
        match from_json::<SyncBatch>(repeated.as_bytes()) {
            Err(DecodeError::Invalid(e)) => assert_eq!(e.field, "items[1].key"),
            other => panic!("{other:?}"),
        }
    }
}
