//! Model cards and model versions, with Hugging Face-compatible metadata.
//!
//! Field names follow the Hugging Face model-card metadata where one exists (`license`,
//! `language`, `tags`, `datasets`, `metrics`, `library_name`, `pipeline_tag`, `base_model`,
//! `model-index`), so a `MODEL_CARD.md` front matter written for the Hub reads as is.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::common::{LanguageCode, License, Slug, Visibility};
use crate::label::Label;
use crate::language::LanguageTag;
use crate::one_or_many::OneOrMany;
use crate::project::Provenance;
use crate::task::TaskName;
use crate::validate::{self, FieldError, Validate};

/// Keys a card carries that the hub does not know: kept as written and given back.
pub type Extra = BTreeMap<String, serde_json::Value>;

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

/// A `null` (an empty YAML value) reads as the field's default.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One entry of `model-index`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelIndexEntry {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub results: Vec<ModelIndexResult>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

/// Results of the model on one task and data set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelIndexResult {
    #[serde(default)]
    pub task: IndexTask,
    #[serde(default)]
    pub dataset: IndexDataset,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub metrics: Vec<IndexMetric>,
    /// Where the results come from, such as a leaderboard or a paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<IndexSource>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexTask {
    /// A Hub task or sub-task, such as `text-classification`.
    #[serde(rename = "type", default)]
    pub task_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexDataset {
    #[serde(rename = "type", default)]
    pub dataset_type: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Arguments of the data set's loading, kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<serde_json::Value>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexMetric {
    #[serde(rename = "type", default)]
    pub metric_type: String,
    /// Usually a number; any other value (such as `"20.0 ± 1.2"`) is kept, with a warning.
    #[serde(default)]
    pub value: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Arguments of the metric's computation, kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<serde_json::Value>,
    /// True when the Hub itself produced the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
}

impl IndexMetric {
    /// The value as a finite number, if it is one.
    pub fn number(&self) -> Option<f64> {
        self.value.as_f64().filter(|v| v.is_finite())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: Extra,
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

/// Stage of a version in a registry that still uses MLflow's classic stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RegistryStage {
    None,
    Staging,
    Production,
    Archived,
}

impl RegistryStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Staging => "staging",
            Self::Production => "production",
            Self::Archived => "archived",
        }
    }
}

/// One measured result of a model version: metric, value, and the data it was measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct EvaluationResult {
    /// Metric name, such as `accuracy` or `f1_macro`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub metric: String,
    pub value: f64,
    /// The data set's name (data never leaves its office).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub dataset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub split: Option<String>,
}

/// A version of a model, as a client or an agent sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ModelVersionInput {
    /// Version label, such as `3` (MLflow) or `2.1.0`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = r"^[A-Za-z0-9._+-]+$")
    )]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<RegistryStage>,
    /// Registry aliases pointing at this version, such as `champion`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub aliases: Vec<String>,
    /// Where the artefact lives at its office. A pointer: artefacts are never copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub artifact_uri: Option<String>,
    /// When the version was registered at its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub results: Vec<EvaluationResult>,
    /// Who registered the version at its source (a user id). Agents send it only when
    /// their release filter allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
    /// Training parameters of the version's run. Agents send them only when their release
    /// filter allows it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
}

impl Validate for ModelVersionInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("version", &self.version, 64)?;
        let ok = self
            .version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'));
        if !ok {
            return Err(FieldError::new(
                "version",
                "use letters, digits, `.`, `-`, `_` and `+` only",
            ));
        }
        validate::optional_text("description", self.description.as_deref(), 20_000)?;
        validate::labels("aliases", &self.aliases, 20)?;
        validate::optional_text("artifact_uri", self.artifact_uri.as_deref(), 2_000)?;
        validate::optional_text("registered_by", self.registered_by.as_deref(), 200)?;
        if self.parameters.len() > 500 {
            return Err(FieldError::new(
                "parameters",
                "must have at most 500 entries",
            ));
        }
        for (k, v) in &self.parameters {
            validate::text(&format!("parameters.{k}"), k, 250)?;
            validate::optional_text(&format!("parameters.{k}"), Some(v), 6_000)?;
        }
        if self.results.len() > 200 {
            return Err(FieldError::new("results", "must have at most 200 entries"));
        }
        for (i, r) in self.results.iter().enumerate() {
            validate::text(&format!("results[{i}].metric"), &r.metric, 100)?;
            validate::text(&format!("results[{i}].dataset"), &r.dataset, 200)?;
            validate::optional_text(&format!("results[{i}].split"), r.split.as_deref(), 100)?;
            if !r.value.is_finite() {
                return Err(FieldError::new(
                    format!("results[{i}].value"),
                    "must be a finite number",
                ));
            }
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
    pub warnings: Vec<crate::warning::ItemWarning>,
    /// The newest version's label, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    pub provenance: Provenance,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A model version as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelVersion {
    pub organisation: Slug,
    pub model: Slug,
    #[serde(flatten)]
    pub spec: ModelVersionInput,
    #[serde(default)]
    pub provenance: Provenance,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::ModelCardInput;

    #[test]
    fn the_list_of_fields_is_the_schemas_properties() {
        let file = crate::schema_files()
            .into_iter()
            .find(|f| f.file_name == "model-card.schema.json")
            .expect("the model card's schema file");
        let schema: serde_json::Value = serde_json::from_str(&file.text).expect("JSON");
        let properties: BTreeSet<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let listed: BTreeSet<&str> = ModelCardInput::KEYS
            .iter()
            .chain(ModelCardInput::FIELDS)
            .copied()
            .collect();
        assert_eq!(listed, properties);
    }
}
