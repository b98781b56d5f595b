//! Licences as model cards write them: SPDX identifiers and the Hugging Face Hub's ids.

use crate::codes::HUB_LICENSES;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
