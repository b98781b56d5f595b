//! A search's query as groups of clauses, evaluated one clause at a time.
//!
//! tantivy runs a boolean query document at a time: every matching document goes through
//! a union of each word's clauses, a heap that counts the words it matches, and then the
//! collector. A search here needs every match anyway, to count facets, so it reads each
//! clause's postings once, in order instead: scores add up in an array, a word's
//! documents gather in a doc-id set, and the sets then combine by bit operations
//! (minimum should match over the words, every phrase, no exclusion). Without scores (results by date,
//! exclusions) only term and phrase clauses in the stemmed fields are read: the exact
//! forms' documents are among theirs. A term clause is scored straight from its blocks of
//! postings. The scores are those of the boolean query (a sum over the matching clauses);
//! [`Plan::to_query`] is that query, and a test holds the two to the same answers.

use std::cell::RefCell;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25Weight, EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

use crate::bits::DocIdBitSet;

/// What a document must match: the boolean query's clauses and its minimum should match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// No text: every document matches (`AllQuery`).
    All,
    /// Text that analysis left without a word (punctuation only): nothing matches
    /// (`EmptyQuery`).
    Empty,
    /// The word groups are should clauses, at least this many matching: one for up to
    /// two words, all words but one from three on.
    MinimumShouldMatch(usize),
    /// The phrase groups are must clauses; the word groups are should clauses with no
    /// minimum, adding to the score only.
    AllPhrases,
}

/// One clause of a group.
pub struct Clause {
    pub query: Box<dyn Query>,
    /// For a clause that is one term scored by BM25: the term and its boost. Scoring
    /// reads its postings block by block, which is what the query would do, without a
    /// call through a callback for every document.
    pub term: Option<(Term, Score)>,
    /// Whether another clause of the group matches every document this one does (the
    /// clause is subsumed: an exact word or phrase is also there once stemmed): it only
    /// adds to scores, and finding the group's documents without scores skips it.
    pub subsumed: bool,
}

/// Clauses, any one of which matching makes the group match (a word in each field and
/// form, or a phrase in each field).
pub type Group = Vec<Clause>;

/// The query of a search but for visibility and facet filters.
pub struct Plan {
    pub words: Vec<Group>,
    pub phrases: Vec<Group>,
    /// A document matching any of these is left out.
    pub excluded: Vec<Group>,
    /// Filters every document must pass, adding nothing to scores (QF4SA levels).
    pub filters: Vec<Box<dyn Query>>,
    pub matching: Matching,
}

impl Plan {
    /// A plan for text split into words, phrases and exclusions (`everything` when the
    /// search has no text at all).
    pub fn new(
        words: Vec<Group>,
        phrases: Vec<Group>,
        excluded: Vec<Group>,
        everything: bool,
    ) -> Self {
        let matching = if !phrases.is_empty() {
            Matching::AllPhrases
        } else if words.len() >= 3 {
            Matching::MinimumShouldMatch(words.len() - 1)
        } else if !words.is_empty() {
            Matching::MinimumShouldMatch(1)
        } else if everything {
            Matching::All
        } else {
            Matching::Empty
        };
        Self {
            words,
            phrases,
            excluded,
            filters: Vec::new(),
            matching,
        }
    }

    /// The weights for `searcher`, with scores or without.
    pub fn weights(&self, searcher: &Searcher, scoring: bool) -> tantivy::Result<Weights> {
        let scored = if scoring {
            EnableScoring::enabled_from_searcher(searcher)
        } else {
            EnableScoring::disabled_from_searcher(searcher)
        };
        let unscored = EnableScoring::disabled_from_searcher(searcher);
        let groups = |groups: &[Group], how: EnableScoring| -> tantivy::Result<Vec<GroupWeights>> {
            groups
                .iter()
                .map(|g| {
                    g.iter()
                        .filter(|c| how.is_scoring_enabled() || !c.subsumed)
                        .map(|c| {
                            Ok(match &c.term {
                                Some((term, boost)) if how.is_scoring_enabled() => {
                                    ClauseWeight::Term {
                                        term: term.clone(),
                                        bm25: Bm25Weight::for_terms(
                                            searcher,
                                            std::slice::from_ref(term),
                                        )?
                                        .boost_by(*boost),
                                    }
                                }
                                _ => ClauseWeight::Query(c.query.weight(how)?),
                            })
                        })
                        .collect()
                })
                .collect()
        };
        Ok(Weights {
            words: groups(&self.words, scored)?,
            phrases: groups(&self.phrases, scored)?,
            excluded: groups(&self.excluded, unscored)?,
            filters: self
                .filters
                .iter()
                .map(|q| Ok(ClauseWeight::Query(q.weight(unscored)?)))
                .collect::<tantivy::Result<_>>()?,
            matching: self.matching,
            scoring,
        })
    }

    /// The same search as one tantivy `BooleanQuery`, for comparison in tests.
    #[cfg(test)]
    pub fn to_query(&self) -> Box<dyn Query> {
        use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur};
        let any = |g: &Group| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                g.iter()
                    .map(|c| (Occur::Should, c.query.box_clone()))
                    .collect(),
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.extend(self.words.iter().map(|g| (Occur::Should, any(g))));
        clauses.extend(self.phrases.iter().map(|g| (Occur::Must, any(g))));
        let text: Box<dyn Query> = match self.matching {
            Matching::All => Box::new(AllQuery),
            Matching::Empty => Box::new(EmptyQuery),
            Matching::MinimumShouldMatch(n) => {
                let mut q = BooleanQuery::new(clauses);
                q.set_minimum_number_should_match(n);
                Box::new(q)
            }
            Matching::AllPhrases => Box::new(BooleanQuery::new(clauses)),
        };
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        all.extend(self.excluded.iter().map(|g| (Occur::MustNot, any(g))));
        all.extend(self.filters.iter().map(|q| (Occur::Must, q.box_clone())));
        Box::new(BooleanQuery::new(all))
    }
}

/// How a clause is evaluated.
enum ClauseWeight {
    /// A term scored by BM25, read from its postings blocks.
    Term { term: Term, bm25: Bm25Weight },
    /// Anything else, or any clause when the search does not score: through tantivy.
    Query(Box<dyn Weight>),
}

/// A group's clauses' weights.
type GroupWeights = Vec<ClauseWeight>;

/// A plan's weights for one searcher.
pub struct Weights {
    words: Vec<GroupWeights>,
    phrases: Vec<GroupWeights>,
    excluded: Vec<GroupWeights>,
    filters: Vec<ClauseWeight>,
    matching: Matching,
    scoring: bool,
}

impl Weights {
    /// Whether [`Weights::matches`] computes scores.
    pub fn scoring(&self) -> bool {
        self.scoring
    }

    /// The documents of a segment that match, deleted ones included, with their scores
    /// added into `scores` (one per document, zero on entry) when scoring.
    pub fn matches(
        &self,
        reader: &SegmentReader,
        scores: &mut [Score],
    ) -> tantivy::Result<DocIdBitSet> {
        let max_doc = reader.max_doc();
        let mut scores = if self.scoring { Some(scores) } else { None };
        // With phrases, words only add to scores: unscored, they are not read at all.
        let words_count = self.scoring || self.matching != Matching::AllPhrases;
        let mut words = Vec::new();
        for w in self.words.iter().filter(|_| words_count) {
            words.push(group(w, reader, scores.as_deref_mut())?);
        }
        let mut docs = match self.matching {
            Matching::All => DocIdBitSet::full(max_doc),
            Matching::Empty => DocIdBitSet::new(max_doc),
            Matching::MinimumShouldMatch(_) if words.is_empty() => DocIdBitSet::new(max_doc),
            Matching::MinimumShouldMatch(n) => DocIdBitSet::minimum_should_match(&words, n),
            Matching::AllPhrases => {
                let mut all = DocIdBitSet::full(max_doc);
                for p in &self.phrases {
                    all.intersect(&group(p, reader, scores.as_deref_mut())?);
                }
                all
            }
        };
        for f in &self.filters {
            docs.intersect(&group(std::slice::from_ref(f), reader, None)?);
        }
        for e in &self.excluded {
            docs.subtract(&group(e, reader, None)?);
        }
        Ok(docs)
    }
}

/// The documents any of `clauses` matches, their scores added into `scores`.
fn group(
    clauses: &[ClauseWeight],
    reader: &SegmentReader,
    mut scores: Option<&mut [Score]>,
) -> tantivy::Result<DocIdBitSet> {
    let mut docs = DocIdBitSet::new(reader.max_doc());
    for c in clauses {
        match (c, scores.as_deref_mut()) {
            // Without scores to add to, only the documents count.
            (ClauseWeight::Term { term, bm25 }, scores) => {
                add_term(term, bm25, reader, &mut docs, scores.unwrap_or_default())?;
            }
            (ClauseWeight::Query(w), Some(scores)) => w.for_each(reader, &mut |doc, score| {
                docs.insert(doc);
                if let Some(s) = scores.get_mut(doc as usize) {
                    *s += score;
                }
            })?,
            (ClauseWeight::Query(w), None) => {
                w.for_each_no_score(reader, &mut |found: &[DocId]| {
                    for &doc in found {
                        docs.insert(doc);
                    }
                })?
            }
        }
    }
    Ok(docs)
}

/// Adds a term's documents into `docs` and their BM25 scores into `scores`, a block of
/// postings at a time: the score tantivy's term scorer gives each.
fn add_term(
    term: &Term,
    bm25: &Bm25Weight,
    reader: &SegmentReader,
    docs: &mut DocIdBitSet,
    scores: &mut [Score],
) -> tantivy::Result<()> {
    let index = reader.inverted_index(term.field())?;
    let Some(mut postings) = index.read_block_postings(term, IndexRecordOption::WithFreqs)? else {
        return Ok(());
    };
    // As the term scorer does: a field without norms counts every document as one token.
    let norms = match reader.fieldnorms_readers().get_field(term.field())? {
        Some(norms) => norms,
        None => FieldNormReader::constant(reader.max_doc(), 1),
    };
    loop {
        let block = postings.docs();
        if block.is_empty() {
            return Ok(());
        }
        for (&doc, &freq) in block.iter().zip(postings.freqs()) {
            docs.insert(doc);
            if let Some(s) = scores.get_mut(doc as usize) {
                *s += bm25.score(norms.fieldnorm_id(doc), freq);
            }
        }
        postings.advance();
    }
}

thread_local! {
    /// Score arrays are a few hundred kilobytes: each thread reuses its own.
    static SCORES: RefCell<Vec<Score>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with `len` zeroed scores.
pub fn with_scores<R>(len: usize, f: impl FnOnce(&mut [Score]) -> R) -> R {
    let mut scores = SCORES.with(|s| std::mem::take(&mut *s.borrow_mut()));
    scores.clear();
    scores.resize(len, 0.0);
    let out = f(&mut scores);
    SCORES.with(|s| *s.borrow_mut() = scores);
    out
}
