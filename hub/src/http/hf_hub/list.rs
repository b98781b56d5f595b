//! `GET /api/models`: model infos a page at a time, as `HfApi.list_models` asks for them.
//!
//! The hub's model list is read page by page in the order asked for, and each card is
//! held to the search, author, tags and pipeline tag asked for; a page of the answer
//! holds at most [`MAX_PAGE`] infos and names the next in a `Link` header. The cursor is
//! the number of matching cards before the page.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::HfError;
use super::info::{model_info, pipeline_tag, repo_id, tags};
use crate::app::AppState;
use crate::db::PageRequest;
use crate::db::models::{self, ModelFilter, ModelOrder};
use crate::error::Error;
use crate::policy::Caller;

/// Most infos in one page of the answer (the client follows `Link` for more).
const MAX_PAGE: usize = 100;
/// Cards read from the database at a time while filling a page.
const READ_PAGE: u32 = 200;
/// Most `filter` values one request may give.
const MAX_FILTERS: usize = 20;
/// Longest `search`, `author`, `filter` or `pipeline_tag` value, in characters.
const MAX_VALUE: usize = 200;

/// What a list asks for.
#[derive(Debug, Default, PartialEq)]
struct Asked {
    search: Option<String>,
    author: Option<String>,
    filters: Vec<String>,
    pipeline_tag: Option<String>,
    order: ModelOrder,
    limit: usize,
    card_data: bool,
    cursor: u64,
}

/// Reads the query: the parameters `huggingface_hub` sends. Those that ask for what the
/// hub does not keep (downloads, likes, gated repositories, inference) are refused by
/// name rather than ignored, so an empty answer never hides an unmet condition.
fn asked(query: &str) -> Result<Asked, Error> {
    let mut asked = Asked {
        limit: MAX_PAGE,
        ..Asked::default()
    };
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_string();
        if value.chars().count() > MAX_VALUE || value.contains('\0') {
            return Err(Error::invalid(
                key.as_ref(),
                format!("at most {MAX_VALUE} characters, no NUL"),
            ));
        }
        match key.as_ref() {
            "search" => asked.search = Some(value.to_lowercase()).filter(|v| !v.is_empty()),
            "author" => asked.author = Some(value.to_ascii_lowercase()).filter(|v| !v.is_empty()),
            "filter" => {
                asked.filters.extend(
                    value
                        .split(',')
                        .map(|f| f.trim().to_lowercase())
                        .filter(|f| !f.is_empty()),
                );
                if asked.filters.len() > MAX_FILTERS {
                    return Err(Error::invalid(
                        "filter",
                        format!("at most {MAX_FILTERS} tags"),
                    ));
                }
            }
            "pipeline_tag" => {
                asked.pipeline_tag = Some(value.to_lowercase()).filter(|v| !v.is_empty());
            }
            "sort" => {
                asked.order = match value.as_str() {
                    "lastModified" | "last_modified" => ModelOrder::Updated,
                    "createdAt" | "created_at" => ModelOrder::Created,
                    "id" | "modelId" => ModelOrder::Name,
                    "downloads" | "likes" | "trendingScore" | "trending_score" => {
                        return Err(Error::invalid(
                            "sort",
                            format!(
                                "this hub counts no {value}; sort by lastModified, createdAt or id"
                            ),
                        ));
                    }
                    _ => {
                        return Err(Error::invalid(
                            "sort",
                            "one of lastModified, createdAt or id",
                        ));
                    }
                };
            }
            // `list_models` asks for the order's own direction; no other is offered.
            "direction" => {
                if value != "-1" {
                    return Err(Error::invalid(
                        "direction",
                        "-1: each order goes its one way (newest first, or by id)",
                    ));
                }
            }
            "limit" => {
                asked.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| Error::invalid("limit", "a whole number from 1"))?
                    .min(MAX_PAGE);
            }
            "full" | "cardData" => asked.card_data = flag(key.as_ref(), &value)? || asked.card_data,
            // Every info carries what the hub has; a narrower or wider choice changes nothing.
            "expand" | "config" => {}
            "cursor" => {
                asked.cursor = value
                    .parse()
                    .map_err(|_| Error::invalid("cursor", "the cursor of a `Link` header"))?;
            }
            "gated" | "inference" | "inference_provider" | "apps" | "num_parameters" => {
                return Err(Error::invalid(
                    key.as_ref(),
                    "this hub keeps no such property of a model",
                ));
            }
            other => {
                return Err(Error::invalid(
                    other,
                    "unknown parameter; this list takes search, author, filter, pipeline_tag, \
                     sort, limit, full, cardData and cursor",
                ));
            }
        }
    }
    Ok(asked)
}

fn flag(key: &str, value: &str) -> Result<bool, Error> {
    match value {
        "" | "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        _ => Err(Error::invalid(key, "true or false")),
    }
}

/// Whether a card is one the list asks for.
fn matches(asked: &Asked, card: &agora_schemas::ModelCard) -> bool {
    if let Some(search) = &asked.search
        && !repo_id(card).to_lowercase().contains(search.as_str())
    {
        return false;
    }
    if let Some(wanted) = &asked.pipeline_tag
        && pipeline_tag(card).map(|p| p.to_lowercase()).as_ref() != Some(wanted)
    {
        return false;
    }
    if asked.filters.is_empty() {
        return true;
    }
    let tags: Vec<String> = tags(card).iter().map(|t| t.to_lowercase()).collect();
    asked.filters.iter().all(|f| tags.contains(f))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Result<Caller, Error>,
    RawQuery(query): RawQuery,
) -> Result<Response, HfError> {
    let caller = caller?;
    let asked = asked(query.as_deref().unwrap_or(""))?;
    let filter = ModelFilter {
        organisation: asked.author.clone(),
        order: asked.order,
        ..ModelFilter::default()
    };
    let mut conn = state.db.acquire().await?;
    let mut skipped: u64 = 0;
    let mut infos: Vec<Value> = Vec::new();
    let mut more = false;
    let mut page = 1;
    'read: loop {
        let request = PageRequest {
            page,
            per_page: READ_PAGE,
        };
        let (cards, _) = models::list(&mut conn, &caller, &filter, request).await?;
        let last = cards.len() < READ_PAGE as usize;
        for card in cards.iter().filter(|c| matches(&asked, c)) {
            if skipped < asked.cursor {
                skipped += 1;
            } else if infos.len() == asked.limit {
                more = true;
                break 'read;
            } else {
                infos.push(model_info(card, asked.card_data));
            }
        }
        if last {
            break;
        }
        page += 1;
    }
    let next = more.then(|| {
        next_link(
            &state,
            query.as_deref().unwrap_or(""),
            asked.cursor + infos.len() as u64,
        )
    });
    let mut response = Json(infos).into_response();
    if let Some(value) = next.and_then(|n| HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert(LINK, value);
    }
    Ok(response)
}

/// The `Link` header of the next page: the same query with the cursor moved on.
fn next_link(state: &AppState, query: &str, cursor: u64) -> String {
    let mut next = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "cursor" {
            next.append_pair(&key, &value);
        }
    }
    next.append_pair("cursor", &cursor.to_string());
    let mut url = state.config.public_url();
    url.set_path("/api/models");
    url.set_query(Some(&next.finish()));
    format!("<{url}>; rel=\"next\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clients_parameters_are_read() {
        let a = asked("search=Occupation&author=INEGI&filter=fr&filter=license:MIT,sklearn&sort=createdAt&limit=500&full=True&direction=-1").unwrap();
        assert_eq!(a.search.as_deref(), Some("occupation"));
        assert_eq!(a.author.as_deref(), Some("inegi"));
        assert_eq!(a.filters, ["fr", "license:mit", "sklearn"]);
        assert_eq!(a.order, ModelOrder::Created);
        assert_eq!(a.limit, MAX_PAGE);
        assert!(a.card_data);
    }

    #[test]
    fn what_the_hub_cannot_answer_is_refused_by_name() {
        for (query, field) in [
            ("sort=downloads", "sort"),
            ("gated=true", "gated"),
            ("limit=0", "limit"),
            ("limit=many", "limit"),
            ("cursor=x", "cursor"),
            ("colour=blue", "colour"),
            ("full=perhaps", "full"),
            ("direction=1", "direction"),
        ] {
            match asked(query) {
                Err(Error::Invalid(f)) => assert_eq!(f.field, field, "{query}"),
                other => panic!("{query}: {other:?}"),
            }
        }
    }
}
