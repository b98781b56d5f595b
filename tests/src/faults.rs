//! The fault matrix: each fault test counts what was lost and what was duplicated, prints
//! one machine-readable line, `FAULT-MATRIX scenario=NAME lost=N duplicated=N`, and then
//! asserts both are zero. `fault-matrix` (a binary of this crate) runs the tests and prints
//! the table from those lines.

use std::collections::BTreeMap;

/// The prefix of a matrix line in a test's output.
pub const PREFIX: &str = "FAULT-MATRIX";

/// Counts, against what should be there exactly once, what is missing (`lost`) and the
/// copies beyond the first (`duplicated`).
pub fn lost_and_duplicated<T: Ord>(expected: &[T], seen: &[T]) -> (usize, usize) {
    let mut counts: BTreeMap<&T, usize> = BTreeMap::new();
    for item in seen {
        *counts.entry(item).or_default() += 1;
    }
    let lost = expected.iter().filter(|e| !counts.contains_key(e)).count();
    let duplicated = counts.values().map(|c| c - 1).sum();
    (lost, duplicated)
}

/// Prints the scenario's line, then asserts nothing was lost or duplicated.
pub fn report(scenario: &str, lost: usize, duplicated: usize) {
    println!("{PREFIX} scenario={scenario} lost={lost} duplicated={duplicated}");
    assert_eq!(lost, 0, "{scenario}: {lost} items lost");
    assert_eq!(duplicated, 0, "{scenario}: {duplicated} items duplicated");
}

/// Reads a matrix line: (scenario, lost, duplicated).
pub fn parse_line(line: &str) -> Option<(String, usize, usize)> {
    let rest = line.trim().strip_prefix(PREFIX)?;
    let mut scenario = None;
    let mut lost = None;
    let mut duplicated = None;
    for pair in rest.split_whitespace() {
        match pair.split_once('=')? {
            ("scenario", v) => scenario = Some(v.to_string()),
            ("lost", v) => lost = v.parse().ok(),
            ("duplicated", v) => duplicated = v.parse().ok(),
            _ => {}
        }
    }
    Some((scenario?, lost?, duplicated?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_items_are_lost_and_extra_copies_duplicated() {
        assert_eq!(lost_and_duplicated(&[1, 2, 3], &[1, 2, 3]), (0, 0));
        assert_eq!(lost_and_duplicated(&[1, 2, 3], &[1, 3, 3, 3]), (1, 2));
        assert_eq!(lost_and_duplicated::<u8>(&[], &[]), (0, 0));
    }

    #[test]
    fn matrix_lines_are_read_back() {
        assert_eq!(
            parse_line("FAULT-MATRIX scenario=hub-killed-mid-sync lost=0 duplicated=2"),
            Some(("hub-killed-mid-sync".into(), 0, 2))
        );
        assert_eq!(parse_line("test x ... ok"), None);
        assert_eq!(
            parse_line("FAULT-MATRIX scenario=x lost=a duplicated=0"),
            None
        );
    }
}
