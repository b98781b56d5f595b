//! Model cards and model versions, with Hugging Face-compatible metadata.
//!
//! Field names follow the Hugging Face model-card metadata where one exists (`license`,
//! `language`, `tags`, `datasets`, `metrics`, `library_name`, `pipeline_tag`, `base_model`,
//! `model-index`), so a `MODEL_CARD.md` front matter written for the Hub reads as is.

mod card;
mod evaluation;
mod index;
mod version;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

pub use self::card::{ModelCard, ModelCardInput};
pub use self::evaluation::{Evaluation, EvaluationSource};
pub use self::index::{
    IndexDataset, IndexMetric, IndexSource, IndexTask, ModelIndexEntry, ModelIndexResult,
};
pub use self::version::{EvaluationResult, ModelVersion, ModelVersionInput, RegistryStage};

/// Keys a card carries that the hub does not know: kept as written and given back.
pub type Extra = BTreeMap<String, serde_json::Value>;

/// A `null` (an empty YAML value) reads as the field's default.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
