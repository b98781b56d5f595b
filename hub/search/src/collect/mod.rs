//! From the documents a query matched in a segment to what a search answers: the
//! caller's view, facet filters, counts for every facet and the best hits.
//!
//! Facet filters are applied here on the segment's value sets rather than in the query,
//! so that each facet can be counted under the query and the *other* facets' filters:
//! ticking one value of a facet leaves its alternatives visible with their counts. A
//! document that passes every filter is a hit and counts in every facet; one that fails
//! exactly one filter counts in that facet only. Counting is by set intersections when
//! many documents matched, one document at a time when few did.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::access::Visible;
use crate::bits::DocIdBitSet;
use crate::layout::Layout;
use crate::ordinals::{OrdinalCache, SegmentOrdinals};
use crate::plan::{Weights, with_scores};

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// By BM25 score, then date, then tiebreak.
    #[default]
    Relevance,
    /// By date (latest first), then score, then tiebreak.
    Updated,
}

/// What to collect.
pub struct Collect<'a> {
    /// The fields the collection reads.
    pub layout: &'a Layout,
    /// Accepted values per facet of the layout (none: no filter on that facet).
    pub filters: &'a [Vec<String>],
    pub sort: Order,
    /// How many of the best hits to keep (everything up to the end of the page).
    pub top: usize,
    /// The segments' facet ordinals, read once per segment.
    pub ordinals: &'a OrdinalCache,
    /// What the caller may see: nothing else is counted or kept.
    pub visible: &'a Visible,
}

/// A hit and what orders it.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub score: Score,
    pub updated_at: i64,
    pub tiebreak: u64,
    pub doc: DocAddress,
    sort: Order,
}

impl Ranked {
    fn cmp_key(&self, other: &Self) -> Ordering {
        let by_score = self.score.total_cmp(&other.score);
        let by_date = self.updated_at.cmp(&other.updated_at);
        // A lower tiebreak ranks first.
        let by_tie = other.tiebreak.cmp(&self.tiebreak);
        match self.sort {
            Order::Relevance => by_score.then(by_date).then(by_tie),
            Order::Updated => by_date.then(by_score).then(by_tie),
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
    /// Counts per facet value, in the layout's order.
    pub facets: Vec<HashMap<String, u64>>,
}

/// One segment's matches, as the caller may see them, and the facet filters.
pub struct SegmentCollect {
    /// How many facets the layout has.
    facets: usize,
    segment: SegmentOrdinal,
    sort: Order,
    top: usize,
    ordinals: Arc<SegmentOrdinals>,
    /// The filtered facets: (facet index, the documents carrying an accepted value).
    filters: Vec<(usize, DocIdBitSet)>,
    /// Every visible document the query matched, whatever the filters.
    matched: DocIdBitSet,
}

impl Collect<'_> {
    /// Runs a query's weights over every segment of `searcher`.
    pub fn run(&self, searcher: &Searcher, weights: &Weights) -> tantivy::Result<Collected> {
        let mut fruits = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let len = if weights.scoring() {
                reader.max_doc() as usize
            } else {
                0
            };
            let fruit = with_scores(len, |scores| -> tantivy::Result<Collected> {
                let matched = weights.matches(reader, scores)?;
                Ok(self
                    .segment(ord as SegmentOrdinal, reader, matched)?
                    .into_fruit(scores))
            })?;
            fruits.push(fruit);
        }
        Ok(self.merge(fruits))
    }

    /// A segment's matches (deleted documents included), narrowed to what the caller may
    /// see, with the facet filters' sets.
    pub fn segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        mut matched: DocIdBitSet,
    ) -> tantivy::Result<SegmentCollect> {
        if let Some(visible) = self.visible.segment(segment) {
            matched.intersect(&visible);
        } else if self.visible.hides(segment) {
            matched = DocIdBitSet::new(reader.max_doc());
        }
        if let Some(alive) = reader.alive_bitset() {
            matched.retain(|doc| alive.is_alive(doc));
        }
        let ordinals = self.ordinals.get(reader, self.layout)?;
        let mut filters = Vec::new();
        for (i, filter) in self.filters.iter().enumerate() {
            if filter.is_empty() {
                continue;
            }
            let mut accepted = DocIdBitSet::new(reader.max_doc());
            if let Some(c) = ordinals.column(i) {
                for v in filter {
                    if let Some(ord) = c.dictionary().term_ord(v.as_bytes())?
                        && let Some(docs) = ordinals.value_docs(i).get(ord as usize)
                    {
                        accepted.union(docs);
                    }
                }
            }
            filters.push((i, accepted));
        }
        Ok(SegmentCollect {
            facets: self.layout.facets.len(),
            segment,
            sort: self.sort,
            top: self.top,
            ordinals,
            filters,
            matched,
        })
    }

    fn merge(&self, fruits: Vec<Collected>) -> Collected {
        let mut all = Collected {
            facets: vec![HashMap::new(); self.layout.facets.len()],
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
        all
    }
}

/// What counting one matching document costs (its row of a dozen values), in words of a
/// set intersection (see the crate's benchmark). With fewer matches than the sets'
/// words over this, counting document by document costs less.
const DOC_COST_IN_WORDS: usize = 32;

impl SegmentCollect {
    /// The matches that pass every facet filter: the hits.
    fn passing(&self) -> DocIdBitSet {
        let mut passing = self.matched.clone();
        for (_, accepted) in &self.filters {
            passing.intersect(accepted);
        }
        passing
    }

    /// Counts per facet value (by term ordinal) of the matched documents, each facet under
    /// the other facets' filters.
    fn counts(&self, passing: &DocIdBitSet) -> Vec<Vec<u32>> {
        let o = &self.ordinals;
        let n = self.facets;
        let values: usize = (0..n).map(|i| o.value_docs(i).len()).sum();
        let by_sets = (values + n * self.filters.len()) * DocIdBitSet::words_for(o.max_doc());
        if self.matched.len() as usize * DOC_COST_IN_WORDS < by_sets {
            self.count_each()
        } else {
            self.count_by_sets(passing)
        }
    }

    /// Few matches: document by document. One that passes every filter counts in every
    /// facet; one that fails exactly one filter counts in that facet only.
    fn count_each(&self) -> Vec<Vec<u32>> {
        let rows = self.ordinals.rows();
        let mut counts = vec![0u32; rows.len()];
        let add = |counts: &mut [u32], v: u32| {
            if let Some(c) = counts.get_mut(v as usize) {
                *c += 1;
            }
        };
        'docs: for doc in self.matched.iter() {
            let mut failed = None;
            for (i, accepted) in &self.filters {
                if !accepted.contains(doc) {
                    if failed.is_some() {
                        continue 'docs;
                    }
                    failed = Some(*i);
                }
            }
            let values = rows.of(doc);
            match failed {
                Some(i) => {
                    let range = rows.range(i);
                    for &v in values.iter().filter(|v| range.contains(v)) {
                        add(&mut counts, v);
                    }
                }
                None => {
                    for &v in values {
                        add(&mut counts, v);
                    }
                }
            }
        }
        (0..self.facets)
            .map(|i| {
                let r = rows.range(i);
                counts[r.start as usize..r.end as usize].to_vec()
            })
            .collect()
    }

    /// Many matches: a facet value's count is the size of the intersection of its
    /// documents with the matches that pass the other facets' filters.
    fn count_by_sets(&self, passing: &DocIdBitSet) -> Vec<Vec<u32>> {
        let o = &self.ordinals;
        (0..self.facets)
            .map(|i| {
                let under_others;
                let base = if self.filters.iter().any(|(f, _)| *f == i) {
                    let mut b = self.matched.clone();
                    for (_, accepted) in self.filters.iter().filter(|(f, _)| *f != i) {
                        b.intersect(accepted);
                    }
                    under_others = b;
                    &under_others
                } else {
                    passing
                };
                o.value_docs(i)
                    .iter()
                    .map(|docs| base.intersection_len(docs))
                    .collect()
            })
            .collect()
    }

    /// The best `top` hits, by `scores` (one per document) or by date.
    fn best(&self, passing: &DocIdBitSet, scores: &[Score]) -> Vec<Ranked> {
        let o = &self.ordinals;
        let mut heap: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(self.top + 1);
        for (w, &word) in passing.words().iter().enumerate() {
            let base = w * 64;
            let mut candidates = word;
            if candidates != 0
                && heap.len() >= self.top
                && let Some(worst) = heap.peek()
            {
                // What ranks below the worst kept hit on its first key cannot enter,
                // whatever the other keys: most documents of a broad search stop here,
                // 64 at a time.
                candidates &= match self.sort {
                    Order::Relevance => not_below(scores, base, worst.0.score),
                    Order::Updated => not_below(o.updated_at_all(), base, worst.0.updated_at),
                };
            }
            while candidates != 0 {
                let doc = (base + candidates.trailing_zeros() as usize) as DocId;
                candidates &= candidates - 1;
                let ranked = Ranked {
                    score: scores.get(doc as usize).copied().unwrap_or(0.0),
                    updated_at: o.updated_at(doc),
                    tiebreak: o.tiebreak(doc),
                    doc: DocAddress::new(self.segment, doc),
                    sort: self.sort,
                };
                if heap.len() < self.top {
                    heap.push(Reverse(ranked));
                } else if heap.peek().is_some_and(|worst| ranked > worst.0)
                    && let Some(mut worst) = heap.peek_mut()
                {
                    // One sift down instead of a pop and a push.
                    *worst = Reverse(ranked);
                }
            }
        }
        heap.into_iter().map(|Reverse(r)| r).collect()
    }

    /// Total, best hits and facet counts (the segment's fruit), with the documents'
    /// scores (empty when the order is by date).
    pub fn into_fruit(self, scores: &[Score]) -> Collected {
        let passing = self.passing();
        let counts = self.counts(&passing);
        let facets = self.names(counts);
        Collected {
            total: u64::from(passing.len()),
            hits: self.best(&passing, scores),
            facets,
        }
    }

    /// Counts by value name, the values that no match carries left out.
    fn names(&self, counts: Vec<Vec<u32>>) -> Vec<HashMap<String, u64>> {
        counts
            .iter()
            .enumerate()
            .map(|(i, counts)| {
                let names = self.ordinals.names(i);
                counts
                    .iter()
                    .zip(names)
                    .filter(|(n, _)| **n > 0)
                    .map(|(&n, name)| (name.clone(), u64::from(n)))
                    .collect()
            })
            .collect()
    }
}

/// Which of the (up to) 64 `values` from `start` on are not below `threshold`, as bits.
fn not_below<T: PartialOrd + Copy>(values: &[T], start: usize, threshold: T) -> u64 {
    let chunk = values.get(start..).unwrap_or_default();
    let chunk = &chunk[..chunk.len().min(64)];
    let mut bits = 0u64;
    for (i, &v) in chunk.iter().enumerate() {
        bits |= u64::from(v.partial_cmp(&threshold) != Some(Ordering::Less)) << i;
    }
    bits
}

#[cfg(test)]
mod tests;
