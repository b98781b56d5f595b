//! A schema for the unit tests: the layout with nine facets and two access keys, and a
//! numeric field for filters.

use tantivy::schema::{FAST, Field, INDEXED, Schema};
use tantivy::{Index, TantivyDocument};

use crate::access::{AccessKey, AccessSet};
use crate::analyzer;
use crate::layout::Layout;

/// The facet fields of [`fields`], in order.
pub const FACETS: [&str; 9] = [
    "kind",
    "workstreams",
    "organisations",
    "task",
    "framework",
    "languages",
    "licence",
    "stage",
    "qf4sa",
];

pub struct Fields {
    pub schema: Schema,
    pub layout: Layout,
    /// A `u64` field for filters.
    pub level: Field,
}

impl Fields {
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let layout = Layout::add(&mut b, &FACETS, &["visibility", "owners"]);
        let level = b.add_u64_field("level", INDEXED | FAST);
        Self {
            schema: b.build(),
            layout,
            level,
        }
    }

    pub fn index(&self) -> Index {
        let index = Index::create_in_ram(self.schema.clone());
        analyzer::register(&index);
        index
    }

    pub fn facet(&self, i: usize) -> Field {
        self.layout.facets[i]
    }

    /// Adds `title` and `text` in all their forms.
    pub fn add_texts(&self, d: &mut TantivyDocument, title: &str, text: &str) {
        for field in self.layout.title.all() {
            d.add_text(field, title);
        }
        for field in self.layout.text.all() {
            d.add_text(field, text);
        }
    }

    /// What anonymous readers see: public documents.
    pub fn anonymous(&self) -> AccessSet {
        AccessSet::AnyOf(vec![self.key(0, "public")])
    }

    /// What a member of `organisation` sees.
    pub fn member(&self, organisation: &str) -> AccessSet {
        AccessSet::AnyOf(vec![
            self.key(0, "public"),
            self.key(0, "members"),
            self.key(1, organisation),
        ])
    }

    fn key(&self, i: usize, value: &str) -> AccessKey {
        AccessKey {
            field: self.layout.access[i],
            value: value.to_string(),
        }
    }
}
