use tantivy::schema::Field;
use tantivy::{Index, TantivyDocument};

use super::*;
use crate::access::AccessSet;
use crate::plan::Plan;
use crate::testing::{FACETS, Fields};

const N: usize = FACETS.len();

/// An index of `n` documents whose facet values cycle at different rates, several
/// values per document for the multi-valued facets.
fn index(n: u32) -> (Index, Fields) {
    let fields = Fields::new();
    let index = fields.index();
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let f = &fields;
    let set = |d: &mut TantivyDocument, field: Field, values: &[&str], i: u32, k: u32| {
        d.add_text(field, values[(i % k) as usize % values.len()]);
    };
    for i in 0..n {
        let mut d = TantivyDocument::default();
        set(&mut d, f.facet(0), &["project", "model"], i, 2);
        set(
            &mut d,
            f.facet(3),
            &["coding", "editing", "imputation"],
            i,
            3,
        );
        set(&mut d, f.facet(7), &["pilot", "production"], i / 3, 2);
        set(&mut d, f.facet(2), &["a", "b", "c", "d", "e"], i, 5);
        if i % 4 == 0 {
            set(&mut d, f.facet(2), &["f", "g"], i / 4, 2);
        }
        set(&mut d, f.facet(5), &["en", "fr", "es"], i / 2, 3);
        if i % 7 != 0 {
            set(&mut d, f.facet(6), &["mit", "eupl-1.2"], i, 2);
        }
        // Every fifth document is for members only; every tenth belongs to `a` alone.
        let visibility = match i % 10 {
            0 => "organisation",
            5 => "members",
            _ => "public",
        };
        d.add_text(f.layout.access[0], visibility);
        d.add_text(
            f.layout.access[1],
            ["a", "b", "c", "d", "e"][(i % 5) as usize],
        );
        writer.add_document(d).unwrap();
    }
    writer.commit().unwrap();
    (index, fields)
}

/// The weights of a search without text, which matches every document.
fn everything(searcher: &tantivy::Searcher) -> Weights {
    Plan::new(vec![], vec![], vec![], true)
        .weights(searcher, false)
        .unwrap()
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
    let (index, fields) = index(1000);
    let searcher = index.reader().unwrap().searcher();
    let segment = &searcher.segment_readers()[0];
    let cache = OrdinalCache::default();
    let visible = Visible::of(&AccessSet::Everything, &searcher, &cache, &fields.layout).unwrap();
    for pairs in [
        vec![],
        vec![(3, &["coding"][..])],
        vec![(3, &["coding", "editing"][..]), (2, &["f"][..])],
        vec![(0, &["model"][..]), (5, &["fr"][..]), (6, &["mit"][..])],
        vec![(2, &["nobody"][..])],
    ] {
        let filters = filters(&pairs);
        let collect = Collect {
            layout: &fields.layout,
            filters: &filters,
            sort: Order::Updated,
            top: 10,
            ordinals: &cache,
            visible: &visible,
        };
        // Every third document matches the query.
        let mut matched = DocIdBitSet::new(1000);
        (0..1000).step_by(3).for_each(|doc| matched.insert(doc));
        let child = collect.segment(0, segment, matched).unwrap();
        let each = child.count_each();
        assert_eq!(each, child.count_by_sets(&child.passing()), "{pairs:?}");
        assert!(each.iter().flatten().any(|n| *n > 0), "{pairs:?}");
    }
}

#[test]
fn a_facet_counts_under_the_other_facets_filters_only() {
    let (index, fields) = index(12);
    let searcher = index.reader().unwrap().searcher();
    let cache = OrdinalCache::default();
    let visible = Visible::of(&AccessSet::Everything, &searcher, &cache, &fields.layout).unwrap();
    let filters = filters(&[(3, &["coding"])]);
    let collect = Collect {
        layout: &fields.layout,
        filters: &filters,
        sort: Order::Updated,
        top: 20,
        ordinals: &cache,
        visible: &visible,
    };
    let found = collect.run(&searcher, &everything(&searcher)).unwrap();
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
    let (index, fields) = index(100);
    let searcher = index.reader().unwrap().searcher();
    let cache = OrdinalCache::default();
    let no_filters = filters(&[]);
    let found = |access: AccessSet| {
        let visible = Visible::of(&access, &searcher, &cache, &fields.layout).unwrap();
        let collect = Collect {
            layout: &fields.layout,
            filters: &no_filters,
            sort: Order::Updated,
            top: 200,
            ordinals: &cache,
            visible: &visible,
        };
        collect.run(&searcher, &everything(&searcher)).unwrap()
    };
    let kinds = |c: &Collected| c.facets[0].values().sum::<u64>();
    // Anonymous: the 80 public documents.
    let anonymous = found(fields.anonymous());
    assert_eq!(
        (anonymous.total, anonymous.hits.len(), kinds(&anonymous)),
        (80, 80, 80)
    );
    // A member of `b`: public and members' ones; `b` owns no organisation-only one.
    let b = found(fields.member("b"));
    assert_eq!((b.total, kinds(&b)), (90, 90));
    // A member of `a` also sees `a`'s own: documents 0, 10, 20...
    let a = found(fields.member("a"));
    assert_eq!((a.total, a.hits.len(), kinds(&a)), (100, 100, 100));
    let system = found(AccessSet::Everything);
    assert_eq!(system.total, 100);
}
