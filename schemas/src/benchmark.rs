//! Benchmarks, their runs and results, and leaderboards.
//!
//! A benchmark is a shared evaluation task: each taking part organisation evaluates a model
//! on its own local dataset, on its own cluster, and only the metrics come back. A run
//! evaluates one model version at chosen organisations and fans out into one job per
//! organisation (the agent side of a job is in [`crate::job`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Slug, Visibility};
use crate::job::{ExecutorKind, Hardware, JobState};
use crate::project::MlTask;
use crate::validate::{self, FieldError, Validate};

/// Placeholders an evaluation command may contain, replaced by the agent argument by
/// argument (never through a shell): `{dataset}` the organisation's local dataset name,
/// `{model_uri}` the model version's artifact URI, `{output}` the path of the JSON file of
/// metrics the command writes, `{model}` and `{version}` the model's name and version.
pub const COMMAND_PLACEHOLDERS: [&str; 5] = [
    "{dataset}",
    "{model_uri}",
    "{output}",
    "{model}",
    "{version}",
];

/// Whether a higher or a lower value of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MetricDirection {
    Maximize,
    Minimize,
}

impl MetricDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Maximize => "maximize",
            Self::Minimize => "minimize",
        }
    }

    /// True when `a` is a better value than `b`.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Self::Maximize => a > b,
            Self::Minimize => a < b,
        }
    }
}

/// A metric the evaluation reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct BenchmarkMetric {
    /// Letters, digits, `_`, `-` and `.`, such as `accuracy` or `f1_macro`.
    pub name: String,
    pub direction: MetricDirection,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What one job of the benchmark may use on the organisation's cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ResourceRequest {
    #[serde(default = "one", deserialize_with = "crate::whole::number")]
    pub cpus: u32,
    #[serde(default = "default_memory", deserialize_with = "crate::whole::number")]
    pub memory_mb: u64,
    #[serde(default, deserialize_with = "crate::whole::number")]
    pub gpus: u32,
    /// A GPU model such as `a100`; only agents that list it in their capabilities get the
    /// job. Without it, any agent with a GPU type gets a job that asks for GPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    #[serde(
        default = "default_time_limit",
        deserialize_with = "crate::whole::number"
    )]
    pub time_limit_seconds: u64,
}

fn one() -> u32 {
    1
}
fn default_memory() -> u64 {
    2048
}
fn default_time_limit() -> u64 {
    3600
}

impl Default for ResourceRequest {
    fn default() -> Self {
        Self {
            cpus: one(),
            memory_mb: default_memory(),
            gpus: 0,
            gpu_type: None,
            time_limit_seconds: default_time_limit(),
        }
    }
}

impl Validate for ResourceRequest {
    fn validate(&self) -> Result<(), FieldError> {
        if !(1..=1024).contains(&self.cpus) {
            return Err(FieldError::new("cpus", "must be 1 to 1024"));
        }
        if !(1..=16 * 1024 * 1024).contains(&self.memory_mb) {
            return Err(FieldError::new("memory_mb", "must be 1 to 16777216"));
        }
        if self.gpus > 64 {
            return Err(FieldError::new("gpus", "must be at most 64"));
        }
        if let Some(t) = &self.gpu_type {
            check_name("gpu_type", t)?;
            if self.gpus == 0 {
                return Err(FieldError::new("gpu_type", "is set but `gpus` is 0"));
            }
        }
        if !(1..=7 * 24 * 3600).contains(&self.time_limit_seconds) {
            return Err(FieldError::new(
                "time_limit_seconds",
                "must be 1 to 604800 (a week)",
            ));
        }
        Ok(())
    }
}

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

/// Checks `registry/name@sha256:<64 hex>`.
pub fn check_image(field: &str, value: &str) -> Result<(), FieldError> {
    let pinned = value.split_once("@sha256:").is_some_and(|(name, digest)| {
        !name.is_empty()
            && name.len() <= 255
            && !name.contains(char::is_whitespace)
            && digest.len() == 64
            && digest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if pinned {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "must be an image pinned by digest: `registry/name@sha256:<64 hex digits>`",
        ))
    }
}

/// The pin of an evaluation command, as agents list it in `jobs.allowed_commands`:
/// `sha256:` and the lower-case hex SHA-256 of the argv template (placeholders unreplaced)
/// as compact JSON, such as `["python3","/opt/eval/score.py","{dataset}","{output}"]`
/// (what `json.dumps(argv, separators=(",", ":"), ensure_ascii=False)` writes). Any change
/// to any argument changes it. `agora-agent command-hash -- ARGV...` prints it.
pub fn command_hash(argv: &[String]) -> String {
    use sha2::{Digest, Sha256};
    // Serialising a list of strings cannot fail.
    let json = serde_json::to_vec(argv).unwrap_or_default();
    format!("sha256:{}", hex::encode(Sha256::digest(&json)))
}

/// Whether `value` looks like a [`command_hash`]: `sha256:` and 64 lower-case hex digits.
pub fn is_command_hash(value: &str) -> bool {
    value.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Checks an argv template: 1 to 64 arguments, each at most 1000 characters, braces only
/// in the known placeholders.
pub fn check_command(field: &str, argv: &[String]) -> Result<(), FieldError> {
    if argv.is_empty() || argv.len() > 64 {
        return Err(FieldError::new(field, "must have 1 to 64 arguments"));
    }
    for (i, arg) in argv.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if arg.is_empty() || arg.chars().count() > 1000 || arg.contains('\0') {
            return Err(FieldError::new(at, "must be 1 to 1000 characters"));
        }
        let mut rest = arg.as_str();
        while let Some(start) = rest.find('{') {
            let tail = &rest[start..];
            match COMMAND_PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
                Some(p) => rest = &tail[p.len()..],
                None => {
                    return Err(FieldError::new(
                        at,
                        format!(
                            "unknown placeholder: use only {}",
                            COMMAND_PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
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

/// One row of a leaderboard: the best result of a model at an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardEntry {
    /// The model's place among the models evaluated at the same organisation (each
    /// organisation has its own dataset): 1 for the best value of the primary metric;
    /// equal values share a rank.
    pub rank: u32,
    pub model: ModelRef,
    pub organisation: Slug,
    /// The value of the primary metric.
    pub value: f64,
    /// Every metric of the same result.
    pub metrics: BTreeMap<String, f64>,
    pub run_id: i64,
    pub job_id: i64,
    /// `<organisation>/<agent>` that produced it.
    pub agent: String,
    pub executor: ExecutorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<Hardware>,
    pub recorded_at: DateTime<Utc>,
    /// True for results recorded by the demo seed rather than by an agent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// A page of a benchmark's leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leaderboard {
    pub benchmark: Slug,
    pub primary_metric: String,
    pub direction: MetricDirection,
    /// The entries of this page, in the order asked for.
    pub entries: Vec<LeaderboardEntry>,
    /// How many entries the whole leaderboard has (as the caller may see it).
    pub total: i64,
    /// This page's number, from 1.
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{DecodeError, from_json};

    #[test]
    fn a_command_hash_is_the_sha256_of_the_compact_json_argv() {
        let argv: Vec<String> = ["python3", "score.py", "{dataset}"]
            .map(String::from)
            .to_vec();
        let h = command_hash(&argv);
        // printf '%s' '["python3","score.py","{dataset}"]' | sha256sum
        assert_eq!(
            h,
            "sha256:bb2871e2afef6497476067607641854571e43da4b9a5f110debb050e2f1c06a0"
        );
        assert!(is_command_hash(&h));
        let mut changed = argv.clone();
        changed[1] = "score.py ".into();
        assert_ne!(command_hash(&changed), h);
        assert!(!is_command_hash("sha256:ABC"));
    }

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

    #[test]
    fn images_are_pinned_by_digest() {
        let digest = "a".repeat(64);
        assert!(check_image("image", &format!("ghcr.io/x/eval@sha256:{digest}")).is_ok());
        assert!(check_image("image", "ghcr.io/x/eval:latest").is_err());
        assert!(check_image("image", "@sha256:abc").is_err());
    }

    #[test]
    fn direction_orders_values() {
        assert!(MetricDirection::Maximize.better(0.9, 0.8));
        assert!(MetricDirection::Minimize.better(0.1, 0.2));
    }
}
