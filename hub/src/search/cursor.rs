//! The indexer's position in the event log, and what a catch-up did.

use serde::{Deserialize, Serialize};

/// A position in the event log: every event before (`tx`, `id`) has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    /// A transaction id (`xid8`).
    pub tx: u64,
    pub id: i64,
}

/// What one catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Events read.
    pub events: u64,
    /// Documents written or removed.
    pub documents: u64,
    /// Whether the index was rebuilt from scratch first.
    pub rebuilt: bool,
}
