//! BCP 47 language tags (RFC 5646, section 2.1): whether a tag is well-formed, and its
//! language, script and region in their canonical case.

/// The parts of a well-formed tag that facets and names use, in their canonical case.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Parsed {
    pub(super) language: String,
    pub(super) script: Option<String>,
    pub(super) region: Option<String>,
}

/// Parses a BCP 47 language tag (RFC 5646, section 2.1) for its well-formedness; the
/// subtags after the region (variants, extensions, private use) are checked for shape only.
pub(super) fn parse(tag: &str) -> Option<Parsed> {
    if tag.is_empty()
        || tag.len() > 100
        || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return None;
    }
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split('-').peekable();
    let language = parts.next()?.to_string();
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    // A tag made only of private use (`x-…`) names no language.
    if !(alpha(&language) && (2..=3).contains(&language.len())
        || alpha(&language) && (5..=8).contains(&language.len()))
    {
        return None;
    }
    // Up to three extended language subtags (`zh-yue`).
    let mut extlangs = 0;
    while let Some(p) = parts.peek() {
        if p.len() == 3 && alpha(p) && language.len() <= 3 && extlangs < 3 {
            parts.next();
            extlangs += 1;
        } else {
            break;
        }
    }
    let mut script = None;
    if let Some(p) = parts.peek()
        && p.len() == 4
        && alpha(p)
    {
        let mut s = p.to_string();
        s[..1].make_ascii_uppercase();
        script = Some(s);
        parts.next();
    }
    let mut region = None;
    if let Some(p) = parts.peek()
        && ((p.len() == 2 && alpha(p)) || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())))
    {
        region = Some(p.to_ascii_uppercase());
        parts.next();
    }
    let rest: Vec<&str> = parts.collect();
    let mut i = 0;
    // Variants: 5 to 8 characters, or a digit then 3 characters.
    while i < rest.len() {
        let p = rest[i];
        let variant =
            (5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        i += 1;
    }
    // Extensions (a singleton then subtags of 2 to 8) and private use (`x` then 1 to 8).
    while i < rest.len() {
        let singleton = rest[i];
        if singleton.len() != 1 {
            return None;
        }
        let private = singleton == "x";
        let min = if private { 1 } else { 2 };
        let start = i + 1;
        let mut j = start;
        while j < rest.len() && (min..=8).contains(&rest[j].len()) && (private || rest[j].len() > 1)
        {
            j += 1;
        }
        if j == start {
            return None;
        }
        if private {
            return (j == rest.len()).then_some(Parsed {
                language,
                script,
                region,
            });
        }
        i = j;
    }
    Some(Parsed {
        language,
        script,
        region,
    })
}
