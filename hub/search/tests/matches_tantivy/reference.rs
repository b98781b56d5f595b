//! The reference evaluation: the crate's documented rules written with tantivy's own
//! queries.

use agora_search::analyzer::{self, EN, EXACT, FR};
use agora_search::builder::{EN_BOOST, FR_BOOST, FUZZY_MAX_DOC_FREQ, FUZZY_SCORE, TITLE_BOOST};
use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use crate::corpus::{Corpus, QuerySpec, WORDS, query_word};

pub fn analyse(index: &Index, analyser: &str, text: &str) -> Vec<String> {
    let mut a = index.tokenizers().get(analyser).unwrap();
    analyzer::tokens(&mut a, text)
}

pub fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

pub fn any_of(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

pub fn count(searcher: &Searcher, clauses: Vec<(Occur, Box<dyn Query>)>) -> usize {
    searcher
        .search(&BooleanQuery::new(clauses), &Count)
        .unwrap()
}

/// The reference: the crate's documented rules as one tantivy query.
pub struct Reference<'a> {
    pub c: &'a Corpus,
    pub searcher: &'a Searcher,
    pub access: Option<Box<dyn Query>>,
}

impl Reference<'_> {
    /// A word in every field and form, weighted as documented; with typo tolerance when
    /// `fuzzy` and the word is in fewer visible documents than the threshold.
    pub fn word(&self, tok: &str, fuzzy: bool) -> Box<dyn Query> {
        let l = &self.c.layout;
        let stem = |analyser| {
            analyse(&self.c.index, analyser, tok)
                .into_iter()
                .next()
                .unwrap_or_else(|| tok.to_string())
        };
        let (en, fr) = (stem(EN), stem(FR));
        let (exact_w, en_w, fr_own) = if fr == tok {
            (1.0 + FR_BOOST, EN_BOOST, false)
        } else if fr == en {
            (1.0, EN_BOOST + FR_BOOST, false)
        } else {
            (1.0, EN_BOOST, true)
        };
        let mut clauses = vec![
            term(l.title.exact, tok, TITLE_BOOST * exact_w),
            term(l.title.en, &en, TITLE_BOOST * en_w),
            term(l.text.exact, tok, exact_w),
            term(l.text.en, &en, en_w),
        ];
        if fr_own {
            clauses.push(term(l.title.fr, &fr, TITLE_BOOST * FR_BOOST));
            clauses.push(term(l.text.fr, &fr, FR_BOOST));
        }
        let distance = match tok.chars().count() {
            0..=3 => None,
            4..=7 => Some(1),
            _ => Some(2),
        };
        let threshold = FUZZY_MAX_DOC_FREQ.max(self.searcher.num_docs() / 1000) as usize;
        if let Some(d) = distance.filter(|_| fuzzy)
            && self.visible_freq(tok) < threshold
        {
            for (field, score) in [
                (l.title.exact, TITLE_BOOST * FUZZY_SCORE),
                (l.text.exact, FUZZY_SCORE),
            ] {
                let q = FuzzyTermQuery::new(Term::from_field_text(field, tok), d, true);
                clauses.push(Box::new(ConstScoreQuery::new(Box::new(q), score)));
            }
        }
        any_of(clauses)
    }

    /// Visible documents with `tok` in the title, plus those with it in the text.
    pub fn visible_freq(&self, tok: &str) -> usize {
        let l = &self.c.layout;
        [l.title.exact, l.text.exact]
            .into_iter()
            .map(|field| {
                let mut clauses = vec![(Occur::Must, term(field, tok, 1.0))];
                clauses.extend(self.access.iter().map(|a| (Occur::Must, a.box_clone())));
                count(self.searcher, clauses)
            })
            .sum()
    }

    /// The query of `q` but for facet filters: text (minimum should match), exclusions,
    /// access.
    pub fn base(&self, q: &QuerySpec) -> Vec<(Occur, Box<dyn Query>)> {
        let idx = &self.c.index;
        let mut words: Vec<String> = q.words.iter().map(|w| query_word(*w)).collect();
        let mut excluded: Vec<String> = q.excluded.iter().map(|&w| WORDS[w].into()).collect();
        if words.is_empty() {
            // Exclusions alone are read as words.
            words = std::mem::take(&mut excluded);
        }
        let toks: Vec<String> = words
            .iter()
            .filter_map(|w| analyse(idx, EXACT, w).into_iter().next())
            .collect();
        let text: Box<dyn Query> = if words.is_empty() {
            Box::new(AllQuery)
        } else {
            let groups = toks
                .iter()
                .map(|t| (Occur::Should, self.word(t, true)))
                .collect();
            let mut b = BooleanQuery::new(groups);
            let n = toks.len();
            b.set_minimum_number_should_match(if n >= 3 { n - 1 } else { 1 });
            Box::new(b)
        };
        let mut clauses = vec![(Occur::Must, text)];
        for w in &excluded {
            for t in analyse(idx, EXACT, w) {
                clauses.push((Occur::MustNot, self.word(&t, false)));
            }
        }
        clauses.extend(self.access.iter().map(|a| (Occur::Must, a.box_clone())));
        clauses
    }
}

/// Accepted values of a facet, adding nothing to scores.
pub fn facet_filter(field: Field, values: &[&str]) -> Box<dyn Query> {
    let any = any_of(values.iter().map(|v| term(field, v, 1.0)).collect());
    Box::new(ConstScoreQuery::new(any, 0.0))
}
