//! Sources: where the agent reads items. Each lists its items completely, with stable keys,
//! into a [`Sink`]: the sync's collector, which filters, hashes and batches them.

pub mod card;
pub mod config;
pub mod folder;
pub mod git;
pub mod manifest;
pub mod mlflow;
mod rejection;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use agora_schemas::Slug;
use agora_schemas::sync::ItemKind;

use self::config::{SourceDef, SourceDetail};
use crate::error::Result;
use crate::state::SourceState;

/// An item read from a source, before the release filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub key: String,
    pub kind: ItemKind,
    pub payload: serde_json::Value,
    /// The git commit the item was read at.
    pub commit: Option<String>,
    /// A marker of the item's version at the source (see [`crate::state::Entry::stamp`]).
    pub stamp: Option<String>,
    /// The key of the item this one cannot be accepted without (a model version's card):
    /// while that item is refused and the hub holds no earlier copy of it, this one waits.
    pub needs: Option<String>,
    /// What the source read but could not use (a card without metadata), reported by the
    /// agent when the item is listed; the hub's own warnings come with its answer.
    pub warnings: Vec<agora_schemas::sync::ItemWarning>,
}

/// What a listing yields for one key.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// An item read in full.
    Item(Listed),
    /// An item the source still lists and knows to be unchanged without reading it.
    Kept(String),
    /// An item the source lists but that cannot be read (a malformed manifest...). It is
    /// not sent; the hub keeps what it had.
    Rejected {
        key: String,
        field: Option<String>,
        reason: String,
    },
}

/// Where a listing goes, entry by entry: the sync's collector, which filters, hashes,
/// batches and sends.
pub trait Sink {
    /// Takes one entry of the listing.
    fn push(&mut self, entry: Entry) -> impl Future<Output = Result<()>>;

    /// Sends what was taken so far and waits for the hub's answers (when it is reachable),
    /// so the entries that follow know which of the earlier ones were refused: a source
    /// lists model cards, settles, then lists versions.
    fn settle(&mut self) -> impl Future<Output = Result<()>>;

    /// Source-specific positions to keep if the listing completes.
    fn set_cursor(&mut self, cursor: BTreeMap<String, String>);
}

/// What a listing may use.
pub struct ListContext<'a> {
    pub source: &'a Slug,
    pub organisation: &'a Slug,
    /// The state after the last sync (read only).
    pub previous: &'a SourceState,
    /// Read everything again instead of only what changed.
    pub full: bool,
    pub spool_dir: &'a Path,
    pub timeout: Duration,
}

/// Lists a source completely into `sink`. An error means the listing is incomplete: its
/// epoch must not be closed.
pub async fn list(def: &SourceDef, ctx: &ListContext<'_>, sink: &mut impl Sink) -> Result<()> {
    match &def.kind {
        SourceDetail::Mlflow { .. } => mlflow::list(def, ctx, sink).await,
        SourceDetail::Git { .. } => git::list(def, ctx, sink).await,
        SourceDetail::Folder { path, visibility } => {
            folder::list(path, *visibility, ctx, sink).await
        }
    }
}

/// Reaches a source without listing it; says what was found.
pub async fn check(def: &SourceDef, spool_dir: &Path, timeout: Duration) -> Result<String> {
    match &def.kind {
        SourceDetail::Mlflow { .. } => mlflow::check(def, timeout).await,
        SourceDetail::Git { .. } => git::check(def, spool_dir).await,
        SourceDetail::Folder { path, .. } => folder::check(path),
    }
}

/// A name as a slug: lower case, anything but letters and digits becomes a single `-`,
/// at most 64 characters.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(64).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn names_become_slugs() {
        assert_eq!(slugify("NAF Coder (v2)"), "naf-coder-v2");
        assert_eq!(slugify("__x__y"), "x-y");
        assert_eq!(slugify("Économie"), "conomie");
        assert_eq!(slugify(&"a".repeat(80)).len(), 64);
    }
}
