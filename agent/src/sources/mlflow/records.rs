//! MLflow's records as its REST API (2.0) sends them: registered models, model versions
//! and runs, with the fields the agent reads.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Tag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Alias {
    pub alias: String,
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RegisteredModel {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub last_updated_timestamp: Option<i64>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub aliases: Vec<Alias>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModelVersion {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub creation_timestamp: Option<i64>,
    #[serde(default)]
    pub last_updated_timestamp: Option<i64>,
    #[serde(default)]
    pub current_stage: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Metric {
    pub key: String,
    /// A number, or a string such as `NaN` for values JSON cannot hold.
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RunData {
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub params: Vec<Tag>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RunInfo {
    /// `run_id`, or the older `run_uuid` (MLflow sends both).
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    run_uuid: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
}

impl RunInfo {
    pub fn id(&self) -> Option<&str> {
        self.run_id.as_deref().or(self.run_uuid.as_deref())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dataset {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatasetInput {
    pub dataset: Dataset,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RunInputs {
    #[serde(default)]
    pub dataset_inputs: Vec<DatasetInput>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Run {
    pub info: RunInfo,
    #[serde(default)]
    pub data: RunData,
    #[serde(default)]
    pub inputs: RunInputs,
}
