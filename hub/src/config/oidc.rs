//! OpenID Connect providers: `[[oidc.providers]]` in the TOML file.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Secret;
use crate::error::Error;

/// OpenID Connect providers people sign in with.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    pub providers: Vec<ProviderConfig>,
}

/// One OpenID provider (Keycloak, an Onyxia realm, Azure AD...).
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short name used in URLs: `/auth/login/<name>`, `/auth/callback/<name>`.
    pub name: String,
    /// Shown on the sign-in page.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The issuer URL; its `/.well-known/openid-configuration` is read on first use.
    pub issuer: String,
    pub client_id: String,
    /// The client secret. Prefer the variable `AGORA_OIDC_<NAME>_CLIENT_SECRET` (name upper
    /// case, `-` as `_`), which is read when this key is absent.
    #[serde(default)]
    pub client_secret: Option<Secret>,
    /// Scopes asked for besides `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// A claim that holds the user's organisation slug (such as `organisation`).
    #[serde(default)]
    pub organisation_claim: Option<String>,
    /// E-mail domain → organisation slug, used when the claim is absent.
    #[serde(default)]
    pub email_domains: BTreeMap<String, String>,
    /// The claim listing the user's groups.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// Groups whose members are hub administrators.
    #[serde(default)]
    pub admin_groups: Vec<String>,
    /// Group → organisation slug whose stewards its members are.
    #[serde(default)]
    pub steward_groups: BTreeMap<String, String>,
    /// A group pattern such as `agora-stewards-{organisation}`: members of
    /// `agora-stewards-inegi` are stewards of `inegi`.
    #[serde(default)]
    pub steward_group_pattern: Option<String>,
}

fn default_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

fn default_groups_claim() -> String {
    "groups".into()
}

impl ProviderConfig {
    /// The label on the sign-in page.
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// The environment variable read for the client secret when the file has none.
    pub fn secret_variable(&self) -> String {
        format!(
            "AGORA_OIDC_{}_CLIENT_SECRET",
            self.name.to_ascii_uppercase().replace('-', "_")
        )
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl OidcConfig {
    /// Checks the providers' names, issuers and group patterns, naming the key at fault.
    pub(super) fn check(&self) -> Result<(), Error> {
        let mut names = std::collections::HashSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            let key = format!("oidc.providers[{i}]");
            let slug_like = !p.name.is_empty()
                && p.name.len() <= 40
                && p.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !slug_like {
                return Err(Error::Config(format!(
                    "`{key}.name`: use lower-case letters, digits and `-` (it appears in URLs)"
                )));
            }
            if !names.insert(p.name.as_str()) {
                return Err(Error::Config(format!(
                    "`{key}.name`: provider `{}` is configured twice",
                    p.name
                )));
            }
            match url::Url::parse(&p.issuer) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => {
                    return Err(Error::Config(format!(
                        "`{key}.issuer`: must be the provider's http(s) issuer URL"
                    )));
                }
            }
            if p.client_id.is_empty() {
                return Err(Error::Config(format!(
                    "`{key}.client_id`: must not be empty"
                )));
            }
            if let Some(pattern) = &p.steward_group_pattern
                && !pattern.contains("{organisation}")
            {
                return Err(Error::Config(format!(
                    "`{key}.steward_group_pattern`: must contain `{{organisation}}`"
                )));
            }
        }
        Ok(())
    }
}
