//! Where a job runs, on what, and the states it goes through: the words the job
//! protocol and benchmark runs share.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a job runs at the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExecutorKind {
    /// A child process on the agent's machine.
    Local,
    Slurm,
    /// A `batch/v1` Job.
    Kubernetes,
    /// An Argo Workflow.
    Argo,
}

impl ExecutorKind {
    pub const ALL: [ExecutorKind; 4] = [Self::Local, Self::Slurm, Self::Kubernetes, Self::Argo];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Slurm => "slurm",
            Self::Kubernetes => "kubernetes",
            Self::Argo => "argo",
        }
    }

    /// Runs container images (a benchmark with an image and no command needs one).
    pub fn runs_images(self) -> bool {
        matches!(self, Self::Kubernetes | Self::Argo)
    }
}

impl std::str::FromStr for ExecutorKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not one of local, slurm, kubernetes, argo"))
    }
}

/// A job's state on the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting for an agent.
    Queued,
    /// Given to an agent that has not yet said it started.
    Leased,
    Running,
    Succeeded,
    /// Failed, or its leases expired more often than the hub's attempt limit allows;
    /// `reason` says which.
    Failed,
    /// The organisation's agent would not run it (its image or command is not on the
    /// agent's allowlist, the dataset is unknown there...); `reason` says why. Not retried
    /// at that organisation.
    Refused,
    Cancelled,
    /// No agent leased it within the hub's queue time limit (7 days by default).
    Expired,
}

impl JobState {
    pub const ALL: [JobState; 8] = [
        Self::Queued,
        Self::Leased,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Refused,
        Self::Cancelled,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Leased => "leased",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Refused => "refused",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    /// True once the job will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Failed | Self::Refused | Self::Cancelled | Self::Expired
        )
    }
}

impl std::str::FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a job state"))
    }
}

/// The machine a job ran on, as far as the executor knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Hardware {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    /// The node's host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}
