//! Text analysis for the languages of official statistics: words are split on anything
//! that is not a letter or digit, lower-cased and folded to ASCII (`économie` is
//! `economie`), then stemmed for English or French (or left whole, for exact and fuzzy
//! matching).

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};

/// Folded, not stemmed.
pub const EXACT: &str = "agora_exact";
/// Folded and stemmed for English.
pub const EN: &str = "agora_en";
/// Folded and stemmed for French.
pub const FR: &str = "agora_fr";

/// Longer tokens (URLs, hashes) are dropped: nobody searches for them word by word.
const LONGEST_TOKEN: usize = 40;

pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

/// Registers the analysers on an index (they are not stored with it).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(EXACT, exact());
    manager.register(EN, stemmed(Language::English));
    manager.register(FR, stemmed(Language::French));
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
    pub exact: TextAnalyzer,
    pub en: TextAnalyzer,
    pub fr: TextAnalyzer,
}

impl Analyzers {
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
