//! OpenID Connect sign-in: discovery, the authorization code flow with PKCE, state and
//! nonce checked, the ID token validated (signature, issuer, audience, expiry, nonce,
//! access-token hash), then userinfo read for the claims the hub maps to an organisation
//! and roles.
//!
//! Between the redirect to the provider and the callback, the state, nonce, PKCE verifier
//! and return path live in a `login_attempts` row named by a random id in a short-lived
//! cookie. The row is deleted when the callback arrives, so a replayed callback finds
//! nothing; it expires after ten minutes.

mod flow;
mod http_client;

pub use flow::{CallbackQuery, begin, finish};
pub use http_client::{HttpClient, HttpError};

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    AdditionalClaims, ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, RedirectUrl,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use crate::config::{Config, ProviderConfig};
use crate::error::{Error, Result};

/// The cookie naming a sign-in in progress.
pub const LOGIN_COOKIE: &str = "agora_login";
/// How long a sign-in may take between the redirect and the callback.
const ATTEMPT_TTL_SECS: i64 = 600;
/// How long discovered provider metadata (and its signing keys) is reused.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);
/// Largest answer read from a provider.
const MAX_PROVIDER_RESPONSE: usize = 1024 * 1024;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Claims beyond the standard ones (groups, organisation...), as they come.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ExtraClaims {
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl AdditionalClaims for ExtraClaims {}

/// Discovered providers, reused for an hour.
#[derive(Default)]
pub struct Providers {
    http: HttpClient,
    discovered: Mutex<HashMap<String, (Instant, Arc<Client>)>>,
}

impl Providers {
    async fn client(&self, config: &Config, provider: &ProviderConfig) -> Result<Arc<Client>> {
        let mut cache = self.discovered.lock().await;
        if let Some((at, client)) = cache.get(&provider.name)
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(client.clone());
        }
        let issuer = IssuerUrl::new(provider.issuer.clone())
            .map_err(|e| Error::Config(format!("provider `{}`: issuer: {e}", provider.name)))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %provider.name, error = %e, "OpenID discovery failed");
                Error::Unavailable(format!(
                    "the sign-in provider `{}` cannot be reached; try again shortly",
                    provider.label()
                ))
            })?;
        let redirect = RedirectUrl::new(callback_url(config, &provider.name))
            .map_err(|e| Error::Config(format!("`public_url`: {e}")))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.client_id.clone()),
            provider
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().to_string())),
        )
        .set_redirect_uri(redirect);
        let client = Arc::new(client);
        cache.insert(provider.name.clone(), (Instant::now(), client.clone()));
        Ok(client)
    }
}

/// The hub's callback address for a provider, as registered with it.
pub fn callback_url(config: &Config, provider: &str) -> String {
    format!(
        "{}/auth/callback/{provider}",
        config.public_url().as_str().trim_end_matches('/')
    )
}

fn provider<'a>(config: &'a Config, name: &str) -> Result<&'a ProviderConfig> {
    config
        .oidc
        .providers
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| Error::NotFound(format!("sign-in provider `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_are_under_the_public_url() {
        let mut config = Config::default();
        assert_eq!(
            callback_url(&config, "keycloak"),
            "http://127.0.0.1:8080/auth/callback/keycloak"
        );
        config.public_url = Some(url::Url::parse("https://agora.example.org/").unwrap());
        assert_eq!(
            callback_url(&config, "keycloak"),
            "https://agora.example.org/auth/callback/keycloak"
        );
    }
}
