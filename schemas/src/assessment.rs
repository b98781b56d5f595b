//! Assessments of a project or a model version: a QF4SA quality assessment (the five
//! dimensions of the Quality Framework for Statistical Algorithms) or an ethics
//! self-assessment (the six principles of the UK Statistics Authority's self-assessment).
//!
//! An assessment is a versioned record on the hub: every edit makes a new version, and it
//! goes from `draft` to `submitted` to `reviewed`.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::common::{Slug, Visibility, WebUrl};
use crate::project::Provenance;
use crate::validate::{self, FieldError, Validate};

/// Longest evidence, answer or mitigation text, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Most links per dimension.
pub const MAX_LINKS: usize = 20;

/// A level on the QF4SA scale, 1 to 5:
///
/// 1. **Insufficient**: not addressed, or with serious gaps.
/// 2. **Basic**: addressed informally; gaps remain.
/// 3. **Adequate**: meets what production use in official statistics expects.
/// 4. **Good**: documented, tested and repeatable.
/// 5. **Exemplary**: best practice, independently checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Level(u8);

impl Level {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: i64) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| (Self::MIN..=Self::MAX).contains(v))
            .map(Self)
            .ok_or_else(|| format!("level must be a whole number from 1 to 5, got {value}"))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The level's name on the scale, such as "Adequate".
    pub fn name(self) -> &'static str {
        Self::names()[usize::from(self.0 - 1)]
    }

    /// The names of levels 1 to 5.
    pub fn names() -> [&'static str; 5] {
        ["Insufficient", "Basic", "Adequate", "Good", "Exemplary"]
    }
}

impl TryFrom<i64> for Level {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        Self::new(value)
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

fn level_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "integer",
        "minimum": 1,
        "maximum": 5,
        "description": "QF4SA level: 1 insufficient (not addressed, or serious gaps), 2 basic \
            (addressed informally, gaps remain), 3 adequate (meets what production use expects), \
            4 good (documented, tested and repeatable), 5 exemplary (best practice, independently checked)."
    })
}

impl JsonSchema for Level {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(level_schema()).unwrap_or_default()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Level {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::from_json_schema(level_schema())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Level {}

/// One QF4SA dimension: its level, the evidence for it, and links to that evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Dimension {
    pub level: Level,
    /// Why this level: what was done, measured or documented (markdown).
    pub evidence: String,
    /// Documents, notebooks, reports that show it.
    #[serde(default)]
    pub links: Vec<WebUrl>,
}

impl Validate for Dimension {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("evidence", &self.evidence, MAX_TEXT)?;
        validate::list("links", &self.links, MAX_LINKS)
    }
}

/// The five QF4SA dimensions, in the framework's order: (field name, label).
pub const QF4SA_DIMENSIONS: [(&str, &str); 5] = [
    ("explainability", "Explainability"),
    ("accuracy", "Accuracy"),
    ("reproducibility", "Reproducibility"),
    ("timeliness", "Timeliness"),
    ("cost_effectiveness", "Cost-effectiveness"),
];

/// A QF4SA quality assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Qf4sa {
    /// Can the method and its outputs be explained to users and producers?
    pub explainability: Dimension,
    /// How close are the outputs to the true values, measured how?
    pub accuracy: Dimension,
    /// Can the results be produced again from the same inputs?
    pub reproducibility: Dimension,
    /// Are outputs available when needed, and faster than before?
    pub timeliness: Dimension,
    /// Do the gains outweigh the costs of building and running it?
    pub cost_effectiveness: Dimension,
    /// An overall conclusion (markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Qf4sa {
    /// The dimensions in [`QF4SA_DIMENSIONS`] order.
    pub fn dimensions(&self) -> [&Dimension; 5] {
        [
            &self.explainability,
            &self.accuracy,
            &self.reproducibility,
            &self.timeliness,
            &self.cost_effectiveness,
        ]
    }

    /// The levels in [`QF4SA_DIMENSIONS`] order.
    pub fn levels(&self) -> [u8; 5] {
        self.dimensions().map(|d| d.level.get())
    }
}

impl Validate for Qf4sa {
    fn validate(&self) -> Result<(), FieldError> {
        for ((name, _), d) in QF4SA_DIMENSIONS.iter().zip(self.dimensions()) {
            prefixed(name, d.validate())?;
        }
        validate::optional_text("summary", self.summary.as_deref(), MAX_TEXT)
    }
}

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
    pub answer: String,
    pub risk: Risk,
    /// What reduces the risk; required unless the risk is low.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
            prefixed(name, p.validate())?;
        }
        Ok(())
    }
}

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
    pub note: Option<String>,
}

fn prefixed(prefix: &str, r: Result<(), FieldError>) -> Result<(), FieldError> {
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
    pub note: Option<String>,
}

impl Validate for AssessmentEdit {
    fn validate(&self) -> Result<(), FieldError> {
        prefixed("content", self.content.validate())?;
        validate::optional_text("note", self.note.as_deref(), 2_000)
    }
}

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    pub comments: String,
    /// The version reviewed: refused with 409 when the assessment has changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// `qf4sa.yaml`, as a repository carries it: the subject at the top (`project`, or
/// `model` and `version` of the agent's organisation), then the five dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Qf4saFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub explainability: Dimension,
    pub accuracy: Dimension,
    pub reproducibility: Dimension,
    pub timeliness: Dimension,
    pub cost_effectiveness: Dimension,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Qf4saFile {
    /// The assessment an agent sends for this file.
    pub fn into_sync(self) -> SyncAssessment {
        SyncAssessment {
            subject: Subject {
                project: self.project,
                organisation: None,
                model: self.model,
                version: self.version,
            },
            content: Content::Qf4sa(Qf4sa {
                explainability: self.explainability,
                accuracy: self.accuracy,
                reproducibility: self.reproducibility,
                timeliness: self.timeliness,
                cost_effectiveness: self.cost_effectiveness,
                summary: self.summary,
            }),
        }
    }
}

impl Validate for Qf4saFile {
    fn validate(&self) -> Result<(), FieldError> {
        let sync = self.clone().into_sync();
        sync.subject.validate()?;
        match &sync.content {
            Content::Qf4sa(q) => q.validate(),
            Content::Ethics(e) => e.validate(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{DecodeError, from_json, from_yaml};

    fn dim(level: i64) -> serde_json::Value {
        serde_json::json!({"level": level, "evidence": "measured on 2023 census", "links": []})
    }

    fn qf4sa() -> serde_json::Value {
        serde_json::json!({"explainability": dim(3), "accuracy": dim(4), "reproducibility": dim(2),
            "timeliness": dim(5), "cost_effectiveness": dim(1)})
    }

    fn field_of(json: serde_json::Value) -> String {
        match from_json::<AssessmentInput>(json.to_string().as_bytes()) {
            Err(DecodeError::Invalid(e)) => e.field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_qf4sa_assessment_decodes() {
        let json = serde_json::json!({"subject": {"project": "inegi-qf4sa"}, "content": {"qf4sa": qf4sa()}});
        let a: AssessmentInput = from_json(json.to_string().as_bytes()).unwrap();
        let Content::Qf4sa(q) = &a.content else {
            panic!()
        };
        assert_eq!(q.levels(), [3, 4, 2, 5, 1]);
        assert_eq!(q.accuracy.level.name(), "Good");
    }

    #[test]
    fn every_qf4sa_field_is_checked() {
        let subject = serde_json::json!({"project": "inegi-qf4sa"});
        for (name, _) in QF4SA_DIMENSIONS {
            for (bad, field) in [
                (serde_json::json!({"level": 0, "evidence": "e"}), "level"),
                (serde_json::json!({"level": 6, "evidence": "e"}), "level"),
                (serde_json::json!({"level": 2.5, "evidence": "e"}), "level"),
                (serde_json::json!({"level": 2, "evidence": " "}), "evidence"),
                (serde_json::json!({"level": 2}), "evidence"),
                (
                    serde_json::json!({"level": 2, "evidence": "x".repeat(MAX_TEXT + 1)}),
                    "evidence",
                ),
                (
                    serde_json::json!({"level": 2, "evidence": "e", "links": ["ftp://x.org/a"]}),
                    "links[0]",
                ),
                (
                    serde_json::json!({"level": 2, "evidence": "e", "links": ["https://x.org", "https://x.org"]}),
                    "links[1]",
                ),
                (
                    serde_json::json!({"level": 2, "evidence": "e", "colour": "red"}),
                    "colour",
                ),
            ] {
                let mut q = qf4sa();
                q[name] = bad;
                let got =
                    field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
                assert_eq!(got, format!("content.qf4sa.{name}.{field}"), "{name}");
            }
            let mut q = qf4sa();
            q.as_object_mut().unwrap().remove(name);
            let got = field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
            assert!(got.starts_with("content.qf4sa"), "{got}");
        }
        let mut q = qf4sa();
        q["summary"] = "x".repeat(MAX_TEXT + 1).into();
        let got = field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
        assert_eq!(got, "content.qf4sa.summary");
    }

    fn principle(risk: &str, mitigation: Option<&str>) -> serde_json::Value {
        let mut p = serde_json::json!({"answer": "yes, documented", "risk": risk});
        if let Some(m) = mitigation {
            p["mitigation"] = m.into();
        }
        p
    }

    #[test]
    fn every_ethics_field_is_checked() {
        let good = || {
            let mut e = serde_json::Map::new();
            for (name, _) in ETHICS_PRINCIPLES {
                e.insert(name.into(), principle("low", None));
            }
            serde_json::Value::Object(e)
        };
        let subject = serde_json::json!({"organisation": "insee", "model": "naf", "version": "3"});
        let ok = serde_json::json!({"subject": subject, "content": {"ethics": good()}});
        assert!(from_json::<AssessmentInput>(ok.to_string().as_bytes()).is_ok());
        for (name, _) in ETHICS_PRINCIPLES {
            for (bad, field) in [
                (principle("high", None), "mitigation"),
                (principle("medium", Some(" ")), "mitigation"),
                (principle("severe", Some("m")), "risk"),
                (serde_json::json!({"answer": "", "risk": "low"}), "answer"),
                (serde_json::json!({"risk": "low"}), "answer"),
            ] {
                let mut e = good();
                e[name] = bad;
                let got =
                    field_of(serde_json::json!({"subject": subject, "content": {"ethics": e}}));
                assert_eq!(got, format!("content.ethics.{name}.{field}"));
            }
        }
    }

    #[test]
    fn the_subject_names_a_project_or_a_model_version() {
        let content = serde_json::json!({"qf4sa": qf4sa()});
        for (subject, field) in [
            (serde_json::json!({}), "subject.project"),
            (serde_json::json!({"model": "naf"}), "subject.version"),
            (
                serde_json::json!({"project": "p1", "model": "naf", "version": "1"}),
                "subject.project",
            ),
            (
                serde_json::json!({"model": "naf", "version": "a b"}),
                "subject.version",
            ),
            (
                serde_json::json!({"project": "Not A Slug"}),
                "subject.project",
            ),
        ] {
            assert_eq!(
                field_of(serde_json::json!({"subject": subject, "content": content})),
                field
            );
        }
        let both = serde_json::json!({"subject": {"project": "p1"}, "content": {"qf4sa": qf4sa(), "ethics": {}}});
        assert!(from_json::<AssessmentInput>(both.to_string().as_bytes()).is_err());
    }

    #[test]
    fn a_qf4sa_file_reads_as_yaml() {
        let yaml = "model: naf-coder\nversion: '3'\n\
            explainability: {level: 3, evidence: SHAP values}\n\
            accuracy: {level: 4, evidence: F1 0.93, links: ['https://x.org/report']}\n\
            reproducibility: {level: 4, evidence: pinned}\n\
            timeliness: {level: 5, evidence: daily}\n\
            cost_effectiveness: {level: 3, evidence: cheaper}\n";
        let file: Qf4saFile = from_yaml(yaml).unwrap();
        let sync = file.into_sync();
        assert_eq!(sync.subject.model.as_deref(), Some("naf-coder"));
        let bad = yaml.replace("level: 5", "level: 9");
        match from_yaml::<Qf4saFile>(&bad) {
            Err(DecodeError::Invalid(e)) => assert_eq!(e.field, "timeliness.level"),
            other => panic!("{other:?}"),
        }
    }
}
