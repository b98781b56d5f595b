//! Leaderboards: the best result of each model at each organisation, ranked by the
//! benchmark's primary metric, a page at a time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::metric::MetricDirection;
use super::run::ModelRef;
use crate::common::Slug;
use crate::execution::{ExecutorKind, Hardware};

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
    /// The primary metric, as an evaluation result names it.
    pub metric: String,
    /// The value of the primary metric.
    pub value: f64,
    /// The organisation's own data set the model was evaluated on.
    pub dataset: String,
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
