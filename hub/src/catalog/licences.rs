//! Licences as SPDX licence IRIs (`http://spdx.org/licenses/Apache-2.0`), the licence
//! documents DCAT-AP's `dct:license` points to, and as the names people read.

/// An SPDX licence: its identifier as SPDX spells it and its full name.
struct Entry {
    name: &'static str,
    full_name: &'static str,
}

/// The SPDX entry of a stored licence identifier, and whether it is written "or later"
/// (`gpl-3.0+`).
fn spdx_entry(stored: &str) -> Option<(Entry, bool)> {
    let find = |id: &str| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(id))
            .map(|l| Entry {
                name: l.name,
                full_name: l.full_name,
            })
    };
    find(stored).map(|l| (l, false)).or_else(|| {
        let base = stored.strip_suffix('+')?;
        find(base).map(|l| (l, true))
    })
}

/// The name of a stored licence identifier as SPDX spells it out ("Apache License 2.0");
/// `None` for an identifier SPDX does not list (the Hugging Face Hub's own, such as
/// `openrail`), which is shown as written.
pub fn licence_name(stored: &str) -> Option<String> {
    spdx_entry(stored).map(|(l, or_later)| {
        if or_later {
            format!("{} or later", l.full_name)
        } else {
            l.full_name.to_string()
        }
    })
}

/// The SPDX IRI of a stored licence identifier (lower case, as the hub keeps it); `None`
/// for `other`, which names no licence document.
pub fn spdx_iri(stored: &str) -> Option<String> {
    spdx_entry(stored).map(|(l, or_later)| {
        format!(
            "http://spdx.org/licenses/{}{}",
            l.name,
            if or_later { "+" } else { "" }
        )
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
        assert_eq!(
            spdx_iri("gpl-2.0+").as_deref(),
            Some("http://spdx.org/licenses/GPL-2.0+")
        );
    }

    #[test]
    fn licences_have_the_names_spdx_gives_them() {
        assert_eq!(
            licence_name("apache-2.0").as_deref(),
            Some("Apache License 2.0")
        );
        assert_eq!(
            licence_name("eupl-1.2").as_deref(),
            Some("European Union Public License 1.2")
        );
        assert_eq!(licence_name("openrail"), None);
    }
}
