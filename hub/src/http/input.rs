//! Text in a page's path and query that nothing stored can match, refused before any
//! handler runs ([`super::refuse`]): a NUL character (PostgreSQL keeps none in `text`, and answers an error
//! when asked to compare with one), bytes that are not UTF-8, and values longer than any
//! the hub keeps. A path answers 404 (it names no page), a query 400 naming the
//! parameter. Forms are checked where they are read ([`crate::http::form::CsrfForm`],
//! through [`check_form`]).
//!
//! The API checks the same through its own extractors ([`super::extract`]) and answers
//! JSON: this middleware leaves `/api/` alone.

use std::borrow::Cow;

use crate::error::Error;

/// The longest path segment a page route matches, decoded (slugs and names are at most
/// 64 characters, tokens and versions less than this).
pub const MAX_SEGMENT: usize = 512;
/// The longest value of a query parameter or form field, decoded. A form's long texts
/// (a model card's body) are bounded by the request body limit instead.
pub const MAX_QUERY_VALUE: usize = 4096;

/// What is wrong with a piece of text from a request, if anything.
pub(super) fn fault(bytes: &[u8], max: usize) -> Option<&'static str> {
    if bytes.contains(&0) {
        Some("must not contain a NUL character")
    } else if std::str::from_utf8(bytes).is_err() {
        Some("must be UTF-8 text")
    } else if bytes.len() > max {
        Some("is longer than the hub accepts")
    } else {
        None
    }
}

/// Percent-decodes without turning bad UTF-8 into replacement characters.
pub(super) fn decoded(text: &str) -> Cow<'_, [u8]> {
    percent_decode(text.as_bytes())
}

fn percent_decode(input: &[u8]) -> Cow<'_, [u8]> {
    if !input.iter().any(|&b| b == b'%' || b == b'+') {
        return Cow::Borrowed(input);
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'%' if i + 2 < input.len() => match (hex(input[i + 1]), hex(input[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// The first name or value of URL-encoded pairs (a query, a form) that is unusable: its
/// name, shown readably, and what is wrong with it.
fn first_fault(encoded: &[u8], max_value: usize) -> Option<(String, &'static str)> {
    let plus = |b: &[u8]| -> Vec<u8> {
        b.iter()
            .map(|&c| if c == b'+' { b' ' } else { c })
            .collect()
    };
    for pair in encoded.split(|&b| b == b'&') {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let name = percent_decode(&plus(name)).into_owned();
        let value = percent_decode(&plus(value)).into_owned();
        let label: String = String::from_utf8_lossy(&name)
            .replace('\0', "\u{fffd}")
            .chars()
            .take(64)
            .collect();
        if let Some(reason) = fault(&name, 256).or_else(|| fault(&value, max_value)) {
            return Some((label, reason));
        }
    }
    None
}

/// A query no page can use: 400 naming the parameter.
pub fn check_query(query: &str) -> Result<(), Error> {
    match first_fault(query.as_bytes(), MAX_QUERY_VALUE) {
        Some((name, reason)) => Err(Error::Malformed(format!(
            "the query parameter `{name}` {reason}"
        ))),
        None => Ok(()),
    }
}

/// A form no page can use: 422 naming the field. Values are bounded by the request body
/// limit, not here.
pub fn check_form(body: &[u8]) -> Result<(), Error> {
    match first_fault(body, usize::MAX) {
        Some((name, reason)) => Err(Error::invalid(
            if name.is_empty() { "form".into() } else { name },
            reason,
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bad_utf8_and_long_values_are_faults() {
        assert!(fault(b"a\0b", 10).is_some());
        assert!(fault(&[0xff, 0xfe], 10).is_some());
        assert!(fault(b"abcdef", 3).is_some());
        assert!(fault("é".as_bytes(), 10).is_none());
    }

    #[test]
    fn queries_are_decoded_before_they_are_checked() {
        assert_eq!(check_query("q=a%00b").unwrap_err().status_code(), 400);
        assert!(check_query("q=%FF").is_err());
        assert!(check_query("q%00=x").is_err());
        assert!(check_query("q=caf%C3%A9+au+lait&page=2").is_ok());
        assert!(check_query("q=100%").is_ok());
        assert!(check_query("q=a%3Db%00").is_err());
        let long = format!("q={}", "a".repeat(MAX_QUERY_VALUE + 1));
        assert!(check_query(&long).is_err());
    }

    #[test]
    fn forms_name_the_field() {
        let e = check_form(b"csrf=x&title=a%00b").unwrap_err();
        assert_eq!(e.status_code(), 422);
        assert!(e.to_string().contains("NUL"), "{e}");
        assert!(check_form(b"csrf=x&title=ok&body=").is_ok());
        assert!(check_form(b"summary=%C3").is_err());
    }
}
