//! Model versions: what a client or an agent sends ([`ModelVersionInput`]), with its
//! rules, and what the hub answers ([`ModelVersion`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::Slug;
use crate::project::Provenance;
use crate::validate::{self, FieldError, Validate};

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
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
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
