//! What one searchable item looks like to the index.

use agora_search::snippets;
use sha2::{Digest, Sha256};
use tantivy::TantivyDocument;

use super::schema::Fields;

/// The kinds of searchable item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Project,
    Model,
    Workstream,
    Organisation,
    Assessment,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Project,
        Kind::Model,
        Kind::Workstream,
        Kind::Organisation,
        Kind::Assessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::Model => "model",
            Kind::Workstream => "workstream",
            Kind::Organisation => "organisation",
            Kind::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The item's key in the index: `<kind>:<subject>`.
    pub fn key(self, subject: &str) -> String {
        format!("{}:{subject}", self.as_str())
    }
}

/// A searchable item, as loaded from PostgreSQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    pub kind: Option<Kind>,
    /// The subject as the event log names it: a slug, or `<organisation>/<name>`.
    pub subject: String,
    pub title: String,
    /// What the boosted title fields index, when not the title: an assessment is found by
    /// its kind there, and by its subject's title in the text, so that the subject itself
    /// ranks above its assessments.
    pub search_title: Option<String>,
    pub summary: String,
    /// Longer text: a model card's body, intended use, limitations...
    pub body: String,
    pub tags: Vec<String>,
    pub task: Option<String>,
    pub framework: Option<String>,
    pub languages: Vec<String>,
    pub licence: Option<String>,
    pub organisations: Vec<String>,
    pub workstreams: Vec<String>,
    pub stage: Option<String>,
    pub gsbpm: Option<String>,
    /// `has_qf4sa` values: `any`, `submitted`, `reviewed`.
    pub qf4sa: Vec<String>,
    /// Levels of the current QF4SA assessment, in the framework's order.
    pub qf4sa_levels: Option<[u8; 5]>,
    /// Microseconds since the epoch.
    pub updated_at: i64,
    pub visibility: String,
    /// The organisations that may read an `organisation`-visible item.
    pub owners: Vec<String>,
    pub link: String,
    pub api: String,
}

impl SearchDoc {
    pub fn key(&self) -> String {
        self.kind
            .map(|k| k.key(&self.subject))
            .unwrap_or_else(|| self.subject.clone())
    }

    pub fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        let key = self.key();
        d.add_text(f.key, &key);
        d.add_u64(f.tiebreak, tiebreak(&key));
        if let Some(kind) = self.kind {
            d.add_text(f.kind, kind.as_str());
        }
        d.add_text(f.title, &self.title);
        d.add_text(f.summary, &self.summary);
        // Stored for snippets, which read only the start of it.
        d.add_text(f.body, snippets::head(&self.body, snippets::BODY_BYTES));
        for (field, value) in [
            (f.task, &self.task),
            (f.framework, &self.framework),
            (f.licence, &self.licence),
            (f.stage, &self.stage),
            (f.gsbpm, &self.gsbpm),
        ] {
            if let Some(v) = value {
                d.add_text(field, v);
            }
        }
        for (field, values) in [
            (f.tags, &self.tags),
            (f.languages, &self.languages),
            (f.organisations, &self.organisations),
            (f.workstreams, &self.workstreams),
            (f.owners, &self.owners),
            (f.qf4sa, &self.qf4sa),
        ] {
            for v in values {
                d.add_text(field, v);
            }
        }
        if let Some(levels) = self.qf4sa_levels {
            for (field, level) in f.qf4sa_levels.iter().zip(levels) {
                d.add_u64(*field, u64::from(level));
            }
        }
        d.add_i64(f.updated_at, self.updated_at);
        d.add_text(f.visibility, &self.visibility);
        d.add_text(f.link, &self.link);
        d.add_text(f.api, &self.api);
        let title = self.search_title.as_deref().unwrap_or(&self.title);
        for field in f.title_forms().all() {
            d.add_text(field, title);
        }
        let text = self.text();
        for field in f.text_forms().all() {
            d.add_text(field, &text);
        }
        d
    }

    /// Everything but the title that a word search should find.
    fn text(&self) -> String {
        let mut text = String::with_capacity(self.summary.len() + self.body.len() + 256);
        if self.search_title.is_some() {
            text.push_str(&self.title);
            text.push('\n');
        }
        text.push_str(&self.summary);
        text.push('\n');
        text.push_str(&self.body);
        text.push('\n');
        text.push_str(&self.tags.join(" "));
        for v in [&self.task, &self.framework].into_iter().flatten() {
            text.push(' ');
            text.push_str(v);
        }
        text
    }
}

/// A stable 64-bit number for a key.
pub fn tiebreak(key: &str) -> u64 {
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}
