//! The job protocol between an agent and the hub.
//!
//! An agent long-polls `POST /api/v1/agent/jobs/lease` with a [`LeaseRequest`]; the hub
//! answers `200` with a [`JobLease`] as soon as a job for the agent's organisation and
//! capabilities is queued, or `204` when the wait ends with nothing. The agent then reports
//! with `PUT /api/v1/agent/jobs/{job_id}` ([`JobReport`]): a `running` report is the
//! heartbeat that renews the lease, and the answer ([`ReportAnswer`]) says whether the job
//! was cancelled on the hub. `409` means the lease is no longer this token's (it expired
//! and the job was leased again): the agent must stop the job. The log tail goes to
//! `PUT /api/v1/agent/jobs/{job_id}/log?offset=N` (plain text, header `Agora-Lease-Token`),
//! answered with [`LogAppended`], or `409` with [`LogOffsetConflict`] to resume from.
//! Deadlines use the hub's clock only.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::benchmark::{self, BenchmarkMetric, MetricDirection, ResourceRequest};
use crate::common::Slug;
pub use crate::execution::{ExecutorKind, Hardware, JobState};
use crate::project::MlTask;
use crate::validate::{self, FieldError, Validate};

/// The header carrying the lease token on log uploads.
pub const LEASE_TOKEN_HEADER: &str = "Agora-Lease-Token";

/// The most of a job's log the hub keeps: the last 64 KiB.
pub const MAX_LOG_TAIL_BYTES: usize = 64 * 1024;

/// What an agent can run. The hub offers a job only to an agent that can run it: a
/// benchmark asking for GPUs needs its `gpu_type` listed (or, without a type, any GPU
/// type), and a benchmark with an image and no command needs `kubernetes` or `argo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Capabilities {
    pub executors: Vec<ExecutorKind>,
    #[serde(default)]
    pub gpu_types: Vec<String>,
}

/// `POST /api/v1/agent/jobs/lease`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct LeaseRequest {
    pub capabilities: Capabilities,
    /// How long to wait for a job; the hub caps it at its configured maximum (30 s by
    /// default). 0 answers at once.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole::optional"
    )]
    pub wait_seconds: Option<u32>,
}

impl Validate for LeaseRequest {
    fn validate(&self) -> Result<(), FieldError> {
        if self.capabilities.executors.is_empty() {
            return Err(FieldError::new(
                "capabilities.executors",
                "must list at least one executor",
            ));
        }
        validate::list("capabilities.executors", &self.capabilities.executors, 4)?;
        validate::list("capabilities.gpu_types", &self.capabilities.gpu_types, 20)?;
        for (i, t) in self.capabilities.gpu_types.iter().enumerate() {
            benchmark::check_name(&format!("capabilities.gpu_types[{i}]"), t)?;
        }
        Ok(())
    }
}

/// The benchmark as a job carries it: what to run and what to report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobBenchmark {
    pub slug: Slug,
    pub task: MlTask,
    pub metrics: Vec<BenchmarkMetric>,
    pub primary_metric: String,
    /// argv template with the placeholders of [`benchmark::COMMAND_PLACEHOLDERS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// `registry/name@sha256:…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub resources: ResourceRequest,
}

impl JobBenchmark {
    /// The direction of a metric, if the benchmark has it.
    pub fn direction(&self, metric: &str) -> Option<MetricDirection> {
        self.metrics
            .iter()
            .find(|m| m.name == metric)
            .map(|m| m.direction)
    }
}

/// The model version a job evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobModel {
    pub organisation: Slug,
    pub name: Slug,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_uri: Option<String>,
}

/// A job given to an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobLease {
    pub job_id: i64,
    pub run_id: i64,
    /// 1 for the first lease of the job, 2 after one expired lease...
    pub attempt: u32,
    /// Secret proving this lease; sent with every report. A new lease of the same job
    /// makes it invalid.
    pub lease_token: String,
    /// The hub's clock: the lease ends here unless a report renews it.
    pub lease_deadline: DateTime<Utc>,
    pub heartbeat_interval_seconds: u32,
    pub benchmark: JobBenchmark,
    /// The organisation's local dataset name for this benchmark.
    pub dataset: String,
    pub model: JobModel,
    pub parameters: BTreeMap<String, String>,
}

/// What an agent reports about its job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReportState {
    /// Submitted or running; also the heartbeat.
    Running,
    /// Done; `metrics` is required.
    Succeeded,
    /// The evaluation failed; `reason` says why.
    Failed,
    /// The agent will not run the job (not on its allowlist...); `reason` says why.
    Refused,
    /// The agent stopped the job after the hub asked it to.
    Cancelled,
}

impl ReportState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Refused => "refused",
            Self::Cancelled => "cancelled",
        }
    }
}

/// `PUT /api/v1/agent/jobs/{job_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct JobReport {
    pub lease_token: String,
    pub state: ReportState,
    pub executor: ExecutorKind,
    /// The executor's id: Slurm job id, Kubernetes Job name, Argo Workflow name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<Hardware>,
    /// Required on `succeeded`: every value finite, the primary metric present, no metric
    /// the benchmark does not define (checked by the hub: `422` naming `metrics.<name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<BTreeMap<String, f64>>,
    /// Why, for `failed`, `refused` and `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Validate for JobReport {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("lease_token", &self.lease_token, 200)?;
        validate::optional_text("external_id", self.external_id.as_deref(), 200)?;
        validate::optional_text("reason", self.reason.as_deref(), 2_000)?;
        if let Some(h) = &self.hardware {
            validate::optional_text("hardware.gpu_type", h.gpu_type.as_deref(), 64)?;
            validate::optional_text("hardware.node", h.node.as_deref(), 255)?;
        }
        if let Some(metrics) = &self.metrics {
            if metrics.len() > 50 {
                return Err(FieldError::new("metrics", "must have at most 50 entries"));
            }
            for (name, value) in metrics {
                if !value.is_finite() {
                    return Err(FieldError::new(
                        format!("metrics.{name}"),
                        "must be a finite number",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The hub's answer to a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAnswer {
    /// The job was cancelled on the hub: stop it and report `cancelled`.
    pub cancel: bool,
    pub lease_deadline: DateTime<Utc>,
    /// Report again within this many seconds.
    pub heartbeat_interval_seconds: u32,
}

/// The hub's answer to a log upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogAppended {
    /// The length of the whole log received so far: the offset of the next upload.
    pub next_offset: u64,
}

/// `409` to a log upload at the wrong offset: resume from `expected_offset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogOffsetConflict {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub error: serde_json::Value,
    pub expected_offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{DecodeError, from_json};

    #[test]
    fn a_lease_request_needs_an_executor() {
        let ok = r#"{"capabilities":{"executors":["local","slurm"],"gpu_types":["a100"]},"wait_seconds":30}"#;
        assert!(from_json::<LeaseRequest>(ok.as_bytes()).is_ok());
        // A whole number written with a fraction is still one, as JSON Schema reads it.
        let whole = r#"{"capabilities":{"executors":["local"]},"wait_seconds":30.0}"#;
        let request: LeaseRequest = from_json(whole.as_bytes()).unwrap();
        assert_eq!(request.wait_seconds, Some(30));
        let part = r#"{"capabilities":{"executors":["local"]},"wait_seconds":0.5}"#;
        assert!(from_json::<LeaseRequest>(part.as_bytes()).is_err());
        let none = r#"{"capabilities":{"executors":[]}}"#;
        match from_json::<LeaseRequest>(none.as_bytes()) {
            Err(DecodeError::Invalid(e)) => assert_eq!(e.field, "capabilities.executors"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_report_decodes_strictly() {
        let ok = r#"{"lease_token":"t","state":"succeeded","executor":"slurm","external_id":"42",
            "hardware":{"cpus":2,"node":"n1"},"metrics":{"accuracy":0.93}}"#;
        let r: JobReport = from_json(ok.as_bytes()).unwrap();
        assert_eq!(r.state, ReportState::Succeeded);
        let unknown = r#"{"lease_token":"t","state":"running","executor":"local","x":1}"#;
        assert!(from_json::<JobReport>(unknown.as_bytes()).is_err());
    }

    #[test]
    fn terminal_states() {
        assert!(JobState::Expired.is_terminal());
        assert!(JobState::Refused.is_terminal());
        assert_eq!("refused".parse::<JobState>(), Ok(JobState::Refused));
        assert!(!JobState::Leased.is_terminal());
        assert_eq!("running".parse::<JobState>(), Ok(JobState::Running));
    }
}
