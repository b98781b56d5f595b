//! One pass over the matching documents that filters by facet, counts every facet and
//! keeps the best hits.
//!
//! Facet filters are checked here on fast columns rather than in the query, so that each
//! facet can be counted under the query and the *other* facets' filters: ticking one
//! value of a facet leaves its alternatives visible with their counts. A document that
//! passes every filter is a hit and counts in every facet; one that fails exactly one
//! filter counts in that facet only.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::ordinals::{OrdinalCache, SegmentOrdinals};
use super::query::Sort;
use super::schema::FACETS;

const N: usize = FACETS.len();

/// What to collect.
pub struct Collect<'a> {
    pub filters: &'a [Vec<String>; N],
    pub sort: Sort,
    /// How many of the best hits to keep (everything up to the end of the page).
    pub top: usize,
    pub scoring: bool,
    /// The segments' facet ordinals, read once per segment.
    pub ordinals: &'a OrdinalCache,
}

/// A hit and what orders it.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub score: Score,
    pub updated_at: i64,
    pub tiebreak: u64,
    pub doc: DocAddress,
    sort: Sort,
}

impl Ranked {
    fn cmp_key(&self, other: &Self) -> Ordering {
        let by_score = self.score.total_cmp(&other.score);
        let by_date = self.updated_at.cmp(&other.updated_at);
        // A lower tiebreak ranks first.
        let by_tie = other.tiebreak.cmp(&self.tiebreak);
        match self.sort {
            Sort::Relevance => by_score.then(by_date).then(by_tie),
            Sort::Updated => by_date.then(by_score).then(by_tie),
        }
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_key(other)
    }
}

/// What a collection found.
#[derive(Debug, Default)]
pub struct Collected {
    pub total: u64,
    /// Best first.
    pub hits: Vec<Ranked>,
    /// Counts per facet value, in the order of [`FACETS`].
    pub facets: Vec<HashMap<String, u64>>,
}

pub struct SegmentCollect {
    segment: SegmentOrdinal,
    sort: Sort,
    top: usize,
    /// The facet columns, for their dictionaries.
    columns: Vec<Option<StrColumn>>,
    ordinals: Arc<SegmentOrdinals>,
    /// Per facet: `None` when not filtered, else the accepted term ordinals.
    wanted: Vec<Option<Vec<u32>>>,
    counts: Vec<Vec<u32>>,
    heap: BinaryHeap<Reverse<Ranked>>,
    total: u64,
}

impl Collector for Collect<'_> {
    type Fruit = Collected;
    type Child = SegmentCollect;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCollect> {
        let fast = reader.fast_fields();
        let mut columns = Vec::with_capacity(N);
        let mut wanted = Vec::with_capacity(N);
        let mut counts = Vec::with_capacity(N);
        for (i, (_, field)) in FACETS.iter().enumerate() {
            let column = fast.str(field)?;
            let filter = &self.filters[i];
            wanted.push(if filter.is_empty() {
                None
            } else {
                let mut ords = Vec::new();
                if let Some(c) = &column {
                    for v in filter {
                        if let Some(ord) = c.dictionary().term_ord(v.as_bytes())? {
                            ords.push(ord as u32);
                        }
                    }
                }
                Some(ords)
            });
            counts.push(vec![
                0u32;
                column.as_ref().map(|c| c.num_terms()).unwrap_or(0)
            ]);
            columns.push(column);
        }
        Ok(SegmentCollect {
            segment,
            sort: self.sort,
            top: self.top,
            columns,
            ordinals: self.ordinals.get(reader)?,
            wanted,
            counts,
            heap: BinaryHeap::with_capacity(self.top + 1),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut all = Collected {
            facets: vec![HashMap::new(); N],
            ..Collected::default()
        };
        for fruit in fruits {
            all.total += fruit.total;
            all.hits.extend(fruit.hits);
            for (into, from) in all.facets.iter_mut().zip(fruit.facets) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        all.hits.sort_by(|a, b| b.cmp(a));
        all.hits.truncate(self.top);
        Ok(all)
    }
}

impl SegmentCollect {
    fn passes(&self, i: usize, doc: DocId) -> bool {
        match &self.wanted[i] {
            None => true,
            Some(wanted) => self
                .ordinals
                .facet(i, doc)
                .iter()
                .any(|o| wanted.contains(o)),
        }
    }

    fn count(&mut self, i: usize, doc: DocId) {
        let counts = &mut self.counts[i];
        for &o in self.ordinals.facet(i, doc) {
            if let Some(c) = counts.get_mut(o as usize) {
                *c += 1;
            }
        }
    }
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed = None;
        for i in 0..N {
            if !self.passes(i, doc) {
                if failed.is_some() {
                    return;
                }
                failed = Some(i);
            }
        }
        if let Some(i) = failed {
            self.count(i, doc);
            return;
        }
        self.total += 1;
        for i in 0..N {
            self.count(i, doc);
        }
        let ranked = Ranked {
            score,
            updated_at: self.ordinals.updated_at(doc),
            tiebreak: self.ordinals.tiebreak(doc),
            doc: DocAddress::new(self.segment, doc),
            sort: self.sort,
        };
        if self.heap.len() < self.top {
            self.heap.push(Reverse(ranked));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && ranked > worst.0
        {
            // One sift down instead of a pop and a push.
            *worst = Reverse(ranked);
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = Vec::with_capacity(N);
        let mut text = String::new();
        for (column, counts) in self.columns.iter().zip(&self.counts) {
            let mut map = HashMap::new();
            if let Some(column) = column {
                for (ord, &n) in counts.iter().enumerate() {
                    if n > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        map.insert(text.clone(), u64::from(n));
                    }
                }
            }
            facets.push(map);
        }
        Collected {
            total: self.total,
            hits: self.heap.into_iter().map(|Reverse(r)| r).collect(),
            facets,
        }
    }
}
