//! Sets of a segment's documents, one bit per document.
//!
//! Counting a facet over tens of thousands of matching documents one document at a time
//! costs a few lookups each; the same count as the intersection of two bit sets is one
//! AND and one population count per 64 documents.

use tantivy::DocId;

/// A set of document ids below a segment's `max_doc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocIdBitSet {
    words: Vec<u64>,
}

impl DocIdBitSet {
    /// The empty set over `max_doc` documents.
    pub fn new(max_doc: u32) -> Self {
        Self {
            words: vec![0; Self::words_for(max_doc)],
        }
    }

    /// Words a set over `max_doc` documents takes: the cost of one operation on it.
    pub fn words_for(max_doc: u32) -> usize {
        (max_doc as usize).div_ceil(64)
    }

    /// Adds `doc`.
    pub fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
    }

    /// Whether `doc` is in the set.
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    /// Every document below `max_doc`.
    pub fn full(max_doc: u32) -> Self {
        let mut words = vec![!0u64; Self::words_for(max_doc)];
        if let Some(last) = words.last_mut()
            && !max_doc.is_multiple_of(64)
        {
            *last = (1u64 << (max_doc % 64)) - 1;
        }
        Self { words }
    }

    /// The documents in at least `minimum` of `sets` (a minimum-should-match of
    /// `minimum`, at least one); the empty set when there are no sets.
    pub fn minimum_should_match(sets: &[DocIdBitSet], minimum: usize) -> Self {
        let minimum = minimum.max(1);
        let Some(first) = sets.first() else {
            return Self { words: Vec::new() };
        };
        if minimum == 1 {
            let mut any = first.clone();
            sets[1..].iter().for_each(|s| any.union(s));
            return any;
        }
        if minimum + 1 == sets.len() {
            return Self::all_but_one(sets);
        }
        let mut out = Self {
            words: vec![0; first.words.len()],
        };
        for (i, out) in out.words.iter_mut().enumerate() {
            for bit in 0..64 {
                let n = sets
                    .iter()
                    .filter(|s| s.words.get(i).is_some_and(|w| w & (1 << bit) != 0))
                    .count();
                if n >= minimum {
                    *out |= 1 << bit;
                }
            }
        }
        out
    }

    /// The documents in at least all but one of `sets` (all of them, for one set); the
    /// empty set for none.
    fn all_but_one(sets: &[DocIdBitSet]) -> Self {
        let Some(first) = sets.first() else {
            return Self { words: Vec::new() };
        };
        let mut out = Self {
            words: vec![0; first.words.len()],
        };
        for (i, out) in out.words.iter_mut().enumerate() {
            // In every set so far, and in all of them but one.
            let mut all = !0u64;
            let mut but_one = 0u64;
            for set in sets {
                let x = set.words.get(i).copied().unwrap_or(0);
                but_one = (but_one & x) | (all & !x);
                all &= x;
            }
            *out = if sets.len() == 1 { all } else { all | but_one };
        }
        out
    }

    /// Number of documents in the set.
    pub fn len(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// Whether the set has no document.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Removes the documents of `other`.
    pub fn subtract(&mut self, other: &DocIdBitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// Keeps only the documents for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(DocId) -> bool) {
        for (i, w) in self.words.iter_mut().enumerate() {
            let mut rest = *w;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                if !keep((i * 64) as DocId + bit) {
                    *w &= !(1 << bit);
                }
            }
        }
    }

    /// Keeps only the documents also in `other`.
    pub fn intersect(&mut self, other: &DocIdBitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Adds the documents of `other`.
    pub fn union(&mut self, other: &DocIdBitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// How many documents are in both sets.
    pub fn intersection_len(&self, other: &DocIdBitSet) -> u32 {
        // Counting bits is one instruction on CPUs that have it (the default x86-64
        // target assumes none), and a vector loop with AVX2; the crate's benchmark
        // compares these paths with the scalar one.
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("popcnt")
            {
                // SAFETY: the CPU has both features, checked just above.
                return unsafe { x86::intersection_len_avx2(&self.words, &other.words) };
            }
            if std::arch::is_x86_feature_detected!("popcnt") {
                // SAFETY: the CPU has the feature, checked just above.
                return unsafe { x86::intersection_len_popcnt(&self.words, &other.words) };
            }
        }
        intersection_len(&self.words, &other.words)
    }

    /// The set's words: bit `b` of word `w` is document `64 * w + b`.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// The documents in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let base = (i * 64) as DocId;
            let mut rest = w;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    base + bit
                })
            })
        })
    }
}

/// How many bits `a` and `b` have in common, word by word, with no CPU-specific code: the
/// reference [`DocIdBitSet::intersection_len`] is tested and measured against.
pub fn intersection_len_scalar(a: &[u64], b: &[u64]) -> u32 {
    intersection_len(a, b)
}

#[inline(always)]
fn intersection_len(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(a, b)| (a & b).count_ones()).sum()
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    #[target_feature(enable = "avx2,popcnt")]
    pub fn intersection_len_avx2(a: &[u64], b: &[u64]) -> u32 {
        super::intersection_len(a, b)
    }

    #[target_feature(enable = "popcnt")]
    pub fn intersection_len_popcnt(a: &[u64], b: &[u64]) -> u32 {
        super::intersection_len(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(max_doc: u32, docs: &[DocId]) -> DocIdBitSet {
        let mut b = DocIdBitSet::new(max_doc);
        for &d in docs {
            b.insert(d);
        }
        b
    }

    #[test]
    fn sets_insert_test_and_count_across_word_boundaries() {
        let b = of(130, &[0, 63, 64, 129]);
        assert!(b.contains(0) && b.contains(63) && b.contains(64) && b.contains(129));
        assert!(!b.contains(1) && !b.contains(128) && !b.contains(500));
        assert_eq!(b.iter().count(), 4);
        // Out of range: ignored, not a panic.
        let mut c = b.clone();
        c.insert(130_000);
        assert_eq!(c, b);
        assert_eq!(b.iter().collect::<Vec<_>>(), [0, 63, 64, 129]);
        assert_eq!(DocIdBitSet::new(0).iter().count(), 0);
        assert_eq!(DocIdBitSet::words_for(130), 3);
    }

    #[test]
    fn intersections_and_unions() {
        let a = of(200, &[1, 2, 70, 150]);
        let b = of(200, &[2, 70, 71, 199]);
        assert_eq!(a.intersection_len(&b), 2);
        assert_eq!(intersection_len(&a.words, &b.words), 2);
        let many = of(5000, &(0..5000).step_by(3).collect::<Vec<_>>());
        let more = of(5000, &(0..5000).step_by(5).collect::<Vec<_>>());
        // Multiples of 15 below 5000.
        assert_eq!(many.intersection_len(&more), 334);
        let mut i = a.clone();
        i.intersect(&b);
        assert_eq!(i, of(200, &[2, 70]));
        let mut u = a.clone();
        u.union(&b);
        assert_eq!(u, of(200, &[1, 2, 70, 71, 150, 199]));
        let mut d = a.clone();
        d.subtract(&b);
        assert_eq!(d, of(200, &[1, 150]));
        assert_eq!(
            (a.len(), DocIdBitSet::new(200).is_empty(), a.is_empty()),
            (4, true, false)
        );
        let mut r = u.clone();
        r.retain(|doc| doc % 2 == 1);
        assert_eq!(r, of(200, &[1, 71, 199]));
    }

    #[test]
    fn full_sets_stop_at_max_doc() {
        assert_eq!(
            DocIdBitSet::full(130),
            of(130, &(0..130).collect::<Vec<_>>())
        );
        assert_eq!(DocIdBitSet::full(128).len(), 128);
        assert_eq!(DocIdBitSet::full(0).len(), 0);
    }

    #[test]
    fn all_but_one_keeps_documents_missing_from_one_set_at_most() {
        let a = of(300, &[1, 2, 3, 100, 250]);
        let b = of(300, &[1, 2, 100, 299]);
        let c = of(300, &[1, 3, 250, 299]);
        // In all three: 1; in two: 2, 3, 100, 250, 299.
        assert_eq!(
            DocIdBitSet::all_but_one(&[a.clone(), b.clone(), c.clone()]),
            of(300, &[1, 2, 3, 100, 250, 299])
        );
        let d = of(300, &[2]);
        // Four sets: documents in three or four of them.
        assert_eq!(
            DocIdBitSet::all_but_one(&[a.clone(), b, c, d]),
            of(300, &[1, 2])
        );
        assert_eq!(DocIdBitSet::all_but_one(std::slice::from_ref(&a)), a);
        assert!(DocIdBitSet::all_but_one(&[]).is_empty());
    }

    #[test]
    fn the_cpu_specific_count_agrees_with_the_scalar_one() {
        // A simple xorshift sequence: every bit pattern, every length up to a few words
        // past the vector width, and odd tails.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for max_doc in [0, 1, 63, 64, 65, 255, 256, 257, 1000, 4099] {
            let mut a = DocIdBitSet::new(max_doc);
            let mut b = DocIdBitSet::new(max_doc);
            a.words.iter_mut().for_each(|w| *w = next());
            b.words.iter_mut().for_each(|w| *w = next() & next());
            assert_eq!(
                a.intersection_len(&b),
                intersection_len_scalar(&a.words, &b.words),
                "{max_doc}"
            );
        }
    }

    #[test]
    fn minimum_should_match_counts_the_sets_a_document_is_in() {
        let sets = [
            of(130, &[1, 2, 3, 4, 100]),
            of(130, &[1, 2, 3, 100]),
            of(130, &[1, 2, 129]),
            of(130, &[1, 100, 129]),
        ];
        let at_least = |k| DocIdBitSet::minimum_should_match(&sets, k);
        assert_eq!(at_least(0), of(130, &[1, 2, 3, 4, 100, 129]));
        assert_eq!(at_least(1), of(130, &[1, 2, 3, 4, 100, 129]));
        assert_eq!(at_least(2), of(130, &[1, 2, 3, 100, 129]));
        assert_eq!(at_least(3), of(130, &[1, 2, 100]));
        assert_eq!(at_least(4), of(130, &[1]));
        assert!(DocIdBitSet::minimum_should_match(&[], 1).is_empty());
    }
}
