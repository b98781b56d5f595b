//! An assessment's workflow (draft, submitted, reviewed), its reviews, and the records
//! the hub returns.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AssessmentKind, Content, MAX_TEXT, Subject};
use crate::common::Visibility;
use crate::project::Provenance;
use crate::validate::{self, FieldError, Validate};

/// Where an assessment is in its workflow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssessmentState {
    /// Being written; every edit returns an assessment here.
    Draft,
    /// Ready for review.
    Submitted,
    /// Accepted by a reviewer of another organisation, or by a workstream lead.
    Reviewed,
}

impl AssessmentState {
    pub const ALL: [AssessmentState; 3] = [Self::Draft, Self::Submitted, Self::Reviewed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Reviewed => "reviewed",
        }
    }
}

/// Submitting a draft for review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct SubmitInput {
    /// The version submitted: refused with 409 when the assessment has changed since.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole::optional"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

impl Validate for SubmitInput {
    fn validate(&self) -> Result<(), FieldError> {
        match self.version {
            Some(v) if v < 1 => Err(FieldError::new("version", "must be at least 1")),
            _ => Ok(()),
        }
    }
}

/// What a reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The assessment becomes `reviewed`.
    Accepted,
    /// The assessment returns to `draft` for its authors to change.
    ChangesRequested,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::ChangesRequested => "changes_requested",
        }
    }
}

/// A review of the submitted version of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ReviewInput {
    pub decision: Decision,
    /// The reviewer's comments (markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub comments: String,
    /// The version reviewed: refused with 409 when the assessment has changed since.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole::optional"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

impl Validate for ReviewInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("comments", &self.comments, MAX_TEXT)?;
        match self.version {
            Some(v) if v < 1 => Err(FieldError::new("version", "must be at least 1")),
            _ => Ok(()),
        }
    }
}

/// A review as the hub returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub version: i32,
    pub decision: Decision,
    pub comments: String,
    /// The reviewer's e-mail.
    pub reviewer: String,
    /// The reviewer's organisation, when they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_organisation: Option<String>,
    /// Why the reviewer may review: `other-organisation` or `lead:<workstream>`.
    pub standing: String,
    pub at: DateTime<Utc>,
}

/// An assessment as the hub returns it: its current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: i64,
    pub kind: AssessmentKind,
    pub subject: Subject,
    /// The subject's title, for display.
    pub subject_title: String,
    /// The subject's visibility, which the assessment shares.
    pub visibility: Visibility,
    /// The organisations that own the subject (and write the assessment).
    pub organisations: Vec<String>,
    pub workstreams: Vec<String>,
    pub state: AssessmentState,
    /// The current version number, from 1.
    pub version: i32,
    pub content: Content,
    /// For a model version: a newer version of the model exists, so this assessment may
    /// no longer describe the model in use.
    pub stale: bool,
    /// The model's newest version, when the assessment is stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    pub reviews: Vec<Review>,
    pub provenance: Provenance,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of an assessment, for its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentVersion {
    pub version: i32,
    pub content: Content,
    /// Who made it: an e-mail, `agent:<org>/<name>` or `system`.
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}
