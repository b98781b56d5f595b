//! Whole numbers as JSON writes them. JSON Schema counts `3.0` as an integer, and clients
//! that keep every number as a float (JavaScript, Python's `json` after arithmetic) send
//! it so: integer fields accept it, and refuse `3.5`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A whole number read from `3` or `3.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole(pub i64);

impl<'de> serde::Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct WholeVisitor;
        impl Visitor<'_> for WholeVisitor {
            type Value = Whole;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole, E> {
                i64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Whole, E> {
                // Within ±2^53 a float holds every whole number exactly.
                if v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0 {
                    Ok(Whole(v as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        d.deserialize_any(WholeVisitor)
    }
}

/// Reads a whole number into `T` (for `#[serde(deserialize_with = ...)]`).
pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    let Whole(v) = serde::Deserialize::deserialize(d)?;
    T::try_from(v)
        .map_err(|_| de::Error::invalid_value(de::Unexpected::Signed(v), &"a number in range"))
}

/// Reads an optional whole number into `T`; `null` is none.
pub fn optional<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    let v: Option<Whole> = serde::Deserialize::deserialize(d)?;
    v.map(|Whole(v)| {
        T::try_from(v)
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Signed(v), &"a number in range"))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Counts {
        #[serde(deserialize_with = "number")]
        cpus: u32,
        #[serde(default, deserialize_with = "optional")]
        version: Option<i32>,
    }

    #[test]
    fn a_whole_number_may_be_written_with_a_fraction_of_zero() {
        let c: Counts = serde_json::from_str(r#"{"cpus": 4.0, "version": 3}"#).unwrap();
        assert_eq!((c.cpus, c.version), (4, Some(3)));
        let c: Counts = serde_json::from_str(r#"{"cpus": 4, "version": null}"#).unwrap();
        assert_eq!(c.version, None);
        for bad in [
            r#"{"cpus": 4.5}"#,
            r#"{"cpus": -1}"#,
            r#"{"cpus": "4"}"#,
            r#"{"cpus": 1e300}"#,
        ] {
            assert!(serde_json::from_str::<Counts>(bad).is_err(), "{bad}");
        }
    }
}
