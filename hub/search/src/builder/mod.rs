//! From parsed query text to a [`Plan`]: each word in every field and form (exact,
//! stemmed for English and French), fuzzy matching for rare words (typo tolerance), and
//! phrases as pairs of neighbouring words.

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::access::Visible;
use crate::analyzer::{self, Analyzers, tokens};
use crate::layout::Layout;
use crate::plan::{Clause, Group, Plan};
use crate::query_language::Parsed;

/// Boost of the title against the rest of the text.
pub const TITLE_BOOST: f32 = 3.0;
/// Boost of the English-stemmed fields against the folded, unstemmed one.
pub const EN_BOOST: f32 = 0.6;
/// Boost of the French-stemmed fields against the folded, unstemmed one.
pub const FR_BOOST: f32 = 0.4;
/// Score of a fuzzy match (constant, below what an exact match earns).
pub const FUZZY_SCORE: f32 = 0.4;

/// Expansions kept per fuzzy word.
pub const MAX_EXPANSIONS: usize = 64;
/// Typo tolerance applies to a word indexed in fewer than this many visible documents
/// (or one in a thousand of all documents, on a large index): a frequent word is taken as
/// spelt right. Title and text count apart: a document with the word in both counts
/// twice.
pub const FUZZY_MAX_DOC_FREQ: u64 = 20;

/// Builds tantivy queries from parsed text.
pub(crate) struct Builder<'a> {
    pub layout: &'a Layout,
    pub analyzers: Analyzers,
    pub searcher: &'a Searcher,
    /// What the reader may see: only those documents tell whether a word is frequent.
    pub visible: &'a Visible,
    /// Indexed words that fuzzy matching found (for highlighting).
    pub expansions: BTreeSet<String>,
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// A clause of a word: the term in a field, scored by BM25 with a boost. `subsumed`:
/// another clause of the word matches all its documents.
fn term_clause(field: Field, text: &str, boost: f32, subsumed: bool) -> Clause {
    Clause {
        query: term_query(field, text, boost),
        term: Some((Term::from_field_text(field, text), boost)),
        subsumed,
    }
}

/// Edit distance of typo tolerance for a word of this many characters (none for short
/// words).
pub fn fuzzy_distance(chars: usize) -> Option<u8> {
    match chars {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

impl Builder<'_> {
    /// One folded token, matched exactly, stemmed (English, French) and, for longer
    /// words, within a small edit distance.
    fn token(&mut self, tok: &str, fuzzy: bool) -> Group {
        let l = self.layout;
        let en = Analyzers::stem(&mut self.analyzers.en, tok);
        let fr = Analyzers::stem(&mut self.analyzers.fr, tok);
        // A French stem equal to the word itself or to its English stem finds what that
        // clause finds: its weight goes there rather than into a clause of its own (most
        // English words are left alone by the French stemmer, and a common word's
        // clauses are most of a search's work).
        let (exact_w, en_w, fr_own) = if fr == tok {
            (1.0 + FR_BOOST, EN_BOOST, false)
        } else if fr == en {
            (1.0, EN_BOOST + FR_BOOST, false)
        } else {
            (1.0, EN_BOOST, true)
        };
        let mut clauses: Group = vec![
            // The stemmed fields hold every indexed word, stemmed where it stood: a
            // document with the word has its stem there too.
            term_clause(l.title.exact, tok, TITLE_BOOST * exact_w, true),
            term_clause(l.title.en, &en, TITLE_BOOST * en_w, false),
            term_clause(l.text.exact, tok, exact_w, true),
            term_clause(l.text.en, &en, en_w, false),
        ];
        if fr_own {
            clauses.push(term_clause(l.title.fr, &fr, TITLE_BOOST * FR_BOOST, false));
            clauses.push(term_clause(l.text.fr, &fr, FR_BOOST, false));
        }
        if let Some(d) = fuzzy.then(|| fuzzy_distance(tok.chars().count())).flatten()
            && !self.is_frequent(tok)
        {
            let near = self.expand(tok, d);
            if !near.is_empty() {
                for (field, boost) in [
                    (l.title.exact, TITLE_BOOST * FUZZY_SCORE),
                    (l.text.exact, FUZZY_SCORE),
                ] {
                    let any: Vec<(Occur, Box<dyn Query>)> = near
                        .iter()
                        .map(|t| {
                            let q = TermQuery::new(
                                Term::from_field_text(field, t),
                                IndexRecordOption::Basic,
                            );
                            (Occur::Should, Box::new(q) as Box<dyn Query>)
                        })
                        .collect();
                    let q = BooleanQuery::new(any);
                    clauses.push(Clause {
                        query: Box::new(ConstScoreQuery::new(Box::new(q), boost)),
                        term: None,
                        subsumed: false,
                    });
                }
            }
        }
        clauses
    }

    /// Whether `tok` reaches the document frequency above which typo tolerance stops
    /// ([`FUZZY_MAX_DOC_FREQ`]), among the visible documents. Matching a frequent word's
    /// near spellings would add little (its own documents already match) and would cost
    /// more than the rest of the search. Only visible documents count, so what others may
    /// not see never changes what a reader finds.
    fn is_frequent(&self, tok: &str) -> bool {
        let l = self.layout;
        let needed = FUZZY_MAX_DOC_FREQ.max(self.searcher.num_docs() / 1000);
        let fields = [l.title.exact, l.text.exact];
        let total: u64 = fields
            .iter()
            .map(|&field| {
                self.searcher
                    .doc_freq(&Term::from_field_text(field, tok))
                    .unwrap_or(0)
            })
            .sum();
        if total < needed {
            return false;
        }
        let mut seen = 0;
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            for &field in &fields {
                let Ok(index) = segment.inverted_index(field) else {
                    continue;
                };
                let term = Term::from_field_text(field, tok);
                let Ok(Some(mut postings)) = index.read_postings(&term, IndexRecordOption::Basic)
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) && self.visible.allows(ord as u32, doc)
                    {
                        seen += 1;
                        if seen >= needed {
                            return true;
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        false
    }

    /// Indexed words of the title and text within `distance` edits of `tok` (itself
    /// included when indexed). One automaton serves every field and segment.
    fn expand(&mut self, tok: &str, distance: u8) -> Vec<String> {
        let l = self.layout;
        let probe = FuzzyTermQuery::new(Term::from_field_text(l.text.exact, tok), distance, true);
        let Ok(automaton) = probe.automaton() else {
            return vec![];
        };
        let mut found: BTreeSet<String> = BTreeSet::new();
        'all: for segment in self.searcher.segment_readers() {
            for field in [l.title.exact, l.text.exact] {
                let Ok(index) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        found.insert(term.to_string());
                        if found.len() >= MAX_EXPANSIONS {
                            break 'all;
                        }
                    }
                }
            }
        }
        self.expansions
            .extend(found.iter().filter(|t| *t != tok).cloned());
        found.into_iter().collect()
    }

    /// Consecutive folded tokens, in the title or the text: looked up as pairs of
    /// neighbouring words, a single term for two words, pairs that follow each other for
    /// more.
    fn phrase(&mut self, toks: &[String]) -> Group {
        let l = self.layout;
        let en: Vec<String> = toks
            .iter()
            .map(|t| Analyzers::stem(&mut self.analyzers.en, t))
            .collect();
        let exact = analyzer::pair_terms(toks);
        let en = analyzer::pair_terms(&en);
        // Where the words follow each other, their stems do too.
        [
            (l.title.exact_pairs, &exact, TITLE_BOOST, true),
            (l.title.en_pairs, &en, TITLE_BOOST * EN_BOOST, false),
            (l.text.exact_pairs, &exact, 1.0, true),
            (l.text.en_pairs, &en, EN_BOOST, false),
        ]
        .into_iter()
        .map(|(field, pairs, boost, subsumed)| match pairs.as_slice() {
            [pair] => term_clause(field, pair, boost, subsumed),
            _ => {
                let terms = pairs
                    .iter()
                    .map(|p| Term::from_field_text(field, p))
                    .collect();
                Clause {
                    query: Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost)),
                    term: None,
                    subsumed,
                }
            }
        })
        .collect()
    }

    /// Words of a piece of text: one token, or a phrase when it splits (`time-series`).
    fn text(&mut self, text: &str, fuzzy: bool) -> Option<Group> {
        let toks = tokens(&mut self.analyzers.exact, text);
        match toks.len() {
            0 => None,
            1 => Some(self.token(&toks[0], fuzzy)),
            _ => Some(self.phrase(&toks)),
        }
    }

    /// The whole query but for access and facet filters: text (or everything), under
    /// `filters`. See [`Plan::new`] for the minimum should match. The access set is
    /// applied by the collector ([`Visible`]), which checks every document before it
    /// counts or keeps it.
    pub fn build(&mut self, parsed: &Parsed, filters: Vec<Box<dyn Query>>) -> Plan {
        let words = parsed
            .words
            .iter()
            .filter_map(|w| self.text(w, true))
            .collect();
        let phrases = parsed
            .phrases
            .iter()
            .filter_map(|p| self.text(p, false))
            .collect();
        let excluded = parsed
            .excluded
            .iter()
            .filter_map(|w| self.text(w, false))
            .collect();
        let mut plan = Plan::new(words, phrases, excluded, parsed.is_empty());
        plan.filters = filters;
        plan
    }
}

#[cfg(test)]
mod tests;
