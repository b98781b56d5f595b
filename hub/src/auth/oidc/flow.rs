//! The authorisation code flow: starting a sign-in and finishing it at the callback.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreGenderClaim};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, Scope, TokenResponse, UserInfoClaims,
};
use serde::Deserialize;
use serde_json::{Map, Value};
use sqlx::PgPool;

use crate::auth::oidc::{ATTEMPT_TTL_SECS, ExtraClaims, LOGIN_COOKIE, Providers, provider};
use crate::auth::roles::{ProviderIdentity, map_claims, upsert_from_provider};
use crate::auth::session::{self, NewSession};
use crate::auth::{hash_secret, random_secret, same_secret};
use crate::config::Config;
use crate::cookies::{read_cookie, set_cookie};
use crate::error::{Error, Result};

/// Starts a sign-in: records the attempt and answers where to send the browser, with the
/// cookie that names the attempt.
pub async fn begin(
    db: &PgPool,
    config: &Config,
    providers: &Providers,
    name: &str,
    return_to: &str,
) -> Result<(String, String)> {
    let provider = provider(config, name)?;
    let client = providers.client(config, provider).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in provider.scopes.iter().filter(|s| s.as_str() != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.set_pkce_challenge(challenge).url();
    let attempt = random_secret();
    sqlx::query(
        "INSERT INTO login_attempts (id_hash, provider, state, nonce, pkce_verifier, return_to, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_secret(&attempt))
    .bind(&provider.name)
    .bind(csrf.secret())
    .bind(nonce.secret())
    .bind(verifier.secret())
    .bind(return_to)
    .bind(Utc::now() + chrono::Duration::seconds(ATTEMPT_TTL_SECS))
    .execute(db)
    .await?;
    let cookie = set_cookie(
        LOGIN_COOKIE,
        &attempt,
        "/auth",
        ATTEMPT_TTL_SECS,
        config.secure_cookies(),
    );
    Ok((url.to_string(), cookie))
}

/// The query string of the provider's redirect back to the hub.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Attempt {
    provider: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
    return_to: String,
    expires_at: DateTime<Utc>,
}

/// Finishes a sign-in: checks the attempt and the state, exchanges the code (with the PKCE
/// verifier), validates the ID token and its nonce, reads userinfo, upserts the user with
/// their organisation and roles, and opens a new session. Returns the session and where to
/// send the browser.
pub async fn finish(
    db: &PgPool,
    config: &Config,
    providers: &Providers,
    name: &str,
    headers: &http::HeaderMap,
    query: &CallbackQuery,
) -> Result<(NewSession, String)> {
    let provider = provider(config, name)?;
    let attempt_id = read_cookie(headers, LOGIN_COOKIE).ok_or_else(|| {
        Error::Malformed("no sign-in is in progress in this browser: start again".into())
    })?;
    // Deleted on first use: a replayed callback finds nothing.
    let attempt: Attempt = sqlx::query_as(
        "DELETE FROM login_attempts WHERE id_hash = $1 \
         RETURNING provider, state, nonce, pkce_verifier, return_to, expires_at",
    )
    .bind(hash_secret(attempt_id))
    .fetch_optional(db)
    .await?
    .ok_or_else(|| {
        Error::Malformed("this sign-in was already used or is unknown: start again".into())
    })?;
    if attempt.expires_at <= Utc::now() {
        return Err(Error::Malformed(
            "the sign-in took too long: start again".into(),
        ));
    }
    if attempt.provider != provider.name {
        return Err(Error::Malformed(
            "the answer came from another provider than the one asked".into(),
        ));
    }
    if let Some(error) = &query.error {
        tracing::info!(provider = %provider.name, %error, description = ?query.error_description, "the provider refused a sign-in");
        return Err(Error::Unauthorized(format!(
            "the provider refused the sign-in ({error})"
        )));
    }
    match &query.state {
        Some(s) if same_secret(s, &attempt.state) => {}
        _ => {
            return Err(Error::Malformed(
                "the sign-in state does not match: start again".into(),
            ));
        }
    }
    let code = query
        .code
        .as_deref()
        .ok_or_else(|| Error::Malformed("the provider sent no code".into()))?;

    let client = providers.client(config, provider).await?;
    let http = &providers.http;
    let refused = |what: &str, e: &dyn std::fmt::Display| {
        tracing::warn!(provider = %provider.name, error = %e, "sign-in refused: {what}");
        Error::Unauthorized(format!("sign-in failed: {what}"))
    };
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| refused("the provider has no token endpoint", &e))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier))
        .request_async(http)
        .await
        .map_err(|e| refused("the provider did not accept the code", &e))?;
    let id_token = token
        .id_token()
        .ok_or_else(|| refused("no ID token", &"the token answer has no id_token"))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(attempt.nonce))
        .map_err(|e| refused("the ID token is not valid", &e))?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| refused("the ID token is not valid", &e))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| refused("the ID token is not valid", &e))?;
        let actual = AccessTokenHash::from_token(token.access_token(), alg, key)
            .map_err(|e| refused("the ID token is not valid", &e))?;
        if actual != *expected {
            return Err(refused(
                "the access token does not match the ID token",
                &"at_hash mismatch",
            ));
        }
    }
    // The token is verified: its payload can be read as it is for further claims.
    let mut all_claims = jwt_payload(&id_token.to_string()).unwrap_or_default();
    let mut email = claims.email().map(|e| e.as_str().to_string());
    let mut email_verified = claims.email_verified();
    let mut display_name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_string());
    if let Ok(request) =
        client.user_info(token.access_token().clone(), Some(claims.subject().clone()))
    {
        let info: UserInfoClaims<ExtraClaims, CoreGenderClaim> = request
            .request_async(http)
            .await
            .map_err(|e| refused("the provider's userinfo could not be read", &e))?;
        all_claims.extend(info.additional_claims().rest.clone());
        if let Some(e) = info.email() {
            email = Some(e.as_str().to_string());
            email_verified = info.email_verified().or(email_verified);
        }
        if let Some(n) = info.name().and_then(|n| n.get(None)) {
            display_name = Some(n.as_str().to_string());
        }
    }
    let email = email.ok_or_else(|| {
        Error::Forbidden(
            "the provider did not share an e-mail address: ask for the `email` scope".into(),
        )
    })?;
    let who = ProviderIdentity {
        issuer: claims.issuer().as_str().to_string(),
        subject: claims.subject().as_str().to_string(),
        name: display_name.unwrap_or_else(|| email.clone()),
        email_verified: email_verified.unwrap_or(false),
        email,
    };
    let mapped = map_claims(provider, Some(&who.email), &all_claims);
    let mut tx = db.begin().await?;
    let user_id = upsert_from_provider(&mut tx, &who, &mapped).await?;
    // A new account speaks the language the sign-in page was shown in.
    crate::db::users::set_locale_if_new(&mut tx, user_id, crate::i18n::from_headers(headers))
        .await?;
    let session = session::create(&mut *tx, config, user_id, &provider.name).await?;
    tx.commit().await?;
    tracing::info!(provider = %provider.name, user_id, "signed in");
    Ok((session, attempt.return_to))
}

/// The claims of a JWT's payload (read without checking: call only on a verified token).
fn jwt_payload(jwt: &str) -> Option<Map<String, Value>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_payloads_are_read() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","groups":["a"]}"#);
        let claims = jwt_payload(&format!("xx.{payload}.yy")).unwrap();
        assert_eq!(claims["sub"], "alice");
        assert!(jwt_payload("garbage").is_none());
    }
}
