//! Validated scalar types shared by every record: slugs, language and country codes,
//! GSBPM sub-process codes, SPDX licences, web links, and the visibility of an item.
//!
//! Each is a string on the wire. Parsing checks it, so a value of one of these types is
//! always valid, and a bad value is reported by serde with the field's path.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::codes::{GSBPM_SUBPROCESSES, HUB_LICENSES, ISO_639_1};

/// Declares a string newtype that validates on construction and describes itself in both
/// JSON Schema (for `schemas/json`) and OpenAPI (for the hub's API document).
macro_rules! checked_string {
    ($(#[$meta:meta])* $name:ident, $check:path, $schema:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `value` and wraps it, or says what is wrong with it.
            pub fn parse(value: impl Into<String>) -> Result<Self, String> {
                $check(value.into()).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, String> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let schema: serde_json::Value = $schema;
                Schema::try_from(schema).unwrap_or_default()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::from_json_schema($schema)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

checked_string!(
    /// A short identifier used in URLs: lower-case letters, digits and single hyphens,
    /// 2 to 64 characters, such as `insee` or `imf-ts-coding`.
    Slug,
    check_slug,
    serde_json::json!({
        "type": "string",
        "description": "Lower-case letters, digits and single hyphens, 2 to 64 characters.",
        "pattern": SLUG_PATTERN,
        "minLength": 2,
        "maxLength": 64,
        "examples": ["insee", "imf-ts-coding"]
    })
);

fn check_slug(value: String) -> Result<String, String> {
    let len = value.len();
    if !(2..=64).contains(&len) {
        return Err(format!("slug must be 2 to 64 characters, got {len}"));
    }
    let ok_chars = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok_chars || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        return Err(format!(
            "`{value}` is not a slug: use lower-case letters, digits and single hyphens"
        ));
    }
    Ok(value)
}

checked_string!(
    /// An ISO 639-1 two-letter language code, such as `fr` or `es`.
    LanguageCode,
    check_language,
    serde_json::json!({
        "type": "string",
        "description": "ISO 639-1 two-letter language code.",
        "enum": ISO_639_1
    })
);

fn check_language(value: String) -> Result<String, String> {
    if ISO_639_1.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(format!(
            "`{value}` is not an ISO 639-1 language code (two lower-case letters such as `fr`)"
        ))
    }
}

checked_string!(
    /// An ISO 3166-1 alpha-2 country code, such as `FR` or `MX`.
    CountryCode,
    check_country,
    serde_json::json!({
        "type": "string",
        "description": "ISO 3166-1 alpha-2 country code, upper case.",
        "pattern": "^[A-Z]{2}$"
    })
);

fn check_country(value: String) -> Result<String, String> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(format!(
            "`{value}` is not an ISO 3166-1 alpha-2 country code (two upper-case letters such as `FR`)"
        ))
    }
}

checked_string!(
    /// A sub-process of the Generic Statistical Business Process Model (GSBPM 5.1),
    /// such as `5.2` (classify and code).
    GsbpmCode,
    check_gsbpm,
    serde_json::json!({
        "type": "string",
        "description": "GSBPM 5.1 sub-process code, such as 5.2 (classify and code).",
        "enum": GSBPM_SUBPROCESSES.iter().map(|(code, _)| *code).collect::<Vec<_>>()
    })
);

fn check_gsbpm(value: String) -> Result<String, String> {
    if GSBPM_SUBPROCESSES.iter().any(|(code, _)| *code == value) {
        Ok(value)
    } else {
        Err(format!(
            "`{value}` is not a GSBPM 5.1 sub-process (phase.sub-process, such as `5.2`)"
        ))
    }
}

impl GsbpmCode {
    /// The sub-process's name in GSBPM 5.1, such as "Classify and code".
    pub fn name(&self) -> &'static str {
        GSBPM_SUBPROCESSES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
            .unwrap_or_default()
    }
}

checked_string!(
    /// A licence as a Hugging Face model card writes it: an SPDX identifier in any case or
    /// one of the Hub's licence ids (both stored in lower case, as `apache-2.0`), `other`
    /// (with `license_name` and `license_link`), or anything else, kept as written:
    /// [`License::is_known`] tells which.
    License,
    check_license,
    serde_json::json!({
        "type": "string",
        "description": "SPDX licence identifier or Hugging Face Hub licence id (case-insensitive, stored in lower case), or `other`. Another value is kept as written, with a warning.",
        "examples": ["apache-2.0", "mit", "eupl-1.2", "cc-by-4.0", "openrail", "other"]
    })
);

fn known_license(value: &str) -> bool {
    let bare = value.trim_end_matches('+');
    HUB_LICENSES.iter().any(|l| l.eq_ignore_ascii_case(value))
        || spdx::identifiers::LICENSES
            .iter()
            .any(|l| l.name.eq_ignore_ascii_case(bare))
}

fn check_license(value: String) -> Result<String, String> {
    if known_license(&value) {
        Ok(value.to_ascii_lowercase())
    } else {
        Ok(value)
    }
}

impl License {
    /// Whether it is an SPDX identifier, a Hub licence id or `other`: a value the licence
    /// facet can use.
    pub fn is_known(&self) -> bool {
        known_license(&self.0)
    }
}

checked_string!(
    /// An absolute `http` or `https` URL.
    WebUrl,
    check_web_url,
    serde_json::json!({
        "type": "string",
        "format": "iri",
        "description": "Absolute http or https URL, without user name or password, at most \
                        2000 characters as written. It is stored in its normalised ASCII form \
                        (`/` for an empty path, internationalised names in punycode, other \
                        characters percent-encoded), which may be longer.",
        "pattern": "^https?://[^\\s\"'<>`\\\\/?#@]+([/?#][^\\s\"'<>`\\\\]*)?$"
    })
);

/// The longest URL a client may write, in characters.
const MAX_URL_CHARS: usize = 2000;

/// Characters no URL the hub stores may hold: they end a URL in text, HTML attributes
/// and Markdown, or hide another one (a backslash reads as `/` in http URLs).
const NOT_IN_URLS: &[char] = &['"', '\'', '<', '>', '`', '\\'];

/// Parses, checks and normalises a web URL: http or https, a host, no user name or
/// password, no spaces, quotes, angle brackets or backticks. The stored form is the
/// parsed one (scheme and host in lower case, `/` for an empty path).
fn check_web_url(value: String) -> Result<String, String> {
    // The limit is on what a client writes. The stored form may be longer (`/` added, an
    // internationalised name in punycode, other characters percent-encoded: at most twelve
    // characters for one) and must read back, so a URL already in that form passes up to
    // twelve times the limit.
    let written = value.chars().count();
    if written > 12 * MAX_URL_CHARS {
        return Err(format!("URL must be at most {MAX_URL_CHARS} characters"));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || NOT_IN_URLS.contains(c))
    {
        return Err(format!(
            "a URL must not contain spaces, quotes, `<`, `>`, backticks or backslashes (found {c:?})"
        ));
    }
    let url = match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        Ok(u) => {
            return Err(format!(
                "`{value}` must be an http or https URL, not {}",
                u.scheme()
            ));
        }
        Err(e) => return Err(format!("`{value}` is not a URL: {e}")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL must not carry a user name or password".into());
    }
    let normalised = url.to_string();
    if written > MAX_URL_CHARS && normalised != value {
        return Err(format!("URL must be at most {MAX_URL_CHARS} characters"));
    }
    Ok(normalised)
}

checked_string!(
    /// An e-mail address (checked for shape only: one `@`, a dotted domain, no spaces).
    Email,
    check_email,
    serde_json::json!({
        "type": "string",
        "format": "email",
        "maxLength": 254
    })
);

fn check_email(value: String) -> Result<String, String> {
    let bad = || format!("`{value}` is not an e-mail address");
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@') =>
        {
            Ok(value)
        }
        _ => Err(bad()),
    }
}

/// Who may see an item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in member of the hub.
    Members,
    /// Only the organisations that own the item (the safe default).
    #[default]
    Organisation,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Self::Public, Self::Members, Self::Organisation];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Members => "members",
            Self::Organisation => "organisation",
        }
    }
}

impl std::str::FromStr for Visibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not one of public, members, organisation"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_kebab_case_only() {
        assert!(Slug::parse("imf-ts-coding").is_ok());
        for bad in [
            "I",
            "Insee",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "é",
            &"a".repeat(65),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn language_codes_are_iso_639_1() {
        assert!(LanguageCode::parse("fr").is_ok());
        assert!(LanguageCode::parse("FR").is_err());
        assert!(LanguageCode::parse("fra").is_err());
        assert!(LanguageCode::parse("zz").is_err());
    }

    #[test]
    fn gsbpm_codes_are_known_sub_processes() {
        let code = GsbpmCode::parse("5.2").unwrap();
        assert_eq!(code.name(), "Classify and code");
        for bad in ["5", "5.9", "9.1", "5.2.1", "x"] {
            assert!(GsbpmCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn licences_are_spdx_ids_in_any_case() {
        assert_eq!(License::parse("Apache-2.0").unwrap().as_str(), "apache-2.0");
        assert_eq!(License::parse("eupl-1.2").unwrap().as_str(), "eupl-1.2");
        assert!(License::parse("other").unwrap().is_known());
        assert_eq!(License::parse("OpenRAIL").unwrap().as_str(), "openrail");
        // Anything else is kept as written (the card gets a warning instead of a refusal).
        let odd = License::parse("Free-For-All").unwrap();
        assert_eq!(odd.as_str(), "Free-For-All");
        assert!(!odd.is_known());
    }

    #[test]
    fn the_url_limit_is_on_what_is_written_and_the_stored_form_reads_back() {
        let host = "a".repeat(63);
        let long = format!(
            "https://{}",
            [host.as_str(); 32].join(".").get(..1992).unwrap()
        );
        assert_eq!(long.chars().count(), 2000);
        let stored = WebUrl::parse(&long).unwrap();
        assert_eq!(stored.as_str().len(), 2001, "a `/` is added");
        assert_eq!(WebUrl::parse(stored.as_str()).unwrap(), stored);
        let too_long = format!("{long}b");
        assert!(WebUrl::parse(&too_long).is_err());
        // Non-ASCII text is stored percent-encoded, longer than written, and reads back.
        let wide = format!("https://x.org/{}", "é".repeat(1986));
        let stored = WebUrl::parse(&wide).unwrap();
        assert!(stored.as_str().len() > 10_000);
        assert_eq!(WebUrl::parse(stored.as_str()).unwrap(), stored);
    }

    #[test]
    fn urls_must_be_web_links() {
        assert!(WebUrl::parse("https://github.com/InseeFrLab/codif-ape").is_ok());
        assert!(WebUrl::parse("file:///etc/passwd").is_err());
        assert!(WebUrl::parse("javascript:alert(1)").is_err());
        assert!(WebUrl::parse("not a url").is_err());
        for bad in [
            "https://x.org/a b",
            "https://x.org/\"onmouseover=\"x",
            "https://x.org/'",
            "https://x.org/<script>",
            "https://x.org/`id`",
            "https://user:secret@x.org/",
            "https://token@x.org/",
            "https://x.org\\@evil.org/",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            WebUrl::parse("HTTPS://GitHub.COM").unwrap().as_str(),
            "https://github.com/"
        );
        assert_eq!(
            WebUrl::parse("https://x.org/a/../b?q=1#f")
                .unwrap()
                .as_str(),
            "https://x.org/b?q=1#f"
        );
    }

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(Email::parse("ana.lopez@inegi.org.mx").is_ok());
        for bad in ["ana", "ana@", "@inegi.org.mx", "ana@localhost", "a b@x.org"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn bad_values_fail_deserialisation_with_the_reason() {
        let err = serde_json::from_str::<Slug>("\"Not A Slug\"").unwrap_err();
        assert!(err.to_string().contains("is not a slug"), "{err}");
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn checked_strings_keep_their_constraints_in_openapi() {
        use utoipa::PartialSchema;

        let json = serde_json::to_value(crate::Slug::schema()).unwrap();
        assert_eq!(json["pattern"], crate::common::SLUG_PATTERN);
        assert_eq!(json["maxLength"], 64);
        let json = serde_json::to_value(crate::GsbpmCode::schema()).unwrap();
        assert!(json["enum"].as_array().unwrap().contains(&"5.2".into()));
    }
}
