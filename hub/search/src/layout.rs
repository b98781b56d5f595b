//! Schema building blocks and the layout: which fields of an index the engine reads.
//!
//! A document has two texts, a title and the rest, each indexed five ways (see
//! [`TextForms`]); facets (string fast fields, counted and filtered on); access keys
//! (string fast fields: a document is visible to an access set holding one of its keys);
//! a date and a tiebreak number that order results. Everything else in the schema (stored
//! fields, numeric filters) belongs to the application.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, SchemaBuilder, TextFieldIndexing,
    TextOptions,
};

use crate::analyzer::{EN, EN_PAIRS, EXACT, EXACT_PAIRS, FR};

/// The fields that index one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextForms {
    /// Folded but not stemmed: exact and fuzzy matching.
    pub exact: Field,
    /// Stemmed for English.
    pub en: Field,
    /// Stemmed for French.
    pub fr: Field,
    /// Neighbouring words, folded, as pairs (phrases).
    pub exact_pairs: Field,
    /// Neighbouring words, stemmed for English, as pairs.
    pub en_pairs: Field,
}

impl TextForms {
    /// The five fields, in the order above.
    pub fn all(&self) -> [Field; 5] {
        [
            self.exact,
            self.en,
            self.fr,
            self.exact_pairs,
            self.en_pairs,
        ]
    }

    /// Adds the five fields `<name>_exact`, `<name>_en`, `<name>_fr`, `<name>_exact_pairs`
    /// and `<name>_en_pairs`.
    pub fn add(b: &mut SchemaBuilder, name: &str) -> Self {
        Self {
            exact: b.add_text_field(&format!("{name}_exact"), analysed(EXACT)),
            en: b.add_text_field(&format!("{name}_en"), analysed(EN)),
            fr: b.add_text_field(&format!("{name}_fr"), analysed(FR)),
            exact_pairs: b.add_text_field(&format!("{name}_exact_pairs"), analysed(EXACT_PAIRS)),
            en_pairs: b.add_text_field(&format!("{name}_en_pairs"), analysed(EN_PAIRS)),
        }
    }
}

/// Options of a text field analysed by the analyser registered as `tokenizer` (see
/// [`crate::analyzer`]), with frequencies and positions.
pub fn analysed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Options of a facet field: raw strings, indexed, fast and stored.
pub fn facet() -> TextOptions {
    STRING | FAST | STORED
}

/// Options of an access-key field: raw strings, indexed and fast.
pub fn access_key() -> TextOptions {
    STRING | FAST
}

/// The fields the engine reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The title's forms (boosted against the text).
    pub title: TextForms,
    /// The rest of the text.
    pub text: TextForms,
    /// Facet fields, in the order their filters and counts are given.
    pub facets: Vec<Field>,
    /// Access-key fields.
    pub access: Vec<Field>,
    /// An `i64` fast field: the date results are ordered by (higher first).
    pub updated_at: Field,
    /// A `u64` fast field: orders results equal on every other key (lower first).
    pub tiebreak: Field,
}

impl Layout {
    /// Adds a complete layout to `b`: the title's and the text's forms, the facets and
    /// access keys by name, `updated_at` and `tiebreak`.
    pub fn add(b: &mut SchemaBuilder, facets: &[&str], access: &[&str]) -> Self {
        let title = TextForms::add(b, "title");
        let text = TextForms::add(b, "text");
        let facets = facets
            .iter()
            .map(|name| b.add_text_field(name, facet()))
            .collect();
        let access = access
            .iter()
            .map(|name| b.add_text_field(name, access_key()))
            .collect();
        let updated_at = b.add_i64_field("updated_at", INDEXED | FAST | STORED);
        let tiebreak = b.add_u64_field("tiebreak", FAST);
        Self {
            title,
            text,
            facets,
            access,
            updated_at,
            tiebreak,
        }
    }
}
