//! Model cards: what a client or an agent sends ([`ModelCardInput`]), with its size limits,
//! and what the hub answers ([`ModelCard`]).

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::index::ModelIndexEntry;
use super::{Extra, null_as_default};
use crate::common::{LanguageCode, License, Slug, Visibility};
use crate::label::Label;
use crate::language::LanguageTag;
use crate::one_or_many::OneOrMany;
use crate::project::Provenance;
use crate::task::TaskName;
use crate::validate::{self, FieldError, Validate};
use crate::warning::ItemWarning;

/// A model card as a client or an agent sends it. Beside Agora's own fields, it takes every
/// field of the Hugging Face Hub's model-card metadata in the shapes the Hub accepts, and
/// keeps any other key as written ([`ModelCardInput::extra`]). Values the hub cannot use
/// (an unknown task, a malformed language tag) are kept and reported by
/// [`ModelCardInput::warnings`]; only a missing name or a size over a limit refuses a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelCardInput {
    /// The organisation that owns the model.
    pub organisation: Slug,
    /// The model's name, unique within its organisation.
    pub name: Slug,
    /// A readable title, such as "NACE activity coder".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// One or two sentences on what the model does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The project the model belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Slug>,
    /// Agora's task (such as `coding`) or a Hub pipeline task (such as
    /// `text-classification`), kept as written; see [`crate::task`] for the mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskName>,
    /// Hugging Face pipeline tag, such as `text-classification`. Gives the task when
    /// `task` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_tag: Option<String>,
    /// The framework, such as `fasttext`, `scikit-learn`, `transformers` or `torch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_name: Option<String>,
    /// An SPDX identifier, a licence id of the Hub, or `other` with `license_name` and
    /// `license_link`. Another value is kept as written, with a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    /// The licence's name when `license` is `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_name: Option<String>,
    /// A link to the licence (a URL, or a file of the repository) when `license` is `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_link: Option<String>,
    /// Languages of the model's data: one tag or a list, each kept as written.
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::one_or_many::languages_schema))]
    pub language: OneOrMany<LanguageTag>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::one_or_many::labels_schema))]
    pub tags: OneOrMany<Label>,
    /// Names of the training and evaluation data sets (names only: data stays home).
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::one_or_many::labels_schema))]
    pub datasets: OneOrMany<Label>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::one_or_many::labels_schema))]
    pub metrics: OneOrMany<Label>,
    /// The model (or, for a merge, the models) this one was derived from.
    #[serde(
        default,
        skip_serializing_if = "OneOrMany::is_empty",
        deserialize_with = "null_as_default"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::one_or_many::labels_schema))]
    pub base_model: OneOrMany<Label>,
    /// Evaluation results in the Hugging Face `model-index` format.
    #[serde(
        default,
        rename = "model-index",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub model_index: Vec<ModelIndexEntry>,
    /// The Hub's inference widget switch: `false`, or an object of parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<serde_json::Value>,
    /// Example inputs for the Hub's widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<serde_json::Value>,
    /// Training emissions: grams of CO₂, or an object (`emissions`, `source`,
    /// `training_type`, `geographical_location`, `hardware_used`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_eq_emissions: Option<serde_json::Value>,
    /// An image shown for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_use: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitations: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethical_considerations: Option<String>,
    /// The card's text (markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The language the card's own text (title, summary, sections, body) is written in;
    /// English when not given. Pages mark the text with it and never translate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_language: Option<LanguageCode>,
    #[serde(default)]
    pub visibility: Visibility,
    /// Any other key of the card, kept as written and given back. The keys the hub adds to
    /// a card it answers with ([`ModelCard`]: `latest_version`, `provenance`...) are not
    /// kept, so a card read from the API can be sent back as it is.
    #[serde(flatten, deserialize_with = "extra_keys")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

/// The keys of [`ModelCard`] beside the card's own.
const ANSWER_KEYS: [&str; 5] = [
    "latest_version",
    "provenance",
    "created_at",
    "updated_at",
    "agora_warnings",
];

fn extra_keys<'de, D: Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
    let mut extra = Extra::deserialize(d)?;
    for key in ANSWER_KEYS {
        extra.remove(key);
    }
    Ok(extra)
}

impl ModelCardInput {
    /// The keys that name the card: its organisation and name.
    pub const KEYS: &[&str] = &["organisation", "name"];

    /// Every other field the hub reads, as spelt in the payload; any other key is kept in
    /// the card's extra metadata. A test holds this list to the JSON Schema's properties.
    pub const FIELDS: &[&str] = &[
        "title",
        "summary",
        "project",
        "task",
        "pipeline_tag",
        "library_name",
        "license",
        "license_name",
        "license_link",
        "language",
        "tags",
        "datasets",
        "metrics",
        "base_model",
        "model-index",
        "inference",
        "widget",
        "co2_eq_emissions",
        "thumbnail",
        "intended_use",
        "training_data",
        "limitations",
        "ethical_considerations",
        "body",
        "text_language",
        "visibility",
    ];

    /// The language of the card's own text: its `text_language`, else English.
    pub fn text_language(&self) -> &str {
        self.text_language.as_deref().unwrap_or("en")
    }

    /// The Agora task the card counts under: its `task`, else its `pipeline_tag`, mapped
    /// by [`crate::task::agora_task`].
    pub fn agora_task(&self) -> Option<crate::MlTask> {
        match &self.task {
            Some(task) => task.agora(),
            None => self
                .pipeline_tag
                .as_deref()
                .and_then(crate::task::agora_task),
        }
    }

    /// The languages the card counts under in facets (`pt-BR` counts under `pt`), once each.
    pub fn language_facets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for facet in self.language.iter().filter_map(LanguageTag::facet) {
            if !out.contains(&facet) {
                out.push(facet);
            }
        }
        out
    }
}

/// Size limits only: any other odd value is kept and reported by
/// [`ModelCardInput::warnings`].
impl Validate for ModelCardInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::optional_text("title", self.title.as_deref(), 200)?;
        validate::optional_text("summary", self.summary.as_deref(), 2_000)?;
        for (field, value, max) in [
            ("task", self.task.as_ref().map(TaskName::as_str), 100),
            ("pipeline_tag", self.pipeline_tag.as_deref(), 100),
            ("library_name", self.library_name.as_deref(), 100),
            ("license", self.license.as_deref(), 200),
            ("license_name", self.license_name.as_deref(), 200),
            ("license_link", self.license_link.as_deref(), 2_000),
            ("thumbnail", self.thumbnail.as_deref(), 2_000),
        ] {
            validate::optional_text(field, value, max)?;
        }
        // An entry that is not text (kept as written) is held to a size, as JSON.
        fn labels(list: &OneOrMany<Label>) -> Vec<Cow<'_, str>> {
            list.iter()
                .map(|l| match l {
                    Label::Text(text) => Cow::Borrowed(text.as_str()),
                    Label::Other(_) => Cow::Owned(l.to_string()),
                })
                .collect()
        }
        for (field, values, max_len) in [
            (
                "language",
                self.language
                    .iter()
                    .map(|l| Cow::Borrowed(l.as_str()))
                    .collect(),
                100,
            ),
            ("tags", labels(&self.tags), 200),
            ("datasets", labels(&self.datasets), 200),
            ("metrics", labels(&self.metrics), 200),
            ("base_model", labels(&self.base_model), 200),
        ] {
            if values.len() > 200 {
                return Err(FieldError::new(field, "must have at most 200 entries"));
            }
            for (i, v) in values.iter().enumerate() {
                validate::optional_text(&format!("{field}[{i}]"), Some(v), max_len)?;
            }
        }
        for (field, value) in [
            ("intended_use", &self.intended_use),
            ("training_data", &self.training_data),
            ("limitations", &self.limitations),
            ("ethical_considerations", &self.ethical_considerations),
        ] {
            validate::optional_text(field, value.as_deref(), 20_000)?;
        }
        validate::optional_text("body", self.body.as_deref(), 100_000)?;
        if self.model_index.len() > 20 {
            return Err(FieldError::new(
                "model-index",
                "must have at most 20 entries",
            ));
        }
        for (i, entry) in self.model_index.iter().enumerate() {
            let at = format!("model-index[{i}]");
            validate::optional_text(&format!("{at}.name"), Some(&entry.name), 200)?;
            if entry.results.len() > 200 {
                return Err(FieldError::new(
                    format!("{at}.results"),
                    "must have at most 200 entries",
                ));
            }
            for (j, result) in entry.results.iter().enumerate() {
                if result.metrics.len() > 200 {
                    return Err(FieldError::new(
                        format!("{at}.results[{j}].metrics"),
                        "must have at most 200 entries",
                    ));
                }
            }
        }
        // The metadata that is kept as written (unknown keys, widget examples...) is bounded
        // as a whole, so a card cannot grow without limit through them.
        let loose = serde_json::to_string(&(
            &self.extra,
            &self.inference,
            &self.widget,
            &self.co2_eq_emissions,
            &self.model_index,
        ))
        .map(|s| s.len())
        .unwrap_or(0);
        if loose > 200_000 {
            return Err(FieldError::new(
                "metadata",
                "the card's other metadata (model-index, widget, unknown keys) must be at most 200000 bytes",
            ));
        }
        Ok(())
    }
}

/// A model card as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelCard {
    #[serde(flatten)]
    pub spec: ModelCardInput,
    /// Values of the card kept as written that the hub could not use, with their field
    /// paths. Given to the card's organisation only.
    #[serde(
        default,
        rename = "agora_warnings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub warnings: Vec<ItemWarning>,
    /// The newest version's label, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    pub provenance: Provenance,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
