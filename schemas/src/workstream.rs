//! Workstreams and who takes part in them.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Email, Slug, Visibility};
use crate::validate::{self, FieldError, Validate};

/// Whether a workstream is still under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WorkstreamStatus {
    Proposed,
    #[default]
    Active,
    Paused,
    Closed,
}

/// A workstream as a client sends it to create or replace one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct WorkstreamInput {
    pub slug: Slug,
    /// Short code used in e-mail subjects, such as "WS4".
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 16, pattern = r"\S")
    )]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    /// What the workstream sets out to achieve (markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub goal: String,
    #[serde(default)]
    pub status: WorkstreamStatus,
    /// Workstreams are usually public; `members` keeps one to signed-in members.
    #[serde(default = "public")]
    pub visibility: Visibility,
}

fn public() -> Visibility {
    Visibility::Public
}

impl Validate for WorkstreamInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("code", &self.code, 16)?;
        validate::text("title", &self.title, 200)?;
        validate::text("goal", &self.goal, 10_000)?;
        if self.visibility == Visibility::Organisation {
            return Err(FieldError::new(
                "visibility",
                "a workstream is shared by several organisations: use public or members",
            ));
        }
        Ok(())
    }
}

/// A workstream as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workstream {
    #[serde(flatten)]
    pub spec: WorkstreamInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The part someone plays in a workstream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MembershipRole {
    Lead,
    #[default]
    Member,
}

impl MembershipRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Member => "member",
        }
    }
}

/// Adds an organisation or a person (by e-mail) to a workstream.
/// Exactly one of `organisation` and `user` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct MembershipInput {
    pub workstream: Slug,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Email>,
    #[serde(default)]
    pub role: MembershipRole,
}

impl Validate for MembershipInput {
    fn validate(&self) -> Result<(), FieldError> {
        match (&self.organisation, &self.user) {
            (Some(_), Some(_)) => Err(FieldError::new(
                "user",
                "give either `organisation` or `user`, not both",
            )),
            (None, None) => Err(FieldError::new(
                "organisation",
                "give the member: an `organisation` slug or a `user` e-mail",
            )),
            (Some(_), None) if self.role == MembershipRole::Lead => Err(FieldError::new(
                "role",
                "a lead is a person: give `user` for a lead",
            )),
            _ => Ok(()),
        }
    }
}

/// A membership as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub id: i64,
    #[serde(flatten)]
    pub spec: MembershipInput,
    /// The member's display name (organisation name or person's name).
    pub name: String,
    /// For a person, the organisation they belong to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_organisation: Option<Slug>,
    pub created_at: DateTime<Utc>,
}
