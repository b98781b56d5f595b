//! Projects: pilot studies and production systems, and the vocabulary that describes them.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Email, GsbpmCode, LanguageCode, Slug, Visibility, WebUrl};
use crate::validate::{self, FieldError, Validate};

/// Where a project stands on the way from an idea to a maintained production system.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum JourneyStage {
    Idea,
    Pilot,
    Validated,
    Production,
    Maintenance,
}

impl JourneyStage {
    pub const ALL: [JourneyStage; 5] = [
        Self::Idea,
        Self::Pilot,
        Self::Validated,
        Self::Production,
        Self::Maintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idea => "idea",
            Self::Pilot => "pilot",
            Self::Validated => "validated",
            Self::Production => "production",
            Self::Maintenance => "maintenance",
        }
    }
}

/// The machine learning task, in the terms statistical offices use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MlTask {
    /// Assigning codes of a classification (occupation, activity, product...) to text.
    Coding,
    Classification,
    Regression,
    Imputation,
    Editing,
    Nowcasting,
    Forecasting,
    RecordLinkage,
    /// Satellite and aerial imagery.
    Imagery,
    TextExtraction,
    AnomalyDetection,
    WebScraping,
    Other,
}

impl MlTask {
    pub const ALL: [MlTask; 13] = [
        Self::Coding,
        Self::Classification,
        Self::Regression,
        Self::Imputation,
        Self::Editing,
        Self::Nowcasting,
        Self::Forecasting,
        Self::RecordLinkage,
        Self::Imagery,
        Self::TextExtraction,
        Self::AnomalyDetection,
        Self::WebScraping,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coding => "coding",
            Self::Classification => "classification",
            Self::Regression => "regression",
            Self::Imputation => "imputation",
            Self::Editing => "editing",
            Self::Nowcasting => "nowcasting",
            Self::Forecasting => "forecasting",
            Self::RecordLinkage => "record-linkage",
            Self::Imagery => "imagery",
            Self::TextExtraction => "text-extraction",
            Self::AnomalyDetection => "anomaly-detection",
            Self::WebScraping => "web-scraping",
            Self::Other => "other",
        }
    }
}

/// Someone to ask about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: Email,
}

/// A project as a client sends it, and as an `agora.yaml` manifest describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct ProjectInput {
    pub slug: Slug,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub title: String,
    /// What the project does and why (markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub summary: String,
    /// Organisations that run the project; the first one leads it.
    pub organisations: Vec<Slug>,
    #[serde(default)]
    pub workstreams: Vec<Slug>,
    pub stage: JourneyStage,
    /// GSBPM 5.1 sub-process the project serves, such as `5.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsbpm: Option<GsbpmCode>,
    /// Statistical domain, such as "labour market" or "prices".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<MlTask>,
    #[serde(default)]
    pub data_sources: Vec<String>,
    /// Languages of the data the project works on (such as the text it codes).
    #[serde(default)]
    pub languages: Vec<LanguageCode>,
    /// The language this project's own title and summary are written in; English when
    /// not given. Pages mark the text with it and never translate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_language: Option<LanguageCode>,
    #[serde(default)]
    pub repositories: Vec<WebUrl>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub visibility: Visibility,
}

impl ProjectInput {
    /// The language of the project's own text: its `text_language`, else English.
    pub fn text_language(&self) -> &str {
        self.text_language.as_deref().unwrap_or("en")
    }
}

impl Validate for ProjectInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("title", &self.title, 200)?;
        validate::text("summary", &self.summary, 20_000)?;
        if self.organisations.is_empty() {
            return Err(FieldError::new(
                "organisations",
                "must name at least one organisation",
            ));
        }
        validate::list("organisations", &self.organisations, 20)?;
        validate::list("workstreams", &self.workstreams, 20)?;
        if let Some(domain) = &self.domain {
            validate::text("domain", domain, 100)?;
        }
        validate::labels("data_sources", &self.data_sources, 50)?;
        validate::list("languages", &self.languages, 20)?;
        validate::list("repositories", &self.repositories, 20)?;
        validate::list("contacts", &self.contacts, 20)?;
        for (i, c) in self.contacts.iter().enumerate() {
            validate::text(&format!("contacts[{i}].name"), &c.name, 200)?;
        }
        validate::labels("tags", &self.tags, 50)?;
        Ok(())
    }
}

/// Where an item came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Entered through the API or pages.
    #[default]
    Manual,
    /// Read from a git manifest by the hub.
    Git,
    /// Sent by an organisation's agent.
    Agent,
}

/// How an item reached the hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    pub origin: Origin,
    /// The agent that sent it, for agent items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The agent's source (an MLflow registry, a repository...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The git commit the item was read at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<DateTime<Utc>>,
    /// The source no longer lists the item; it is kept but hidden from search.
    #[serde(default)]
    pub withdrawn: bool,
}

/// A project as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    #[serde(flatten)]
    pub spec: ProjectInput,
    pub provenance: Provenance,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
