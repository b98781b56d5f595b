//! Parameters the project and model lists share with search: their order and the QF4SA
//! filters, written as search writes them.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::qf4sa_filter::{Qf4saFilter, Qf4saState};
use crate::error::Result;

/// The order of a list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListSort {
    /// Most recently changed first (the default).
    Updated,
    /// Most recently created first.
    Created,
    /// By name.
    Name,
}

/// Lowest QF4SA levels, `<dimension>:<level>` separated by commas (the document's; the
/// hub reads the value itself).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(
    pattern = "^(|(explainability|accuracy|reproducibility|timeliness|cost[_-]effectiveness):[1-5](,(explainability|accuracy|reproducibility|timeliness|cost[_-]effectiveness):[1-5])*)$"
)]
pub struct Qf4saMinParam(pub String);

/// The `has_qf4sa` and `qf4sa_min` parameters as one filter.
pub fn qf4sa_filter(has: Option<Qf4saState>, min: Option<&str>) -> Result<Qf4saFilter> {
    let mut filter = Qf4saFilter {
        state: has,
        min: Vec::new(),
    };
    if let Some(min) = min {
        filter.add_min(min)?;
    }
    Ok(filter)
}
