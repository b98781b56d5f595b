//! The facet columns of a segment, copied once into plain arrays and bit sets.
//!
//! Counting facets reads every facet column for every matching document; through tantivy's
//! columnar readers each read resolves an optional or multi-valued index and unpacks
//! bit-packed values, a large share of a search's CPU (docs/benchmarks.md). Segments never change once
//! written, so each one's term ordinals (and its `updated_at` and `tiebreak` values) are
//! read into arrays the first time a search meets the segment and kept while it lives,
//! with, for every facet value, the set of documents that carry it.
//!
//! A document's values of every facet are kept together, in one row: counting a document
//! reads one short run of memory rather than one array per facet, which on a
//! segment of 100,000 documents is the difference between cache hits and misses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::bits::DocIdBitSet;
use crate::layout::Layout;

/// A facet column's values and their documents.
struct Ordinals {
    /// The values, by term ordinal.
    names: Vec<String>,
    /// The documents carrying each value, by term ordinal.
    docs: Vec<DocIdBitSet>,
    /// The column itself, for its dictionary (opening it costs a lookup).
    column: StrColumn,
}

/// Every document's values of every facet, numbered across facets: facet `i`'s value of
/// term ordinal `o` is `first[i] + o`.
pub struct Rows {
    /// Where facet `i`'s values begin (and, one past the last facet, how many values
    /// there are in all).
    first: Vec<u32>,
    /// Where each document's values start in `values` (one more entry than documents).
    starts: Vec<u32>,
    /// Each document's values, facet by facet.
    values: Vec<u32>,
}

impl Rows {
    /// The values of `doc`, in facet order.
    pub fn of(&self, doc: DocId) -> &[u32] {
        let i = doc as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The numbers of facet `i`'s values.
    pub fn range(&self, i: usize) -> std::ops::Range<u32> {
        self.first[i]..self.first[i + 1]
    }

    /// How many values all facets have.
    pub fn len(&self) -> usize {
        self.first.last().copied().unwrap_or(0) as usize
    }
}

/// One segment's facet ordinals and sort values.
pub struct SegmentOrdinals {
    max_doc: u32,
    facets: Vec<Option<Ordinals>>,
    rows: Rows,
    /// For each access-key field of the layout, the documents carrying each value.
    access: Vec<(Field, HashMap<String, DocIdBitSet>)>,
    updated_at: Vec<i64>,
    tiebreak: Vec<u64>,
}

impl SegmentOrdinals {
    fn read(reader: &SegmentReader, layout: &Layout) -> tantivy::Result<Self> {
        let fast = reader.fast_fields();
        let schema = reader.schema();
        let max_doc = reader.max_doc();
        let n = layout.facets.len();
        let columns = layout
            .facets
            .iter()
            .map(|&field| fast.str(schema.get_field_name(field)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut first = vec![0u32; n + 1];
        for (i, column) in columns.iter().enumerate() {
            first[i + 1] = first[i] + column.as_ref().map_or(0, |c| c.num_terms() as u32);
        }
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut values = Vec::with_capacity(max_doc as usize * n);
        starts.push(0);
        for doc in 0..max_doc {
            for (i, column) in columns.iter().enumerate() {
                if let Some(c) = column {
                    values.extend(c.term_ords(doc).map(|ord| first[i] + ord as u32));
                }
            }
            starts.push(values.len() as u32);
        }
        values.shrink_to_fit();
        let rows = Rows {
            first,
            starts,
            values,
        };
        // Every value's documents, from the rows: the columns are read once.
        let mut docs = value_sets(max_doc, rows.len(), |doc| rows.of(doc).iter().copied());
        let mut facets = Vec::with_capacity(n);
        for (i, column) in columns.into_iter().enumerate().rev() {
            let docs = docs.split_off(rows.range(i).start as usize);
            facets.push(match column {
                None => None,
                Some(column) => Some(Ordinals {
                    names: names(&column)?,
                    docs,
                    column,
                }),
            });
        }
        facets.reverse();
        let mut access = Vec::with_capacity(layout.access.len());
        for &field in &layout.access {
            let mut by_value = HashMap::new();
            let Some(column) = fast.str(schema.get_field_name(field))? else {
                access.push((field, by_value));
                continue;
            };
            let docs = value_sets(max_doc, column.num_terms(), |doc| {
                column.term_ords(doc).map(|o| o as u32)
            });
            let mut value = String::new();
            for (ord, d) in docs.into_iter().enumerate() {
                if column.ord_to_str(ord as u64, &mut value)? {
                    by_value.insert(value.clone(), d);
                }
            }
            access.push((field, by_value));
        }
        let updated_at = match fast.i64(schema.get_field_name(layout.updated_at)) {
            Ok(c) => (0..max_doc).map(|d| c.first(d).unwrap_or(0)).collect(),
            Err(_) => vec![0; max_doc as usize],
        };
        let tiebreak = match fast.u64(schema.get_field_name(layout.tiebreak)) {
            Ok(c) => (0..max_doc).map(|d| c.first(d).unwrap_or(0)).collect(),
            Err(_) => vec![0; max_doc as usize],
        };
        Ok(Self {
            max_doc,
            facets,
            rows,
            access,
            updated_at,
            tiebreak,
        })
    }

    /// Every document's values of every facet.
    pub fn rows(&self) -> &Rows {
        &self.rows
    }

    /// The column of facet `i`, when the segment has it.
    pub fn column(&self, i: usize) -> Option<&StrColumn> {
        self.facets.get(i)?.as_ref().map(|o| &o.column)
    }

    /// The values of facet `i`, by term ordinal.
    pub fn names(&self, i: usize) -> &[String] {
        self.facets[i].as_ref().map_or(&[], |o| o.names.as_slice())
    }

    /// The documents carrying each value of facet `i`, by term ordinal.
    pub fn value_docs(&self, i: usize) -> &[DocIdBitSet] {
        self.facets[i].as_ref().map_or(&[], |o| o.docs.as_slice())
    }

    /// The documents whose `field` has `value`.
    pub fn access_docs(&self, field: Field, value: &str) -> Option<&DocIdBitSet> {
        let (_, by_value) = self.access.iter().find(|(f, _)| *f == field)?;
        by_value.get(value)
    }

    /// One more than the segment's highest document id.
    pub fn max_doc(&self) -> u32 {
        self.max_doc
    }

    /// Every document's `updated_at`, by document id.
    pub fn updated_at_all(&self) -> &[i64] {
        &self.updated_at
    }

    /// The `updated_at` of `doc`.
    pub fn updated_at(&self, doc: DocId) -> i64 {
        self.updated_at.get(doc as usize).copied().unwrap_or(0)
    }

    /// The tiebreak of `doc`.
    pub fn tiebreak(&self, doc: DocId) -> u64 {
        self.tiebreak.get(doc as usize).copied().unwrap_or(0)
    }
}

/// A column's values, by term ordinal.
fn names(column: &StrColumn) -> tantivy::Result<Vec<String>> {
    let mut names = Vec::with_capacity(column.num_terms());
    let mut value = String::new();
    for ord in 0..column.num_terms() {
        value.clear();
        column.ord_to_str(ord as u64, &mut value)?;
        names.push(value.clone());
    }
    Ok(names)
}

/// For each of `values` term ordinals, the documents carrying it, given each document's
/// ordinals.
fn value_sets<I: IntoIterator<Item = u32>>(
    max_doc: u32,
    values: usize,
    ords_of: impl Fn(DocId) -> I,
) -> Vec<DocIdBitSet> {
    let mut docs = vec![DocIdBitSet::new(max_doc); values];
    for doc in 0..max_doc {
        for o in ords_of(doc) {
            if let Some(d) = docs.get_mut(o as usize) {
                d.insert(doc);
            }
        }
    }
    docs
}

/// The segments' ordinals, by segment, for the segments of the latest searcher.
#[derive(Default)]
pub struct OrdinalCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentOrdinals>>>,
}

impl OrdinalCache {
    /// A segment's ordinals, read now if no search has met the segment yet.
    pub fn get(
        &self,
        reader: &SegmentReader,
        layout: &Layout,
    ) -> tantivy::Result<Arc<SegmentOrdinals>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: other searches go on meanwhile (two may read the same
        // new segment once; either copy serves).
        let read = Arc::new(SegmentOrdinals::read(reader, layout)?);
        self.lock().insert(id, read.clone());
        Ok(read)
    }

    /// Forgets segments that `searcher` no longer has (merged away or deleted).
    pub fn keep_only(&self, searcher: &Searcher) {
        let mut segments = self.lock();
        if segments.len() > searcher.segment_readers().len() {
            let live: Vec<SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::segment_id)
                .collect();
            segments.retain(|id, _| live.contains(id));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentOrdinals>>> {
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}
