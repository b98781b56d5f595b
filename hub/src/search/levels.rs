//! The `qf4sa_min` filter: items whose current QF4SA assessment reaches a level in a
//! dimension, written `<dimension>:<level>` (such as `accuracy:3`).

use std::ops::Bound;

use agora_schemas::assessment::QF4SA_DIMENSIONS;
use tantivy::Term;
use tantivy::query::{ConstScoreQuery, Query, RangeQuery};

use super::schema::Fields;
use crate::error::{Error, Result};

/// Reads one `qf4sa_min` value: `<dimension>:<level>`, such as `accuracy:3`.
pub fn parse(value: &str) -> Result<(usize, u8)> {
    let names = || {
        QF4SA_DIMENSIONS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (dim, level) = value.split_once(':').ok_or_else(|| {
        Error::invalid(
            "qf4sa_min",
            format!("`{value}` is not `<dimension>:<level>`, such as `accuracy:3`"),
        )
    })?;
    let dim = QF4SA_DIMENSIONS
        .iter()
        .position(|(n, _)| *n == dim.trim().to_lowercase().replace('-', "_"))
        .ok_or_else(|| {
            Error::invalid(
                "qf4sa_min",
                format!("`{dim}` is not a QF4SA dimension: {}", names()),
            )
        })?;
    let level = level
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=5).contains(l))
        .ok_or_else(|| {
            Error::invalid(
                "qf4sa_min",
                format!("`{level}` is not a QF4SA level (1 to 5)"),
            )
        })?;
    Ok((dim, level))
}

/// Items whose current QF4SA assessment reaches each (dimension, level), as filters
/// that add nothing to scores.
pub fn filters(fields: &Fields, qf4sa_min: &[(usize, u8)]) -> Vec<Box<dyn Query>> {
    qf4sa_min
        .iter()
        .filter_map(|(dim, level)| {
            let field = *fields.qf4sa_levels.get(*dim)?;
            let q = RangeQuery::new(
                Bound::Included(Term::from_field_u64(field, u64::from(*level))),
                Bound::Unbounded,
            );
            Some(Box::new(ConstScoreQuery::new(Box::new(q), 0.0)) as Box<dyn Query>)
        })
        .collect()
}
