//! Codes from standard lists: ISO 639-1 languages, ISO 3166-1 countries and the
//! sub-processes of GSBPM 5.1.

use crate::codes::{GSBPM_SUBPROCESSES, ISO_639_1};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
