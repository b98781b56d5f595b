//! Search requests as HTTP parameters: reading and checking them. The query text itself
//! is read by the engine's query language ([`parse`]).

pub use agora_search::query_language::{Parsed, parse};

use super::document::Kind;
use super::schema::FACETS;
use crate::error::{Error, Result};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// Largest page.
pub const MAX_PER_PAGE: u32 = 100;
/// Deepest result reachable by paging.
pub const MAX_DEPTH: u32 = 10_000;
/// How many times a facet parameter may be given...
pub const MAX_GIVEN: usize = 20;
/// ...how many values each may list, separated by commas...
pub const MAX_LISTED: usize = 20;
/// ...and how long each value may be, in characters.
pub const MAX_VALUE_CHARS: usize = 100;
const JOURNEY_STAGES: [&str; 5] = ["idea", "pilot", "validated", "production", "maintenance"];
const QF4SA_STATES: [&str; 3] = ["any", "submitted", "reviewed"];

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Updated,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Updated => "updated",
        }
    }

    /// The engine's order.
    pub fn order(self) -> agora_search::Order {
        match self {
            Sort::Relevance => agora_search::Order::Relevance,
            Sort::Updated => agora_search::Order::Updated,
        }
    }
}

/// A search: query text, facet filters (values of one facet are alternatives; facets
/// combine), order and page.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    /// Selected values per facet, in the order of [`FACETS`].
    pub filters: [Vec<String>; FACETS.len()],
    /// Lowest QF4SA levels asked for: (dimension index in the framework's order, level).
    /// An item passes when its current QF4SA assessment reaches every one.
    pub qf4sa_min: Vec<(usize, u8)>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

impl Default for SearchRequest {
    fn default() -> Self {
        Self {
            q: String::new(),
            filters: Default::default(),
            qf4sa_min: Vec::new(),
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

impl SearchRequest {
    /// Reads a query string. Facets may repeat (`kind=project&kind=model`) or list values
    /// separated by commas (bounded by [`MAX_GIVEN`], [`MAX_LISTED`] and
    /// [`MAX_VALUE_CHARS`]). Bad parameters are 422s naming them.
    pub fn from_query(query: &str) -> Result<Self> {
        let mut r = Self::default();
        let mut seen: Vec<String> = Vec::new();
        let mut given = [0; FACETS.len()];
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if name.is_empty() {
                // Found by `tests/fuzz_search_query.rs`: `?=x` was refused naming no field.
                return Err(Error::invalid(
                    "query",
                    "a parameter has no name: write `name=value`",
                ));
            }
            if let Some(i) = FACETS.iter().position(|(p, _)| *p == name) {
                given[i] += 1;
                if given[i] > MAX_GIVEN {
                    return Err(Error::invalid(
                        name,
                        format!("given at most {MAX_GIVEN} times"),
                    ));
                }
                // Lengths are of the values as sent, before trimming and lower-casing,
                // so that the API document can state them.
                let values: Vec<&str> = value.split(',').collect();
                if values.len() > MAX_LISTED {
                    return Err(Error::invalid(
                        name,
                        format!("at most {MAX_LISTED} values separated by commas"),
                    ));
                }
                for v in values {
                    if v.chars().count() > MAX_VALUE_CHARS {
                        return Err(Error::invalid(
                            name,
                            format!("values are at most {MAX_VALUE_CHARS} characters"),
                        ));
                    }
                    let v = v.trim().to_lowercase();
                    if !v.is_empty() && !r.filters[i].contains(&v) {
                        r.filters[i].push(v);
                    }
                }
                continue;
            }
            let value = value.trim();
            if name == "qf4sa_min" {
                for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    let (dim, level) = crate::db::qf4sa_filter::parse_level(v)?;
                    // Two floors for one dimension both hold: the higher one.
                    match r.qf4sa_min.iter_mut().find(|(d, _)| *d == dim) {
                        Some((_, floor)) => *floor = (*floor).max(level),
                        None => r.qf4sa_min.push((dim, level)),
                    }
                }
                continue;
            }
            if seen.iter().any(|s| *s == name) {
                return Err(Error::invalid(name, "given more than once"));
            }
            seen.push(name.to_string());
            match &*name {
                "q" => r.q = value.to_string(),
                "sort" => {
                    r.sort = match value {
                        "" | "relevance" => Sort::Relevance,
                        "updated" => Sort::Updated,
                        _ => {
                            return Err(Error::invalid("sort", "must be `relevance` or `updated`"));
                        }
                    }
                }
                "page" => r.page = number("page", value, 1)?,
                "per_page" => r.per_page = number("per_page", value, 20)?,
                other => return Err(Error::invalid(other, "unknown parameter")),
            }
        }
        r.validate()?;
        Ok(r)
    }

    pub fn validate(&self) -> Result<()> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "q",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        if !(1..=MAX_PER_PAGE).contains(&self.per_page) {
            return Err(Error::invalid(
                "per_page",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        // A bound on `page` alone, so that the API document can state it: with the most
        // results per page, the pages reach the deepest result served.
        if !(1..=MAX_DEPTH / MAX_PER_PAGE).contains(&self.page) {
            return Err(Error::invalid(
                "page",
                format!("must be between 1 and {}", MAX_DEPTH / MAX_PER_PAGE),
            ));
        }
        if let Some(bad) = self.filters[0].iter().find(|k| Kind::parse(k).is_none()) {
            return Err(Error::invalid(
                "kind",
                format!(
                    "`{bad}` is not one of project, model, workstream, organisation, assessment"
                ),
            ));
        }
        if let Some(bad) = self.filters[8]
            .iter()
            .find(|s| !QF4SA_STATES.contains(&s.as_str()))
        {
            return Err(Error::invalid(
                "has_qf4sa",
                format!("`{bad}` is not one of {}", QF4SA_STATES.join(", ")),
            ));
        }
        if let Some(bad) = self.filters[7]
            .iter()
            .find(|s| !JOURNEY_STAGES.contains(&s.as_str()))
        {
            return Err(Error::invalid(
                "stage",
                format!("`{bad}` is not one of {}", JOURNEY_STAGES.join(", ")),
            ));
        }
        Ok(())
    }

    /// The values selected for the facet named `name` (as in the API).
    pub fn selected(&self, name: &str) -> &[String] {
        FACETS
            .iter()
            .position(|(p, _)| *p == name)
            .map(|i| self.filters[i].as_slice())
            .unwrap_or(&[])
    }
}

fn number(name: &str, value: &str, default: u32) -> Result<u32> {
    if value.is_empty() {
        return Ok(default);
    }
    value
        .parse()
        .map_err(|_| Error::invalid(name, "must be a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        let r = SearchRequest::from_query("q=x&kind=project,model&kind=project&page=2").unwrap();
        assert_eq!(r.filters[0], ["project", "model"]);
        assert_eq!(r.page, 2);
        let field = |q: &str| match SearchRequest::from_query(q) {
            Err(Error::Invalid(f)) => f.field,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(field("per_page=101"), "per_page");
        assert_eq!(field(&format!("q={}", "a".repeat(300))), "q");
        assert_eq!(field("kind=dataset"), "kind");
        assert_eq!(field("sort=best"), "sort");
        assert_eq!(field("colour=red"), "colour");
        assert_eq!(field("page=0"), "page");
        assert_eq!(field("page=101&per_page=1"), "page");
        assert!(SearchRequest::from_query("page=100&per_page=100").is_ok());
        assert_eq!(field("q=a&q=b"), "q");
        // Regressions found by fuzzing: a parameter without a name.
        assert_eq!(field("="), "query");
        assert_eq!(field("q=x&=y"), "query");
        assert_eq!(field("has_qf4sa=yes"), "has_qf4sa");
        assert_eq!(field("qf4sa_min=accuracy"), "qf4sa_min");
        assert_eq!(field("qf4sa_min=beauty:3"), "qf4sa_min");
        assert_eq!(field("qf4sa_min=accuracy:6"), "qf4sa_min");
        // Two floors for one dimension both hold: the higher one is kept.
        let r = SearchRequest::from_query("qf4sa_min=accuracy:4&qf4sa_min=accuracy:3").unwrap();
        assert_eq!(r.qf4sa_min, [(1, 4)]);
        let r = SearchRequest::from_query(
            "has_qf4sa=reviewed&qf4sa_min=accuracy:3,cost-effectiveness:2&qf4sa_min=timeliness:5",
        )
        .unwrap();
        assert_eq!(r.filters[8], ["reviewed"]);
        assert_eq!(r.qf4sa_min, [(1, 3), (4, 2), (3, 5)]);
    }
}
