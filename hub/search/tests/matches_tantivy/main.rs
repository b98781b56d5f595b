//! The engine against a plain tantivy evaluation of its documented rules (see the crate's
//! documentation): random corpora in several segments with deletions, random queries of
//! words (some misspelt) and exclusions, random facet filters and access sets. The
//! reference is written here with tantivy's own queries (`BooleanQuery` with a minimum
//! should match, `TermQuery`, `FuzzyTermQuery`), its `TopDocs` and `Count` collectors;
//! it never calls the engine. Hits, their order, totals and every facet count must agree.

mod corpus;
mod reference;

use std::collections::HashMap;

use agora_search::{AccessKey, AccessSet, Engine, Found, Order, Request};
use proptest::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, TantivyDocument};

use corpus::{
    COLOURS, DocSpec, GROUPS, QuerySpec, SIZES, corpus, doc_spec, query_spec, query_text,
};
use reference::{Reference, count, facet_filter, term};

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
