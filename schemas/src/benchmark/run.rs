//! Runs: one model version evaluated at chosen organisations, fanned out into one job per
//! organisation, and their cancellation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check_name;
use crate::common::Slug;
use crate::execution::{ExecutorKind, Hardware, JobState};
use crate::validate::{self, FieldError, Validate};

/// A model version, named by its organisation, model name and version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ModelRef {
    pub organisation: Slug,
    pub name: Slug,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = r"^[A-Za-z0-9._+-]+$")
    )]
    pub version: String,
}

/// Starts a run: one model version evaluated at chosen organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct RunInput {
    pub model: ModelRef,
    /// Where to evaluate: organisations taking part in the benchmark. Empty means all of them.
    #[serde(default)]
    pub organisations: Vec<Slug>,
    /// Passed to the evaluation as environment (`AGORA_PARAM_<NAME>`), never into a shell.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

impl Validate for RunInput {
    fn validate(&self) -> Result<(), FieldError> {
        check_version("model.version", &self.model.version)?;
        validate::list("organisations", &self.organisations, 100)?;
        if self.parameters.len() > 50 {
            return Err(FieldError::new(
                "parameters",
                "must have at most 50 entries",
            ));
        }
        for (k, v) in &self.parameters {
            check_name(&format!("parameters.{k}"), k)?;
            validate::optional_text(&format!("parameters.{k}"), Some(v), 1_000)?;
        }
        Ok(())
    }
}

/// Checks a model version label as the model registry accepts it.
fn check_version(field: &str, value: &str) -> Result<(), FieldError> {
    validate::text(field, value, 64)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "use letters, digits, `.`, `-`, `_` and `+` only",
        ))
    }
}

/// The state of a run, summarised from its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// Some job is queued, leased or running.
    Active,
    /// Every job succeeded.
    Succeeded,
    /// Every job has ended and at least one did not succeed.
    Finished,
    /// The run was cancelled.
    Cancelled,
}

/// One organisation's job of a run, as the hub shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSummary {
    pub id: i64,
    pub organisation: Slug,
    pub dataset: String,
    pub state: JobState,
    /// Leases so far (1 for the first).
    pub attempts: u32,
    pub max_attempts: u32,
    /// Why the job failed, was refused, or was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The agent holding or that last held the lease: `<organisation>/<agent>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorKind>,
    /// The executor's own id (Slurm job id, Kubernetes Job name, Argo Workflow name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<Hardware>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_deadline: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<BTreeMap<String, f64>>,
    /// The last 64 KiB of the job's log, at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_tail: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
}

/// A run as the hub returns it, with its jobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Run {
    pub id: i64,
    pub benchmark: Slug,
    pub model: ModelRef,
    pub parameters: BTreeMap<String, String>,
    pub state: RunState,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<DateTime<Utc>>,
    pub jobs: Vec<JobSummary>,
}

/// Cancels a run or a job; the reason is shown on the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct CancelInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub reason: Option<String>,
}

impl Validate for CancelInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::optional_text("reason", self.reason.as_deref(), 1_000)
    }
}
