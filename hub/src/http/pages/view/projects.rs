//! How a list shows a project: its row, and the count of projects at each stage.

use agora_schemas::{JourneyStage, Project};

use super::markdown::first_paragraph_text;
use crate::i18n::Lang;

pub struct ProjectRow {
    /// The language the project is written in, for its `lang` attribute.
    pub text_lang: String,
    pub href: String,
    pub title: String,
    pub summary: String,
    pub organisations: String,
    pub stage: String,
    pub stage_key: &'static str,
    pub task: String,
    pub updated: String,
}

/// A list row for a project: organisations by name, summary cut to its first paragraph.
pub fn row(
    lang: Lang,
    p: &Project,
    org_names: &std::collections::HashMap<String, String>,
) -> ProjectRow {
    let orgs: Vec<String> = p
        .spec
        .organisations
        .iter()
        .map(|o| {
            org_names
                .get(o.as_str())
                .cloned()
                .unwrap_or_else(|| o.to_string())
        })
        .collect();
    ProjectRow {
        href: format!("/projects/{}", p.spec.slug),
        text_lang: p.spec.text_language().to_string(),
        title: p.spec.title.clone(),
        summary: first_paragraph_text(&p.spec.summary, 280),
        organisations: orgs.join(", "),
        stage: super::stage_label(lang, p.spec.stage),
        stage_key: p.spec.stage.as_str(),
        task: p
            .spec
            .task
            .map(|t| super::task_label(lang, t))
            .unwrap_or_default(),
        updated: super::date(lang, p.updated_at),
    }
}

pub struct StageCount {
    pub stage: String,
    pub label: String,
    pub count: i64,
}

/// The count of projects at each stage, in journey order.
pub fn stage_counts(
    lang: Lang,
    counts: Option<&std::collections::BTreeMap<JourneyStage, i64>>,
) -> (i64, Vec<StageCount>) {
    let stages: Vec<StageCount> = JourneyStage::ALL
        .into_iter()
        .map(|s| StageCount {
            stage: s.as_str().to_string(),
            label: super::stage_label(lang, s),
            count: counts.and_then(|c| c.get(&s)).copied().unwrap_or(0),
        })
        .collect();
    (stages.iter().map(|s| s.count).sum(), stages)
}
