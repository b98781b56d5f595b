//! Licences as SPDX licence IRIs (`http://spdx.org/licenses/Apache-2.0`), the licence
//! documents DCAT-AP's `dct:license` points to.

/// The SPDX IRI of a stored licence identifier (lower case, as the hub keeps it); `None`
/// for `other`, which names no licence document.
pub fn spdx_iri(stored: &str) -> Option<String> {
    let (base, or_later) = match stored.strip_suffix('+') {
        Some(base) => (base, "+"),
        None => (stored, ""),
    };
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(stored))
        .map(|l| format!("http://spdx.org/licenses/{}", l.name))
        .or_else(|| {
            spdx::identifiers::LICENSES
                .iter()
                .find(|l| l.name.eq_ignore_ascii_case(base))
                .map(|l| format!("http://spdx.org/licenses/{}{or_later}", l.name))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_identifiers_get_their_canonical_spelling() {
        assert_eq!(
            spdx_iri("apache-2.0").as_deref(),
            Some("http://spdx.org/licenses/Apache-2.0")
        );
        assert_eq!(
            spdx_iri("eupl-1.2").as_deref(),
            Some("http://spdx.org/licenses/EUPL-1.2")
        );
        assert_eq!(
            spdx_iri("mit").as_deref(),
            Some("http://spdx.org/licenses/MIT")
        );
        assert_eq!(spdx_iri("other"), None);
    }
}
