//! The engine against a plain tantivy evaluation of its documented rules (see the crate's
//! documentation): random corpora in several segments with deletions, random queries of
//! words (some misspelt) and exclusions, random facet filters and access sets. The
//! reference is written here with tantivy's own queries (`BooleanQuery` with a minimum
//! should match, `TermQuery`, `FuzzyTermQuery`), its `TopDocs` and `Count` collectors;
//! it never calls the engine. Hits, their order, totals and every facet count must agree.

use std::collections::HashMap;

use agora_search::analyzer::{self, EN, EXACT, FR};
use agora_search::builder::{EN_BOOST, FR_BOOST, FUZZY_MAX_DOC_FREQ, FUZZY_SCORE, TITLE_BOOST};
use agora_search::{AccessKey, AccessSet, Engine, Found, Layout, Order, Request};
use proptest::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, Schema};
use tantivy::{DocAddress, Index, IndexWriter, Searcher, TantivyDocument, Term};

const WORDS: [&str; 16] = [
    "coding",
    "codes",
    "census",
    "prices",
    "price",
    "series",
    "model",
    "models",
    "survey",
    "économie",
    "activité",
    "imputation",
    "editing",
    "occupation",
    "time",
    "data",
];
const COLOURS: [&str; 3] = ["red", "green", "blue"];
const SIZES: [&str; 4] = ["s", "m", "l", "xl"];
const GROUPS: [&str; 4] = ["g0", "g1", "g2", "g3"];

#[derive(Debug, Clone)]
struct DocSpec {
    title: Vec<usize>,
    text: Vec<usize>,
    colour: Option<usize>,
    sizes: Vec<usize>,
    groups: Vec<usize>,
    deleted: bool,
}

#[derive(Debug, Clone)]
struct QuerySpec {
    /// Words by index in [`WORDS`], with a typo at a character position when given.
    words: Vec<(usize, Option<usize>)>,
    excluded: Vec<usize>,
    colours: Vec<usize>,
    sizes: Vec<usize>,
    /// `None`: everything visible.
    access: Option<Vec<usize>>,
    by_date: bool,
    top: usize,
}

fn doc_spec() -> impl Strategy<Value = DocSpec> {
    (
        prop::collection::vec(0..WORDS.len(), 0..4),
        prop::collection::vec(0..WORDS.len(), 0..10),
        prop::option::of(0..COLOURS.len()),
        prop::collection::vec(0..SIZES.len(), 0..3),
        prop::collection::vec(0..GROUPS.len(), 0..3),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(title, text, colour, sizes, groups, deleted)| DocSpec {
            title,
            text,
            colour,
            sizes,
            groups,
            deleted,
        })
}

fn query_spec() -> impl Strategy<Value = QuerySpec> {
    (
        prop::collection::vec((0..WORDS.len(), prop::option::of(0..8usize)), 0..5),
        prop::collection::vec(0..WORDS.len(), 0..2),
        prop::collection::vec(0..COLOURS.len(), 0..2),
        prop::collection::vec(0..SIZES.len(), 0..2),
        prop::option::of(prop::collection::vec(0..GROUPS.len(), 0..3)),
        any::<bool>(),
        1..40usize,
    )
        .prop_map(
            |(words, excluded, colours, sizes, access, by_date, top)| QuerySpec {
                words,
                excluded,
                colours,
                sizes,
                access,
                by_date,
                top,
            },
        )
}

struct Corpus {
    index: Index,
    layout: Layout,
    id: Field,
}

fn join(words: &[usize]) -> String {
    words
        .iter()
        .map(|&w| WORDS[w])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Indexes `docs` in segments of `per_segment`, then deletes the ones marked deleted.
fn corpus(docs: &[DocSpec], per_segment: usize) -> Corpus {
    let mut b = Schema::builder();
    let layout = Layout::add(&mut b, &["colour", "size"], &["group"]);
    let id = b.add_u64_field("id", INDEXED | FAST | STORED);
    let index = Index::create_in_ram(b.build());
    analyzer::register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    for (i, spec) in docs.iter().enumerate() {
        let mut d = TantivyDocument::default();
        d.add_u64(id, i as u64);
        let (title, text) = (join(&spec.title), join(&spec.text));
        layout
            .title
            .all()
            .iter()
            .for_each(|&f| d.add_text(f, &title));
        layout.text.all().iter().for_each(|&f| d.add_text(f, &text));
        if let Some(c) = spec.colour {
            d.add_text(layout.facets[0], COLOURS[c]);
        }
        for &s in &spec.sizes {
            d.add_text(layout.facets[1], SIZES[s]);
        }
        for &g in &spec.groups {
            d.add_text(layout.access[0], GROUPS[g]);
        }
        // Distinct dates, not in the order of ids; tiebreaks that repeat.
        d.add_i64(layout.updated_at, ((i * 7919) % 1009) as i64);
        d.add_u64(layout.tiebreak, (i % 5) as u64);
        writer.add_document(d).unwrap();
        if (i + 1) % per_segment == 0 {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    for (i, spec) in docs.iter().enumerate() {
        if spec.deleted {
            writer.delete_term(Term::from_field_u64(id, i as u64));
        }
    }
    writer.commit().unwrap();
    Corpus { index, layout, id }
}

fn analyse(index: &Index, analyser: &str, text: &str) -> Vec<String> {
    let mut a = index.tokenizers().get(analyser).unwrap();
    analyzer::tokens(&mut a, text)
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn any_of(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn count(searcher: &Searcher, clauses: Vec<(Occur, Box<dyn Query>)>) -> usize {
    searcher
        .search(&BooleanQuery::new(clauses), &Count)
        .unwrap()
}

/// The reference: the crate's documented rules as one tantivy query.
struct Reference<'a> {
    c: &'a Corpus,
    searcher: &'a Searcher,
    access: Option<Box<dyn Query>>,
}

impl Reference<'_> {
    /// A word in every field and form, weighted as documented; with typo tolerance when
    /// `fuzzy` and the word is in fewer visible documents than the threshold.
    fn word(&self, tok: &str, fuzzy: bool) -> Box<dyn Query> {
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
    fn visible_freq(&self, tok: &str) -> usize {
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
    fn base(&self, q: &QuerySpec) -> Vec<(Occur, Box<dyn Query>)> {
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

/// The text of a query word, misspelt at a position when asked (words of four
/// characters or more).
fn query_word((w, typo): (usize, Option<usize>)) -> String {
    let word: Vec<char> = WORDS[w].chars().collect();
    match typo {
        Some(at) if word.len() >= 4 => {
            let mut word = word;
            let at = at % word.len();
            word[at] = if word[at] == 'q' { 'z' } else { 'q' };
            word.into_iter().collect()
        }
        _ => word.into_iter().collect(),
    }
}

/// Accepted values of a facet, adding nothing to scores.
fn facet_filter(field: Field, values: &[&str]) -> Box<dyn Query> {
    let any = any_of(values.iter().map(|v| term(field, v, 1.0)).collect());
    Box::new(ConstScoreQuery::new(any, 0.0))
}

fn query_text(q: &QuerySpec) -> String {
    let mut parts: Vec<String> = q.words.iter().map(|w| query_word(*w)).collect();
    parts.extend(q.excluded.iter().map(|&w| format!("-{}", WORDS[w])));
    parts.join(" ")
}

fn check(docs: &[DocSpec], per_segment: usize, q: &QuerySpec) -> Result<(), TestCaseError> {
    let c = corpus(docs, per_segment);
    let searcher = c.index.reader().unwrap().searcher();
    let l = &c.layout;
    let access = match &q.access {
        None => AccessSet::Everything,
        Some(groups) => AccessSet::AnyOf(
            groups
                .iter()
                .map(|&g| AccessKey {
                    field: l.access[0],
                    value: GROUPS[g].to_string(),
                })
                .collect(),
        ),
    };
    let colours: Vec<&str> = q.colours.iter().map(|&i| COLOURS[i]).collect();
    let sizes: Vec<&str> = q.sizes.iter().map(|&i| SIZES[i]).collect();
    let text = query_text(q);
    let engine = Engine::new(l.clone());
    let found: Found = engine
        .search(
            &searcher,
            Request {
                text: &text,
                facet_filters: &[
                    colours.iter().map(|s| s.to_string()).collect(),
                    sizes.iter().map(|s| s.to_string()).collect(),
                ],
                filters: vec![],
                access: &access,
                order: if q.by_date {
                    Order::Updated
                } else {
                    Order::Relevance
                },
                top: q.top,
            },
        )
        .unwrap();

    // The reference: every match with its score, ordered as documented.
    let reference = Reference {
        c: &c,
        searcher: &searcher,
        access: access.to_query(),
    };
    let filters: [Option<Box<dyn Query>>; 2] = [
        (!colours.is_empty()).then(|| facet_filter(l.facets[0], &colours)),
        (!sizes.is_empty()).then(|| facet_filter(l.facets[1], &sizes)),
    ];
    let mut all = reference.base(q);
    all.extend(
        filters
            .iter()
            .flatten()
            .map(|f| (Occur::Must, f.box_clone())),
    );
    let query = BooleanQuery::new(all);
    let limit = (searcher.num_docs() as usize).max(1);
    let scored: Vec<(f32, DocAddress)> = searcher
        .search(&query, &TopDocs::with_limit(limit).order_by_score())
        .unwrap();
    let total = searcher.search(&query, &Count).unwrap();
    prop_assert_eq!(found.total, total as u64, "total of {:?}", text);
    let date = |a: DocAddress| -> i64 {
        let d: TantivyDocument = searcher.doc(a).unwrap();
        let id = tantivy::schema::Value::as_u64(&d.get_first(c.id).unwrap()).unwrap();
        ((id as usize * 7919) % 1009) as i64
    };
    let words_given = !query_text(q).trim().is_empty();
    let by_date = q.by_date || !words_given;
    let score_of: HashMap<DocAddress, f32> = scored.iter().map(|(s, a)| (*a, *s)).collect();
    let mut expected: Vec<(f32, i64, DocAddress)> =
        scored.iter().map(|(s, a)| (*s, date(*a), *a)).collect();
    if by_date {
        // Dates are distinct: the order is the dates'.
        expected.sort_by_key(|e| std::cmp::Reverse(e.1));
        let want: Vec<DocAddress> = expected.iter().take(q.top).map(|e| e.2).collect();
        let got: Vec<DocAddress> = found.hits.iter().map(|h| h.doc).collect();
        prop_assert_eq!(got, want, "hits of {:?} by date", text);
    } else {
        expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        prop_assert_eq!(found.hits.len(), expected.len().min(q.top));
        let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
        for (i, hit) in found.hits.iter().enumerate() {
            let Some(&score) = score_of.get(&hit.doc) else {
                return Err(TestCaseError::fail(format!(
                    "{text:?}: {hit:?} not a match"
                )));
            };
            // The i-th hit scores what the i-th best match does; equal scores (within
            // rounding of the sums) go by date.
            prop_assert!(close(score, expected[i].0), "{text:?}: hit {i}");
            prop_assert!(
                close(hit.score, score),
                "{text:?}: hit {i} score {} against {score}",
                hit.score
            );
            if let Some(next) = found.hits.get(i + 1) {
                let next_score = score_of[&next.doc];
                if close(score, next_score) && (score - next_score).abs() < 1e-6 {
                    prop_assert!(date(hit.doc) > date(next.doc), "{text:?}: tie at {i}");
                }
            }
        }
    }

    // Every facet value's count: matches of the query under the other facets' filters.
    for (i, (field, values)) in [(l.facets[0], &COLOURS[..]), (l.facets[1], &SIZES[..])]
        .into_iter()
        .enumerate()
    {
        let mut want = HashMap::new();
        for v in values {
            let mut clauses = reference.base(q);
            clauses.extend(
                filters
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .filter_map(|(_, f)| f.as_ref())
                    .map(|f| (Occur::Must, f.box_clone())),
            );
            clauses.push((Occur::Must, term(field, v, 1.0)));
            let n = count(&searcher, clauses);
            if n > 0 {
                want.insert(v.to_string(), n as u64);
            }
        }
        prop_assert_eq!(&found.facets[i], &want, "facet {} of {:?}", i, text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_engine_answers_as_tantivy_evaluates_its_rules(
        docs in prop::collection::vec(doc_spec(), 1..60),
        per_segment in 5..40usize,
        q in query_spec(),
    ) {
        check(&docs, per_segment, &q)?;
    }
}
