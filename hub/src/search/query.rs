//! Search requests: their parameters, the small query language (words, "quoted phrases",
//! -exclusions) and the tantivy query built from them. Parsing never fails: anything that
//! is not well-formed syntax is read as plain words.

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use super::access::{AccessField, Visible, admitting};
use super::analyzer::{self, Analyzers, tokens};
use super::document::Kind;
use super::levels;
use super::plan::{Clause, Group, Plan};
use super::schema::{FACETS, Fields};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// Largest page.
pub const MAX_PER_PAGE: u32 = 100;
/// Deepest result reachable by paging.
pub const MAX_DEPTH: u32 = 10_000;
const MAX_VALUES: usize = 20;
const JOURNEY_STAGES: [&str; 5] = ["idea", "pilot", "validated", "production", "maintenance"];
const QF4SA_STATES: [&str; 3] = ["any", "submitted", "reviewed"];

/// Weight of the title against the rest of the text.
const TITLE: f32 = 3.0;
/// Weights of the stemmed fields against the folded, unstemmed one.
const EN: f32 = 0.6;
const FR: f32 = 0.4;
/// Score of a fuzzy match (constant, below what an exact match earns).
const FUZZY: f32 = 0.4;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Updated,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Updated => "updated",
        }
    }
}

/// A search: query text, facet filters (values of one facet are alternatives; facets
/// combine), order and page.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    /// Selected values per facet, in the order of [`FACETS`].
    pub filters: [Vec<String>; FACETS.len()],
    /// Lowest QF4SA levels asked for: (dimension index in the framework's order, level).
    /// An item passes when its current QF4SA assessment reaches every one.
    pub qf4sa_min: Vec<(usize, u8)>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

impl Default for SearchRequest {
    fn default() -> Self {
        Self {
            q: String::new(),
            filters: Default::default(),
            qf4sa_min: Vec::new(),
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

impl SearchRequest {
    /// Reads a query string. Facets may repeat (`kind=project&kind=model`) or list values
    /// separated by commas. Bad parameters are 422s naming them.
    pub fn from_query(query: &str) -> Result<Self> {
        let mut r = Self::default();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if name.is_empty() {
                // Found by `tests/fuzz_search_query.rs`: `?=x` was refused naming no field.
                return Err(Error::invalid(
                    "query",
                    "a parameter has no name: write `name=value`",
                ));
            }
            let value = value.trim();
            if let Some(i) = FACETS.iter().position(|(p, _)| *p == name) {
                for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    let v = v.to_lowercase();
                    if v.chars().count() > 100 {
                        return Err(Error::invalid(name, "values are at most 100 characters"));
                    }
                    if !r.filters[i].contains(&v) {
                        r.filters[i].push(v);
                    }
                }
                if r.filters[i].len() > MAX_VALUES {
                    return Err(Error::invalid(name, format!("at most {MAX_VALUES} values")));
                }
                continue;
            }
            if name == "qf4sa_min" {
                for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    let (dim, level) = levels::parse(v)?;
                    // Two floors for one dimension both hold: the higher one.
                    match r.qf4sa_min.iter_mut().find(|(d, _)| *d == dim) {
                        Some((_, floor)) => *floor = (*floor).max(level),
                        None => r.qf4sa_min.push((dim, level)),
                    }
                }
                continue;
            }
            if seen.iter().any(|s| *s == name) {
                return Err(Error::invalid(name, "given more than once"));
            }
            seen.push(name.to_string());
            match &*name {
                "q" => r.q = value.to_string(),
                "sort" => {
                    r.sort = match value {
                        "" | "relevance" => Sort::Relevance,
                        "updated" => Sort::Updated,
                        _ => {
                            return Err(Error::invalid("sort", "must be `relevance` or `updated`"));
                        }
                    }
                }
                "page" => r.page = number("page", value, 1)?,
                "per_page" => r.per_page = number("per_page", value, 20)?,
                other => return Err(Error::invalid(other, "unknown parameter")),
            }
        }
        r.validate()?;
        Ok(r)
    }

    pub fn validate(&self) -> Result<()> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "q",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        if !(1..=MAX_PER_PAGE).contains(&self.per_page) {
            return Err(Error::invalid(
                "per_page",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        // A bound on `page` alone, so that the API document can state it: with the most
        // results per page, the pages reach the deepest result served.
        if !(1..=MAX_DEPTH / MAX_PER_PAGE).contains(&self.page) {
            return Err(Error::invalid(
                "page",
                format!("must be between 1 and {}", MAX_DEPTH / MAX_PER_PAGE),
            ));
        }
        if let Some(bad) = self.filters[0].iter().find(|k| Kind::parse(k).is_none()) {
            return Err(Error::invalid(
                "kind",
                format!(
                    "`{bad}` is not one of project, model, workstream, organisation, assessment"
                ),
            ));
        }
        if let Some(bad) = self.filters[8]
            .iter()
            .find(|s| !QF4SA_STATES.contains(&s.as_str()))
        {
            return Err(Error::invalid(
                "has_qf4sa",
                format!("`{bad}` is not one of {}", QF4SA_STATES.join(", ")),
            ));
        }
        if let Some(bad) = self.filters[7]
            .iter()
            .find(|s| !JOURNEY_STAGES.contains(&s.as_str()))
        {
            return Err(Error::invalid(
                "stage",
                format!("`{bad}` is not one of {}", JOURNEY_STAGES.join(", ")),
            ));
        }
        Ok(())
    }

    /// The values selected for the facet named `name` (as in the API).
    pub fn selected(&self, name: &str) -> &[String] {
        FACETS
            .iter()
            .position(|(p, _)| *p == name)
            .map(|i| self.filters[i].as_slice())
            .unwrap_or(&[])
    }
}

fn number(name: &str, value: &str, default: u32) -> Result<u32> {
    if value.is_empty() {
        return Ok(default);
    }
    value
        .parse()
        .map_err(|_| Error::invalid(name, "must be a whole number"))
}

/// The query text, read leniently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
}

impl Parsed {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

/// Splits a query into words, "phrases" and -exclusions. An unclosed quote is ignored.
pub fn parse(q: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut rest = q;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix('"') {
            if let Some(end) = after.find('"') {
                let phrase = after[..end].trim();
                if !phrase.is_empty() {
                    p.phrases.push(phrase.to_string());
                }
                rest = &after[end + 1..];
                continue;
            }
            rest = after;
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        match word.strip_prefix('-') {
            Some(ex) if ex.starts_with(char::is_alphanumeric) => p.excluded.push(ex.to_string()),
            _ => p.words.push(word.to_string()),
        }
    }
    if p.is_empty() {
        // A query of exclusions only means the words themselves.
        p.words = std::mem::take(&mut p.excluded);
    }
    p
}

/// Expansions kept per misspelt word.
const MAX_EXPANSIONS: usize = 64;
/// A word indexed in at least this many documents (or one in a thousand, on a large index)
/// is taken as spelt right, and its near spellings are not looked for. Title and text
/// count apart: a document with the word in both counts twice.
const SPELT_RIGHT_DOCS: u64 = 20;

/// Builds tantivy queries from parsed text.
pub struct Builder<'a> {
    pub fields: &'a Fields,
    pub analyzers: Analyzers,
    pub searcher: &'a Searcher,
    /// What the caller may see: only those documents tell whether a word is common.
    pub visible: &'a Visible,
    /// Indexed words that fuzzy matching found for misspelt words (for highlighting).
    pub expansions: BTreeSet<String>,
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// A clause of a word: the term in a field, scored by BM25 with a boost. `covered`:
/// another clause of the word matches all its documents.
fn term_clause(field: Field, text: &str, boost: f32, covered: bool) -> Clause {
    Clause {
        query: term_query(field, text, boost),
        term: Some((Term::from_field_text(field, text), boost)),
        covered,
    }
}

/// What the caller may see, as a filter that adds nothing to scores, for searches that do
/// not go through the collector (suggestions); searches go through [`Visible`].
pub fn visibility(fields: &Fields, caller: &Caller) -> Option<Box<dyn Query>> {
    let allowed: Vec<(Occur, Box<dyn Query>)> = admitting(caller)?
        .into_iter()
        .map(|(field, value)| {
            let field = match field {
                AccessField::Visibility => fields.visibility,
                AccessField::Owners => fields.owners,
            };
            (Occur::Should, term_query(field, &value, 1.0))
        })
        .collect();
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(allowed)),
        0.0,
    )))
}

/// Edit distance allowed for a word of this many characters.
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
        let f = self.fields;
        let en = Analyzers::stem(&mut self.analyzers.en, tok);
        let fr = Analyzers::stem(&mut self.analyzers.fr, tok);
        // A French stem equal to the word itself or to its English stem finds what that
        // clause finds: its weight goes there rather than into a clause of its own (most
        // English words are left alone by the French stemmer, and a common word's
        // clauses are most of a search's work).
        let (exact_w, en_w, fr_own) = if fr == tok {
            (1.0 + FR, EN, false)
        } else if fr == en {
            (1.0, EN + FR, false)
        } else {
            (1.0, EN, true)
        };
        let mut clauses: Group = vec![
            // The stemmed fields hold every indexed word, stemmed where it stood: a
            // document with the word has its stem there too.
            term_clause(f.title_exact, tok, TITLE * exact_w, true),
            term_clause(f.title_en, &en, TITLE * en_w, false),
            term_clause(f.text_exact, tok, exact_w, true),
            term_clause(f.text_en, &en, en_w, false),
        ];
        if fr_own {
            clauses.push(term_clause(f.title_fr, &fr, TITLE * FR, false));
            clauses.push(term_clause(f.text_fr, &fr, FR, false));
        }
        if let Some(d) = fuzzy.then(|| fuzzy_distance(tok.chars().count())).flatten()
            && !self.spelt_right(tok)
        {
            let near = self.expand(tok, d);
            if !near.is_empty() {
                for (field, boost) in [(f.title_exact, TITLE * FUZZY), (f.text_exact, FUZZY)] {
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
                        covered: false,
                    });
                }
            }
        }
        clauses
    }

    /// Whether `tok` is common enough, among the documents the caller may see, to be a
    /// word spelt right rather than a typing error. Matching a common word's near
    /// spellings would add little (its own documents already match) and would cost more
    /// than the rest of the search. Only visible documents count, so what others may not
    /// see never changes what a caller finds.
    fn spelt_right(&self, tok: &str) -> bool {
        let f = self.fields;
        let needed = SPELT_RIGHT_DOCS.max(self.searcher.num_docs() / 1000);
        let fields = [f.title_exact, f.text_exact];
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
        let f = self.fields;
        let probe = FuzzyTermQuery::new(Term::from_field_text(f.text_exact, tok), distance, true);
        let Ok(automaton) = probe.automaton() else {
            return vec![];
        };
        let mut found: BTreeSet<String> = BTreeSet::new();
        'all: for segment in self.searcher.segment_readers() {
            for field in [f.title_exact, f.text_exact] {
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
        let f = self.fields;
        let en: Vec<String> = toks
            .iter()
            .map(|t| Analyzers::stem(&mut self.analyzers.en, t))
            .collect();
        let exact = analyzer::pair_terms(toks);
        let en = analyzer::pair_terms(&en);
        // Where the words follow each other, their stems do too.
        [
            (f.title_exact_pairs, &exact, TITLE, true),
            (f.title_en_pairs, &en, TITLE * EN, false),
            (f.text_exact_pairs, &exact, 1.0, true),
            (f.text_en_pairs, &en, EN, false),
        ]
        .into_iter()
        .map(|(field, pairs, boost, covered)| match pairs.as_slice() {
            [pair] => term_clause(field, pair, boost, covered),
            _ => {
                let terms = pairs
                    .iter()
                    .map(|p| Term::from_field_text(field, p))
                    .collect();
                Clause {
                    query: Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost)),
                    term: None,
                    covered,
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

    /// The whole query but for visibility and facet filters: text (or everything), at
    /// the QF4SA levels asked for. Any word matches for short queries; longer ones must
    /// match all words but one; quoted phrases must all match. What the caller may see
    /// is applied by the collector ([`Visible`]), which checks every document before it
    /// counts or keeps it.
    pub fn build(&mut self, parsed: &Parsed, qf4sa_min: &[(usize, u8)]) -> Plan {
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
        plan.filters = levels::filters(self.fields, qf4sa_min);
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let p = parse(r#"coding "occupation classification" -census fastText"#);
        assert_eq!(p.words, ["coding", "fastText"]);
        assert_eq!(p.phrases, ["occupation classification"]);
        assert_eq!(p.excluded, ["census"]);
    }

    #[test]
    fn malformed_syntax_reads_as_words() {
        let p = parse(r#""unclosed phrase AND (x OR -) --"#);
        assert_eq!(
            p.words,
            ["unclosed", "phrase", "AND", "(x", "OR", "-)", "--"]
        );
        assert!(p.phrases.is_empty());
        assert_eq!(parse("-census").words, ["census"]);
        assert!(parse("   ").is_empty());
    }

    #[test]
    fn parameters_are_checked() {
        let r = SearchRequest::from_query("q=x&kind=project,model&kind=project&page=2").unwrap();
        assert_eq!(r.filters[0], ["project", "model"]);
        assert_eq!(r.page, 2);
        let field = |q: &str| match SearchRequest::from_query(q) {
            Err(Error::Invalid(f)) => f.field,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(field("per_page=101"), "per_page");
        assert_eq!(field(&format!("q={}", "a".repeat(300))), "q");
        assert_eq!(field("kind=dataset"), "kind");
        assert_eq!(field("sort=best"), "sort");
        assert_eq!(field("colour=red"), "colour");
        assert_eq!(field("page=0"), "page");
        assert_eq!(field("page=101&per_page=1"), "page");
        assert!(SearchRequest::from_query("page=100&per_page=100").is_ok());
        assert_eq!(field("q=a&q=b"), "q");
        // Regressions found by fuzzing: a parameter without a name.
        assert_eq!(field("="), "query");
        assert_eq!(field("q=x&=y"), "query");
        assert_eq!(field("has_qf4sa=yes"), "has_qf4sa");
        assert_eq!(field("qf4sa_min=accuracy"), "qf4sa_min");
        assert_eq!(field("qf4sa_min=beauty:3"), "qf4sa_min");
        assert_eq!(field("qf4sa_min=accuracy:6"), "qf4sa_min");
        // Two floors for one dimension both hold: the higher one is kept.
        let r = SearchRequest::from_query("qf4sa_min=accuracy:4&qf4sa_min=accuracy:3").unwrap();
        assert_eq!(r.qf4sa_min, [(1, 4)]);
        let r = SearchRequest::from_query(
            "has_qf4sa=reviewed&qf4sa_min=accuracy:3,cost-effectiveness:2&qf4sa_min=timeliness:5",
        )
        .unwrap();
        assert_eq!(r.filters[8], ["reviewed"]);
        assert_eq!(r.qf4sa_min, [(1, 3), (4, 2), (3, 5)]);
    }
}
