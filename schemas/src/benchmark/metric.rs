//! The metrics a benchmark's evaluation reports, and which way each is better.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_orders_values() {
        assert!(MetricDirection::Maximize.better(0.9, 0.8));
        assert!(MetricDirection::Minimize.better(0.1, 0.2));
    }
}
