//! Random corpora and queries, and the index of a corpus.

use agora_search::{Layout, analyzer};
use proptest::prelude::*;
use tantivy::schema::{FAST, Field, INDEXED, STORED, Schema};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

pub const WORDS: [&str; 16] = [
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
pub const COLOURS: [&str; 3] = ["red", "green", "blue"];
pub const SIZES: [&str; 4] = ["s", "m", "l", "xl"];
pub const GROUPS: [&str; 4] = ["g0", "g1", "g2", "g3"];

#[derive(Debug, Clone)]
pub struct DocSpec {
    pub title: Vec<usize>,
    pub text: Vec<usize>,
    pub colour: Option<usize>,
    pub sizes: Vec<usize>,
    pub groups: Vec<usize>,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub struct QuerySpec {
    /// Words by index in [`WORDS`], with a typo at a character position when given.
    pub words: Vec<(usize, Option<usize>)>,
    pub excluded: Vec<usize>,
    pub colours: Vec<usize>,
    pub sizes: Vec<usize>,
    /// `None`: everything visible.
    pub access: Option<Vec<usize>>,
    pub by_date: bool,
    pub top: usize,
}

pub fn doc_spec() -> impl Strategy<Value = DocSpec> {
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

pub fn query_spec() -> impl Strategy<Value = QuerySpec> {
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

pub struct Corpus {
    pub index: Index,
    pub layout: Layout,
    pub id: Field,
}

pub fn join(words: &[usize]) -> String {
    words
        .iter()
        .map(|&w| WORDS[w])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Indexes `docs` in segments of `per_segment`, then deletes the ones marked deleted.
pub fn corpus(docs: &[DocSpec], per_segment: usize) -> Corpus {
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

/// The text of a query word, misspelt at a position when asked (words of four
/// characters or more).
pub fn query_word((w, typo): (usize, Option<usize>)) -> String {
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

pub fn query_text(q: &QuerySpec) -> String {
    let mut parts: Vec<String> = q.words.iter().map(|w| query_word(*w)).collect();
    parts.extend(q.excluded.iter().map(|&w| format!("-{}", WORDS[w])));
    parts.join(" ")
}
