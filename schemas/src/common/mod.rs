//! Validated scalar types shared by every record: slugs, language and country codes,
//! GSBPM sub-process codes, SPDX licences, web links, and the visibility of an item.
//!
//! Each is a string on the wire. Parsing checks it, so a value of one of these types is
//! always valid, and a bad value is reported by serde with the field's path.

/// Declares a string newtype that validates on construction and describes itself in both
/// JSON Schema (for `schemas/json`) and OpenAPI (for the hub's API document). Declared
/// before the modules below, which use it.
macro_rules! checked_string {
    ($(#[$meta:meta])* $name:ident, $check:path, $schema:expr) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
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

        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let schema: serde_json::Value = $schema;
                ::schemars::Schema::try_from(schema).unwrap_or_default()
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

mod email;
mod license;
mod slug;
mod standard_codes;
mod visibility;
mod web_url;

pub use self::email::Email;
pub use self::license::License;
pub use self::slug::{SLUG_PATTERN, Slug};
pub use self::standard_codes::{CountryCode, GsbpmCode, LanguageCode};
pub use self::visibility::Visibility;
pub use self::web_url::WebUrl;

#[cfg(all(test, feature = "openapi"))]
mod tests {
    use utoipa::PartialSchema;

    #[test]
    fn checked_strings_keep_their_constraints_in_openapi() {
        let json = serde_json::to_value(crate::Slug::schema()).unwrap();
        assert_eq!(json["pattern"], crate::common::SLUG_PATTERN);
        assert_eq!(json["maxLength"], 64);
        let json = serde_json::to_value(crate::GsbpmCode::schema()).unwrap();
        assert!(json["enum"].as_array().unwrap().contains(&"5.2".into()));
    }
}
