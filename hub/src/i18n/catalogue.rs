//! The compiled-in Fluent catalogues, one bundle per language.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use super::{Lang, format};

/// Each language's catalogue files, by area of the hub.
macro_rules! files {
    ($($area:literal),* $(,)?) => {
        /// The areas, in the order their files are loaded.
        #[cfg(test)]
        pub const AREAS: &[&str] = &[$($area),*];

        fn sources(lang: Lang) -> Vec<(&'static str, &'static str)> {
            match lang {
                Lang::En => vec![$(($area, include_str!(concat!("../../locales/en/", $area, ".ftl")))),*],
                Lang::Fr => vec![$(($area, include_str!(concat!("../../locales/fr/", $area, ".ftl")))),*],
                Lang::Es => vec![$(($area, include_str!(concat!("../../locales/es/", $area, ".ftl")))),*],
            }
        }
    };
}

files!(
    "common",
    "home",
    "projects",
    "models",
    "assessments",
    "account",
    "email",
);

/// A language's catalogue files, as `(area, text)`, for the parity tests.
#[cfg(test)]
pub fn files(lang: Lang) -> Vec<(&'static str, &'static str)> {
    sources(lang)
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> Bundle {
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Placeables are not wrapped in Unicode isolation marks: pages set `dir` and `lang`.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::En => format::fluent_en,
        Lang::Fr => format::fluent_fr,
        Lang::Es => format::fluent_es,
    }));
    for (area, text) in sources(lang) {
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, errors)| {
            tracing::error!(
                lang = lang.code(),
                area,
                ?errors,
                "a catalogue has syntax errors"
            );
            r
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                lang = lang.code(),
                area,
                ?errors,
                "a catalogue repeats keys"
            );
        }
    }
    bundle
}

static BUNDLES: LazyLock<[Bundle; 3]> =
    LazyLock::new(|| [bundle(Lang::En), bundle(Lang::Fr), bundle(Lang::Es)]);

fn of(lang: Lang) -> &'static Bundle {
    &BUNDLES[match lang {
        Lang::En => 0,
        Lang::Fr => 1,
        Lang::Es => 2,
    }]
}

/// Whether `lang`'s catalogue has the message `key` (with a value).
#[cfg(test)]
pub fn has(lang: Lang, key: &str) -> bool {
    find(lang, key, None).is_some()
}

/// The message `key` in `lang`, or `None` when the catalogue lacks it.
pub fn find(lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = of(lang);
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            lang = lang.code(),
            key,
            ?errors,
            "a message could not be formatted"
        );
    }
    Some(text.into_owned())
}

/// The message `key` in `lang`, or the marker `⟦key⟧` when the catalogue lacks it.
pub fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    find(lang, key, args).unwrap_or_else(|| {
        tracing::warn!(
            lang = lang.code(),
            key,
            "a message is missing from the catalogue"
        );
        format!("⟦{key}⟧")
    })
}
