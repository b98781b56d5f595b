//! Highlighted snippets. Words are highlighted by their English stem, so `coding` marks
//! `coded` and `codes`, and a misspelt word marks what it matched (`ocupation` marks
//! `occupation`).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream};

use crate::analyzer::{Analyzers, tokens};
use crate::query_language::Parsed;

const SNIPPET_CHARS: usize = 220;
/// Snippets come from the first part of long bodies; only that part is stored.
pub const BODY_BYTES: usize = 4000;

/// Marks a search's words in the texts of its hits. A text is split and folded as the
/// index does it, and a word is marked when its English stem is one of the search's. A
/// word's stem is worked out once per search, however often it comes back, and only for
/// words that begin as one of the stems does (an English stem keeps its word's first
/// letter).
pub struct Highlighter {
    stems: HashSet<String>,
    initials: HashSet<char>,
    /// Splits, lower-cases and folds, as the exact fields are indexed.
    folding: RefCell<TextAnalyzer>,
    /// Stems one folded word.
    stemmer: RefCell<TextAnalyzer>,
    /// Folded words met so far, and whether they are marked.
    marked: RefCell<HashMap<String, bool>>,
}

/// The part of a text to show, and the words in it to mark.
#[derive(Default)]
struct Passage {
    range: Range<usize>,
    marks: Vec<Range<usize>>,
}

impl Highlighter {
    /// `expansions`: what misspelt words matched in the index.
    pub fn new(analyzers: &Analyzers, parsed: &Parsed, expansions: &BTreeSet<String>) -> Self {
        let mut exact = analyzers.exact.clone();
        let mut en = analyzers.en.clone();
        let mut stems = HashSet::new();
        for text in parsed.phrases.iter().chain(&parsed.words) {
            for tok in tokens(&mut exact, text) {
                stems.insert(Analyzers::stem(&mut en, &tok));
            }
        }
        for word in expansions {
            stems.insert(Analyzers::stem(&mut en, word));
        }
        let initials = stems.iter().filter_map(|s| s.chars().next()).collect();
        Self {
            stems,
            initials,
            folding: RefCell::new(exact),
            stemmer: RefCell::new(
                TextAnalyzer::builder(SimpleTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build(),
            ),
            marked: RefCell::new(HashMap::new()),
        }
    }

    /// The whole title with matches marked, as HTML.
    pub fn title(&self, title: &str) -> String {
        match self.passage(title, usize::MAX) {
            Some(p) => html(
                title,
                &Passage {
                    range: 0..title.len(),
                    ..p
                },
            ),
            None => escape(title),
        }
    }

    /// The best passage of the summary, else of the body, else the start of the summary.
    pub fn snippet(&self, summary: &str, body: &str) -> String {
        [summary, body]
            .into_iter()
            .find_map(|text| {
                let p = self.passage(text, SNIPPET_CHARS)?;
                Some(with_ellipses(text, &p))
            })
            .unwrap_or_else(|| escape(&shorten(summary, SNIPPET_CHARS)))
    }

    /// Whether a folded word is one of the search's, by its stem.
    fn is_marked(&self, word: &str) -> bool {
        if !word
            .chars()
            .next()
            .is_some_and(|c| self.initials.contains(&c))
        {
            return false;
        }
        if let Some(&known) = self.marked.borrow().get(word) {
            return known;
        }
        let mut stemmer = self.stemmer.borrow_mut();
        let mut stream = stemmer.token_stream(word);
        let marked = if stream.advance() {
            self.stems.contains(&stream.token().text)
        } else {
            self.stems.contains(word)
        };
        self.marked.borrow_mut().insert(word.to_string(), marked);
        marked
    }

    /// The stretch of at most `max` bytes with the most marked words (the first of
    /// equals). Stretches begin at a word and are cut before the word that would make them
    /// too long; `None` when no word is marked.
    fn passage(&self, text: &str, max: usize) -> Option<Passage> {
        let mut folding = self.folding.borrow_mut();
        let mut stream = folding.token_stream(text);
        let mut best: Option<Passage> = None;
        let mut current = Passage::default();
        let keep = |p: &mut Passage, best: &mut Option<Passage>| {
            if best.as_ref().is_none_or(|b| p.marks.len() > b.marks.len()) {
                *best = Some(std::mem::take(p));
            }
        };
        while stream.advance() {
            let token = stream.token();
            if token.offset_to - current.range.start > max {
                if !current.marks.is_empty() {
                    keep(&mut current, &mut best);
                }
                current.marks.clear();
                current.range = token.offset_from..token.offset_from;
            }
            current.range.end = token.offset_to;
            if self.is_marked(&token.text) {
                current.marks.push(token.offset_from..token.offset_to);
            }
        }
        if !current.marks.is_empty() {
            keep(&mut current, &mut best);
        }
        best
    }
}

/// A passage of `text` as HTML, its marked words in `<mark>`.
fn html(text: &str, p: &Passage) -> String {
    let mut out = String::with_capacity(p.range.len() + 16 * p.marks.len());
    let mut at = p.range.start;
    for m in &p.marks {
        escape_into(&mut out, &text[at..m.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[m.clone()]);
        out.push_str("</mark>");
        at = m.end;
    }
    escape_into(&mut out, &text[at..p.range.end]);
    out
}

/// A highlighted passage, with ellipses where the text goes on.
fn with_ellipses(text: &str, p: &Passage) -> String {
    let words = |t: &str| t.chars().any(char::is_alphanumeric);
    let mut out = String::new();
    if words(&text[..p.range.start]) {
        out.push_str("… ");
    }
    out.push_str(html(text, p).trim_start());
    let rest = &text[p.range.end..];
    if words(rest) {
        out.push_str(" …");
    } else {
        escape_into(&mut out, rest.trim_end());
    }
    out
}

/// The start of `s`, at most `max` bytes, cut at a character boundary.
pub fn head(s: &str, max: usize) -> &str {
    let cut = (0..=max.min(s.len()))
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0);
    &s[..cut]
}

/// Escapes `s` for HTML text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query_language::parse;

    fn highlighter(q: &str, expansions: &[&str]) -> Highlighter {
        let expansions = expansions.iter().map(|e| e.to_string()).collect();
        Highlighter::new(&Analyzers::new(), &parse(q), &expansions)
    }

    #[test]
    fn words_are_marked_by_their_stem_and_folded_form() {
        let h = highlighter("occupation coding économie", &[]);
        assert_eq!(
            h.title("Coding OCCUPATIONS in surveys, coded & checked; Economie"),
            "<mark>Coding</mark> <mark>OCCUPATIONS</mark> in surveys, <mark>coded</mark> \
             &amp; checked; <mark>Economie</mark>"
        );
        // What a misspelt word matched is marked too.
        let h = highlighter("ocupation", &["occupation"]);
        assert_eq!(
            h.title("Occupation <b>"),
            "<mark>Occupation</mark> &lt;b&gt;"
        );
        assert_eq!(h.title("Nothing here"), "Nothing here");
    }

    #[test]
    fn the_passage_with_most_marked_words_is_shown_with_ellipses() {
        let h = highlighter("census prices", &[]);
        let filler = "words without interest ".repeat(12);
        let summary = format!("{filler}census once. {filler}census and prices here. {filler}end");
        let snippet = h.snippet(&summary, "");
        assert!(snippet.starts_with("… "), "{snippet}");
        assert!(snippet.ends_with(" …"), "{snippet}");
        assert!(
            snippet.contains("<mark>census</mark> and <mark>prices</mark> here."),
            "{snippet}"
        );
        assert!(snippet.len() < SNIPPET_CHARS + 60, "{snippet}");
        // Of equal passages, the first.
        let twice = format!("prices first. {filler}prices again.");
        assert!(
            h.snippet(&twice, "")
                .starts_with("<mark>prices</mark> first.")
        );
    }

    #[test]
    fn the_body_serves_when_the_summary_has_no_match() {
        let h = highlighter("imputation", &[]);
        assert_eq!(
            h.snippet(
                "A model for surveys.",
                "Imputes and imputation of missing values."
            ),
            "<mark>Imputes</mark> and <mark>imputation</mark> of missing values."
        );
        assert_eq!(
            h.snippet("A model for surveys.", "Nothing to see."),
            "A model for surveys."
        );
    }
}
