//! Events: one per change, feeding activity pages, digests, the audit log and search.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Something that happened on the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who made the change: a user's e-mail, `agent:<org>/<name>`, or `system`.
    pub actor: String,
    /// What happened, such as `project.created` or `model_version.created`.
    pub kind: String,
    /// The kind of item changed, such as `project`.
    pub subject_kind: String,
    /// The item's key, such as `imf-ts-coding` or `insee/naf-coder/3`.
    pub subject: String,
    /// A line a person can read, such as "INSEE moved Activity coding to production".
    pub summary: String,
    pub workstreams: Vec<String>,
    pub organisations: Vec<String>,
}
