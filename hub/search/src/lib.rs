//! Agora's full-text search engine, on tantivy.
//!
//! The engine knows documents and queries, nothing of the application around it:
//!
//! - **Documents** have a title and a text, each indexed in five forms ([`TextForms`]:
//!   folded, stemmed for English and for French, and pairs of neighbouring words, folded
//!   and stemmed), facets (string values counted and filtered on), access keys (string
//!   values that admit readers), a date and a tiebreak number. The application builds its
//!   schema from the building blocks of [`layout`] and tells the engine where these fields
//!   are with a [`Layout`]; analysers are registered on the index with
//!   [`analyzer::register`].
//! - **Queries** ([`Request`]) are text in a small language ([`query_language`]: words,
//!   "quoted phrases", -exclusions), accepted values per facet, extra filter queries that
//!   add nothing to scores, an [`AccessSet`], an [`Order`] and how many hits to keep.
//! - **Answers** ([`Found`]) are the total, the best hits (by BM25 score or by date), the
//!   count of every facet value, and a [`Highlighter`] that marks the query's words in
//!   the hits' texts.
//!
//! Matching follows a boolean query (tantivy's `BooleanQuery`), with these rules:
//!
//! - each word is a group of should clauses: its term in every form of the title
//!   (boosted by [`builder::TITLE_BOOST`]) and of the text, stems weighted by
//!   [`builder::EN_BOOST`] and [`builder::FR_BOOST`]; a word that splits in analysis
//!   (`time-series`) is a phrase;
//! - typo tolerance: a word of four characters or more that is in fewer than
//!   [`builder::FUZZY_MAX_DOC_FREQ`] visible documents (or a thousandth of the index)
//!   also matches indexed words within one edit (two from eight characters), at a
//!   constant score ([`builder::FUZZY_SCORE`]);
//! - minimum should match: one word group for one or two words, all but one from three
//!   words on; with a phrase, every phrase must match and words only add to the score;
//! - excluded words and filters are must-not and must clauses that add nothing;
//! - facet filters: the values of one facet are alternatives, facets combine; each facet
//!   is counted under the query and the *other* facets' filters;
//! - only documents of the access set are counted, ranked or used to decide whether a
//!   word is frequent.
//!
//! Evaluation reads each clause's postings once into doc-id bit sets and score arrays
//! rather than running the boolean query document at a time: a search needs every match
//! to count facets. The property test in `tests/` holds hits, order, totals and facet
//! counts to a plain tantivy evaluation of the rules above; `benches/engine.rs` measures
//! the bit operations and a query over a synthetic corpus.

#![warn(missing_docs)]

mod access;
pub mod analyzer;
pub mod bits;
pub mod builder;
mod collect;
pub mod layout;
mod ordinals;
mod plan;
pub mod query_language;
pub mod snippets;
#[cfg(test)]
mod testing;

use std::collections::{BTreeSet, HashMap};

use tantivy::query::Query;
use tantivy::{DocAddress, Score, Searcher};

pub use access::{AccessKey, AccessSet};
pub use collect::Order;
pub use layout::{Layout, TextForms};
pub use snippets::Highlighter;

use access::Visible;
use analyzer::Analyzers;
use builder::Builder;
use collect::Collect;
use ordinals::OrdinalCache;

/// A search engine over indexes of one [`Layout`]: the analysers, and the facet values
/// of the segments it has met (read once per segment, kept while the segment lives).
pub struct Engine {
    layout: Layout,
    analyzers: Analyzers,
    ordinals: OrdinalCache,
}

/// A search.
pub struct Request<'a> {
    /// Query text, in the [`query_language`].
    pub text: &'a str,
    /// Accepted values per facet of the layout, in its order; an empty list (or a
    /// missing one) does not filter.
    pub facet_filters: &'a [Vec<String>],
    /// Further queries every hit must match, adding nothing to scores.
    pub filters: Vec<Box<dyn Query>>,
    /// What the reader may see.
    pub access: &'a AccessSet,
    /// The order asked for; a query without words or phrases is ordered by date.
    pub order: Order,
    /// How many of the best hits to keep.
    pub top: usize,
}

/// One hit and the keys that ranked it.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// The document.
    pub doc: DocAddress,
    /// Its BM25 score (0 when ordered by date).
    pub score: Score,
    /// Its date.
    pub updated_at: i64,
}

/// What a search found.
pub struct Found {
    /// Visible documents that match the query and every filter.
    pub total: u64,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// Per facet of the layout, the count of each value carried by a visible match under
    /// the other facets' filters (values counted zero are left out).
    pub facets: Vec<HashMap<String, u64>>,
    /// Marks the query's words (and what typo tolerance matched) in the hits' texts.
    pub highlighter: Highlighter,
}

impl Engine {
    /// An engine for indexes of `layout`.
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            analyzers: Analyzers::new(),
            ordinals: OrdinalCache::default(),
        }
    }

    /// The fields the engine reads.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Runs `request` on `searcher`.
    pub fn search(&self, searcher: &Searcher, request: Request<'_>) -> tantivy::Result<Found> {
        let parsed = query_language::parse(request.text);
        self.ordinals.keep_only(searcher);
        let visible = Visible::of(request.access, searcher, &self.ordinals, &self.layout)?;
        let mut builder = Builder {
            layout: &self.layout,
            analyzers: self.analyzers.clone(),
            searcher,
            visible: &visible,
            expansions: BTreeSet::new(),
        };
        let plan = builder.build(&parsed, request.filters);
        let order = if parsed.is_empty() {
            Order::Updated
        } else {
            request.order
        };
        let collect = Collect {
            layout: &self.layout,
            filters: request.facet_filters,
            sort: order,
            top: request.top,
            ordinals: &self.ordinals,
            visible: &visible,
        };
        let weights = plan.weights(searcher, order == Order::Relevance)?;
        let collected = collect.run(searcher, &weights)?;
        Ok(Found {
            total: collected.total,
            hits: collected
                .hits
                .iter()
                .map(|r| Hit {
                    doc: r.doc,
                    score: r.score,
                    updated_at: r.updated_at,
                })
                .collect(),
            facets: collected.facets,
            highlighter: Highlighter::new(&self.analyzers, &parsed, &builder.expansions),
        })
    }
}
