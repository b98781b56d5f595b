//! E-mail digest preferences: which workstreams a person follows, how often, in which
//! time zone, and a pause for all of them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::Slug;
use crate::validate::{self, FieldError, Validate};

/// How often a workstream's digest is sent; `off` stops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DigestFrequency {
    Daily,
    Weekly,
    Off,
}

impl DigestFrequency {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestFrequency::Daily => "daily",
            DigestFrequency::Weekly => "weekly",
            DigestFrequency::Off => "off",
        }
    }
}

/// One followed workstream, as a client sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct DigestSubscriptionInput {
    pub workstream: Slug,
    pub frequency: DigestFrequency,
}

/// A person's digest preferences, as a client sends them to replace the current ones.
/// Workstreams left out of `subscriptions` are turned off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[schemars(deny_unknown_fields)]
pub struct DigestPreferencesInput {
    /// IANA time zone in which days and weeks are cut, such as `Europe/Paris`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = r"\S")
    )]
    pub time_zone: String,
    /// Stops every digest until turned off again.
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub subscriptions: Vec<DigestSubscriptionInput>,
}

impl Validate for DigestPreferencesInput {
    fn validate(&self) -> Result<(), FieldError> {
        validate::text("time_zone", &self.time_zone, 64)?;
        if self.subscriptions.len() > 200 {
            return Err(FieldError::new(
                "subscriptions",
                "must list at most 200 workstreams",
            ));
        }
        for (i, s) in self.subscriptions.iter().enumerate() {
            if self.subscriptions[..i]
                .iter()
                .any(|o| o.workstream == s.workstream)
            {
                return Err(FieldError::new(
                    format!("subscriptions[{i}].workstream"),
                    format!("`{}` is listed twice", s.workstream),
                ));
            }
        }
        Ok(())
    }
}

/// One followed workstream, as the hub returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigestSubscription {
    pub workstream: Slug,
    /// The workstream's short code, such as "WS4".
    pub code: String,
    pub title: String,
    pub frequency: DigestFrequency,
}

/// A person's digest preferences, as the hub returns them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigestPreferences {
    pub time_zone: String,
    pub paused: bool,
    /// Every workstream the person has chosen a frequency for, `off` included.
    pub subscriptions: Vec<DigestSubscription>,
}
