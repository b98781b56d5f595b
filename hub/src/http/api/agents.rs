//! `/api/v1/agents`: the agents of an organisation, their versions, last contact and the
//! counts of their sync epochs, for that organisation's people and administrators. No
//! secrets: tokens are never shown.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::db::agents::{self, AgentDetail, AgentInfo};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path};
use crate::policy::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
}

/// Every agent, by organisation and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentList {
    pub items: Vec<AgentInfo>,
}

/// Filter of the agent list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgentQuery {
    /// Organisation slug.
    organisation: Option<String>,
}

/// Lists the agents the caller may see (those of its organisations; all for
/// administrators) with their version, last contact and the latest epoch of each source.
#[utoipa::path(get, path = "/api/v1/agents", tag = "agents", operation_id = "agents_list", params(AgentQuery),
    responses((status = 200, description = "Success", body = AgentList),
              (status = 422, description = "A field or parameter is invalid; `error.field` names it", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<AgentQuery>,
) -> Result<Json<AgentList>> {
    let mut conn = state.db.acquire().await?;
    let mut items = agents::list(&mut conn, q.organisation.as_deref()).await?;
    items.retain(|a| caller.can_see_agents_of(&a.organisation));
    Ok(Json(AgentList { items }))
}

/// One agent with the counts of its recent epochs (added, updated, unchanged, withdrawn,
/// rejected) and the items refused in each.
#[utoipa::path(get, path = "/api/v1/agents/{organisation}/{name}", tag = "agents", operation_id = "agents_get_one",
    params(("organisation" = String, Path, description = "The agent's organisation"),
           ("name" = String, Path, description = "The agent's name")),
    responses((status = 200, description = "Success", body = AgentDetail),
              (status = 404, description = "No such item, or not visible to the caller", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((organisation, name)): Path<(String, String)>,
) -> Result<Json<AgentDetail>> {
    let mut conn = state.db.acquire().await?;
    let visible = caller.can_see_agents_of(&organisation);
    let agent = match visible {
        true => agents::get(&mut conn, &organisation, &name).await?,
        false => None,
    };
    agent
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("agent `{organisation}/{name}`")))
}
