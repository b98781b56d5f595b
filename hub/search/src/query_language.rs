//! The query language: words, "quoted phrases" and -exclusions. Parsing never fails:
//! anything that is not well-formed syntax is read as plain words.

/// The query text, read leniently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Words, any of which may match (see the plan's minimum should match).
    pub words: Vec<String>,
    /// "Quoted phrases", each of which must match.
    pub phrases: Vec<String>,
    /// -Excluded words: a document with any of them is left out.
    pub excluded: Vec<String>,
}

impl Parsed {
    /// Whether there is nothing to match (no words, no phrases).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

/// Splits a query into words, "phrases" and -exclusions. An unclosed quote is ignored.
pub fn parse(q: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut rest = q;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix('"') {
            if let Some(end) = after.find('"') {
                let phrase = after[..end].trim();
                if !phrase.is_empty() {
                    p.phrases.push(phrase.to_string());
                }
                rest = &after[end + 1..];
                continue;
            }
            rest = after;
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        match word.strip_prefix('-') {
            Some(ex) if ex.starts_with(char::is_alphanumeric) => p.excluded.push(ex.to_string()),
            _ => p.words.push(word.to_string()),
        }
    }
    if p.is_empty() {
        // A query of exclusions only means the words themselves.
        p.words = std::mem::take(&mut p.excluded);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let p = parse(r#"coding "occupation classification" -census fastText"#);
        assert_eq!(p.words, ["coding", "fastText"]);
        assert_eq!(p.phrases, ["occupation classification"]);
        assert_eq!(p.excluded, ["census"]);
    }

    #[test]
    fn malformed_syntax_reads_as_words() {
        let p = parse(r#""unclosed phrase AND (x OR -) --"#);
        assert_eq!(
            p.words,
            ["unclosed", "phrase", "AND", "(x", "OR", "-)", "--"]
        );
        assert!(p.phrases.is_empty());
        assert_eq!(parse("-census").words, ["census"]);
        assert!(parse("   ").is_empty());
    }
}
