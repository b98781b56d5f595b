//! What a caller may see of each segment, as a set of documents.
//!
//! The same rule as the SQL policy (`Caller::push_can_read`): public items; members'
//! items when signed in; the items of the organisations the caller reads for. A search
//! checks every matching document against this set before it counts or ranks it, and
//! anything else that reads the index for a caller (such as whether a word is common
//! enough to be spelt right) counts only the documents in it.

use std::sync::Arc;

use tantivy::{DocId, Searcher};

use super::bits::DocBits;
use super::ordinals::{OrdinalCache, SegmentOrdinals};
use crate::policy::Caller;

/// Index of the `visibility` and `owners` fields in [`super::ordinals::ACCESS`].
const VISIBILITY: usize = 0;
const OWNERS: usize = 1;

/// The documents a caller may see, segment by segment, for one searcher.
pub struct Visible {
    /// By segment ordinal; `None` when the caller sees everything (an administrator).
    segments: Vec<Option<Arc<DocBits>>>,
}

impl Visible {
    pub fn of(caller: &Caller, searcher: &Searcher, cache: &OrdinalCache) -> tantivy::Result<Self> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                if caller.admin {
                    return Ok(None);
                }
                let ordinals = cache.get(reader)?;
                Ok(Some(Arc::new(visible(caller, &ordinals))))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { segments })
    }

    /// The visible documents of a segment; `None` when all are.
    pub fn segment(&self, segment: u32) -> Option<Arc<DocBits>> {
        self.segments.get(segment as usize).cloned().flatten()
    }

    /// Whether the caller may see document `doc` of segment `segment`.
    pub fn allows(&self, segment: u32, doc: DocId) -> bool {
        match self.segments.get(segment as usize) {
            Some(Some(docs)) => docs.contains(doc),
            Some(None) => true,
            None => false,
        }
    }
}

fn visible(caller: &Caller, ordinals: &SegmentOrdinals) -> DocBits {
    let mut docs = DocBits::new(ordinals.max_doc());
    let mut add = |field: usize, value: &str| {
        if let Some(d) = ordinals.access_docs(field, value) {
            docs.union(d);
        }
    };
    add(VISIBILITY, "public");
    if caller.signed_in {
        add(VISIBILITY, "members");
        for org in caller.reading_organisations() {
            add(OWNERS, &org);
        }
    }
    docs
}
