//! Benchmarks, their runs and results, and leaderboards.
//!
//! A benchmark is a shared evaluation task: each taking part organisation evaluates a model
//! on its own local dataset, on its own cluster, and only the metrics come back. A run
//! evaluates one model version at chosen organisations and fans out into one job per
//! organisation (the agent side of a job is in [`crate::job`]).

mod command;
mod leaderboard;
mod metric;
mod resources;
mod run;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use self::command::{
    COMMAND_PLACEHOLDERS, check_command, check_image, command_hash, is_command_hash,
};
pub use self::leaderboard::{Leaderboard, LeaderboardEntry};
pub use self::metric::{BenchmarkMetric, MetricDirection};
pub use self::resources::ResourceRequest;
pub use self::run::{CancelInput, JobSummary, ModelRef, Run, RunInput, RunState};
use crate::common::{Slug, Visibility};
use crate::project::MlTask;
use crate::validate::{self, FieldError, Validate};

/// An organisation taking part, with the name of its local dataset (the name only: the
/// data never leaves the organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Participant {
    pub organisation: Slug,
    pub dataset: String,
}

/// A benchmark as a client sends it to create or replace one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct BenchmarkInput {
    pub slug: Slug,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    /// What is evaluated and how (markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub description: String,
    pub task: MlTask,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub metrics: Vec<BenchmarkMetric>,
    /// The metric the leaderboard ranks by; one of `metrics`.
    pub primary_metric: String,
    /// The evaluation command as an argument vector (never a shell string), with the
    /// placeholders of [`COMMAND_PLACEHOLDERS`]. At least one of `command` and `image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// A container image pinned by digest: `registry/name@sha256:<64 hex>`. With a
    /// `command`, the command runs in the image; without one, the image's entrypoint runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default)]
    pub resources: ResourceRequest,
    /// The organisations taking part; the first one leads the benchmark.
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub workstreams: Vec<Slug>,
    #[serde(default)]
    pub visibility: Visibility,
}

/// Names of metrics, GPU types and parameters: letters, digits, `_`, `-`, `.`.
pub fn check_name(field: &str, value: &str) -> Result<(), FieldError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("`{value}` must be 1 to 64 letters, digits, `_`, `-` or `.`"),
        ))
    }
}

impl Validate for BenchmarkInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("title", &self.title, 200)?;
        validate::text("description", &self.description, 20_000)?;
        if self.metrics.is_empty() || self.metrics.len() > 20 {
            return Err(FieldError::new("metrics", "must have 1 to 20 metrics"));
        }
        for (i, m) in self.metrics.iter().enumerate() {
            check_name(&format!("metrics[{i}].name"), &m.name)?;
            validate::optional_text(
                &format!("metrics[{i}].description"),
                m.description.as_deref(),
                500,
            )?;
            if self.metrics[..i].iter().any(|o| o.name == m.name) {
                return Err(FieldError::new(format!("metrics[{i}].name"), "is repeated"));
            }
        }
        if !self.metrics.iter().any(|m| m.name == self.primary_metric) {
            return Err(FieldError::new(
                "primary_metric",
                format!("`{}` is not one of `metrics`", self.primary_metric),
            ));
        }
        match (&self.command, &self.image) {
            (None, None) => {
                return Err(FieldError::new(
                    "command",
                    "give an evaluation `command` (argv) or an `image`",
                ));
            }
            (command, image) => {
                if let Some(argv) = command {
                    check_command("command", argv)?;
                }
                if let Some(image) = image {
                    check_image("image", image)?;
                }
            }
        }
        self.resources
            .validate()
            .map_err(|e| FieldError::new(format!("resources.{}", e.field), e.message))?;
        if self.participants.is_empty() || self.participants.len() > 100 {
            return Err(FieldError::new(
                "participants",
                "must name 1 to 100 organisations",
            ));
        }
        for (i, p) in self.participants.iter().enumerate() {
            validate::text(&format!("participants[{i}].dataset"), &p.dataset, 200)?;
            if self.participants[..i]
                .iter()
                .any(|o| o.organisation == p.organisation)
            {
                return Err(FieldError::new(
                    format!("participants[{i}].organisation"),
                    "is repeated",
                ));
            }
        }
        validate::list("workstreams", &self.workstreams, 20)?;
        Ok(())
    }
}

/// A benchmark as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Benchmark {
    #[serde(flatten)]
    pub spec: BenchmarkInput,
    /// Who created it: a user's e-mail.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{DecodeError, from_json};

    fn field_of(json: serde_json::Value) -> String {
        match from_json::<BenchmarkInput>(json.to_string().as_bytes()) {
            Err(DecodeError::Invalid(e)) => e.field,
            other => panic!("{other:?}"),
        }
    }

    fn base() -> serde_json::Value {
        serde_json::json!({
            "slug": "nace-coding", "title": "NACE coding", "description": "d",
            "task": "coding",
            "metrics": [{"name": "accuracy", "direction": "maximize"}],
            "primary_metric": "accuracy",
            "command": ["python", "eval.py", "--data", "{dataset}", "--out={output}"],
            "participants": [{"organisation": "insee", "dataset": "sirene-2024"}]
        })
    }

    #[test]
    fn a_benchmark_decodes_with_defaults() {
        let b: BenchmarkInput = from_json(base().to_string().as_bytes()).unwrap();
        assert_eq!(b.resources, ResourceRequest::default());
        assert_eq!(b.visibility, Visibility::Organisation);
    }

    #[test]
    fn rules_name_the_field() {
        let mut b = base();
        b["primary_metric"] = "f1".into();
        assert_eq!(field_of(b), "primary_metric");
        let mut b = base();
        b["command"] = serde_json::json!(["sh", "-c", "{shell}"]);
        assert_eq!(field_of(b), "command[2]");
        let mut b = base();
        b["image"] = "python:3.12".into();
        assert_eq!(field_of(b), "image");
        let mut b = base();
        b["resources"] = serde_json::json!({"gpus": 0, "gpu_type": "a100"});
        assert_eq!(field_of(b), "resources.gpu_type");
        let mut b = base();
        b.as_object_mut().unwrap().remove("command");
        assert_eq!(field_of(b), "command");
    }
}
