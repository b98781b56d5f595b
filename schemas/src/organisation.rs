//! Organisations: national statistical institutes and international bodies.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{CountryCode, Slug, WebUrl};
use crate::validate::{self, FieldError, Validate};

/// What kind of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    /// A national statistical institute or office.
    NationalStatisticalOffice,
    /// An international organisation (IMF, UNECE, Eurostat...).
    International,
    /// A central bank, ministry, university or other body.
    Other,
}

/// An organisation as a client sends it to create or replace one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct OrganisationInput {
    pub slug: Slug,
    /// Full name, such as "Institut national de la statistique et des études économiques".
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    /// Acronym or short name, such as "INSEE".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 40, pattern = r"\S")
    )]
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    /// Country; absent for international bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
}

impl Validate for OrganisationInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("name", &self.name, 200)?;
        if let Some(short) = &self.short_name {
            validate::text("short_name", short, 40)?;
        }
        if self.kind == OrganisationKind::NationalStatisticalOffice && self.country.is_none() {
            return Err(FieldError::new(
                "country",
                "is required for a national statistical office",
            ));
        }
        Ok(())
    }
}

/// An organisation as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    #[serde(flatten)]
    pub spec: OrganisationInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
