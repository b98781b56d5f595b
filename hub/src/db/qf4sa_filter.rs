//! The `has_qf4sa` and `qf4sa_min` filters of the project and model lists: the items
//! search's facets of the same names keep, read from the database. An item's current QF4SA
//! assessment is the project's own, or that of a model's newest version.

use agora_schemas::assessment::QF4SA_DIMENSIONS;
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};

use crate::error::{Error, Result};

/// How far an item's current QF4SA assessment must have come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Qf4saState {
    /// In any state, drafts included.
    Any,
    /// Submitted or reviewed.
    Submitted,
    /// Reviewed.
    Reviewed,
}

impl Qf4saState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::Submitted => "submitted",
            Self::Reviewed => "reviewed",
        }
    }
}

/// Both filters; empty keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qf4saFilter {
    pub state: Option<Qf4saState>,
    /// Lowest levels as (dimension index in [`QF4SA_DIMENSIONS`], level).
    pub min: Vec<(usize, u8)>,
}

impl Qf4saFilter {
    pub fn is_empty(&self) -> bool {
        self.state.is_none() && self.min.is_empty()
    }

    /// Adds one `qf4sa_min` value, such as `accuracy:3,timeliness:4`; two floors for one
    /// dimension both hold, so the higher one is kept.
    pub fn add_min(&mut self, value: &str) -> Result<()> {
        for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            let (dim, level) = parse_level(v)?;
            match self.min.iter_mut().find(|(d, _)| *d == dim) {
                Some((_, floor)) => *floor = (*floor).max(level),
                None => self.min.push((dim, level)),
            }
        }
        Ok(())
    }

    /// ` AND EXISTS (…)` over the QF4SA assessment `subject` picks (a condition on `qa`,
    /// such as `qa.project_id = p.id`); nothing when the filter is empty.
    pub(crate) fn push(&self, qb: &mut QueryBuilder<Postgres>, subject: &str) {
        if self.is_empty() {
            return;
        }
        qb.push(format!(
            " AND EXISTS (SELECT 1 FROM assessments qa WHERE {subject} \
             AND qa.kind = 'qf4sa' AND qa.withdrawn_at IS NULL"
        ));
        if let Some(state) = self.state {
            qb.push(" AND ")
                .push_bind(state.as_str())
                .push(" = ANY(qf4sa_flags(qa.state))");
        }
        for (dim, level) in &self.min {
            // PostgreSQL arrays count from 1.
            qb.push(format!(" AND qa.levels[{}] >= ", dim + 1))
                .push_bind(i16::from(*level));
        }
        qb.push(")");
    }
}

/// Reads one `qf4sa_min` value: `<dimension>:<level>`, such as `accuracy:3`.
pub fn parse_level(value: &str) -> Result<(usize, u8)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_read_as_search_reads_them() {
        let mut f = Qf4saFilter::default();
        f.add_min("accuracy:4, cost-effectiveness:2").unwrap();
        f.add_min("accuracy:3,Timeliness:5").unwrap();
        assert_eq!(f.min, [(1, 4), (4, 2), (3, 5)]);
        for bad in ["accuracy", "beauty:3", "accuracy:6", "accuracy:x"] {
            let e = Qf4saFilter::default().add_min(bad).unwrap_err();
            assert!(
                matches!(e, Error::Invalid(ref f) if f.field == "qf4sa_min"),
                "{bad}: {e}"
            );
        }
    }
}
