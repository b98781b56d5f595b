//! A model at a glance, as pages show it: the version that speaks for it with its stage,
//! its headline result, its QF4SA level, and its task, languages, licence and framework
//! as chips with names rather than codes. The model page's summary strip, the models
//! list, search results and the front page use it.

use agora_schemas::{ModelCardInput, RegistryStage};

use super::chart;
use crate::catalog::licence_name;
use crate::db::models::Headline;
use crate::i18n::Lang;

/// A labelled link that narrows a list ("French", "Apache License 2.0").
pub struct Chip {
    pub label: String,
    pub href: String,
    /// What the label stands for, where it is not the label itself (the code as written).
    pub title: Option<String>,
}

/// The headline result.
pub struct MetricView {
    pub value: String,
    pub metric: String,
    pub dataset: String,
    pub split: Option<String>,
    /// Reported by the card's own text (its model-index) rather than measured on a
    /// registered version.
    pub from_card: bool,
}

/// The current QF4SA assessment, in short.
pub struct Qf4saView {
    pub href: String,
    /// The lowest level over the five dimensions.
    pub lowest: u8,
    pub state: &'static str,
    pub state_label: String,
    /// Made for an older version than the newest.
    pub stale: bool,
}

/// A registry stage: its class (`production`) and its name in the page's language.
pub struct StageView {
    pub class: &'static str,
    pub label: String,
}

/// A model at a glance, in the page's language.
pub struct Glance {
    pub version: Option<String>,
    pub stage: Option<StageView>,
    pub aliases: Vec<String>,
    pub registered: Option<String>,
    pub artifact: Option<String>,
    pub metric: Option<MetricView>,
    pub qf4sa: Option<Qf4saView>,
    pub task: Option<Chip>,
    pub languages: Vec<Chip>,
    pub licence: Option<Chip>,
    pub framework: Option<Chip>,
}

/// A registry stage's name as a label ("Production", "Préproduction").
pub fn registry_stage_label(lang: Lang, stage: RegistryStage) -> String {
    lang.t(&format!("glance-stage-{}", stage.as_str()))
}

impl Glance {
    /// The figures of a headline alone, with no chips: what lists and search results show.
    pub fn from_headline(lang: Lang, headline: &Headline) -> Self {
        let version = headline.version.as_ref();
        Self {
            version: version.map(|v| v.version.clone()),
            stage: version.and_then(|v| v.stage).and_then(|s| {
                (s != RegistryStage::None).then(|| StageView {
                    class: s.as_str(),
                    label: registry_stage_label(lang, s),
                })
            }),
            aliases: version.map(|v| v.aliases.clone()).unwrap_or_default(),
            registered: version
                .and_then(|v| v.registered_at)
                .map(|t| super::date(lang, t)),
            artifact: version.and_then(|v| v.artifact_uri.clone()),
            metric: headline.metric.as_ref().map(|r| MetricView {
                value: chart::decimal(lang, r.value),
                metric: r.metric.clone(),
                dataset: r.dataset.clone(),
                split: r.split.clone(),
                from_card: false,
            }),
            qf4sa: headline.qf4sa.as_ref().map(|q| Qf4saView {
                href: format!("/assessments/{}", q.id),
                lowest: q.lowest(),
                state: q.state.as_str(),
                state_label: super::assessments::state_label(lang, q.state),
                stale: q.stale,
            }),
            task: None,
            languages: Vec::new(),
            licence: None,
            framework: None,
        }
    }

    /// A card at a glance: its headline's figures (a result its card reports when no
    /// version has one) and its chips.
    pub fn new(lang: Lang, card: &ModelCardInput, headline: Option<&Headline>) -> Self {
        let mut glance = Self::from_headline(lang, headline.unwrap_or(&Headline::default()));
        if glance.metric.is_none() {
            glance.metric = card_metric(lang, card);
        }
        glance.task = match (card.agora_task(), &card.task) {
            (Some(t), written) => {
                let label = super::task_label(lang, t);
                Some(Chip {
                    title: written
                        .as_ref()
                        .map(|w| w.to_string())
                        .filter(|w| !w.eq_ignore_ascii_case(&label)),
                    href: format!("/models?task={}", t.as_str()),
                    label,
                })
            }
            (None, Some(written)) => Some(Chip {
                label: written.to_string(),
                href: format!("/search?q={}", urlencoding(&written.to_string())),
                title: None,
            }),
            (None, None) => None,
        };
        for tag in card.language.iter() {
            let Some(facet) = tag.facet() else { continue };
            let href = format!("/models?language={facet}");
            if glance.languages.iter().any(|c| c.href == href) {
                continue;
            }
            glance.languages.push(Chip {
                label: tag.display_name_in(lang.code()),
                href,
                title: Some(tag.to_string()),
            });
        }
        glance.licence = card.license.as_ref().map(|l| {
            let id = l.to_string();
            let label = licence_name(&id)
                .or_else(|| (id == "other").then(|| card.license_name.clone()).flatten())
                .unwrap_or_else(|| id.clone());
            Chip {
                title: (label != id).then(|| id.clone()),
                href: format!("/models?license={}", urlencoding(&id)),
                label,
            }
        });
        glance.framework = card.library_name.as_ref().map(|f| Chip {
            label: f.clone(),
            href: format!("/models?framework={}", urlencoding(f)),
            title: None,
        });
        glance
    }

    /// Whether the version that speaks for the model is in production.
    pub fn in_production(&self) -> bool {
        self.stage.as_ref().is_some_and(|s| s.class == "production")
    }
}

/// The first numeric result a card reports in its model-index, when no registered
/// version has one.
fn card_metric(lang: Lang, card: &ModelCardInput) -> Option<MetricView> {
    card.model_index.iter().find_map(|entry| {
        entry.results.iter().find_map(|result| {
            result.metrics.iter().find_map(|m| {
                m.number().map(|v| MetricView {
                    value: chart::decimal(lang, v),
                    metric: m.name.clone().unwrap_or_else(|| m.metric_type.clone()),
                    dataset: result.dataset.name.clone(),
                    split: result.dataset.split.clone(),
                    from_card: true,
                })
            })
        })
    })
}

fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
