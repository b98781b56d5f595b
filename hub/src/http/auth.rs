//! Who is calling. Requests act as an anonymous visitor until sign-in (OpenID Connect,
//! API tokens) gives them an identity; the read policy then widens what they see.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::Error;
use crate::policy::Caller;

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Error;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        Ok(Caller::anonymous())
    }
}
