//! The `qf4sa_min` filter: items whose current QF4SA assessment reaches a level in a
//! dimension, written `<dimension>:<level>` (such as `accuracy:3`).

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{ConstScoreQuery, Query, RangeQuery};

use super::schema::Fields;

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
