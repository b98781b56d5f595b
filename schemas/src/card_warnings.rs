//! What the hub keeps of a model card but cannot use: each value with its field path and
//! the reason, for the card's organisation to see (in the sync answer, on the model's page,
//! on the agent's page).

use crate::label::Label;
use crate::model::ModelCardInput;
use crate::task::{agora_task, is_hub_task};
use crate::warning::ItemWarning;

fn warn(out: &mut Vec<ItemWarning>, field: impl Into<String>, reason: impl Into<String>) {
    out.push(ItemWarning {
        field: field.into(),
        reason: reason.into(),
    });
}

/// Warns about empty and repeated entries of a list of labels.
fn labels(out: &mut Vec<ItemWarning>, field: &str, paths: Vec<String>, values: Vec<&str>) {
    for (i, (path, v)) in paths.into_iter().zip(&values).enumerate() {
        if v.trim().is_empty() {
            warn(
                out,
                path,
                format!("an empty entry of `{field}`; kept, ignored"),
            );
        } else if values[..i].contains(v) {
            warn(out, path, format!("`{v}` is repeated; counted once"));
        }
    }
}

impl ModelCardInput {
    /// Values kept as written that the hub cannot use (for a facet, a chart...), each with
    /// its field path and why. Empty for a card that is fully understood.
    pub fn warnings(&self) -> Vec<ItemWarning> {
        let mut out = Vec::new();
        for (i, tag) in self.language.iter().enumerate() {
            if let Some(problem) = tag.problem() {
                warn(&mut out, self.language.path("language", i), problem);
            }
        }
        labels(
            &mut out,
            "language",
            (0..self.language.len())
                .map(|i| self.language.path("language", i))
                .collect(),
            self.language.iter().map(|l| l.as_str()).collect(),
        );
        for (field, list) in [
            ("tags", &self.tags),
            ("datasets", &self.datasets),
            ("metrics", &self.metrics),
            ("base_model", &self.base_model),
        ] {
            let paths: Vec<String> = (0..list.len()).map(|i| list.path(field, i)).collect();
            for (path, entry) in paths.iter().zip(list) {
                if let Label::Other(value) = entry {
                    warn(
                        &mut out,
                        path,
                        format!(
                            "{value} is not a name; kept as written, left out of search and facets"
                        ),
                    );
                }
            }
            // Entries that are not text are warned about above, not as empty ones.
            let (paths, values): (Vec<String>, Vec<&str>) = paths
                .into_iter()
                .zip(list)
                .filter_map(|(p, l)| l.as_text().map(|t| (p, t)))
                .unzip();
            labels(&mut out, field, paths, values);
        }
        if let Some(license) = &self.license
            && !license.is_known()
        {
            warn(
                &mut out,
                "license",
                format!(
                    "`{license}` is neither an SPDX identifier nor a licence id of the Hugging Face Hub (use `other` with `license_name` and `license_link`); shown as written, counted under no licence"
                ),
            );
        }
        if let Some(task) = &self.task
            && task.agora().is_none()
        {
            warn(
                &mut out,
                "task",
                format!(
                    "`{task}` is neither one of Agora's tasks nor a Hugging Face Hub task; shown as written, counted under no task"
                ),
            );
        }
        if let Some(tag) = &self.pipeline_tag
            && !is_hub_task(tag)
        {
            let reason = if agora_task(tag).is_some() {
                format!(
                    "`{tag}` is not a Hugging Face Hub pipeline task (it is one of Agora's tasks: use `task`); kept as written"
                )
            } else {
                format!("`{tag}` is not a Hugging Face Hub pipeline task; kept as written")
            };
            warn(&mut out, "pipeline_tag", reason);
        }
        self.model_index_warnings(&mut out);
        out
    }

    fn model_index_warnings(&self, out: &mut Vec<ItemWarning>) {
        for (i, entry) in self.model_index.iter().enumerate() {
            let at = format!("model-index[{i}]");
            if entry.name.trim().is_empty() {
                warn(
                    out,
                    format!("{at}.name"),
                    "no model name; the results are kept",
                );
            }
            for (j, result) in entry.results.iter().enumerate() {
                let at = format!("{at}.results[{j}]");
                if result.task.task_type.trim().is_empty() {
                    warn(
                        out,
                        format!("{at}.task.type"),
                        "no task type; the results are kept",
                    );
                }
                if result.dataset.dataset_type.trim().is_empty() {
                    warn(
                        out,
                        format!("{at}.dataset.type"),
                        "no data set type; the results are kept",
                    );
                }
                if result.dataset.name.trim().is_empty() {
                    warn(
                        out,
                        format!("{at}.dataset.name"),
                        "no data set name; the results are kept",
                    );
                }
                for (k, metric) in result.metrics.iter().enumerate() {
                    let at = format!("{at}.metrics[{k}]");
                    if metric.metric_type.trim().is_empty() {
                        warn(
                            out,
                            format!("{at}.type"),
                            "no metric type; the value is kept",
                        );
                    }
                    if metric.number().is_none() {
                        warn(
                            out,
                            format!("{at}.value"),
                            format!(
                                "{} is not a number; shown as written, left out of charts and comparisons",
                                metric.value
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::decode::from_json;
    use crate::{MlTask, ModelCardInput};

    fn card(extra: serde_json::Value) -> ModelCardInput {
        let mut doc = serde_json::json!({"organisation": "insee", "name": "naf-coder"});
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        from_json(doc.to_string().as_bytes()).unwrap()
    }

    fn fields(c: &ModelCardInput) -> Vec<String> {
        c.warnings()
            .into_iter()
            .map(|w| w.field)
            .collect::<Vec<_>>()
    }

    #[test]
    fn a_card_in_the_hubs_shapes_has_no_warning() {
        let c = card(serde_json::json!({
            "language": ["en", "pt-BR", "zh-Hant", "es-419", "fra", "multilingual"],
            "license": "other", "license_name": "etalab-open", "license_link": "LICENSE",
            "task": "text-classification", "pipeline_tag": "text-classification",
            "base_model": ["a/b", "c/d"], "inference": false, "co2_eq_emissions": 12.5,
            "widget": [{"text": "boulanger"}], "thumbnail": "https://x.org/t.png",
            "new_version": "insee/naf-coder-2",
            "model-index": [{"name": "naf", "results": [{
                "task": {"type": "text-classification", "name": "Coding"},
                "dataset": {"type": "sirene", "name": "Sirene", "config": "fr", "split": "test",
                            "revision": "abc", "args": {"year": 2024}},
                "metrics": [{"type": "accuracy", "value": 0.9, "name": "Acc", "config": "c",
                             "args": {"k": 1}, "verified": false}],
                "source": {"name": "Eval", "url": "https://x.org"}}]}]
        }));
        assert_eq!(c.warnings(), vec![]);
        assert_eq!(c.agora_task(), Some(MlTask::Classification));
        assert_eq!(c.language_facets(), ["en", "pt", "zh", "es", "fr", "mul"]);
        assert_eq!(c.extra["new_version"], "insee/naf-coder-2");
    }

    #[test]
    fn odd_values_are_kept_with_a_warning_each() {
        let c = card(serde_json::json!({
            "language": ["en", "pt_BR", "en"], "license": "free-for-all",
            "task": "occupation-guessing", "pipeline_tag": "coding", "tags": ["a", ""],
            "model-index": [{"name": "m", "results": [{
                "task": {"type": "x"}, "dataset": {"type": "d", "name": "D"},
                "metrics": [{"type": "f1", "value": "20.0 ± 1.2"}]}]}]
        }));
        assert_eq!(
            fields(&c),
            [
                "language[1]",
                "language[2]",
                "tags[1]",
                "license",
                "task",
                "pipeline_tag",
                "model-index[0].results[0].metrics[0].value"
            ]
        );
        assert_eq!(c.license.as_deref(), Some("free-for-all"));
        assert_eq!(
            c.task.as_ref().map(|t| t.as_str()),
            Some("occupation-guessing")
        );
        assert_eq!(c.agora_task(), None);
    }

    #[test]
    fn a_card_as_the_hub_answers_it_reads_back_without_the_answers_keys() {
        let c = card(serde_json::json!({
            "latest_version": "3", "provenance": {"origin": "manual", "withdrawn": false},
            "created_at": "2026-12-06T00:00:00Z", "updated_at": "2026-12-06T00:00:00Z",
            "agora_warnings": [{"field": "task", "reason": "x"}], "new_version": "a/b"
        }));
        assert_eq!(c.extra.keys().collect::<Vec<_>>(), ["new_version"]);
    }

    #[test]
    fn list_entries_that_are_not_names_are_kept_with_a_warning_each() {
        let c = card(serde_json::json!({
            "datasets": ["wmt19", {"FOSD": "https://example.org/fosd"}],
            "tags": [2024, "gguf"], "metrics": {"bleu": 41.2},
            "base_model": [{"model": "a/b"}, "c/d", "c/d"]
        }));
        assert_eq!(
            fields(&c),
            [
                "tags[0]",
                "datasets[1]",
                "metrics",
                "base_model[0]",
                "base_model[2]"
            ]
        );
        assert_eq!(c.datasets.texts(), ["wmt19"]);
        assert_eq!(c.base_model.texts(), ["c/d", "c/d"]);
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["datasets"][1]["FOSD"], "https://example.org/fosd");
        assert_eq!(back["tags"][0], 2024);
        assert_eq!(back["metrics"]["bleu"], 41.2);
        let reason = &c.warnings()[1].reason;
        assert!(reason.contains("not a name"), "{reason}");
    }

    #[test]
    fn one_language_written_alone_is_warned_at_its_field() {
        let c = card(serde_json::json!({"language": "english"}));
        assert_eq!(fields(&c), ["language"]);
        let c = card(
            serde_json::json!({"language": "multilingual", "pipeline_tag": "tabular-regression"}),
        );
        assert_eq!(fields(&c), Vec::<String>::new());
        assert_eq!(c.agora_task(), Some(MlTask::Regression));
    }
}
