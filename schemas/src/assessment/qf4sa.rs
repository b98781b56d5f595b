//! The QF4SA assessment: five dimensions, each a level on a 1 to 5 scale with its
//! evidence and links, and the `qf4sa.yaml` file that carries one in a repository.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use super::{Content, MAX_LINKS, MAX_TEXT, Subject, SyncAssessment};
use crate::common::{Slug, WebUrl};
use crate::validate::{self, FieldError, Validate};

/// A level on the QF4SA scale, 1 to 5:
///
/// 1. **Insufficient**: not addressed, or with serious gaps.
/// 2. **Basic**: addressed informally; gaps remain.
/// 3. **Adequate**: meets what production use in official statistics expects.
/// 4. **Good**: documented, tested and repeatable.
/// 5. **Exemplary**: best practice, independently checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "crate::whole::Whole", into = "u8")]
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

impl TryFrom<crate::whole::Whole> for Level {
    type Error = String;
    fn try_from(value: crate::whole::Whole) -> Result<Self, String> {
        Self::new(value.0)
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
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
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
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
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
            super::prefixed(name, d.validate())?;
        }
        validate::optional_text("summary", self.summary.as_deref(), MAX_TEXT)
    }
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
