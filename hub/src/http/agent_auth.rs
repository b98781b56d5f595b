//! Agent authentication: `Authorization: Bearer agt_…`, looked up by the token's SHA-256.
//! Every agent request also carries `Agora-Protocol` (the sync protocol it speaks), its
//! version in `User-Agent` and what it can do in `Agora-Capabilities`.

use agora_schemas::sync::PROTOCOL_VERSION;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, USER_AGENT};
use axum::http::request::Parts;
use chrono::Utc;

use crate::app::AppState;
use crate::db::agents;
use crate::db::sync::AgentRef;
use crate::error::Error;

/// Oldest protocol version this hub still serves: the one before the current, so agents
/// can be upgraded after the hub on their own schedule (protocol 1 has no predecessor).
pub const OLDEST_PROTOCOL: u32 = if PROTOCOL_VERSION > 1 {
    PROTOCOL_VERSION - 1
} else {
    1
};

/// The agent making a request: known, not revoked, speaking a protocol the hub serves.
#[derive(Debug, Clone)]
pub struct AgentCaller(pub AgentRef);

/// Checks `Agora-Protocol`, answering 426 with what to upgrade.
pub fn check_protocol(headers: &HeaderMap) -> Result<(), Error> {
    let sent = headers
        .get("agora-protocol")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let upgrade = |what: String| Err(Error::UpgradeRequired(what));
    // Digits only: `u32::from_str` would also take a sign.
    let number = |v: &str| {
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            v.parse::<u32>().map_err(|_| ())
        } else {
            Err(())
        }
    };
    match sent.map(number) {
        None => upgrade(format!(
            "send `Agora-Protocol: {PROTOCOL_VERSION}`: this hub serves agent protocol \
             {OLDEST_PROTOCOL} to {PROTOCOL_VERSION}"
        )),
        Some(Ok(v)) if (OLDEST_PROTOCOL..=PROTOCOL_VERSION).contains(&v) => Ok(()),
        Some(Ok(v)) if v < OLDEST_PROTOCOL => upgrade(format!(
            "this agent speaks protocol {v}, which this hub no longer serves: upgrade agora-agent \
             to a version that speaks protocol {OLDEST_PROTOCOL} to {PROTOCOL_VERSION}"
        )),
        Some(Ok(v)) => upgrade(format!(
            "this agent speaks protocol {v}, newer than this hub serves ({OLDEST_PROTOCOL} to \
             {PROTOCOL_VERSION}): upgrade the hub, or use an agent that speaks protocol {PROTOCOL_VERSION}"
        )),
        Some(Err(_)) => upgrade(format!(
            "`Agora-Protocol` must be a number; this hub serves {OLDEST_PROTOCOL} to {PROTOCOL_VERSION}"
        )),
    }
}

/// The agent's version from a `User-Agent` such as `agora-agent/0.1.0`.
fn version(headers: &HeaderMap) -> Option<String> {
    let ua = headers.get(USER_AGENT)?.to_str().ok()?.trim();
    let v = ua.strip_prefix("agora-agent/").unwrap_or(ua);
    let v: String = v.chars().take(100).collect();
    (!v.is_empty()).then_some(v)
}

fn capabilities(headers: &HeaderMap) -> Vec<String> {
    headers
        .get("agora-capabilities")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(|c| c.trim().chars().take(64).collect::<String>())
                .filter(|c| !c.is_empty())
                .take(50)
                .collect()
        })
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for AgentCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        check_protocol(&parts.headers)?;
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with(agents::TOKEN_PREFIX))
            .ok_or_else(|| {
                Error::Unauthorized("send the agent token as `Authorization: Bearer agt_…`".into())
            })?;
        let mut conn = state.db.acquire().await?;
        let owner = agents::by_token(&mut conn, token)
            .await?
            .ok_or_else(|| Error::Unauthorized("unknown agent token".into()))?;
        if owner.revoked {
            tracing::warn!(agent = %format!("{}/{}", owner.organisation, owner.name), "revoked agent token used");
            return Err(Error::Unauthorized(
                "this agent token has been revoked".into(),
            ));
        }
        let version = version(&parts.headers);
        let capabilities = capabilities(&parts.headers);
        let stale = owner
            .last_seen_at
            .is_none_or(|at| Utc::now() - at > chrono::Duration::seconds(60));
        let changed = version.is_some() && version != owner.version
            || serde_json::json!(capabilities) != owner.capabilities;
        if stale || changed {
            agents::touch(&mut conn, owner.id, version.as_deref(), &capabilities).await?;
        }
        Ok(AgentCaller(AgentRef {
            id: owner.id,
            organisation: owner.organisation,
            name: owner.name,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(protocol: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(p) = protocol {
            h.insert("agora-protocol", p.parse().unwrap());
        }
        h
    }

    #[test]
    fn other_protocols_are_told_what_to_upgrade() {
        assert!(check_protocol(&headers(Some("1"))).is_ok());
        let newer = check_protocol(&headers(Some("2"))).unwrap_err();
        assert_eq!(newer.status_code(), 426);
        assert!(newer.to_string().contains("upgrade the hub"), "{newer}");
        let older = check_protocol(&headers(Some("0"))).unwrap_err();
        assert!(older.to_string().contains("upgrade agora-agent"), "{older}");
        assert_eq!(
            check_protocol(&headers(None)).unwrap_err().status_code(),
            426
        );
    }

    #[test]
    fn versions_and_capabilities_are_read_from_headers() {
        let mut h = HeaderMap::new();
        h.insert(USER_AGENT, "agora-agent/0.3.1".parse().unwrap());
        h.insert("agora-capabilities", "sync, mlflow,git".parse().unwrap());
        assert_eq!(version(&h).as_deref(), Some("0.3.1"));
        assert_eq!(capabilities(&h), ["sync", "mlflow", "git"]);
    }
}
