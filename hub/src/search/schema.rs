//! The index schema, defined once. Text is indexed three times — folded but not stemmed
//! (exact and fuzzy matching), stemmed for English, stemmed for French — and twice more
//! as pairs of neighbouring words, folded and stemmed for English (quoted phrases).
//! Facets are raw strings with fast columns so counts never touch the stored documents.

use agora_search::analyzer::{EN, EN_PAIRS, EXACT, EXACT_PAIRS, FR};
use agora_search::layout::{access_key, analysed, facet};
use agora_search::{Layout, TextForms};
use tantivy::schema::{FAST, Field, INDEXED, STORED, STRING, Schema};

/// Bumped whenever the schema or the analysis changes: an index written with another
/// version is rebuilt from PostgreSQL at start.
pub const SCHEMA_VERSION: u32 = 3;

/// The facets, in the order the API lists them: (parameter name, index field name).
pub const FACETS: [(&str, &str); 9] = [
    ("kind", "kind"),
    ("workstream", "workstreams"),
    ("organisation", "organisations"),
    ("task", "task"),
    ("framework", "framework"),
    ("language", "languages"),
    ("licence", "licence"),
    ("stage", "stage"),
    // `any`, `submitted`, `reviewed`: the item is, or has, a QF4SA assessment in that
    // state or a later one.
    ("has_qf4sa", "qf4sa"),
];

/// The index fields of the QF4SA levels, in the framework's order.
pub const QF4SA_LEVEL_FIELDS: [&str; 5] = [
    "qf4sa_explainability",
    "qf4sa_accuracy",
    "qf4sa_reproducibility",
    "qf4sa_timeliness",
    "qf4sa_cost_effectiveness",
];

/// Every field of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// `project:<slug>`, `model:<org>/<name>`...: the document's identity.
    pub key: Field,
    pub kind: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub tags: Field,
    pub task: Field,
    pub framework: Field,
    pub languages: Field,
    pub licence: Field,
    pub organisations: Field,
    pub workstreams: Field,
    pub stage: Field,
    /// `has_qf4sa` values (see [`FACETS`]).
    pub qf4sa: Field,
    /// QF4SA levels (1 to 5) of the item's current QF4SA assessment, by dimension.
    pub qf4sa_levels: [Field; 5],
    pub gsbpm: Field,
    pub updated_at: Field,
    pub visibility: Field,
    pub owners: Field,
    pub link: Field,
    pub api: Field,
    /// A stable number derived from the key: orders equal scores the same way every time.
    pub tiebreak: Field,
    pub title_exact: Field,
    pub title_en: Field,
    pub title_fr: Field,
    pub text_exact: Field,
    pub text_en: Field,
    pub text_fr: Field,
    /// Neighbouring words of the title, folded, as pairs (`record linkage`).
    pub title_exact_pairs: Field,
    /// Neighbouring words of the title, stemmed for English, as pairs.
    pub title_en_pairs: Field,
    pub text_exact_pairs: Field,
    pub text_en_pairs: Field,
}

impl Fields {
    pub fn new() -> Self {
        let mut b = Schema::builder();
        // Fields are added in the order indexes on disk have them (see `SCHEMA_VERSION`).
        let facet = facet();
        let key = b.add_text_field("key", STRING | STORED);
        let kind = b.add_text_field("kind", facet.clone());
        let title = b.add_text_field("title", STORED);
        let summary = b.add_text_field("summary", STORED);
        let body = b.add_text_field("body", STORED);
        let tags = b.add_text_field("tags", STRING | STORED);
        let task = b.add_text_field("task", facet.clone());
        let framework = b.add_text_field("framework", facet.clone());
        let languages = b.add_text_field("languages", facet.clone());
        let licence = b.add_text_field("licence", facet.clone());
        let organisations = b.add_text_field("organisations", facet.clone());
        let workstreams = b.add_text_field("workstreams", facet.clone());
        let stage = b.add_text_field("stage", facet.clone());
        let qf4sa = b.add_text_field("qf4sa", facet.clone());
        let qf4sa_levels = QF4SA_LEVEL_FIELDS.map(|name| b.add_u64_field(name, INDEXED | FAST));
        let gsbpm = b.add_text_field("gsbpm", STRING | STORED);
        let updated_at = b.add_i64_field("updated_at", INDEXED | FAST | STORED);
        let visibility = b.add_text_field("visibility", access_key());
        let owners = b.add_text_field("owners", access_key());
        let link = b.add_text_field("link", STORED);
        let api = b.add_text_field("api", STORED);
        let tiebreak = b.add_u64_field("tiebreak", FAST);
        let title_exact = b.add_text_field("title_exact", analysed(EXACT));
        let title_en = b.add_text_field("title_en", analysed(EN));
        let title_fr = b.add_text_field("title_fr", analysed(FR));
        let text_exact = b.add_text_field("text_exact", analysed(EXACT));
        let text_en = b.add_text_field("text_en", analysed(EN));
        let text_fr = b.add_text_field("text_fr", analysed(FR));
        let title_exact_pairs = b.add_text_field("title_exact_pairs", analysed(EXACT_PAIRS));
        let title_en_pairs = b.add_text_field("title_en_pairs", analysed(EN_PAIRS));
        let text_exact_pairs = b.add_text_field("text_exact_pairs", analysed(EXACT_PAIRS));
        let text_en_pairs = b.add_text_field("text_en_pairs", analysed(EN_PAIRS));
        Self {
            schema: b.build(),
            key,
            kind,
            title,
            summary,
            body,
            tags,
            task,
            framework,
            languages,
            licence,
            organisations,
            workstreams,
            stage,
            qf4sa,
            qf4sa_levels,
            gsbpm,
            updated_at,
            visibility,
            owners,
            link,
            api,
            tiebreak,
            title_exact,
            title_en,
            title_fr,
            text_exact,
            text_en,
            text_fr,
            title_exact_pairs,
            title_en_pairs,
            text_exact_pairs,
            text_en_pairs,
        }
    }

    /// The fields that index a document's title.
    pub fn title_forms(&self) -> TextForms {
        TextForms {
            exact: self.title_exact,
            en: self.title_en,
            fr: self.title_fr,
            exact_pairs: self.title_exact_pairs,
            en_pairs: self.title_en_pairs,
        }
    }

    /// The fields that index the rest of a document's text.
    pub fn text_forms(&self) -> TextForms {
        TextForms {
            exact: self.text_exact,
            en: self.text_en,
            fr: self.text_fr,
            exact_pairs: self.text_exact_pairs,
            en_pairs: self.text_en_pairs,
        }
    }

    /// What the search engine reads: the facets in the order of [`FACETS`], then the
    /// access keys (visibility, owners).
    pub fn layout(&self) -> Layout {
        Layout {
            title: self.title_forms(),
            text: self.text_forms(),
            facets: vec![
                self.kind,
                self.workstreams,
                self.organisations,
                self.task,
                self.framework,
                self.languages,
                self.licence,
                self.stage,
                self.qf4sa,
            ],
            access: vec![self.visibility, self.owners],
            updated_at: self.updated_at,
            tiebreak: self.tiebreak,
        }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_lists_the_facets_in_api_order() {
        let fields = Fields::new();
        let names: Vec<&str> = fields
            .layout()
            .facets
            .iter()
            .map(|&f| fields.schema.get_field_name(f))
            .collect();
        let expected: Vec<&str> = FACETS.iter().map(|(_, name)| *name).collect();
        assert_eq!(names, expected);
    }
}
