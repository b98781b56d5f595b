//! Web links: checked, then stored in their normalised form.

checked_string!(
    /// An absolute `http` or `https` URL.
    WebUrl,
    check_web_url,
    serde_json::json!({
        "type": "string",
        "format": "iri",
        "description": "Absolute http or https URL, without user name or password, at most \
                        2000 characters as written. It is stored in its normalised ASCII form \
                        (`/` for an empty path, internationalised names in punycode, other \
                        characters percent-encoded), which may be longer.",
        "pattern": "^https?://[^\\s\"'<>`\\\\/?#@]+([/?#][^\\s\"'<>`\\\\]*)?$"
    })
);

/// The longest URL a client may write, in characters.
const MAX_URL_CHARS: usize = 2000;

/// Characters no URL the hub stores may hold: they end a URL in text, HTML attributes
/// and Markdown, or hide another one (a backslash reads as `/` in http URLs).
const NOT_IN_URLS: &[char] = &['"', '\'', '<', '>', '`', '\\'];

/// Parses, checks and normalises a web URL: http or https, a host, no user name or
/// password, no spaces, quotes, angle brackets or backticks. The stored form is the
/// parsed one (scheme and host in lower case, `/` for an empty path).
fn check_web_url(value: String) -> Result<String, String> {
    // The limit is on what a client writes. The stored form may be longer (`/` added, an
    // internationalised name in punycode, other characters percent-encoded: at most twelve
    // characters for one) and must read back, so a URL already in that form passes up to
    // twelve times the limit.
    let written = value.chars().count();
    if written > 12 * MAX_URL_CHARS {
        return Err(format!("URL must be at most {MAX_URL_CHARS} characters"));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || NOT_IN_URLS.contains(c))
    {
        return Err(format!(
            "a URL must not contain spaces, quotes, `<`, `>`, backticks or backslashes (found {c:?})"
        ));
    }
    let url = match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        Ok(u) => {
            return Err(format!(
                "`{value}` must be an http or https URL, not {}",
                u.scheme()
            ));
        }
        Err(e) => return Err(format!("`{value}` is not a URL: {e}")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL must not carry a user name or password".into());
    }
    let normalised = url.to_string();
    if written > MAX_URL_CHARS && normalised != value {
        return Err(format!("URL must be at most {MAX_URL_CHARS} characters"));
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_limit_is_on_what_is_written_and_the_stored_form_reads_back() {
        let host = "a".repeat(63);
        let long = format!(
            "https://{}",
            [host.as_str(); 32].join(".").get(..1992).unwrap()
        );
        assert_eq!(long.chars().count(), 2000);
        let stored = WebUrl::parse(&long).unwrap();
        assert_eq!(stored.as_str().len(), 2001, "a `/` is added");
        assert_eq!(WebUrl::parse(stored.as_str()).unwrap(), stored);
        let too_long = format!("{long}b");
        assert!(WebUrl::parse(&too_long).is_err());
        // Non-ASCII text is stored percent-encoded, longer than written, and reads back.
        let wide = format!("https://x.org/{}", "é".repeat(1986));
        let stored = WebUrl::parse(&wide).unwrap();
        assert!(stored.as_str().len() > 10_000);
        assert_eq!(WebUrl::parse(stored.as_str()).unwrap(), stored);
    }

    #[test]
    fn urls_must_be_web_links() {
        assert!(WebUrl::parse("https://github.com/InseeFrLab/codif-ape").is_ok());
        assert!(WebUrl::parse("file:///etc/passwd").is_err());
        assert!(WebUrl::parse("javascript:alert(1)").is_err());
        assert!(WebUrl::parse("not a url").is_err());
        for bad in [
            "https://x.org/a b",
            "https://x.org/\"onmouseover=\"x",
            "https://x.org/'",
            "https://x.org/<script>",
            "https://x.org/`id`",
            "https://user:secret@x.org/",
            "https://token@x.org/",
            "https://x.org\\@evil.org/",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            WebUrl::parse("HTTPS://GitHub.COM").unwrap().as_str(),
            "https://github.com/"
        );
        assert_eq!(
            WebUrl::parse("https://x.org/a/../b?q=1#f")
                .unwrap()
                .as_str(),
            "https://x.org/b?q=1#f"
        );
    }
}
