//! Text analysis for the languages of official statistics: words are split on anything
//! that is not a letter or digit, lower-cased and folded to ASCII (`économie` is
//! `economie`), then stemmed for English or French (or left whole, for exact and fuzzy
//! matching). Each of the exact and English analyses also has a form that indexes
//! neighbouring words as pairs (`record linkage`), so that a quoted phrase is looked up
//! as one or a few terms instead of by comparing every match's word positions.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Folded, not stemmed.
pub const EXACT: &str = "agora_exact";
/// Folded and stemmed for English.
pub const EN: &str = "agora_en";
/// Folded and stemmed for French.
pub const FR: &str = "agora_fr";
/// Pairs of neighbouring words, folded.
pub const EXACT_PAIRS: &str = "agora_exact_pairs";
/// Pairs of neighbouring words, folded and stemmed for English.
pub const EN_PAIRS: &str = "agora_en_pairs";

/// What separates the two words of a pair, in the index and in queries.
pub const PAIR_SEPARATOR: char = ' ';

/// Longer tokens (URLs, hashes) are dropped: nobody searches for them word by word.
const LONGEST_TOKEN: usize = 40;

/// Splits, lower-cases and folds accents, without stemming.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// As [`exact`], then stemmed for `language`.
pub fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

/// Pairs of neighbouring words as `analyzer` makes them: `a b c` is `a b` at 0 and
/// `b c` at 1. Words the analyser dropped between two others (over-long tokens) break a
/// pair, as they would a phrase.
pub fn pairs(analyzer: TextAnalyzer) -> TextAnalyzer {
    TextAnalyzer::builder(PairTokenizer { inner: analyzer }).build()
}

/// The pairs of neighbouring tokens of `toks`, as [`pairs`] indexes them.
pub fn pair_terms(toks: &[String]) -> Vec<String> {
    toks.windows(2)
        .map(|w| format!("{}{PAIR_SEPARATOR}{}", w[0], w[1]))
        .collect()
}

#[derive(Clone)]
struct PairTokenizer {
    inner: TextAnalyzer,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        PairStream {
            words: self.inner.token_stream(text),
            previous: None,
            pair: Token::default(),
        }
    }
}

struct PairStream<'a> {
    words: tantivy::tokenizer::BoxTokenStream<'a>,
    previous: Option<Token>,
    pair: Token,
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            let follows = match &self.previous {
                Some(first) if first.position + 1 == word.position => {
                    self.pair.text.clear();
                    self.pair.text.push_str(&first.text);
                    self.pair.text.push(PAIR_SEPARATOR);
                    self.pair.text.push_str(&word.text);
                    self.pair.offset_from = first.offset_from;
                    self.pair.offset_to = word.offset_to;
                    self.pair.position = first.position;
                    self.pair.position_length = 2;
                    true
                }
                _ => false,
            };
            // The word becomes the first of the next pair, in the buffer of the last one:
            // indexing allocates nothing per word.
            let previous = self.previous.get_or_insert_with(Token::default);
            previous.text.clear();
            previous.text.push_str(&word.text);
            previous.offset_from = word.offset_from;
            previous.offset_to = word.offset_to;
            previous.position = word.position;
            if follows {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

/// Registers the analysers on an index (they are not stored with it).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(EXACT, exact());
    manager.register(EN, stemmed(Language::English));
    manager.register(FR, stemmed(Language::French));
    manager.register(EXACT_PAIRS, pairs(exact()));
    manager.register(EN_PAIRS, pairs(stemmed(Language::English)));
}

/// The tokens an analyser makes of a text.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The analysers a query needs, made once per search handle.
#[derive(Clone)]
pub struct Analyzers {
    /// See [`exact`].
    pub exact: TextAnalyzer,
    /// See [`stemmed`], English.
    pub en: TextAnalyzer,
    /// See [`stemmed`], French.
    pub fr: TextAnalyzer,
}

impl Analyzers {
    /// The three analysers.
    pub fn new() -> Self {
        Self {
            exact: exact(),
            en: stemmed(Language::English),
            fr: stemmed(Language::French),
        }
    }

    /// Stems one already folded token.
    pub fn stem(analyzer: &mut TextAnalyzer, token: &str) -> String {
        tokens(analyzer, token)
            .into_iter()
            .next()
            .unwrap_or_else(|| token.to_string())
    }
}

impl Default for Analyzers {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_and_case_lowers() {
        assert_eq!(
            tokens(&mut exact(), "Économie de l'INSEE"),
            ["economie", "de", "l", "insee"]
        );
    }

    #[test]
    fn pairs_are_neighbouring_words() {
        let mut p = pairs(stemmed(Language::English));
        let mut stream = p.token_stream("Record linkage of registers");
        let mut found = Vec::new();
        while stream.advance() {
            let t = stream.token();
            found.push((t.text.clone(), t.position));
        }
        assert_eq!(
            found,
            [
                ("record linkag".to_string(), 0),
                ("linkag of".to_string(), 1),
                ("of regist".to_string(), 2)
            ]
        );
        let words = tokens(
            &mut stemmed(Language::English),
            "record linkage of registers",
        );
        let texts: Vec<String> = found.into_iter().map(|(t, _)| t).collect();
        assert_eq!(pair_terms(&words), texts);
        // A dropped over-long token breaks the pair around it; one word makes no pair.
        let long = "x".repeat(LONGEST_TOKEN + 1);
        assert_eq!(
            tokens(&mut pairs(exact()), &format!("a {long} b c")),
            ["b c"]
        );
        assert!(tokens(&mut pairs(exact()), "census").is_empty());
    }

    #[test]
    fn english_and_french_are_stemmed() {
        let mut en = stemmed(Language::English);
        assert_eq!(tokens(&mut en, "coding codes"), ["code", "code"]);
        let mut fr = stemmed(Language::French);
        assert_eq!(
            tokens(&mut fr, "économique économie"),
            tokens(&mut fr, "economiques economies")
        );
    }
}
