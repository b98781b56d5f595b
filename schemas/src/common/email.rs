//! E-mail addresses, checked for shape only.

checked_string!(
    /// An e-mail address (checked for shape only: one `@`, a dotted domain, no spaces).
    Email,
    check_email,
    serde_json::json!({
        "type": "string",
        "format": "email",
        "maxLength": 254
    })
);

fn check_email(value: String) -> Result<String, String> {
    let bad = || format!("`{value}` is not an e-mail address");
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@') =>
        {
            Ok(value)
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(Email::parse("ana.lopez@inegi.org.mx").is_ok());
        for bad in ["ana", "ana@", "@inegi.org.mx", "ana@localhost", "a b@x.org"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
