//! The metrics a job reports, held to the benchmark's definition: every defined metric
//! present, the primary one among them, each value a finite number.

use std::collections::BTreeMap;

use agora_schemas::benchmark::BenchmarkMetric;

use crate::error::{Error, Result};

/// Checks a succeeded job's metrics against the benchmark's: the primary metric present,
/// no metric the benchmark does not define, every value finite.
pub fn check_metrics(
    defined: &[BenchmarkMetric],
    primary: &str,
    metrics: Option<&BTreeMap<String, f64>>,
) -> Result<()> {
    let Some(metrics) = metrics else {
        return Err(Error::invalid(
            "metrics",
            format!("a succeeded job reports its metrics, at least `{primary}`"),
        ));
    };
    for (name, value) in metrics {
        if !defined.iter().any(|m| &m.name == name) {
            let known: Vec<&str> = defined.iter().map(|m| m.name.as_str()).collect();
            return Err(Error::invalid(
                format!("metrics.{name}"),
                format!(
                    "the benchmark has no metric `{name}`; its metrics are {}",
                    known.join(", ")
                ),
            ));
        }
        if !value.is_finite() {
            return Err(Error::invalid(
                format!("metrics.{name}"),
                "must be a finite number",
            ));
        }
    }
    if !metrics.contains_key(primary) {
        return Err(Error::invalid(
            format!("metrics.{primary}"),
            "the benchmark's primary metric is missing",
        ));
    }
    Ok(())
}
