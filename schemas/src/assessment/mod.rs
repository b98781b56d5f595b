//! Assessments of a project or a model version: a QF4SA quality assessment (the five
//! dimensions of the Quality Framework for Statistical Algorithms) or an ethics
//! self-assessment (the six principles of the UK Statistics Authority's self-assessment).
//!
//! An assessment is a versioned record on the hub: every edit makes a new version, and it
//! goes from `draft` to `submitted` to `reviewed`.

mod ethics;
mod qf4sa;
mod record;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

pub use ethics::{ETHICS_PRINCIPLES, Ethics, Principle, Risk};
pub use qf4sa::{Dimension, Level, QF4SA_DIMENSIONS, Qf4sa, Qf4saFile};
pub use record::{
    Assessment, AssessmentState, AssessmentVersion, Decision, Review, ReviewInput, SubmitInput,
};

use crate::common::Slug;
use crate::validate::{self, FieldError, Validate};

/// Longest evidence, answer or mitigation text, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Most links per dimension.
pub const MAX_LINKS: usize = 20;

/// Which framework an assessment follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssessmentKind {
    Qf4sa,
    Ethics,
}

impl AssessmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qf4sa => "qf4sa",
            Self::Ethics => "ethics",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Qf4sa => "QF4SA assessment",
            Self::Ethics => "Ethics self-assessment",
        }
    }
}

/// What an assessment says: `{"qf4sa": {...}}` or `{"ethics": {...}}`. On the wire it is
/// an object with exactly one of the two fields ([`ContentFields`]), so that every error,
/// an unknown field included, names its full path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ContentFields", into = "ContentFields")]
pub enum Content {
    Qf4sa(Qf4sa),
    Ethics(Ethics),
}

/// The wire form of [`Content`]: exactly one of `qf4sa` and `ethics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ContentFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qf4sa: Option<Qf4sa>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethics: Option<Ethics>,
}

impl TryFrom<ContentFields> for Content {
    type Error = String;
    fn try_from(f: ContentFields) -> Result<Self, String> {
        match (f.qf4sa, f.ethics) {
            (Some(q), None) => Ok(Self::Qf4sa(q)),
            (None, Some(e)) => Ok(Self::Ethics(e)),
            _ => Err("give exactly one of `qf4sa` (a QF4SA assessment) and `ethics` (an ethics self-assessment)".into()),
        }
    }
}

impl From<Content> for ContentFields {
    fn from(c: Content) -> Self {
        match c {
            Content::Qf4sa(q) => Self {
                qf4sa: Some(q),
                ethics: None,
            },
            Content::Ethics(e) => Self {
                qf4sa: None,
                ethics: Some(e),
            },
        }
    }
}

impl JsonSchema for Content {
    fn schema_name() -> Cow<'static, str> {
        "Content".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        ContentFields::json_schema(generator)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Content {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <ContentFields as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Content {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <ContentFields as utoipa::ToSchema>::schemas(schemas);
    }
}

impl Content {
    pub fn kind(&self) -> AssessmentKind {
        match self {
            Self::Qf4sa(_) => AssessmentKind::Qf4sa,
            Self::Ethics(_) => AssessmentKind::Ethics,
        }
    }
}

impl Validate for Content {
    fn validate(&self) -> Result<(), FieldError> {
        let (name, r) = match self {
            Self::Qf4sa(q) => ("qf4sa", q.validate()),
            Self::Ethics(e) => ("ethics", e.validate()),
        };
        r.map_err(|e| FieldError::new(format!("{name}.{}", e.field), e.message))
    }
}

/// What is assessed: a project (`project`), or a version of a model (`organisation`,
/// `model`, `version`). An agent may leave out `organisation`: it is the agent's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Subject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Subject {
    pub fn project(slug: Slug) -> Self {
        Self {
            project: Some(slug),
            organisation: None,
            model: None,
            version: None,
        }
    }

    pub fn model_version(organisation: Slug, model: Slug, version: impl Into<String>) -> Self {
        Self {
            project: None,
            organisation: Some(organisation),
            model: Some(model),
            version: Some(version.into()),
        }
    }

    /// How the subject reads in keys and events: `project:<slug>` or
    /// `model:<org>/<name>/<version>`.
    pub fn label(&self) -> String {
        match (
            &self.project,
            &self.organisation,
            &self.model,
            &self.version,
        ) {
            (Some(p), ..) => format!("project:{p}"),
            (None, o, Some(m), Some(v)) => format!(
                "model:{}/{m}/{v}",
                o.as_ref().map(Slug::as_str).unwrap_or("?")
            ),
            _ => "?".into(),
        }
    }
}

impl Validate for Subject {
    fn validate(&self) -> Result<(), FieldError> {
        match (&self.project, &self.model, &self.version) {
            (Some(_), None, None) if self.organisation.is_none() => Ok(()),
            (Some(_), ..) => Err(FieldError::new(
                "project",
                "name either a project, or a model and its version, not both",
            )),
            (None, Some(_), Some(v)) => {
                validate::text("version", v, 64)?;
                if v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
                {
                    Ok(())
                } else {
                    Err(FieldError::new(
                        "version",
                        "use letters, digits, `.`, `-`, `_` and `+` only",
                    ))
                }
            }
            (None, Some(_), None) => Err(FieldError::new(
                "version",
                "is required with `model`: an assessment is of one model version",
            )),
            (None, None, _) => Err(FieldError::new(
                "project",
                "name the project, or the model and its version, that is assessed",
            )),
        }
    }
}

/// A new assessment, as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct AssessmentInput {
    pub subject: Subject,
    pub content: Content,
    /// What this version changed (shown in the history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

pub(crate) fn prefixed(prefix: &str, r: Result<(), FieldError>) -> Result<(), FieldError> {
    r.map_err(|e| FieldError::new(format!("{prefix}.{}", e.field), e.message))
}

impl Validate for AssessmentInput {
    fn validate(&self) -> Result<(), FieldError> {
        prefixed("subject", self.subject.validate())?;
        prefixed("content", self.content.validate())?;
        validate::optional_text("note", self.note.as_deref(), 2_000)
    }
}

/// A new version of an assessment's content. Its kind cannot change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct AssessmentEdit {
    pub content: Content,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

impl Validate for AssessmentEdit {
    fn validate(&self) -> Result<(), FieldError> {
        prefixed("content", self.content.validate())?;
        validate::optional_text("note", self.note.as_deref(), 2_000)
    }
}

/// An assessment sent by an agent (item kind `assessment`) for one of its organisation's
/// projects or model versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct SyncAssessment {
    pub subject: Subject,
    pub content: Content,
}

impl Validate for SyncAssessment {
    fn validate(&self) -> Result<(), FieldError> {
        prefixed("subject", self.subject.validate())?;
        prefixed("content", self.content.validate())
    }
}
