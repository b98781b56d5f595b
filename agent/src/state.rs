//! The sync state of each source: the key and content hash of every item the hub accepted,
//! so an unchanged item is not sent again, and the items refused at the last sync, so they
//! are read and sent again until they are accepted or gone.
//!
//! The state follows the spool: an item's hash is recorded once the batch carrying it is
//! safely in the spool (from where it is delivered, however often the agent is stopped),
//! and taken out again when the hub answers that it refused the item; keys are pruned once
//! the epoch completion is spooled. A crash between two of these steps only makes the next
//! sync send an item again, which the hub answers with `unchanged` (or refuses again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::spool::write_atomic_with;

/// What the agent remembers of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Hex SHA-256 of the payload as sent (after the release filter).
    pub hash: String,
    /// A source-specific marker of the item's version (MLflow: its last update time), used
    /// to skip reading items that did not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<String>,
}

/// An item that was not accepted: why, as the hub or the agent said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

/// The state of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    /// Items the hub accepted (or that wait in the spool for it), with the hash it holds.
    #[serde(default)]
    pub items: BTreeMap<String, Entry>,
    /// Items refused by the hub or by the agent, or held back, at the last sync. They are
    /// never in `items`, so the next sync reads and sends them again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub refused: BTreeMap<String, Refused>,
    /// Source-specific positions, such as MLflow's update-time watermark.
    #[serde(default)]
    pub cursor: BTreeMap<String, String>,
}

impl SourceState {
    pub fn path(spool_dir: &Path, source: &str) -> PathBuf {
        spool_dir.join("state").join(format!("{source}.json"))
    }

    /// Reads the state; a missing file is an empty state, and so is an unreadable one
    /// (with a warning): the next sync then sends everything, which the hub absorbs.
    pub fn load(spool_dir: &Path, source: &str) -> Result<Self> {
        let path = Self::path(spool_dir, source);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e,
                    "the sync state is unreadable: every item will be sent again");
                Self::default()
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the state atomically (temporary file, fsync, rename, fsync of the folder).
    pub fn save(&self, spool_dir: &Path, source: &str) -> Result<()> {
        let path = Self::path(spool_dir, source);
        write_atomic_with(&path, |w| {
            serde_json::to_writer(w, self).map_err(std::io::Error::other)
        })
    }

    /// Whether `hash` is what was last sent for `key`.
    pub fn unchanged(&self, key: &str, hash: &str) -> bool {
        self.items.get(key).is_some_and(|e| e.hash == hash)
    }

    /// The stamp recorded for `key`.
    pub fn stamp(&self, key: &str) -> Option<&str> {
        self.items.get(key).and_then(|e| e.stamp.as_deref())
    }

    /// Whether an item whose key starts with `prefix` was refused.
    pub fn refused_under(&self, prefix: &str) -> bool {
        self.refused
            .range(prefix.to_string()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(prefix))
    }

    /// Takes items the hub refused out of the state (they are sent again next time) and
    /// records why.
    pub fn mark_refused<'a>(&mut self, refused: impl IntoIterator<Item = (&'a str, Refused)>) {
        for (key, why) in refused {
            self.items.remove(key);
            self.refused.insert(key.to_string(), why);
        }
    }

    /// Keys starting with `prefix`, in order.
    pub fn keys_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a String> {
        self.items
            .range(prefix.to_string()..)
            .map(|(k, _)| k)
            .take_while(move |k| k.starts_with(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_finds_keys_by_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SourceState::default();
        for k in ["m/a", "m/a/v/1", "m/a/v/2", "m/b", "m/b/v/1"] {
            s.items.insert(
                k.into(),
                Entry {
                    hash: format!("h-{k}"),
                    stamp: Some("1".into()),
                },
            );
        }
        s.cursor.insert("watermark".into(), "42".into());
        s.save(dir.path(), "ml").unwrap();
        let back = SourceState::load(dir.path(), "ml").unwrap();
        assert_eq!(back, s);
        assert!(back.unchanged("m/a", "h-m/a"));
        assert!(!back.unchanged("m/a", "other"));
        let keys: Vec<&String> = back.keys_with_prefix("m/a/v/").collect();
        assert_eq!(keys, ["m/a/v/1", "m/a/v/2"]);
        assert!(!back.refused_under("m/a/v/"));
    }

    #[test]
    fn a_refused_item_leaves_the_accepted_ones_and_is_found_by_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SourceState::default();
        for k in ["m/a", "m/a/v/1", "m/b"] {
            s.items.insert(
                k.into(),
                Entry {
                    hash: "h".into(),
                    stamp: None,
                },
            );
        }
        let why = Refused {
            field: Some("version".into()),
            reason: "bad".into(),
        };
        s.mark_refused([("m/a/v/1", why.clone())]);
        assert!(!s.items.contains_key("m/a/v/1"));
        assert!(!s.unchanged("m/a/v/1", "h"));
        assert!(s.refused_under("m/a/v/"));
        assert!(!s.refused_under("m/b/v/"));
        s.save(dir.path(), "ml").unwrap();
        let back = SourceState::load(dir.path(), "ml").unwrap();
        assert_eq!(back.refused["m/a/v/1"], why);
        // A state written before refusals were recorded still reads.
        let old: SourceState =
            serde_json::from_str(r#"{"items":{"k":{"hash":"h"}},"cursor":{}}"#).unwrap();
        assert!(old.refused.is_empty());
    }

    #[test]
    fn a_missing_or_corrupt_state_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            SourceState::load(dir.path(), "x").unwrap(),
            SourceState::default()
        );
        let path = SourceState::path(dir.path(), "x");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(
            SourceState::load(dir.path(), "x").unwrap(),
            SourceState::default()
        );
    }
}
