//! What one job of a benchmark may use on an organisation's cluster.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check_name;
use crate::validate::{FieldError, Validate};

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
