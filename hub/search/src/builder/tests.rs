use std::collections::BTreeSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, TantivyDocument, Term};

use super::Builder;
use crate::access::{AccessSet, Visible};
use crate::analyzer::{self, Analyzers};
use crate::ordinals::OrdinalCache;
use crate::plan::Plan;
use crate::query_language::parse;
use crate::testing::Fields;

const WORDS: [&str; 12] = [
    "occupation",
    "coding",
    "census",
    "time",
    "series",
    "économie",
    "activité",
    "classification",
    "occupations",
    "model",
    "prices",
    "codes",
];

/// Two segments of documents whose titles and texts mix [`WORDS`] at different
/// rates; some have levels.
fn index() -> (Index, Fields) {
    let fields = Fields::new();
    let index = fields.index();
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let f = &fields;
    for i in 0..400usize {
        let pick = |k: usize, n: usize| -> String {
            (0..n)
                .map(|j| WORDS[(i * k + j * (i % 5 + 1)) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut d = TantivyDocument::default();
        let title = pick(7, 1 + i % 3);
        let text = pick(3, 2 + i % 9);
        f.add_texts(&mut d, &title, &text);
        if i % 4 == 0 {
            d.add_u64(f.level, (i % 5) as u64 + 1);
        }
        writer.add_document(d).unwrap();
        if i == 250 {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    (index, fields)
}

/// The plan of `q` at a `level` or above.
fn plan(
    fields: &Fields,
    searcher: &Searcher,
    visible: &Visible,
    q: &str,
    level: Option<u64>,
) -> Plan {
    use std::ops::Bound;
    use tantivy::query::{ConstScoreQuery, RangeQuery};
    let mut builder = Builder {
        layout: &fields.layout,
        analyzers: Analyzers::new(),
        searcher,
        visible,
        expansions: Default::default(),
    };
    let filters = level
        .map(|l| {
            let q = RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.level, l)),
                Bound::Unbounded,
            );
            Box::new(ConstScoreQuery::new(Box::new(q), 0.0)) as Box<dyn Query>
        })
        .into_iter()
        .collect();
    builder.build(&parse(q), filters)
}

#[test]
fn evaluating_clause_by_clause_agrees_with_the_boolean_query() {
    let (index, fields) = index();
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 2);
    let cache = OrdinalCache::default();
    let visible = Visible::of(&AccessSet::Everything, &searcher, &cache, &fields.layout).unwrap();
    let cases: [(&str, Option<u64>); 12] = [
        ("coding", None),
        ("occupation coding", None),
        ("occupation coding census", None),
        ("occupation coding census prices", None),
        ("\"occupation coding\" census", None),
        ("\"time series\" \"coding census\"", None),
        ("ocupation", None),
        ("coding -census", None),
        ("time-series model", None),
        ("economie activite", Some(3)),
        ("", Some(2)),
        ("--- ...", None),
    ];
    for (q, levels) in cases {
        let plan = plan(&fields, &searcher, &visible, q, levels);
        let query = plan.to_query();
        let expected: BTreeSet<_> = searcher
            .search(&*query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect();
        let weights = plan.weights(&searcher, true).unwrap();
        let reference = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut found = BTreeSet::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let mut scores = vec![0.0; reader.max_doc() as usize];
            let docs = weights.matches(reader, &mut scores).unwrap();
            let mut want = Vec::new();
            reference
                .for_each(reader, &mut |doc, score| want.push((doc, score)))
                .unwrap();
            assert_eq!(
                docs.iter().collect::<Vec<_>>(),
                want.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
                "{q}: segment {ord}"
            );
            for (doc, score) in want {
                let got = scores[doc as usize];
                assert!(
                    (got - score).abs() <= 1e-4 * score.abs().max(1.0),
                    "{q}: document {doc} scores {got}, the boolean query {score}"
                );
            }
            found.extend(docs.iter().map(|d| tantivy::DocAddress::new(ord as u32, d)));
            // Without scores, the same documents.
            let unscored = plan.weights(&searcher, false).unwrap();
            assert_eq!(unscored.matches(reader, &mut []).unwrap(), docs, "{q}");
        }
        assert_eq!(found, expected, "{q}");
        let broad = ["coding", "", "occupation coding"];
        if broad.contains(&q) {
            assert!(found.len() > 50, "{q}: {} found", found.len());
        }
    }
}

#[test]
fn a_phrase_found_by_word_pairs_is_the_phrase_of_the_words() {
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    let (index, fields) = index();
    let searcher = index.reader().unwrap().searcher();
    let cache = OrdinalCache::default();
    let visible = Visible::of(&AccessSet::Everything, &searcher, &cache, &fields.layout).unwrap();
    let mut en = Analyzers::new().en;
    let docs = |q: &dyn Query| -> BTreeSet<_> {
        searcher
            .search(q, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect()
    };
    let mut unordered_only = 0;
    for phrase in [
        "occupation coding",
        "time series",
        "census time series",
        "series économie",
    ] {
        let plan = plan(&fields, &searcher, &visible, &format!("\"{phrase}\""), None);
        let found = docs(&*plan.to_query());
        // The phrase over the stemmed words, by their positions, in title or text.
        let stems = analyzer::tokens(&mut en, phrase);
        let terms = |field| {
            stems
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect()
        };
        let by_positions = BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(PhraseQuery::new(terms(fields.layout.title.en))) as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(PhraseQuery::new(terms(fields.layout.text.en))),
            ),
        ]);
        let expected = docs(&by_positions);
        assert_eq!(found, expected, "{phrase}");
        assert!(!expected.is_empty(), "{phrase}");
        // Documents with every word, not all in a row, are not found.
        let every_word = BooleanQuery::new(
            terms(fields.layout.text.en)
                .into_iter()
                .map(|t: Term| {
                    let q = TermQuery::new(t, IndexRecordOption::Basic);
                    (Occur::Must, Box::new(q) as Box<dyn Query>)
                })
                .collect(),
        );
        unordered_only += docs(&every_word).difference(&expected).count();
    }
    assert!(unordered_only > 0);
}
