//! `/api/v1/me`: who the caller is, as the hub sees them.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::auth::{Credential, Identity};
use crate::error::ErrorBody;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// The signed-in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The person's organisation's slug.
    pub organisation: Option<String>,
}

/// The caller's identity and roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub signed_in: bool,
    /// `anonymous`, `session` or `token`.
    pub credential: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<MeUser>,
    pub admin: bool,
    /// Organisations the caller is a steward of.
    pub steward_of: Vec<String>,
    /// Workstreams the caller leads.
    pub lead_of: Vec<String>,
    /// `admin`, `steward:<organisation>`, `lead:<workstream>`, `member`.
    pub roles: Vec<String>,
    /// For scripts that use the session cookie: send it as `X-CSRF-Token` on writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// Who the caller is: anonymous, or a person with their organisation and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", operation_id = "account_me",
    responses((status = 200, description = "Success", body = Me), (status = 401, description = "The credential is unknown, expired or revoked", body = ErrorBody),
              (status = 403, description = "An agent token was sent", body = ErrorBody)))]
async fn me(who: Identity) -> Json<Me> {
    let credential = match who.credential {
        Credential::Anonymous => "anonymous",
        Credential::Session { .. } => "session",
        Credential::Token { .. } => "token",
    };
    let caller = &who.caller;
    Json(Me {
        signed_in: caller.signed_in,
        credential,
        user: who.user.as_ref().map(|u| MeUser {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            organisation: u.organisation.clone(),
        }),
        admin: caller.admin,
        steward_of: caller.steward_of.clone(),
        lead_of: caller.lead_of.clone(),
        roles: caller.role_names(),
        csrf_token: who.csrf_token().map(str::to_string),
    })
}
