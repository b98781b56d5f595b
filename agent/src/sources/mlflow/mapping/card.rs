//! A registered model as a model card: its description is the card's body, its tags fill
//! the card (`agora.` forms first, then the plain names offices write).

use agora_schemas::task::is_hub_task;
use agora_schemas::{
    Label, LanguageCode, LanguageTag, License, ModelCardInput, OneOrMany, Slug, TaskName, Validate,
    Visibility,
};

use super::{Refusal, refuse, tag};
use crate::sources::mlflow::records::{RegisteredModel, Tag};
use crate::sources::slugify;

/// The tags naming the framework, in the order they are read.
const LIBRARY_TAGS: &[&str] = &[
    "agora.library_name",
    "agora.library",
    "agora.framework",
    "library_name",
    "framework",
];

/// The first of `keys` that is set, with its key (for messages): `agora.` forms first,
/// then the plain names data scientists write (`task`, `language`, `license`...).
fn first_tag<'a>(tags: &'a [Tag], keys: &[&'static str]) -> Option<(&'static str, &'a str)> {
    keys.iter().find_map(|k| tag(tags, k).map(|v| (*k, v)))
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
    let name = checked::<Slug>("name", &slugify(&model.name)).map_err(|r| {
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
    let task = first_tag(tags, &["agora.task", "task"]).map(|(_, t)| t);
    // A Hub task name is a pipeline tag too: the card then reads as the Hub writes it.
    let pipeline_tag = first_tag(tags, &["agora.pipeline_tag", "pipeline_tag"])
        .map(|(_, p)| p)
        .or(task.filter(|t| is_hub_task(t)))
        .map(str::to_string);
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
        task: task.map(TaskName::new),
        pipeline_tag,
        library_name: first_tag(tags, LIBRARY_TAGS).map(|(_, v)| v.to_string()),
        license: first_tag(tags, &["agora.license", "license"])
            .map(|(k, l)| checked::<License>(&format!("tags.{k}"), l))
            .transpose()?,
        license_name: first_tag(tags, &["agora.license_name", "license_name"])
            .map(|(_, v)| v.to_string()),
        license_link: first_tag(tags, &["agora.license_link", "license_link"])
            .map(|(_, v)| v.to_string()),
        language: first_tag(tags, &["agora.language", "language"])
            .map(|(_, l)| {
                list(l)
                    .into_iter()
                    .map(LanguageTag::new)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into(),
        tags: Label::texts_of(tag(tags, "agora.tags").map(list).unwrap_or_default()),
        datasets: Label::texts_of(tag(tags, "agora.datasets").map(list).unwrap_or_default()),
        metrics: vec![].into(),
        base_model: tag(tags, "agora.base_model")
            .map(|b| OneOrMany::One(b.into()))
            .unwrap_or_default(),
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

#[cfg(test)]
mod tests {
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
        assert_eq!(c.task, Some(TaskName::from(agora_schemas::MlTask::Coding)));
        assert_eq!(c.language.len(), 2);
        assert_eq!(
            c.summary.as_deref(),
            Some("Codes business descriptions into NAF.")
        );
        assert!(c.body.as_deref().unwrap().contains("## Details"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn tags_as_offices_write_them_are_read() {
        let insee = Slug::parse("insee").unwrap();
        let c = card(
            &model(vec![
                t("task", "text-classification"),
                t("language", "pt-BR, es-419,en"),
                t("framework", "sklearn"),
                t("license", "Apache-2.0"),
            ]),
            &insee,
            Visibility::Public,
        )
        .unwrap();
        assert_eq!(
            c.task.as_ref().map(TaskName::as_str),
            Some("text-classification")
        );
        assert_eq!(c.pipeline_tag.as_deref(), Some("text-classification"));
        assert_eq!(c.agora_task(), Some(agora_schemas::MlTask::Classification));
        let langs: Vec<&str> = c.language.iter().map(LanguageTag::as_str).collect();
        assert_eq!(langs, ["pt-BR", "es-419", "en"]);
        assert_eq!(c.library_name.as_deref(), Some("sklearn"));
        assert_eq!(c.license.as_deref(), Some("apache-2.0"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());

        // `agora.` forms win over the plain ones.
        let c = card(
            &model(vec![
                t("task", "text-classification"),
                t("agora.task", "coding"),
                t("library_name", "transformers"),
                t("agora.framework", "fasttext"),
                t("agora.language", "fr"),
                t("language", "en"),
            ]),
            &insee,
            Visibility::Public,
        )
        .unwrap();
        assert_eq!(c.task.as_ref().map(TaskName::as_str), Some("coding"));
        assert_eq!(c.pipeline_tag, None);
        assert_eq!(c.library_name.as_deref(), Some("fasttext"));
        assert_eq!(c.language.len(), 1);
    }

    #[test]
    fn nonsense_is_passed_on_as_written_and_warned_about_not_refused() {
        let insee = Slug::parse("insee").unwrap();
        let c = card(
            &model(vec![
                t("agora.task", "telepathy"),
                t("language", "fr, english please"),
                t("license", "do what you like"),
            ]),
            &insee,
            Visibility::Public,
        )
        .unwrap();
        assert_eq!(c.task.as_ref().map(TaskName::as_str), Some("telepathy"));
        assert_eq!(c.license.as_deref(), Some("do what you like"));
        let fields: Vec<String> = c.warnings().into_iter().map(|w| w.field).collect();
        for expected in ["task", "language[1]", "license"] {
            assert!(
                fields.iter().any(|f| f == expected),
                "{expected}: {fields:?}"
            );
        }
        // What makes a card unusable still refuses it, naming the tag.
        let bad = card(
            &model(vec![t("agora.visibility", "everyone")]),
            &insee,
            Visibility::Public,
        )
        .unwrap_err();
        assert_eq!(bad.field, "tags.agora.visibility");
        let bad = card(
            &model(vec![t("agora.project", "Not A Slug")]),
            &insee,
            Visibility::Public,
        )
        .unwrap_err();
        assert_eq!(bad.field, "tags.agora.project");
    }
}
