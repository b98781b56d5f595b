//! Dates and numbers as each language writes them.
//!
//! English `1 December 2026`, `12,500`, `0.93`; French `1 décembre 2026`, `12 500` (with a
//! narrow no-break space), `0,93`; Spanish `1 de diciembre de 2026`, `12.500`, `0,93`
//! (four-digit numbers are not grouped in Spanish: `2500`).

use chrono::{DateTime, Datelike, Timelike, Utc};
use fluent_bundle::FluentValue;
use intl_memoizer::concurrent::IntlLangMemoizer;

use super::Lang;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn month(lang: Lang, t: DateTime<Utc>) -> &'static str {
    let i = t.month0() as usize;
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Fr => MONTHS_FR[i],
        Lang::Es => MONTHS_ES[i],
    }
}

/// A day, as people read it: `1 December 2026`, `1 décembre 2026`, `1 de diciembre de 2026`.
pub fn date(lang: Lang, t: DateTime<Utc>) -> String {
    let (d, m, y) = (t.day(), month(lang, t), t.year());
    match lang {
        Lang::En | Lang::Fr => format!("{d} {m} {y}"),
        Lang::Es => format!("{d} de {m} de {y}"),
    }
}

/// A moment, to the minute, in UTC: `1 Dec 2026, 14:05 UTC`, `1 déc. 2026, 14:05 UTC`.
pub fn moment(lang: Lang, t: DateTime<Utc>) -> String {
    let (d, y, h, min) = (t.day(), t.year(), t.hour(), t.minute());
    let m = month(lang, t);
    match lang {
        Lang::En => {
            let short: String = m.chars().take(3).collect();
            format!("{d} {short} {y}, {h:02}:{min:02} UTC")
        }
        Lang::Fr => {
            let short = short_fr(m);
            format!("{d} {short} {y}, {h:02}:{min:02} UTC")
        }
        Lang::Es => {
            let short: String = m.chars().take(3).collect();
            format!("{d} {short} {y}, {h:02}:{min:02} UTC")
        }
    }
}

/// French abbreviations of the month names, as the Imprimerie nationale writes them.
fn short_fr(m: &str) -> &str {
    match m {
        "janvier" => "janv.",
        "février" => "févr.",
        "avril" => "avr.",
        "juillet" => "juil.",
        "septembre" => "sept.",
        "octobre" => "oct.",
        "novembre" => "nov.",
        "décembre" => "déc.",
        other => other,
    }
}

/// The digit-group separator and decimal mark of a language, and the smallest number of
/// integer digits that is grouped.
fn marks(lang: Lang) -> (&'static str, char, usize) {
    match lang {
        Lang::En => (",", '.', 4),
        Lang::Fr => ("\u{202f}", ',', 4),
        Lang::Es => (".", ',', 5),
    }
}

fn group(lang: Lang, digits: &str) -> String {
    let (sep, _, min) = marks(lang);
    if digits.len() < min {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number: `12,500`, `12 500`, `12.500`.
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(lang, &digits))
}

/// A number with `places` decimals: `0.934`, `0,934`.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    localise(lang, &format!("{:.*}", places, x.abs()), x < 0.0)
}

/// A number with at most `places` decimals and no trailing zeros: `0.93`, `12`, `0,93`.
pub fn decimal_up_to(lang: Lang, x: f64, places: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", places, x.abs());
    let text = match text.split_once('.') {
        Some(_) => text.trim_end_matches('0').trim_end_matches('.'),
        None => &text,
    };
    localise(lang, text, x < 0.0)
}

/// `digits` (`1234.5`, no sign) written the language's way, signed when `negative` and
/// not zero.
fn localise(lang: Lang, digits: &str, negative: bool) -> String {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let sign = if negative && digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    let (_, mark, _) = marks(lang);
    if fraction.is_empty() {
        format!("{sign}{}", group(lang, whole))
    } else {
        format!("{sign}{}{mark}{fraction}", group(lang, whole))
    }
}

/// Numbers given to Fluent messages, written the language's way. Whole numbers are
/// grouped; others keep the digits they were given (at most six decimals).
fn fluent(lang: Lang, value: &FluentValue) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let x = n.value;
    if x.fract() == 0.0 && x.abs() < 9.0e15 && n.options.minimum_fraction_digits.is_none() {
        return Some(number(lang, x as i64));
    }
    let places = n
        .options
        .minimum_fraction_digits
        .or(n.options.maximum_fraction_digits)
        .unwrap_or_else(|| {
            let s = format!("{x}");
            s.split_once('.').map_or(0, |(_, f)| f.len().min(6))
        });
    Some(decimal(lang, x, places))
}

pub fn fluent_en(value: &FluentValue, _: &IntlLangMemoizer) -> Option<String> {
    fluent(Lang::En, value)
}

pub fn fluent_fr(value: &FluentValue, _: &IntlLangMemoizer) -> Option<String> {
    fluent(Lang::Fr, value)
}

pub fn fluent_es(value: &FluentValue, _: &IntlLangMemoizer) -> Option<String> {
    fluent(Lang::Es, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn first_of_december() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 5, 0).unwrap()
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let t = first_of_december();
        assert_eq!(date(Lang::En, t), "1 December 2026");
        assert_eq!(date(Lang::Fr, t), "1 décembre 2026");
        assert_eq!(date(Lang::Es, t), "1 de diciembre de 2026");
        assert_eq!(moment(Lang::En, t), "1 Dec 2026, 14:05 UTC");
        assert_eq!(moment(Lang::Fr, t), "1 déc. 2026, 14:05 UTC");
        assert_eq!(moment(Lang::Es, t), "1 dic 2026, 14:05 UTC");
    }

    #[test]
    fn numbers_are_grouped_and_marked_per_language() {
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Fr, 1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(number(Lang::Es, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::Es, 2_500), "2500");
        assert_eq!(number(Lang::En, 2_500), "2,500");
        assert_eq!(number(Lang::En, -999), "-999");
        assert_eq!(number(Lang::Fr, -10_000), "-10\u{202f}000");
        assert_eq!(decimal(Lang::En, 0.9346, 3), "0.935");
        assert_eq!(decimal(Lang::Fr, 0.9346, 3), "0,935");
        assert_eq!(decimal(Lang::Es, 12_345.5, 1), "12.345,5");
        assert_eq!(decimal(Lang::En, -0.0001, 2), "0.00");
        assert_eq!(decimal(Lang::En, 3.0, 0), "3");
    }
}
