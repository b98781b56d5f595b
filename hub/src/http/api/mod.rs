//! The JSON API under `/api/v1`, one module per resource.

pub mod agent_jobs;
pub mod agent_sync;
pub mod agents;
pub mod assessment_compare;
pub mod assessments;
pub mod benchmarks;
pub mod catalog;
pub mod digests;
pub mod events;
pub mod list_params;
pub mod me;
pub mod memberships;
pub mod model_results;
pub mod models;
pub mod organisations;
pub mod projects;
pub mod runs;
pub mod search;
pub mod tokens;
pub mod workstreams;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header::LOCATION};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::Outcome;

/// Declares a page of a list answer for one item type.
macro_rules! page_of {
    ($name:ident, $item:ty) => {
        /// One page of a list, with the total number of matching items.
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: i64,
            pub page: u32,
            pub per_page: u32,
        }

        impl $name {
            pub fn new(items: Vec<$item>, total: i64, page: crate::db::PageRequest) -> Self {
                Self {
                    items,
                    total,
                    page: page.page,
                    per_page: page.per_page,
                }
            }
        }
    };
}
pub(crate) use page_of;

/// The page of a list that has no other parameter.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

impl PageQuery {
    /// The page asked for, checked.
    pub fn page(&self) -> crate::error::Result<crate::db::PageRequest> {
        crate::http::extract::page_request(self.page, self.per_page)
    }
}

/// 201 with `Location` for a new item, 200 for a replaced or unchanged one.
pub(crate) fn saved<T: Serialize>(outcome: Outcome, location: &str, body: T) -> Response {
    let status = if outcome == Outcome::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Checks that the key in a replacement body matches the URL it was sent to.
pub(crate) fn same_key(field: &str, in_body: &str, in_url: &str) -> crate::error::Result<()> {
    if in_body == in_url {
        Ok(())
    } else {
        Err(crate::error::Error::invalid(
            field,
            format!("`{in_body}` does not match `{in_url}` in the URL; keys cannot be renamed"),
        ))
    }
}

/// A creation refused because its key is taken: 409 only to a caller who may read the item
/// holding the key; anyone else gets the 422 that any unavailable key gets, so a refusal
/// never tells that a hidden item exists. Other errors pass through.
pub(crate) async fn unless_hidden_holder(
    err: crate::error::Error,
    field: &str,
    holder_readable: impl std::future::Future<Output = crate::error::Result<bool>>,
) -> crate::error::Error {
    match err {
        crate::error::Error::Conflict(_) => match holder_readable.await {
            Ok(true) => err,
            Ok(false) => crate::error::Error::invalid(field, "this slug is not available"),
            Err(e) => e,
        },
        other => other,
    }
}
