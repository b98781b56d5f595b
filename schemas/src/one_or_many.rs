//! A value that cards write either as one item or as a list (`language: en` or
//! `language: [en, fr]`), kept in the shape it was written so the card reads back the same.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// The path of item `i` below `field`: the field itself when written as one item.
    pub fn path(&self, field: &str, i: usize) -> String {
        match self {
            Self::One(_) => field.to_string(),
            Self::Many(_) => format!("{field}[{i}]"),
        }
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(many: Vec<T>) -> Self {
        Self::Many(many)
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::One(one) => one.serialize(s),
            Self::Many(many) => many.serialize(s),
        }
    }
}

/// `null` (an empty `language:` line in YAML) reads as an empty list.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape<T> {
            Many(Vec<T>),
            One(T),
            Null(()),
        }
        match Shape::deserialize(d) {
            Ok(Shape::One(one)) => Ok(Self::One(one)),
            Ok(Shape::Many(many)) => Ok(Self::Many(many)),
            Ok(Shape::Null(())) => Ok(Self::default()),
            Err(_) => Err(serde::de::Error::custom(
                "must be one value or a list of values",
            )),
        }
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        let many = generator.subschema_for::<Vec<T>>();
        schemars::json_schema!({ "anyOf": [one, many] })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// The OpenAPI schema of a [`OneOrMany`] of `T` (for `#[schema(schema_with = ...)]`):
/// one, a list, or `null` for none.
#[cfg(feature = "openapi")]
pub fn openapi_schema<T: utoipa::PartialSchema>()
-> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, SchemaType, Type};
    OneOfBuilder::new()
        .item(T::schema())
        .item(ArrayBuilder::new().items(T::schema()))
        .item(ObjectBuilder::new().schema_type(SchemaType::Type(Type::Null)))
        .into()
}

/// A list of names as real cards write it ([`crate::label::Label`]): one name or a list,
/// where an entry that is not text (a mapping, a number) is kept as written.
#[cfg(feature = "openapi")]
pub(crate) fn labels_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, SchemaType};
    let any = || ObjectBuilder::new().schema_type(SchemaType::AnyValue);
    AnyOfBuilder::new()
        .description(Some(
            "One name or a list of names; an entry that is not text is kept as written, with a warning.",
        ))
        .item(<String as utoipa::PartialSchema>::schema())
        .item(ArrayBuilder::new().items(any()))
        .item(any())
        .into()
}

#[cfg(feature = "openapi")]
pub(crate) fn languages_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    openapi_schema::<crate::language::LanguageTag>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_many_reads_back_in_its_shape() {
        for text in [r#""en""#, r#"["en","pt-BR"]"#, "[]"] {
            let v: OneOrMany<String> = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), text);
        }
        let v: OneOrMany<String> = serde_json::from_str("null").unwrap();
        assert!(v.is_empty());
        assert!(serde_json::from_str::<OneOrMany<String>>("{}").is_err());
    }
}
