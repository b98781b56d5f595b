//! Tasks as cards and registries name them: Agora's own tasks ([`MlTask`]) or the Hugging
//! Face Hub's pipeline tasks (`text-classification`, `time-series-forecasting`...), each
//! Hub task mapped onto the Agora task that fits it. The mapping lives here only, so the
//! hub and the agent read a task the same way; `docs/model-cards.md` explains it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::project::MlTask;

/// The Hub's pipeline tasks (the `pipeline_tag` values of huggingface.js `PIPELINE_DATA`,
/// plus `conversational`, which older cards still carry), each with the Agora task it
/// counts as. Statistical offices mostly meet images as satellite and aerial imagery, so
/// image tasks count as `imagery`; tasks with no counterpart count as `other`.
pub const HUB_TASKS: &[(&str, MlTask)] = &[
    ("any-to-any", MlTask::Other),
    ("audio-classification", MlTask::Classification),
    ("audio-text-to-text", MlTask::Other),
    ("audio-to-audio", MlTask::Other),
    ("automatic-speech-recognition", MlTask::TextExtraction),
    ("biology", MlTask::Other),
    ("conversational", MlTask::Other),
    ("depth-estimation", MlTask::Imagery),
    ("document-question-answering", MlTask::TextExtraction),
    ("feature-extraction", MlTask::Other),
    ("fill-mask", MlTask::Other),
    ("graph-ml", MlTask::Other),
    ("image-classification", MlTask::Imagery),
    ("image-feature-extraction", MlTask::Imagery),
    ("image-segmentation", MlTask::Imagery),
    ("image-text-to-image", MlTask::Other),
    ("image-text-to-text", MlTask::Other),
    ("image-text-to-video", MlTask::Other),
    ("image-to-3d", MlTask::Other),
    ("image-to-image", MlTask::Imagery),
    ("image-to-text", MlTask::TextExtraction),
    ("image-to-video", MlTask::Other),
    ("keypoint-detection", MlTask::Imagery),
    ("mask-generation", MlTask::Imagery),
    ("multiple-choice", MlTask::Other),
    ("object-detection", MlTask::Imagery),
    ("other", MlTask::Other),
    ("question-answering", MlTask::Other),
    ("reinforcement-learning", MlTask::Other),
    ("robotics", MlTask::Other),
    ("sentence-similarity", MlTask::Other),
    ("summarization", MlTask::Other),
    ("table-question-answering", MlTask::Other),
    ("table-to-text", MlTask::Other),
    ("tabular-classification", MlTask::Classification),
    ("tabular-regression", MlTask::Regression),
    ("tabular-to-text", MlTask::Other),
    ("text-classification", MlTask::Classification),
    ("text-generation", MlTask::Other),
    ("text-ranking", MlTask::Other),
    ("text-retrieval", MlTask::Other),
    ("text-to-3d", MlTask::Other),
    ("text-to-audio", MlTask::Other),
    ("text-to-image", MlTask::Other),
    ("text-to-speech", MlTask::Other),
    ("text-to-video", MlTask::Other),
    ("text2text-generation", MlTask::Other),
    ("time-series-forecasting", MlTask::Forecasting),
    ("token-classification", MlTask::TextExtraction),
    ("translation", MlTask::Other),
    ("unconditional-image-generation", MlTask::Other),
    ("video-classification", MlTask::Classification),
    ("video-text-to-text", MlTask::Other),
    ("video-to-video", MlTask::Other),
    ("visual-document-retrieval", MlTask::Other),
    ("visual-question-answering", MlTask::Other),
    ("voice-activity-detection", MlTask::Other),
    ("zero-shot-classification", MlTask::Classification),
    ("zero-shot-image-classification", MlTask::Imagery),
    ("zero-shot-object-detection", MlTask::Imagery),
];

/// Whether `name` is one of the Hub's pipeline tasks, exactly as the Hub writes it.
pub fn is_hub_task(name: &str) -> bool {
    HUB_TASKS.binary_search_by(|(t, _)| (*t).cmp(name)).is_ok()
}

/// The Agora task a name stands for: one of Agora's tasks (in any case, `_` or `-`), or a
/// Hub pipeline task mapped by [`HUB_TASKS`]. `None` for anything else.
pub fn agora_task(name: &str) -> Option<MlTask> {
    let name = name.trim();
    if let Ok(at) = HUB_TASKS.binary_search_by(|(t, _)| (*t).cmp(name)) {
        return Some(HUB_TASKS[at].1);
    }
    let plain = name.to_ascii_lowercase().replace(['_', ' '], "-");
    MlTask::ALL.into_iter().find(|t| t.as_str() == plain)
}

/// A task as a card or a registry tag writes it, kept as written: Agora's own task names,
/// the Hub's pipeline tasks, or anything else (kept, with a warning, counted under no task).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskName(String);

impl TaskName {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Agora task it counts as, if any ([`agora_task`]).
    pub fn agora(&self) -> Option<MlTask> {
        agora_task(&self.0)
    }
}

impl From<MlTask> for TaskName {
    fn from(task: MlTask) -> Self {
        Self(task.as_str().to_string())
    }
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn task_schema() -> serde_json::Value {
    let mut names: Vec<&str> = MlTask::ALL.iter().map(|t| t.as_str()).collect();
    names.extend(HUB_TASKS.iter().map(|(t, _)| *t));
    serde_json::json!({
        "type": "string",
        "description": "One of Agora's tasks or a Hugging Face Hub pipeline task (mapped onto Agora's tasks, see docs/model-cards.md). Another value is kept as written, with a warning.",
        "examples": names
    })
}

impl JsonSchema for TaskName {
    fn schema_name() -> Cow<'static, str> {
        "TaskName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(task_schema()).unwrap_or_default()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for TaskName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::from_json_schema(task_schema())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for TaskName {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_tasks_are_sorted_and_unique() {
        assert!(HUB_TASKS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn agora_and_hub_names_map_onto_agora_tasks() {
        assert_eq!(agora_task("coding"), Some(MlTask::Coding));
        assert_eq!(agora_task("Record_Linkage"), Some(MlTask::RecordLinkage));
        assert_eq!(
            agora_task("text-classification"),
            Some(MlTask::Classification)
        );
        assert_eq!(
            agora_task("token-classification"),
            Some(MlTask::TextExtraction)
        );
        assert_eq!(
            agora_task("tabular-classification"),
            Some(MlTask::Classification)
        );
        assert_eq!(
            agora_task("time-series-forecasting"),
            Some(MlTask::Forecasting)
        );
        assert_eq!(agora_task("image-classification"), Some(MlTask::Imagery));
        assert_eq!(agora_task("text-generation"), Some(MlTask::Other));
        assert_eq!(agora_task("occupation-guessing"), None);
        assert!(is_hub_task("tabular-regression"));
        assert!(!is_hub_task("coding"));
    }
}
