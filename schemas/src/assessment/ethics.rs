//! The ethics self-assessment: the six principles of the UK Statistics Authority, each
//! with an answer, a risk level and a mitigation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MAX_TEXT;
use crate::validate::{self, FieldError, Validate};

/// The risk an ethics principle raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Self::Low, Self::Medium, Self::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// The answer to one ethics principle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Principle {
    /// How the project meets the principle (markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub answer: String,
    pub risk: Risk,
    /// What reduces the risk; required unless the risk is low.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub mitigation: Option<String>,
}

impl Validate for Principle {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("answer", &self.answer, MAX_TEXT)?;
        let field = "mitigation";
        match &self.mitigation {
            None if self.risk != Risk::Low => Err(FieldError::new(
                field,
                "is required when the risk is medium or high",
            )),
            Some(m) => validate::text(field, m, MAX_TEXT),
            None => Ok(()),
        }
    }
}

/// The six principles of the UK Statistics Authority's ethics self-assessment, in order:
/// (field name, label).
pub const ETHICS_PRINCIPLES: [(&str, &str); 6] = [
    ("public_good", "Public good"),
    ("confidentiality", "Confidentiality and data security"),
    ("methods_quality", "Methods and quality"),
    ("legal_compliance", "Legal compliance"),
    ("public_views", "Public views and engagement"),
    ("transparency", "Transparency"),
];

/// An ethics self-assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Ethics {
    /// The use of data is for the public good.
    pub public_good: Principle,
    /// Confidentiality and data security are maintained.
    pub confidentiality: Principle,
    /// Methods and quality are appropriate and understood.
    pub methods_quality: Principle,
    /// The work complies with the law.
    pub legal_compliance: Principle,
    /// Public views and engagement have been considered.
    pub public_views: Principle,
    /// Data, methods and outputs are transparent.
    pub transparency: Principle,
}

impl Ethics {
    /// The principles in [`ETHICS_PRINCIPLES`] order.
    pub fn principles(&self) -> [&Principle; 6] {
        [
            &self.public_good,
            &self.confidentiality,
            &self.methods_quality,
            &self.legal_compliance,
            &self.public_views,
            &self.transparency,
        ]
    }
}

impl Validate for Ethics {
    fn validate(&self) -> Result<(), FieldError> {
        for ((name, _), p) in ETHICS_PRINCIPLES.iter().zip(self.principles()) {
            super::prefixed(name, p.validate())?;
        }
        Ok(())
    }
}
