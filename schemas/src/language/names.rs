//! The names behind the codes: ISO 639 languages (by code, or by English name), ISO 15924
//! scripts, ISO 3166-1 regions and UN M.49 areas, and the Hub's special values.

use super::data::{BIBLIOGRAPHIC, LANGUAGES, LANGUAGES_FR_ES, REGIONS, REGIONS_FR_ES, SCRIPTS};

/// Values the Hub accepts in `language` that are not language codes, with the code that
/// stands for them in facets (ISO 639-2 `mul` for multilingual).
pub(super) const SPECIAL: &[(&str, Option<&str>, &str)] = &[
    ("multilingual", Some("mul"), "Multiple languages"),
    ("code", None, "Source code"),
];

/// UN M.49 area codes a BCP 47 tag may use as its region (`es-419`).
const AREAS: &[(&str, &str)] = &[
    ("001", "World"),
    ("002", "Africa"),
    ("005", "South America"),
    ("009", "Oceania"),
    ("013", "Central America"),
    ("019", "Americas"),
    ("021", "Northern America"),
    ("029", "Caribbean"),
    ("030", "Eastern Asia"),
    ("034", "Southern Asia"),
    ("035", "South-eastern Asia"),
    ("039", "Southern Europe"),
    ("142", "Asia"),
    ("143", "Central Asia"),
    ("145", "Western Asia"),
    ("150", "Europe"),
    ("151", "Eastern Europe"),
    ("154", "Northern Europe"),
    ("155", "Western Europe"),
    ("419", "Latin America and the Caribbean"),
];

/// The names of [`SPECIAL`]'s values in French and Spanish.
const SPECIAL_FR_ES: &[(&str, &str, &str)] = &[
    ("multilingual", "Plusieurs langues", "Varios idiomas"),
    ("code", "Code source", "Código fuente"),
];

/// A page language's column in the `_FR_ES` tables: 1 for French, 2 for Spanish; `None`
/// for English, whose names are in the main tables.
fn column(lang: &str) -> Option<usize> {
    match lang {
        "fr" => Some(1),
        "es" => Some(2),
        _ => None,
    }
}

fn pick(row: &(&'static str, &'static str, &'static str), column: usize) -> &'static str {
    if column == 1 { row.1 } else { row.2 }
}

/// The name of a special value in `lang`, given its English name.
pub(super) fn special_name(value: &str, english: &'static str, lang: &str) -> &'static str {
    column(lang)
        .and_then(|c| {
            SPECIAL_FR_ES
                .iter()
                .find(|row| row.0.eq_ignore_ascii_case(value))
                .map(|row| pick(row, c))
        })
        .unwrap_or(english)
}

/// The name of a language (by its three-letter code) in `lang`, given its English name.
pub(super) fn language_name(code: &str, english: &'static str, lang: &str) -> &'static str {
    column(lang)
        .and_then(|c| {
            LANGUAGES_FR_ES
                .binary_search_by(|row| row.0.cmp(code))
                .ok()
                .map(|at| pick(&LANGUAGES_FR_ES[at], c))
        })
        .unwrap_or(english)
}

pub(super) fn special(
    value: &str,
) -> Option<&'static (&'static str, Option<&'static str>, &'static str)> {
    SPECIAL
        .iter()
        .find(|(v, _, _)| v.eq_ignore_ascii_case(value))
}

/// A row of [`LANGUAGES`]: three-letter code, ISO 639-1 code or "", English name.
pub(super) type Entry = (&'static str, &'static str, &'static str);

/// The entry of a language written by its English name (`turkish`, `English`), as some
/// cards do although the Hub expects codes: only languages with an ISO 639-1 code, whose
/// names are the ones people write, and only a whole name.
pub(super) fn named(name: &str) -> Option<&'static Entry> {
    let name = name.trim();
    LANGUAGES
        .iter()
        .find(|(_, two, english)| !two.is_empty() && english.eq_ignore_ascii_case(name))
}

/// A primary language subtag's three-letter code and its table entry, if ISO 639 has it.
pub(super) fn lookup(language: &str) -> Option<(String, Option<&'static Entry>)> {
    match language.len() {
        2 => {
            let entry = LANGUAGES.iter().find(|(_, two, _)| *two == language)?;
            Some((entry.0.to_string(), Some(entry)))
        }
        3 => {
            let terminology = BIBLIOGRAPHIC
                .binary_search_by(|(b, _)| (*b).cmp(language))
                .map(|at| BIBLIOGRAPHIC[at].1)
                .unwrap_or(language);
            let entry = LANGUAGES
                .binary_search_by(|(code, _, _)| (*code).cmp(terminology))
                .ok()
                .map(|at| &LANGUAGES[at]);
            Some((terminology.to_string(), entry))
        }
        _ => None,
    }
}

pub(super) fn script_name(code: &str, lang: &str) -> String {
    match (code, lang) {
        ("Hans", "fr") => "simplifié".into(),
        ("Hant", "fr") => "traditionnel".into(),
        ("Hans", "es") => "simplificado".into(),
        ("Hant", "es") => "tradicional".into(),
        ("Hans", _) => "Simplified".into(),
        ("Hant", _) => "Traditional".into(),
        _ => SCRIPTS
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .map(|at| SCRIPTS[at].1.to_string())
            .unwrap_or_else(|_| code.to_string()),
    }
}

pub(super) fn region_name(code: &str, lang: &str) -> String {
    if let Some(c) = column(lang)
        && let Ok(at) = REGIONS_FR_ES.binary_search_by(|row| row.0.cmp(code))
    {
        return pick(&REGIONS_FR_ES[at], c).to_string();
    }
    REGIONS
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .map(|at| REGIONS[at].1)
        .or_else(|_| {
            AREAS
                .binary_search_by(|(c, _)| (*c).cmp(code))
                .map(|at| AREAS[at].1)
        })
        .map(str::to_string)
        .unwrap_or_else(|_| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(BIBLIOGRAPHIC.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(REGIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SCRIPTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(AREAS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LANGUAGES_FR_ES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(REGIONS_FR_ES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
