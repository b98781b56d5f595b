//! Slugs: the short identifiers of URLs and keys.

pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

checked_string!(
    /// A short identifier used in URLs: lower-case letters, digits and single hyphens,
    /// 2 to 64 characters, such as `insee` or `imf-ts-coding`.
    Slug,
    check_slug,
    serde_json::json!({
        "type": "string",
        "description": "Lower-case letters, digits and single hyphens, 2 to 64 characters.",
        "pattern": SLUG_PATTERN,
        "minLength": 2,
        "maxLength": 64,
        "examples": ["insee", "imf-ts-coding"]
    })
);

fn check_slug(value: String) -> Result<String, String> {
    let len = value.len();
    if !(2..=64).contains(&len) {
        return Err(format!("slug must be 2 to 64 characters, got {len}"));
    }
    let ok_chars = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok_chars || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        return Err(format!(
            "`{value}` is not a slug: use lower-case letters, digits and single hyphens"
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_kebab_case_only() {
        assert!(Slug::parse("imf-ts-coding").is_ok());
        for bad in [
            "I",
            "Insee",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "é",
            &"a".repeat(65),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn bad_values_fail_deserialisation_with_the_reason() {
        let err = serde_json::from_str::<Slug>("\"Not A Slug\"").unwrap_err();
        assert!(err.to_string().contains("is not a slug"), "{err}");
    }
}
