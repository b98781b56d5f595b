//! From MLflow records to Agora items. A registered model becomes a model card: its
//! description is the card's body, and its tags fill the card, as offices write them:
//! `agora.task` or a plain `task` (Agora's tasks or the Hugging Face Hub's), `language`
//! (BCP 47 tags, comma separated), `library_name` or `framework`, `license`... (every tag
//! is listed in `docs/mlflow-tags.md`). A value the hub cannot use for a facet is passed on
//! as written: the hub keeps it and answers with a warning. Only what makes the card
//! unusable (no usable name, a project or visibility that is not one) refuses it. A model
//! version becomes a version with its run's metrics as evaluation results.

mod card;
mod version;

use super::records::Tag;

pub use self::card::card;
pub use self::version::version;

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
