//! Request extractors that answer bad input with the hub's JSON errors.

use agora_schemas::Validate;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::db::PageRequest;
use crate::error::Error;

/// A JSON body decoded strictly: unknown fields refused, every error naming its field.
#[derive(Debug)]
pub struct Strict<T>(pub T);

impl<T, S> FromRequest<S> for Strict<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = json_body(req, state).await?;
        refuse_nul_in_json(&bytes)?;
        Ok(Strict(agora_schemas::decode::from_json(&bytes)?))
    }
}

/// A body of items decoded strictly like [`Strict`], but with NUL characters let through:
/// the receiver refuses each item that holds one by itself, so one bad item never
/// refuses its whole batch (sync batches).
#[derive(Debug)]
pub struct StrictItems<T>(pub T);

impl<T, S> FromRequest<S> for StrictItems<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = json_body(req, state).await?;
        Ok(StrictItems(agora_schemas::decode::from_json(&bytes)?))
    }
}

/// The bytes of a JSON body: 415 for another media type, 413 when too large.
async fn json_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    let json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim();
            m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
        })
        .unwrap_or(false);
    if !json {
        return Err(Error::UnsupportedMediaType);
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge
        } else {
            Error::Malformed(rejection.body_text())
        }
    })
}

/// A NUL character (`\u0000`) in a JSON string or key: PostgreSQL stores no NUL in
/// `text` or `jsonb`, so it is refused up front as a 422 naming the field. The bytes are
/// only parsed again when the escape is there at all.
fn refuse_nul_in_json(bytes: &[u8]) -> Result<(), Error> {
    // JSON spells the escape with a lower-case `u` (and `0` has no case): other spellings
    // are syntax errors the decoder reports.
    let escaped_nul = bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\\' && bytes[i + 1..].starts_with(b"u0000"));
    if !escaped_nul {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        // Malformed JSON: the decoder says where.
        return Ok(());
    };
    match nul_at(&value, String::new()) {
        Some(field) => Err(Error::invalid(
            if field.is_empty() {
                "body".into()
            } else {
                field
            },
            "must not contain a NUL character",
        )),
        None => Ok(()),
    }
}

/// The path (`a.b[2]`) of the first string or key holding a NUL character.
fn nul_at(value: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0').then_some(path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_at(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(v, here)
            }
        }),
        _ => None,
    }
}

/// Path parameters. One that does not decode (a number out of range or text where a
/// number belongs, bad percent-encoding) names no item: a JSON 404, where axum's own
/// `Path` answers a plain-text 400 the API does not document.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        use axum::extract::rejection::PathRejection;
        // A NUL character (`%00`) names nothing stored: PostgreSQL keeps no NUL in text.
        if parts.uri.path().contains("%00") {
            return Err(Error::NotFound(format!("`{}`", parts.uri.path())));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                tracing::debug!(error = %e.body_text(), "path parameters name nothing");
                Err(Error::NotFound(format!("`{}`", parts.uri.path())))
            }
            Err(other) => Err(Error::Internal(other.body_text())),
        }
    }
}

/// Query-string parameters; a bad one is a 422 naming the parameter.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T, S> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let query = parts.uri.query().unwrap_or_default();
        // PostgreSQL stores no NUL in text: refused here, as a 422 naming the parameter.
        if let Some((name, _)) = form_urlencoded_parse(query).find(|(_, v)| v.contains('\0')) {
            return Err(Error::invalid(
                name.into_owned(),
                "must not contain a NUL character",
            ));
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(de)
            .map(Params)
            .map_err(|e| {
                let field = e.path().to_string();
                let inner = e.into_inner().to_string();
                match inner
                    .strip_prefix("unknown field `")
                    .and_then(|r| r.split('`').next())
                {
                    Some(name) => Error::invalid(name, "unknown parameter"),
                    None => Error::invalid(if field == "." { "query" } else { &field }, inner),
                }
            })
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// Turns `page` and `per_page` parameters into a page request, checking their bounds.
pub fn page_request(page: Option<u32>, per_page: Option<u32>) -> Result<PageRequest, Error> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(20);
    if page == 0 || page > 10_000 {
        return Err(Error::invalid("page", "must be between 1 and 10000"));
    }
    if !(1..=100).contains(&per_page) {
        return Err(Error::invalid("per_page", "must be between 1 and 100"));
    }
    Ok(PageRequest { page, per_page })
}
