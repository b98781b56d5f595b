//! Who may see an item.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who may see an item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in member of the hub.
    Members,
    /// Only the organisations that own the item (the safe default).
    #[default]
    Organisation,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Self::Public, Self::Members, Self::Organisation];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Members => "members",
            Self::Organisation => "organisation",
        }
    }
}

impl std::str::FromStr for Visibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not one of public, members, organisation"))
    }
}
