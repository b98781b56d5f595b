//! The side panel of a model's or a project's page: labelled facts and provenance.

use agora_schemas::{Origin, Provenance};

use crate::i18n::Lang;

/// A labelled fact about the item, for the side panel, in the page's language.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

pub fn fact(lang: Lang, key: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: lang.t(key),
        value: value.into(),
        href: None,
    }
}

/// Provenance, as shown: how the item reached the hub and when it was last synced.
pub struct ProvenanceView {
    pub origin: String,
    pub agent: Option<String>,
    pub source: Option<String>,
    pub commit: Option<String>,
    pub synced: Option<String>,
    pub synced_iso: Option<String>,
    pub withdrawn: bool,
    pub created: String,
    pub updated: String,
}

impl ProvenanceView {
    pub fn new(
        lang: Lang,
        p: &Provenance,
        created: chrono::DateTime<chrono::Utc>,
        updated: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        Self {
            origin: lang.t(match p.origin {
                Origin::Manual => "model-origin-manual",
                Origin::Git => "model-origin-git",
                Origin::Agent => "model-origin-agent",
            }),
            agent: p.agent.clone(),
            source: p.source.clone(),
            commit: p.commit.clone(),
            synced: p.synced_at.map(|t| super::moment(lang, t)),
            synced_iso: p.synced_at.map(|t| t.to_rfc3339()),
            withdrawn: p.withdrawn,
            created: super::date(lang, created),
            updated: super::date(lang, updated),
        }
    }
}
