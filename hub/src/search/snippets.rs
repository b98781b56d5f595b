//! Highlighted snippets. Words are highlighted by their English stem, so `coding` marks
//! `coded` and `codes`, and a misspelt word marks what it matched (`ocupation` marks
//! `occupation`).

use std::collections::{BTreeMap, BTreeSet};

use tantivy::snippet::{Snippet, SnippetGenerator};

use super::analyzer::{Analyzers, tokens};
use super::query::Parsed;
use super::schema::Fields;

const SNIPPET_CHARS: usize = 220;
/// Snippets come from the first part of long bodies; only that part is stored.
pub const BODY_BYTES: usize = 4000;

pub struct Highlighter {
    summary: SnippetGenerator,
    title: SnippetGenerator,
}

impl Highlighter {
    /// `expansions`: what misspelt words matched in the index.
    pub fn new(
        fields: &Fields,
        analyzers: &Analyzers,
        parsed: &Parsed,
        expansions: &BTreeSet<String>,
    ) -> Self {
        let mut exact = analyzers.exact.clone();
        let mut en = analyzers.en.clone();
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for text in parsed.phrases.iter().chain(&parsed.words) {
            for tok in tokens(&mut exact, text) {
                terms.insert(Analyzers::stem(&mut en, &tok), 1.0);
            }
        }
        for word in expansions {
            terms.insert(Analyzers::stem(&mut en, word), 1.0);
        }
        let stems: BTreeSet<String> = terms.keys().cloned().collect();
        let analyzer = super::analyzer::highlighting(&stems);
        let make = |max: usize| {
            let mut g = SnippetGenerator::new(terms.clone(), analyzer.clone(), fields.summary, max);
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
    let before = if words(&text[..range.start]) {
        "… "
    } else {
        ""
    };
    let rest = &text[range.end..];
    let after = if words(rest) {
        " …".to_string()
    } else {
        escape(rest.trim_end())
    };
    Some(format!("{before}{}{after}", html.trim_start()))
}

/// The start of `s`, at most `max` bytes, cut at a character boundary.
pub fn head(s: &str, max: usize) -> &str {
    let cut = (0..=max.min(s.len()))
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0);
    &s[..cut]
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
