//! Highlighted snippets. Words are highlighted by their English stem, so `coding` marks
//! `coded` and `codes`, and a misspelt word marks what it matched (`ocupation` marks
//! `occupation`).

use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{Searcher, Term};

use super::analyzer::{Analyzers, tokens};
use super::query::{Parsed, fuzzy_distance};
use super::schema::Fields;

/// Expansions kept per misspelt word.
const MAX_EXPANSIONS: usize = 16;
const SNIPPET_CHARS: usize = 220;

pub struct Highlighter {
    summary: SnippetGenerator,
    title: SnippetGenerator,
}

impl Highlighter {
    pub fn new(searcher: &Searcher, fields: &Fields, analyzers: &Analyzers, parsed: &Parsed) -> Self {
        let mut exact = analyzers.exact.clone();
        let mut en = analyzers.en.clone();
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        let mut add = |word: &str, en: &mut tantivy::tokenizer::TextAnalyzer| {
            terms.insert(Analyzers::stem(en, word), 1.0);
        };
        for phrase in &parsed.phrases {
            for tok in tokens(&mut exact, phrase) {
                add(&tok, &mut en);
            }
        }
        for word in &parsed.words {
            let toks = tokens(&mut exact, word);
            let single = toks.len() == 1;
            for tok in toks {
                add(&tok, &mut en);
                let distance = fuzzy_distance(tok.chars().count()).filter(|_| single);
                if let Some(d) = distance {
                    for found in expand(searcher, fields, &tok, d) {
                        add(&found, &mut en);
                    }
                }
            }
        }
        let make = |max: usize| {
            let mut g = SnippetGenerator::new(terms.clone(), analyzers.en.clone(), fields.summary, max);
            g.set_max_num_chars(max);
            g
        };
        Self {
            summary: make(SNIPPET_CHARS),
            title: make(1000),
        }
    }

    /// The title with matches marked, as HTML.
    pub fn title(&self, title: &str) -> String {
        html(self.title.snippet(title)).unwrap_or_else(|| escape(title))
    }

    /// The best passage of the summary, else of the body, else the start of the summary.
    pub fn snippet(&self, summary: &str, body: &str) -> String {
        passage(self.summary.snippet(summary), summary)
            .or_else(|| passage(self.summary.snippet(body), body))
            .unwrap_or_else(|| escape(&shorten(summary, SNIPPET_CHARS)))
    }
}

fn html(mut s: Snippet) -> Option<String> {
    if s.highlighted().is_empty() {
        return None;
    }
    s.set_snippet_prefix_postfix("<mark>", "</mark>");
    Some(s.to_html())
}

/// A highlighted passage, with ellipses where the text goes on.
fn passage(s: Snippet, text: &str) -> Option<String> {
    let range = s.fragment_range();
    let html = html(s)?;
    let words = |t: &str| t.chars().any(char::is_alphanumeric);
    let before = if words(&text[..range.start]) { "… " } else { "" };
    let rest = &text[range.end..];
    let after = if words(rest) {
        " …".to_string()
    } else {
        escape(rest.trim_end())
    };
    Some(format!("{before}{}{after}", html.trim_start()))
}

/// Terms of the folded title and text that lie within `distance` edits of `tok`.
fn expand(searcher: &Searcher, fields: &Fields, tok: &str, distance: u8) -> Vec<String> {
    let mut found = Vec::new();
    for field in [fields.title_exact, fields.text_exact] {
        let query = FuzzyTermQuery::new(Term::from_field_text(field, tok), distance, true);
        let Ok(automaton) = query.automaton() else {
            continue;
        };
        for segment in searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    if term != tok && !found.iter().any(|f| f == term) {
                        found.push(term.to_string());
                        if found.len() >= MAX_EXPANSIONS {
                            return found;
                        }
                    }
                }
            }
        }
    }
    found
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The start of a text, cut at a word boundary, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches(|c: char| !c.is_alphanumeric()))
}
