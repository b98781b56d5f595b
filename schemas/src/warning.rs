//! What the hub keeps of an item but cannot use: the sync answers with it (for any item)
//! and a model card carries it (see `card_warnings`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A value the hub accepted as written but could not use, such as a task name it cannot
/// map onto its own tasks: the item is kept, the value shown as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemWarning {
    /// The value's place in the payload, such as `language[1]` or `task`.
    pub field: String,
    /// Why the value could not be used, for people.
    pub reason: String,
}
