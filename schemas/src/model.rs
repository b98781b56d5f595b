//! Model cards and model versions, with Hugging Face-compatible metadata.
//!
//! Field names follow the Hugging Face model-card metadata where one exists (`license`,
//! `language`, `tags`, `datasets`, `metrics`, `library_name`, `pipeline_tag`, `base_model`,
//! `model-index`), so a `MODEL_CARD.md` front matter written for the Hub reads as is.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{LanguageCode, License, Slug, Visibility};
use crate::project::{MlTask, Provenance};
use crate::validate::{self, FieldError, Validate};

/// A model card as a client or an agent sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<MlTask>,
    /// Hugging Face pipeline tag, such as `text-classification`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_tag: Option<String>,
    /// The framework, such as `fasttext`, `scikit-learn`, `transformers` or `torch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    #[serde(default)]
    pub language: Vec<LanguageCode>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Names of the training and evaluation data sets (names only: data stays home).
    #[serde(default)]
    pub datasets: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_model: Option<String>,
    /// Evaluation results in the Hugging Face `model-index` format.
    #[serde(default, rename = "model-index", skip_serializing_if = "Vec::is_empty")]
    pub model_index: Vec<ModelIndexEntry>,
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
}

/// One entry of `model-index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ModelIndexEntry {
    pub name: String,
    #[serde(default)]
    pub results: Vec<ModelIndexResult>,
}

/// Results of the model on one task and data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ModelIndexResult {
    pub task: IndexTask,
    pub dataset: IndexDataset,
    pub metrics: Vec<IndexMetric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct IndexTask {
    #[serde(rename = "type")]
    pub task_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct IndexDataset {
    #[serde(rename = "type")]
    pub dataset_type: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct IndexMetric {
    #[serde(rename = "type")]
    pub metric_type: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ModelCardInput {
    /// The language of the card's own text: its `text_language`, else English.
    pub fn text_language(&self) -> &str {
        self.text_language.as_deref().unwrap_or("en")
    }
}

impl Validate for ModelCardInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::optional_text("title", self.title.as_deref(), 200)?;
        validate::optional_text("summary", self.summary.as_deref(), 2_000)?;
        validate::optional_text("pipeline_tag", self.pipeline_tag.as_deref(), 100)?;
        validate::optional_text("library_name", self.library_name.as_deref(), 100)?;
        validate::optional_text("base_model", self.base_model.as_deref(), 200)?;
        validate::list("language", &self.language, 50)?;
        validate::labels("tags", &self.tags, 50)?;
        validate::labels("datasets", &self.datasets, 50)?;
        validate::labels("metrics", &self.metrics, 50)?;
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
            validate::text(&format!("{at}.name"), &entry.name, 200)?;
            for (j, result) in entry.results.iter().enumerate() {
                for (k, metric) in result.metrics.iter().enumerate() {
                    if !metric.value.is_finite() {
                        return Err(FieldError::new(
                            format!("{at}.results[{j}].metrics[{k}].value"),
                            "must be a finite number",
                        ));
                    }
                }
            }
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
    pub metric: String,
    pub value: f64,
    /// The data set's name (data never leaves its office).
    pub dataset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
}

/// A version of a model, as a client or an agent sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ModelVersionInput {
    /// Version label, such as `3` (MLflow) or `2.1.0`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<RegistryStage>,
    /// Registry aliases pointing at this version, such as `champion`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the artefact lives at its office. A pointer: artefacts are never copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_uri: Option<String>,
    /// When the version was registered at its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<DateTime<Utc>>,
    #[serde(default)]
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
