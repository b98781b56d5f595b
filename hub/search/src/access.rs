//! Access sets: what a reader may see, as the access keys that admit a document, and the
//! documents of each segment they admit.
//!
//! A search checks every matching document against this set before it counts or ranks
//! it, and anything else that reads the index for a reader (such as whether a word is
//! frequent enough to skip fuzzy matching) counts only the documents in it.

use std::sync::Arc;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, Term};

use crate::bits::DocIdBitSet;
use crate::layout::Layout;
use crate::ordinals::{OrdinalCache, SegmentOrdinals};

/// One access key: a value of an access-key field of the [`Layout`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessKey {
    /// The access-key field.
    pub field: Field,
    /// The value a document must carry there.
    pub value: String,
}

/// What a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessSet {
    /// Every document.
    Everything,
    /// The documents carrying at least one of these keys.
    AnyOf(Vec<AccessKey>),
}

impl AccessSet {
    /// The set as a filter query that adds nothing to scores; `None` for
    /// [`AccessSet::Everything`].
    pub fn to_query(&self) -> Option<Box<dyn Query>> {
        let AccessSet::AnyOf(keys) = self else {
            return None;
        };
        let allowed: Vec<(Occur, Box<dyn Query>)> = keys
            .iter()
            .map(|k| {
                let q = TermQuery::new(
                    Term::from_field_text(k.field, &k.value),
                    IndexRecordOption::Basic,
                );
                (Occur::Should, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(allowed)),
            0.0,
        )))
    }
}

/// The documents an access set admits, segment by segment, for one searcher.
pub struct Visible {
    /// By segment ordinal; `None` when every document is visible.
    segments: Vec<Option<Arc<DocIdBitSet>>>,
}

impl Visible {
    /// The documents `access` admits in every segment of `searcher`.
    pub fn of(
        access: &AccessSet,
        searcher: &Searcher,
        cache: &OrdinalCache,
        layout: &Layout,
    ) -> tantivy::Result<Self> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let AccessSet::AnyOf(keys) = access else {
                    return Ok(None);
                };
                let ordinals = cache.get(reader, layout)?;
                Ok(Some(Arc::new(visible(keys, &ordinals))))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { segments })
    }

    /// The visible documents of a segment; `None` when all are.
    pub fn segment(&self, segment: u32) -> Option<Arc<DocIdBitSet>> {
        self.segments.get(segment as usize).cloned().flatten()
    }

    /// Whether nothing of segment `segment` is visible (one this view was not made for).
    pub fn hides(&self, segment: u32) -> bool {
        self.segments.get(segment as usize).is_none()
    }

    /// Whether document `doc` of segment `segment` is visible.
    pub fn allows(&self, segment: u32, doc: DocId) -> bool {
        match self.segments.get(segment as usize) {
            Some(Some(docs)) => docs.contains(doc),
            Some(None) => true,
            None => false,
        }
    }
}

fn visible(keys: &[AccessKey], ordinals: &SegmentOrdinals) -> DocIdBitSet {
    let mut docs = DocIdBitSet::new(ordinals.max_doc());
    for key in keys {
        if let Some(d) = ordinals.access_docs(key.field, &key.value) {
            docs.union(d);
        }
    }
    docs
}
