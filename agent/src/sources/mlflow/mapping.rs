//! From MLflow records to Agora items. A registered model becomes a model card: its
//! description is the card's body, and tags such as `agora.project`, `agora.visibility`,
//! `agora.task`, `agora.language` and `agora.text_language` (the language the description
//! is written in) fill the card. A model version becomes a version with
//! its run's metrics as evaluation results.

use std::collections::BTreeMap;

use agora_schemas::sync::SyncModelVersion;
use agora_schemas::{
    EvaluationResult, Label, LanguageCode, LanguageTag, License, MlTask, ModelCardInput,
    ModelVersionInput, OneOrMany, RegistryStage, Slug, TaskName, Validate, Visibility,
};
use chrono::{DateTime, Utc};

use super::api::{ModelVersion, RegisteredModel, Run, Tag};

/// Why a record could not become an item: the field (or tag) at fault and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: String,
    pub reason: String,
}

fn refuse(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
    Refusal {
        field: field.into(),
        reason: reason.into(),
    }
}

fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter()
        .find(|t| t.key == key)
        .map(|t| t.value.trim())
        .filter(|v| !v.is_empty())
}

fn list(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

/// A typed value from a tag, or a refusal naming the tag.
fn parse_tag<T: serde::de::DeserializeOwned>(key: &str, value: &str) -> Result<T, Refusal> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|e| refuse(format!("tags.{key}"), format!("`{value}`: {e}")))
}

fn checked<T: TryFrom<String, Error = String>>(field: &str, value: &str) -> Result<T, Refusal> {
    T::try_from(value.to_string()).map_err(|e| refuse(field, e))
}

/// The first paragraph of a description, at most 300 characters.
fn summary_of(description: &str) -> Option<String> {
    let first = description
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))?;
    let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(if line.chars().count() > 300 {
        format!("{}…", line.chars().take(299).collect::<String>())
    } else {
        line
    })
}

/// The model card of a registered model.
pub fn card(
    model: &RegisteredModel,
    organisation: &Slug,
    default_visibility: Visibility,
) -> Result<ModelCardInput, Refusal> {
    let name = checked::<Slug>("name", &super::super::slugify(&model.name)).map_err(|r| {
        refuse(
            "name",
            format!("`{}` gives no usable name: {}", model.name, r.reason),
        )
    })?;
    let tags = &model.tags;
    let description = model
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let card = ModelCardInput {
        organisation: organisation.clone(),
        name,
        title: Some(tag(tags, "agora.title").unwrap_or(&model.name).to_string()),
        summary: tag(tags, "agora.summary")
            .map(str::to_string)
            .or_else(|| description.and_then(summary_of)),
        project: tag(tags, "agora.project")
            .map(|p| checked("tags.agora.project", p))
            .transpose()?,
        task: tag(tags, "agora.task")
            .map(|t| parse_tag::<MlTask>("agora.task", t).map(TaskName::from))
            .transpose()?,
        pipeline_tag: tag(tags, "agora.pipeline_tag").map(str::to_string),
        library_name: tag(tags, "agora.library")
            .or_else(|| tag(tags, "agora.framework"))
            .map(str::to_string),
        license: tag(tags, "agora.license")
            .map(|l| checked::<License>("tags.agora.license", l))
            .transpose()?,
        language: tag(tags, "agora.language")
            .map(|l| {
                list(l)
                    .iter()
                    .map(|c| checked::<LanguageCode>("tags.agora.language", c))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default()
            .iter()
            .map(|l| LanguageTag::new(l.as_str()))
            .collect::<Vec<_>>()
            .into(),
        tags: Label::texts_of(tag(tags, "agora.tags").map(list).unwrap_or_default()),
        datasets: Label::texts_of(tag(tags, "agora.datasets").map(list).unwrap_or_default()),
        metrics: vec![].into(),
        base_model: tag(tags, "agora.base_model")
            .map(|b| OneOrMany::One(b.into()))
            .unwrap_or_default(),
        license_name: None,
        license_link: None,
        inference: None,
        widget: None,
        co2_eq_emissions: None,
        thumbnail: None,
        extra: Default::default(),
        model_index: vec![],
        intended_use: tag(tags, "agora.intended_use").map(str::to_string),
        training_data: tag(tags, "agora.training_data").map(str::to_string),
        limitations: tag(tags, "agora.limitations").map(str::to_string),
        ethical_considerations: tag(tags, "agora.ethical_considerations").map(str::to_string),
        body: description.map(str::to_string),
        text_language: tag(tags, "agora.text_language")
            .map(|l| checked::<LanguageCode>("tags.agora.text_language", l))
            .transpose()?,
        visibility: tag(tags, "agora.visibility")
            .map(|v| parse_tag("agora.visibility", v))
            .transpose()?
            .unwrap_or(default_visibility),
    };
    card.validate().map_err(|e| refuse(e.field, e.message))?;
    Ok(card)
}

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
    use super::super::api::{Dataset, DatasetInput, Metric, RunData, RunInfo, RunInputs};
    use super::*;

    fn t(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    fn model(tags: Vec<Tag>) -> RegisteredModel {
        RegisteredModel {
            name: "NAF Coder".into(),
            description: Some("Codes business descriptions into NAF.\n\n## Details\nMore.".into()),
            last_updated_timestamp: Some(1),
            tags,
            aliases: vec![],
        }
    }

    #[test]
    fn model_tags_fill_the_card_and_the_description_is_its_body() {
        let insee = Slug::parse("insee").unwrap();
        let m = model(vec![
            t("agora.project", "naf-coding"),
            t("agora.visibility", "public"),
            t("agora.task", "coding"),
            t("agora.language", "fr, en"),
        ]);
        let c = card(&m, &insee, Visibility::Organisation).unwrap();
        assert_eq!(c.name.as_str(), "naf-coder");
        assert_eq!(c.title.as_deref(), Some("NAF Coder"));
        assert_eq!(c.project.as_ref().map(|p| p.as_str()), Some("naf-coding"));
        assert_eq!(c.visibility, Visibility::Public);
        assert_eq!(c.task, Some(TaskName::from(MlTask::Coding)));
        assert_eq!(c.language.len(), 2);
        assert_eq!(
            c.summary.as_deref(),
            Some("Codes business descriptions into NAF.")
        );
        assert!(c.body.unwrap().contains("## Details"));
        let bad = card(
            &model(vec![t("agora.task", "telepathy")]),
            &insee,
            Visibility::Public,
        )
        .unwrap_err();
        assert_eq!(bad.field, "tags.agora.task");
        let bad = card(
            &model(vec![t("agora.language", "fr,xx")]),
            &insee,
            Visibility::Public,
        )
        .unwrap_err();
        assert_eq!(bad.field, "tags.agora.language");
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
