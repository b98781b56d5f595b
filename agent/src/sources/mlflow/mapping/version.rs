//! A model version as an Agora version, with its run's metrics as evaluation results (and
//! its parameters and user id, which the release filter drops unless allowed).

use std::collections::BTreeMap;

use agora_schemas::sync::SyncModelVersion;
use agora_schemas::{EvaluationResult, ModelVersionInput, RegistryStage, Slug, Validate};
use chrono::{DateTime, Utc};

use super::{Refusal, refuse, tag};
use crate::sources::mlflow::records::{ModelVersion, Run};

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

fn stage(value: Option<&str>) -> Option<RegistryStage> {
    match value?.to_ascii_lowercase().as_str() {
        "staging" => Some(RegistryStage::Staging),
        "production" => Some(RegistryStage::Production),
        "archived" => Some(RegistryStage::Archived),
        "none" => Some(RegistryStage::None),
        _ => None,
    }
}

/// A run's metrics as evaluation results. The data set is the run's `agora.dataset` tag,
/// else its first logged data set, else the model's name; the split is `agora.split`, else
/// the data set's `mlflow.data.context`.
pub fn results(run: &Run, model_name: &str) -> Vec<EvaluationResult> {
    let input = run.inputs.dataset_inputs.first();
    let dataset = tag(&run.data.tags, "agora.dataset")
        .map(str::to_string)
        .or_else(|| input.map(|i| i.dataset.name.clone()))
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| model_name.to_string());
    let split = tag(&run.data.tags, "agora.split")
        .map(str::to_string)
        .or_else(|| input.and_then(|i| tag(&i.tags, "mlflow.data.context").map(str::to_string)));
    let mut metrics: Vec<EvaluationResult> =
        run.data
            .metrics
            .iter()
            .filter_map(|m| {
                let value = m.value.as_f64()?;
                (value.is_finite() && !m.key.trim().is_empty() && m.key.chars().count() <= 100)
                    .then(|| EvaluationResult {
                        metric: m.key.clone(),
                        value,
                        dataset: dataset.chars().take(200).collect(),
                        split: split.clone().map(|s| s.chars().take(100).collect()),
                    })
            })
            .collect();
    metrics.sort_by(|a, b| a.metric.cmp(&b.metric));
    metrics.dedup_by(|a, b| a.metric == b.metric);
    metrics.truncate(200);
    metrics
}

/// A model version with its run's results (and parameters and user id, which the release
/// filter drops unless allowed).
pub fn version(
    v: &ModelVersion,
    model_slug: &Slug,
    aliases: Vec<String>,
    run: Option<&Run>,
) -> Result<SyncModelVersion, Refusal> {
    let parameters: BTreeMap<String, String> = run
        .map(|r| {
            r.data
                .params
                .iter()
                .take(500)
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    let registered_by = v
        .user_id
        .clone()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| run.and_then(|r| tag(&r.data.tags, "mlflow.user").map(str::to_string)))
        .or_else(|| {
            run.and_then(|r| r.info.user_id.clone())
                .filter(|u| !u.trim().is_empty() && u != "unknown")
        });
    let input = ModelVersionInput {
        version: v.version.clone(),
        description: v
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        stage: stage(v.current_stage.as_deref()),
        aliases,
        artifact_uri: v.source.clone().filter(|s| !s.is_empty()),
        registered_at: time(v.creation_timestamp),
        results: run.map(|r| results(r, &v.name)).unwrap_or_default(),
        registered_by,
        parameters,
    };
    let item = SyncModelVersion {
        model: model_slug.clone(),
        version: input,
    };
    item.validate().map_err(|e| refuse(e.field, e.message))?;
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::mlflow::records::{
        Dataset, DatasetInput, Metric, RunData, RunInfo, RunInputs, Tag,
    };

    fn t(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn run_metrics_become_results_on_their_data_set() {
        let run = Run {
            info: serde_json::from_value::<RunInfo>(
                serde_json::json!({"run_id": "r1", "run_uuid": "r1"}),
            )
            .unwrap(),
            data: RunData {
                metrics: vec![
                    Metric {
                        key: "f1".into(),
                        value: 0.8.into(),
                    },
                    Metric {
                        key: "loss".into(),
                        value: "NaN".into(),
                    },
                ],
                params: vec![t("lr", "0.1")],
                tags: vec![t("agora.split", "test"), t("mlflow.user", "jdupont")],
            },
            inputs: RunInputs {
                dataset_inputs: vec![DatasetInput {
                    dataset: Dataset {
                        name: "sirene-2024".into(),
                    },
                    tags: vec![],
                }],
            },
        };
        let r = results(&run, "naf");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].dataset, "sirene-2024");
        assert_eq!(r[0].split.as_deref(), Some("test"));
        let v = ModelVersion {
            name: "NAF Coder".into(),
            version: "3".into(),
            creation_timestamp: Some(1_700_000_000_000),
            last_updated_timestamp: None,
            current_stage: Some("Production".into()),
            description: Some(" ".into()),
            source: Some("s3://b/naf".into()),
            run_id: Some("r1".into()),
            status: Some("READY".into()),
            user_id: None,
            aliases: vec![],
        };
        let slug = Slug::parse("naf-coder").unwrap();
        let item = version(&v, &slug, vec!["champion".into()], Some(&run)).unwrap();
        assert_eq!(item.version.stage, Some(RegistryStage::Production));
        assert_eq!(item.version.description, None);
        assert_eq!(item.version.registered_by.as_deref(), Some("jdupont"));
        assert_eq!(item.version.parameters["lr"], "0.1");
        assert_eq!(item.version.aliases, ["champion"]);
    }
}
