//! The languages of the pages and digests: English, French and Spanish.
//!
//! Messages live in Fluent catalogues, `hub/locales/<lang>/<area>.ftl`, compiled into the
//! binary; every language has the same keys (a test checks). Pages pick their language
//! from the `agora_lang` cookie that the language switcher sets, else from the browser's
//! `Accept-Language`, else English ([`negotiate`]). Digests use the language stored with
//! the account. The JSON API stays in English.
//!
//! A key missing from a catalogue renders as `⟦key⟧`, so that the test which renders every
//! page in every language can find it, and is logged.

mod catalogue;
pub mod events;
mod format;
mod negotiate;
#[cfg(test)]
mod parity;

use std::borrow::Cow;
use std::fmt;

use fluent_bundle::{FluentArgs, FluentValue};

pub use format::{date, decimal, decimal_up_to, moment, number};
pub use negotiate::{COOKIE, from_headers, negotiate};

/// A language of the pages and digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    /// The BCP 47 tag: `en`, `fr`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language named in its own words, as the switcher shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
        }
    }

    /// The language of a tag's primary subtag (`fr-CA` is French); `None` for others.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The message `key` without arguments.
    pub fn t(self, key: &str) -> String {
        catalogue::format(self, key, None)
    }

    /// The message `key`, or `None` when the catalogue has no such message (for labels
    /// looked up from data, which fall back to the data itself).
    pub fn find(self, key: &str) -> Option<String> {
        catalogue::find(self, key, None)
    }

    /// The message `key`, to be given arguments with [`Message::arg`].
    pub fn msg(self, key: &str) -> Message<'_> {
        Message {
            lang: self,
            key: Cow::Borrowed(key),
            args: FluentArgs::new(),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message with its arguments; shown through `Display`, so templates can write
/// `{{ layout.msg("results-count").arg("count", total) }}`.
pub struct Message<'a> {
    lang: Lang,
    key: Cow<'a, str>,
    args: FluentArgs<'a>,
}

impl<'a> Message<'a> {
    /// Adds an argument: a number (for plural forms and per-language digits) or text.
    pub fn arg(mut self, name: &'a str, value: impl Into<Arg<'a>>) -> Self {
        self.args.set(name, value.into().0);
        self
    }
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&catalogue::format(self.lang, &self.key, Some(&self.args)))
    }
}

impl From<Message<'_>> for String {
    fn from(m: Message<'_>) -> String {
        m.to_string()
    }
}

/// A value given to a message.
pub struct Arg<'a>(FluentValue<'a>);

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg(FluentValue::from(n))
            }
        }
        impl From<&$t> for Arg<'_> {
            fn from(n: &$t) -> Self {
                Arg(FluentValue::from(*n))
            }
        }
        impl From<&&$t> for Arg<'_> {
            fn from(n: &&$t) -> Self {
                Arg(FluentValue::from(**n))
            }
        }
    )*};
}
number_arg!(i32, i64, u16, u32, u64, usize, f64);

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg(FluentValue::from(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg(FluentValue::from(s.as_str()))
    }
}

impl<'a> From<&&'a String> for Arg<'a> {
    fn from(s: &&'a String) -> Self {
        Arg(FluentValue::from(s.as_str()))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg(FluentValue::from(s))
    }
}

impl<'a> From<&&'a str> for Arg<'a> {
    fn from(s: &&'a str) -> Self {
        Arg(FluentValue::from(*s))
    }
}

/// A whole number to be written out, from any integer type templates hold.
pub struct Whole(pub i64);

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl From<$t> for Whole {
            fn from(n: $t) -> Self {
                Whole(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Whole {
            fn from(n: &$t) -> Self {
                Whole::from(*n)
            }
        }
        impl From<&&$t> for Whole {
            fn from(n: &&$t) -> Self {
                Whole::from(**n)
            }
        }
    )*};
}
whole!(i32, i64, u32, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_their_primary_subtag() {
        assert_eq!(Lang::from_code("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("ES"), Some(Lang::Es));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(""), None);
    }

    #[test]
    fn messages_take_arguments_and_plural_forms() {
        assert_eq!(
            Lang::En.msg("count-items").arg("count", 1).to_string(),
            "1 item"
        );
        assert_eq!(
            Lang::En.msg("count-items").arg("count", 12_500).to_string(),
            "12,500 items"
        );
        assert_eq!(
            Lang::Fr.msg("count-items").arg("count", 12_500).to_string(),
            "12\u{202f}500 éléments"
        );
        assert_eq!(
            Lang::Fr.msg("count-items").arg("count", 1).to_string(),
            "1 élément"
        );
        assert_eq!(
            Lang::Es.msg("count-items").arg("count", 12_500).to_string(),
            "12.500 elementos"
        );
    }

    #[test]
    fn a_missing_key_shows_as_a_marker() {
        assert_eq!(Lang::Fr.t("no-such-key"), "⟦no-such-key⟧");
    }
}
