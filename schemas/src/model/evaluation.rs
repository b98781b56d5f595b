//! One shape for an evaluation result, wherever it was recorded: a card's `model-index`,
//! a registered version's results, or a benchmark run on the hub. The metric, value, data
//! set and split read alike; `source` says where the result comes from.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{EvaluationResult, ModelIndexEntry};
use crate::Slug;

/// An evaluation result of a model and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    /// The metric's identifier, such as `accuracy` or `f1` (a card's `metrics[].type`).
    pub metric: String,
    /// The metric's display name, when the source gives one (such as `F1 (weighted)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// The value; `null` when a card wrote one that is not a number, which `value_text`
    /// then holds as written.
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_text: Option<String>,
    /// The data set's name (data never leaves its office).
    pub dataset: String,
    /// The data set's identifier, when the card gives one (a Hub data set such as
    /// `mteb/banking77`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// The task evaluated, such as `text-classification` or `coding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    pub source: EvaluationSource,
}

/// Where an evaluation result comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum EvaluationSource {
    /// The card's `model-index`, as its authors wrote it.
    #[cfg_attr(feature = "openapi", schema(title = "CardSource"))]
    Card {
        /// The `model-index` entry's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        model: Option<String>,
        /// Where the card says the result was published (its `source.name`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// True when the Hugging Face Hub itself produced the result.
        #[serde(default)]
        verified: bool,
    },
    /// A registered version's results: from its registry run, as the office's agent
    /// synced them, or as a client registered them.
    #[cfg_attr(feature = "openapi", schema(title = "RegistrySource"))]
    Registry {
        version: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registered_at: Option<DateTime<Utc>>,
    },
    /// A run of one of the hub's benchmarks at an organisation, on that organisation's
    /// own data set.
    #[cfg_attr(feature = "openapi", schema(title = "BenchmarkSource"))]
    Benchmark {
        benchmark: Slug,
        /// Where it ran.
        organisation: Slug,
        run_id: i64,
        version: String,
        recorded_at: DateTime<Utc>,
    },
}

impl Evaluation {
    /// The results a card's `model-index` lists, in the card's order. A metric without a
    /// type is left out: it names nothing to compare.
    pub fn of_model_index(entries: &[ModelIndexEntry]) -> Vec<Self> {
        let mut out = Vec::new();
        for entry in entries {
            for result in &entry.results {
                let dataset = &result.dataset;
                let source = result.source.as_ref();
                let dataset_name = match (dataset.name.trim(), dataset.dataset_type.trim()) {
                    ("", t) => t,
                    (n, _) => n,
                };
                for metric in result.metrics.iter().filter(|m| !m.metric_type.is_empty()) {
                    let number = metric.number();
                    out.push(Self {
                        metric: metric.metric_type.clone(),
                        metric_name: metric.name.clone(),
                        value: number,
                        value_text: match (&metric.value, number) {
                            (_, Some(_)) | (serde_json::Value::Null, None) => None,
                            (serde_json::Value::String(s), None) => Some(s.clone()),
                            (other, None) => Some(other.to_string()),
                        },
                        dataset: dataset_name.to_string(),
                        dataset_type: Some(dataset.dataset_type.clone())
                            .filter(|t| !t.trim().is_empty()),
                        split: dataset.split.clone(),
                        task: Some(result.task.task_type.clone()).filter(|t| !t.is_empty()),
                        source: EvaluationSource::Card {
                            model: Some(entry.name.clone()).filter(|n| !n.is_empty()),
                            reference: source.and_then(|s| s.name.clone()),
                            url: source.and_then(|s| s.url.clone()),
                            verified: metric.verified.unwrap_or(false),
                        },
                    });
                }
            }
        }
        out
    }

    /// A registered version's result.
    pub fn of_version(
        result: EvaluationResult,
        version: &str,
        registered_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            metric: result.metric,
            metric_name: None,
            value: Some(result.value),
            value_text: None,
            dataset: result.dataset,
            dataset_type: None,
            split: result.split,
            task: None,
            source: EvaluationSource::Registry {
                version: version.to_string(),
                registered_at,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_index_reads_as_one_result_per_metric() {
        let entries: Vec<ModelIndexEntry> = serde_json::from_value(serde_json::json!([{
            "name": "sinco-coder",
            "results": [{
                "task": {"type": "text-classification"},
                "dataset": {"type": "inegi/enoe", "name": "ENOE 2024", "split": "test"},
                "metrics": [
                    {"type": "f1", "value": 0.91, "name": "F1 (weighted)", "verified": false},
                    {"type": "accuracy", "value": "93.0 ± 0.4"},
                    {"value": 1.0}
                ],
                "source": {"name": "Internal report", "url": "https://example.org/r"}
            }]
        }]))
        .unwrap();
        let got = Evaluation::of_model_index(&entries);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].metric, "f1");
        assert_eq!(got[0].value, Some(0.91));
        assert_eq!(got[0].dataset, "ENOE 2024");
        assert_eq!(got[0].dataset_type.as_deref(), Some("inegi/enoe"));
        assert_eq!(got[0].split.as_deref(), Some("test"));
        assert_eq!(got[0].task.as_deref(), Some("text-classification"));
        assert_eq!(
            got[0].source,
            EvaluationSource::Card {
                model: Some("sinco-coder".into()),
                reference: Some("Internal report".into()),
                url: Some("https://example.org/r".into()),
                verified: false
            }
        );
        assert_eq!(got[1].value, None);
        assert_eq!(got[1].value_text.as_deref(), Some("93.0 ± 0.4"));
        let json = serde_json::to_value(&got[1]).unwrap();
        assert_eq!(json["source"]["kind"], "card");
    }
}
