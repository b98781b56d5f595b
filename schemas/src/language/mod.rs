//! Language tags as model cards write them: BCP 47 tags (`pt-BR`, `zh-Hant`, `es-419`),
//! ISO 639-1, 639-2 and 639-3 codes, and the Hugging Face Hub's special values
//! (`multilingual`, `code`). A tag is kept as written; [`LanguageTag::facet`] gives the
//! language it counts under in facets (`pt-BR` counts under `pt`), and
//! [`LanguageTag::display_name`] the name people read ("Portuguese (Brazil)").

mod bcp47;
mod data;
mod names;

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use bcp47::parse;
use names::{
    SPECIAL, language_name, lookup, named, region_name, script_name, special, special_name,
};

/// A language as a card writes it. Any text is accepted and kept as written; whether it
/// is a well-formed, known tag is a question for [`LanguageTag::problem`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language it counts under in facets: the primary language subtag, as its ISO
    /// 639-1 code where one exists (`pt-BR` and `por` give `pt`), else its three-letter
    /// code; `mul` for `multilingual`. `None` for what names no language.
    /// A language written by its English name (`turkish`) counts under its code (`tr`).
    pub fn facet(&self) -> Option<String> {
        if let Some((_, facet, _)) = special(&self.0) {
            return facet.map(str::to_string);
        }
        let coded = parse(&self.0).and_then(|parsed| match lookup(&parsed.language)? {
            (_, Some((_, two, _))) if !two.is_empty() => Some(two.to_string()),
            (code, Some(_)) => Some(code),
            (_, None) => None,
        });
        coded.or_else(|| named(&self.0).map(|(_, two, _)| two.to_string()))
    }

    /// The name people read: "Portuguese (Brazil)", "Chinese (Traditional)", or the tag
    /// itself when it names no known language.
    pub fn display_name(&self) -> String {
        self.display_name_in("en")
    }

    /// The name people read in a page's language (`en`, `fr` or `es`): "Portugais
    /// (Brésil)", "Francés". Names the tables do not translate are given in English.
    pub fn display_name_in(&self, lang: &str) -> String {
        if let Some((value, _, name)) = special(&self.0) {
            return special_name(value, name, lang).to_string();
        }
        let by_name = || {
            named(&self.0).map_or_else(
                || self.0.clone(),
                |(code, _, n)| language_name(code, n, lang).to_string(),
            )
        };
        let Some(parsed) = parse(&self.0) else {
            return by_name();
        };
        let Some((code, Some((_, _, name)))) = lookup(&parsed.language) else {
            return by_name();
        };
        let name = language_name(&code, name, lang);
        let mut details: Vec<String> = Vec::new();
        if let Some(script) = &parsed.script {
            details.push(script_name(script, lang));
        }
        if let Some(region) = &parsed.region {
            details.push(region_name(region, lang));
        }
        if details.is_empty() {
            name.to_string()
        } else {
            format!("{name} ({})", details.join(", "))
        }
    }

    /// Why the tag cannot be used for a facet, if it cannot: not a well-formed BCP 47
    /// tag, or a well-formed one whose language is in no ISO 639 part.
    pub fn problem(&self) -> Option<String> {
        if special(&self.0).is_some() {
            return None;
        }
        let named = named(&self.0).map(|(_, two, _)| {
            format!(
                "`{}` is a language's English name, not a code (use `{two}`); kept as written, counted under `{two}`",
                self.0
            )
        });
        let Some(parsed) = parse(&self.0) else {
            return named.or(Some(format!(
                "`{}` is not a well-formed BCP 47 language tag (such as `pt-BR`) nor an ISO 639 code; kept as written, counted under no language",
                self.0
            )));
        };
        match lookup(&parsed.language) {
            Some((_, Some(_))) => None,
            // Private-use codes (`qaa`–`qtz`) are well-formed but name nothing shared.
            _ => named.or(Some(format!(
                "`{}` is not an ISO 639 language code; kept as written, counted under no language",
                parsed.language
            ))),
        }
    }
}

impl From<&str> for LanguageTag {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

impl AsRef<str> for LanguageTag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Deref for LanguageTag {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn tag_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "string",
        "description": "A BCP 47 language tag, an ISO 639-1, 639-2 or 639-3 code, or `multilingual`. Kept as written; a value that is not one is accepted with a warning.",
        "examples": ["fr", "pt-BR", "zh-Hant", "es-419", "fra", "multilingual"]
    })
}

impl JsonSchema for LanguageTag {
    fn schema_name() -> Cow<'static, str> {
        "LanguageTag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(tag_schema()).unwrap_or_default()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for LanguageTag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::from_json_schema(tag_schema())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for LanguageTag {}

/// The English name of a facet value ([`LanguageTag::facet`]), such as "Portuguese" for `pt`.
pub fn facet_name(facet: &str) -> Option<&'static str> {
    if let Some((_, _, name)) = SPECIAL.iter().find(|(_, f, _)| *f == Some(facet)) {
        return Some(name);
    }
    lookup(facet).and_then(|(_, e)| e).map(|(_, _, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LanguageTag {
        LanguageTag::new(s)
    }

    #[test]
    fn every_iso_639_1_code_has_a_name() {
        for code in crate::codes::ISO_639_1 {
            assert_eq!(tag(code).facet().as_deref(), Some(*code), "{code}");
            assert!(tag(code).problem().is_none(), "{code}");
            assert_ne!(tag(code).display_name(), *code, "{code}");
        }
    }

    #[test]
    fn regional_and_script_tags_count_under_their_language() {
        for (t, facet, name) in [
            ("pt-BR", "pt", "Portuguese (Brazil)"),
            ("zh-Hant", "zh", "Chinese (Traditional)"),
            ("zh-Hant-TW", "zh", "Chinese (Traditional, Taiwan)"),
            ("es-419", "es", "Spanish (Latin America and the Caribbean)"),
            ("sr-Latn-RS", "sr", "Serbian (Latin, Serbia)"),
            ("EN-gb", "en", "English (United Kingdom)"),
            ("fra", "fr", "French"),
            ("fre", "fr", "French"),
            ("por", "pt", "Portuguese"),
            ("gsw", "gsw", "Swiss German"),
            ("de-CH-1996", "de", "German (Switzerland)"),
            ("en-US-x-twain", "en", "English (United States)"),
            ("multilingual", "mul", "Multiple languages"),
            ("mul", "mul", "Multiple languages"),
        ] {
            assert_eq!(tag(t).facet().as_deref(), Some(facet), "{t}");
            assert_eq!(tag(t).display_name(), name, "{t}");
            assert_eq!(tag(t).problem(), None, "{t}");
        }
        assert_eq!(facet_name("pt"), Some("Portuguese"));
        assert_eq!(facet_name("mul"), Some("Multiple languages"));
    }

    #[test]
    fn malformed_or_unknown_tags_are_kept_with_a_problem() {
        for t in [
            "pt_BR",
            "englishman",
            "",
            "x-private",
            "en--us",
            "a",
            "zz",
            "qaa",
            "en-a",
            "fr-x",
        ] {
            assert!(tag(t).problem().is_some(), "{t} has no problem");
            assert_eq!(tag(t).facet(), None, "{t}");
        }
        assert_eq!(tag("pt_BR").display_name(), "pt_BR");
    }

    #[test]
    fn english_names_of_languages_count_under_their_code_with_a_problem() {
        for (t, code, name) in [
            ("turkish", "tr", "Turkish"),
            ("English", "en", "English"),
            ("FRENCH", "fr", "French"),
            (" dutch ", "nl", "Dutch"),
        ] {
            assert_eq!(tag(t).facet().as_deref(), Some(code), "{t}");
            assert_eq!(tag(t).display_name(), name, "{t}");
            let problem = tag(t).problem().unwrap_or_default();
            assert!(problem.contains(&format!("`{code}`")), "{t}: {problem}");
        }
        // A code is read as a code even when it spells a name too.
        assert_eq!(tag("lao").facet().as_deref(), Some("lo"));
        assert!(tag("lao").problem().is_none());
        assert!(tag("code").problem().is_none());
        assert_eq!(tag("code").facet(), None);
    }

    #[test]
    fn names_read_in_the_page_language() {
        for (t, fr, es) in [
            ("fr", "Français", "Francés"),
            ("spa", "Espagnol", "Español"),
            ("pt-BR", "Portugais (Brésil)", "Portugués (Brasil)"),
            ("es-MX", "Espagnol (Mexique)", "Español (México)"),
            ("zh-Hant", "Chinois (traditionnel)", "Chino (tradicional)"),
            ("el", "Grec", "Griego"),
            ("multilingual", "Plusieurs langues", "Varios idiomas"),
            ("German", "Allemand", "Alemán"),
        ] {
            assert_eq!(tag(t).display_name_in("fr"), fr, "{t}");
            assert_eq!(tag(t).display_name_in("es"), es, "{t}");
        }
        assert_eq!(tag("pt-BR").display_name_in("en"), "Portuguese (Brazil)");
        // A language with no two-letter code keeps its English name.
        assert_eq!(tag("nah").display_name_in("fr"), tag("nah").display_name());
        assert_eq!(tag("qaa").display_name_in("es"), "qaa");
    }
}
