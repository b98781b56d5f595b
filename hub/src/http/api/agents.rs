//! `/api/v1/agents`: the agents of an organisation, their versions, last contact and the
//! counts of their sync epochs, for that organisation's people and administrators. No
//! secrets: tokens are never shown.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page_of;
use crate::app::AppState;
use crate::db::agents::{self, AgentDetail, AgentInfo};
use crate::error::{Error, ErrorBody, Result};
use crate::http::extract::{Params, Path, page_request};
use crate::policy::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
}

page_of!(AgentList, AgentInfo);

/// Filter of the agent list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgentQuery {
    /// Organisation slug.
    organisation: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Agents per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
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
    let page = page_request(q.page, q.per_page)?;
    // Visibility in the query, so that pages and totals count only what the caller sees.
    let among: Option<Vec<String>> = (!caller.admin).then(|| {
        if caller.signed_in {
            caller
                .organisations
                .iter()
                .chain(&caller.steward_of)
                .cloned()
                .collect()
        } else {
            Vec::new()
        }
    });
    let mut conn = state.db.acquire().await?;
    let (items, total) = agents::list_page(
        &mut conn,
        q.organisation.map(|o| o.to_ascii_lowercase()).as_deref(),
        among.as_deref(),
        page,
    )
    .await?;
    Ok(Json(AgentList::new(items, total, page)))
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
