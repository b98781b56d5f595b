//! One pass over the matching documents that filters by facet, counts every facet and
//! keeps the best hits.
//!
//! Facet filters are checked here on the segment's value sets rather than in the query,
//! so that each facet can be counted under the query and the *other* facets' filters:
//! ticking one value of a facet leaves its alternatives visible with their counts. A
//! document that passes every filter is a hit and counts in every facet; one that fails
//! exactly one filter counts in that facet only. The pass only notes which documents
//! matched; counting happens once per segment, by set intersections when many matched.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::access::Visible;
use super::bits::DocBits;
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
    /// The documents the caller may see; `None` when it may see all.
    visible: Option<Arc<DocBits>>,
    /// The filtered facets: (facet index, the documents carrying an accepted value).
    filters: Vec<(usize, DocBits)>,
    /// Every document the query matched, whatever the filters.
    matched: DocBits,
    matched_len: usize,
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
        let ordinals = self.ordinals.get(reader)?;
        let mut columns = Vec::with_capacity(N);
        let mut filters = Vec::new();
        for (i, (_, field)) in FACETS.iter().enumerate() {
            let column = fast.str(field)?;
            let filter = &self.filters[i];
            if !filter.is_empty() {
                let mut accepted = DocBits::new(reader.max_doc());
                if let Some(c) = &column {
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
            columns.push(column);
        }
        Ok(SegmentCollect {
            segment,
            sort: self.sort,
            top: self.top,
            columns,
            ordinals,
            visible: self.visible.segment(segment),
            filters,
            matched: DocBits::new(reader.max_doc()),
            matched_len: 0,
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

/// Lookups per matching document when counting one document at a time (nine facets, a
/// value or two each): below this many per set operation, counting by sets costs more.
const LOOKUPS_PER_DOC: usize = 16;

impl SegmentCollect {
    /// Counts per facet value (by term ordinal) of the matched documents, each facet under
    /// the other facets' filters.
    fn counts(&self) -> Vec<Vec<u32>> {
        let o = &self.ordinals;
        let values: usize = (0..N).map(|i| o.value_docs(i).len()).sum();
        let by_sets = (values + N * self.filters.len()) * DocBits::words_for(o.max_doc());
        if self.matched_len * LOOKUPS_PER_DOC < by_sets {
            self.count_each()
        } else {
            self.count_by_sets()
        }
    }

    /// Few matches: document by document. One that passes every filter counts in every
    /// facet; one that fails exactly one filter counts in that facet only.
    fn count_each(&self) -> Vec<Vec<u32>> {
        let o = &self.ordinals;
        let mut counts: Vec<Vec<u32>> = (0..N).map(|i| vec![0; o.value_docs(i).len()]).collect();
        let mut add = |i: usize, doc: DocId| {
            for &ord in o.facet(i, doc) {
                if let Some(c) = counts[i].get_mut(ord as usize) {
                    *c += 1;
                }
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
            match failed {
                Some(i) => add(i, doc),
                None => (0..N).for_each(|i| add(i, doc)),
            }
        }
        counts
    }

    /// Many matches: a facet value's count is the size of the intersection of its
    /// documents with the matches that pass the other facets' filters.
    fn count_by_sets(&self) -> Vec<Vec<u32>> {
        let o = &self.ordinals;
        let mut passing = self.matched.clone();
        for (_, accepted) in &self.filters {
            passing.intersect(accepted);
        }
        (0..N)
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
                    &passing
                };
                o.value_docs(i)
                    .iter()
                    .map(|docs| base.intersection_len(docs))
                    .collect()
            })
            .collect()
    }
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.visible.as_ref().is_some_and(|v| !v.contains(doc)) {
            return;
        }
        self.matched.insert(doc);
        self.matched_len += 1;
        if !self
            .filters
            .iter()
            .all(|(_, accepted)| accepted.contains(doc))
        {
            return;
        }
        self.total += 1;
        if let Some(worst) = self.heap.peek().filter(|_| self.heap.len() >= self.top) {
            // What ranks below the worst kept hit on its first key cannot enter, whatever
            // the other keys: most documents of a broad search stop here.
            let below = match self.sort {
                Sort::Relevance => score < worst.0.score,
                Sort::Updated => self.ordinals.updated_at(doc) < worst.0.updated_at,
            };
            if below {
                return;
            }
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
        } else if self.heap.peek().is_some_and(|worst| ranked > worst.0)
            && let Some(mut worst) = self.heap.peek_mut()
        {
            // One sift down instead of a pop and a push.
            *worst = Reverse(ranked);
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = Vec::with_capacity(N);
        let mut text = String::new();
        for (column, counts) in self.columns.iter().zip(&self.counts()) {
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

#[cfg(test)]
mod tests {
    use tantivy::schema::Field;
    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::policy::Caller;
    use crate::search::schema::Fields;

    /// An index of `n` documents whose facet values cycle at different rates, several
    /// values per document for the multi-valued facets.
    fn index(n: u32) -> (Index, Fields) {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        crate::search::analyzer::register(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let f = &fields;
        let set = |d: &mut TantivyDocument, field: Field, values: &[&str], i: u32, k: u32| {
            d.add_text(field, values[(i % k) as usize % values.len()]);
        };
        for i in 0..n {
            let mut d = TantivyDocument::default();
            set(&mut d, f.kind, &["project", "model"], i, 2);
            set(&mut d, f.task, &["coding", "editing", "imputation"], i, 3);
            set(&mut d, f.stage, &["pilot", "production"], i / 3, 2);
            set(&mut d, f.organisations, &["a", "b", "c", "d", "e"], i, 5);
            if i % 4 == 0 {
                set(&mut d, f.organisations, &["f", "g"], i / 4, 2);
            }
            set(&mut d, f.languages, &["en", "fr", "es"], i / 2, 3);
            if i % 7 != 0 {
                set(&mut d, f.licence, &["mit", "eupl-1.2"], i, 2);
            }
            // Every fifth document is for members only; every tenth belongs to `a` alone.
            let visibility = match i % 10 {
                0 => "organisation",
                5 => "members",
                _ => "public",
            };
            d.add_text(f.visibility, visibility);
            d.add_text(f.owners, ["a", "b", "c", "d", "e"][(i % 5) as usize]);
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn filters(pairs: &[(usize, &[&str])]) -> [Vec<String>; N] {
        let mut f: [Vec<String>; N] = Default::default();
        for (i, values) in pairs {
            f[*i] = values.iter().map(|v| v.to_string()).collect();
        }
        f
    }

    #[test]
    fn counting_by_document_and_by_sets_agree_under_filters() {
        let (index, _) = index(1000);
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let cache = OrdinalCache::default();
        let visible = Visible::of(&Caller::system(), &searcher, &cache).unwrap();
        for pairs in [
            vec![],
            vec![(3, &["coding"][..])],
            vec![(3, &["coding", "editing"][..]), (2, &["f"][..])],
            vec![(0, &["model"][..]), (5, &["fr"][..]), (6, &["mit"][..])],
            vec![(2, &["nobody"][..])],
        ] {
            let filters = filters(&pairs);
            let collect = Collect {
                filters: &filters,
                sort: Sort::Updated,
                top: 10,
                scoring: false,
                ordinals: &cache,
                visible: &visible,
            };
            let mut child = collect.for_segment(0, segment).unwrap();
            // Every third document matches the query.
            for doc in (0..1000).step_by(3) {
                child.collect(doc, 0.0);
            }
            let each = child.count_each();
            assert_eq!(each, child.count_by_sets(), "{pairs:?}");
            assert!(each.iter().flatten().any(|n| *n > 0), "{pairs:?}");
        }
    }

    #[test]
    fn a_facet_counts_under_the_other_facets_filters_only() {
        let (index, _) = index(12);
        let searcher = index.reader().unwrap().searcher();
        let cache = OrdinalCache::default();
        let visible = Visible::of(&Caller::system(), &searcher, &cache).unwrap();
        let filters = filters(&[(3, &["coding"])]);
        let collect = Collect {
            filters: &filters,
            sort: Sort::Updated,
            top: 20,
            scoring: false,
            ordinals: &cache,
            visible: &visible,
        };
        let found = searcher
            .search(&tantivy::query::AllQuery, &collect)
            .unwrap();
        // Documents 0, 3, 6 and 9 have the task `coding`.
        assert_eq!(found.total, 4);
        assert_eq!(found.hits.len(), 4);
        let task = &found.facets[3];
        assert_eq!(
            (task["coding"], task["editing"], task["imputation"]),
            (4, 4, 4)
        );
        // Kinds are counted among the coding documents only: 0 and 6 are projects.
        assert_eq!(
            (found.facets[0]["project"], found.facets[0]["model"]),
            (2, 2)
        );
    }

    #[test]
    fn what_the_caller_may_not_see_is_neither_counted_nor_kept() {
        let (index, _) = index(100);
        let searcher = index.reader().unwrap().searcher();
        let cache = OrdinalCache::default();
        let no_filters = filters(&[]);
        let found = |caller: Caller| {
            let visible = Visible::of(&caller, &searcher, &cache).unwrap();
            let collect = Collect {
                filters: &no_filters,
                sort: Sort::Updated,
                top: 200,
                scoring: false,
                ordinals: &cache,
                visible: &visible,
            };
            searcher
                .search(&tantivy::query::AllQuery, &collect)
                .unwrap()
        };
        let kinds = |c: &Collected| c.facets[0].values().sum::<u64>();
        // Anonymous: the 80 public documents.
        let anonymous = found(Caller::anonymous());
        assert_eq!(
            (anonymous.total, anonymous.hits.len(), kinds(&anonymous)),
            (80, 80, 80)
        );
        // A member of `b`: public and members' ones; `b` owns no organisation-only one.
        let b = found(Caller::member("x@b.example", &["b"]));
        assert_eq!((b.total, kinds(&b)), (90, 90));
        // A member of `a` also sees `a`'s own: documents 0, 10, 20...
        let a = found(Caller::member("x@a.example", &["a"]));
        assert_eq!((a.total, a.hits.len(), kinds(&a)), (100, 100, 100));
        let system = found(Caller::system());
        assert_eq!(system.total, 100);
    }
}
