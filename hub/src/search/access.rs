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

/// A field of the index that decides who may see a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessField {
    Visibility,
    Owners,
}

impl AccessField {
    pub const ALL: [AccessField; 2] = [AccessField::Visibility, AccessField::Owners];

    /// The field's name in the index schema.
    pub fn name(self) -> &'static str {
        match self {
            AccessField::Visibility => "visibility",
            AccessField::Owners => "owners",
        }
    }
}

/// The field values that let `caller` see a document, any one of them sufficing; `None`
/// for an administrator, who sees everything. The same rule as the SQL policy.
pub fn admitting(caller: &Caller) -> Option<Vec<(AccessField, String)>> {
    if caller.admin {
        return None;
    }
    let mut values = vec![(AccessField::Visibility, "public".to_string())];
    if caller.signed_in {
        values.push((AccessField::Visibility, "members".to_string()));
        // The same organisations the SQL policy reads for (`Caller::push_can_read`).
        values.extend(
            caller
                .reading_organisations()
                .into_iter()
                .map(|org| (AccessField::Owners, org)),
        );
    }
    Some(values)
}

/// The documents a caller may see, segment by segment, for one searcher.
pub struct Visible {
    /// By segment ordinal; `None` when the caller sees everything (an administrator).
    segments: Vec<Option<Arc<DocBits>>>,
}

impl Visible {
    pub fn of(caller: &Caller, searcher: &Searcher, cache: &OrdinalCache) -> tantivy::Result<Self> {
        let admitting = admitting(caller);
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let Some(admitting) = &admitting else {
                    return Ok(None);
                };
                let ordinals = cache.get(reader)?;
                Ok(Some(Arc::new(visible(admitting, &ordinals))))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { segments })
    }

    /// The visible documents of a segment; `None` when all are.
    pub fn segment(&self, segment: u32) -> Option<Arc<DocBits>> {
        self.segments.get(segment as usize).cloned().flatten()
    }

    /// Whether the caller may see nothing of segment `segment` (one this view was not
    /// made for).
    pub fn hides(&self, segment: u32) -> bool {
        self.segments.get(segment as usize).is_none()
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

fn visible(admitting: &[(AccessField, String)], ordinals: &SegmentOrdinals) -> DocBits {
    let mut docs = DocBits::new(ordinals.max_doc());
    for (field, value) in admitting {
        if let Some(d) = ordinals.access_docs(*field, value) {
            docs.union(d);
        }
    }
    docs
}
