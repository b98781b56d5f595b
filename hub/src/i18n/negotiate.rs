//! Which language a request is answered in: the switcher's cookie, else the browser's
//! `Accept-Language` (by quality, then order), else English.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

use super::Lang;
use crate::cookies::read_cookie;

/// The cookie the language switcher sets.
pub const COOKIE: &str = "agora_lang";

/// The language of a request with these headers.
pub fn from_headers(headers: &HeaderMap) -> Lang {
    negotiate(
        read_cookie(headers, COOKIE),
        headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
    )
}

/// The language chosen with the switcher (`cookie`) or, failing that, the best-rated one of
/// `accept_language` that the hub speaks; English when neither names one.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie.and_then(Lang::from_code) {
        return lang;
    }
    let Some(header) = accept_language else {
        return Lang::default();
    };
    let mut best: Option<(f32, Lang)> = None;
    for range in header.split(',').take(32) {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q));
        let (Some(q), Some(lang)) = (q, Lang::from_code(tag)) else {
            continue;
        };
        // The first of equal quality wins, as the header lists them by preference.
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(negotiate(Some("es"), Some("fr-FR,fr;q=0.9")), Lang::Es);
        assert_eq!(negotiate(Some("xx"), Some("fr-FR,fr;q=0.9")), Lang::Fr);
    }

    #[test]
    fn the_best_rated_spoken_language_is_chosen() {
        assert_eq!(
            negotiate(None, Some("de-DE,de;q=0.9,es;q=0.8,fr;q=0.7")),
            Lang::Es
        );
        assert_eq!(negotiate(None, Some("en;q=0.5, fr-CA")), Lang::Fr);
        assert_eq!(negotiate(None, Some("fr;q=0.8, es;q=0.8")), Lang::Fr);
        assert_eq!(negotiate(None, Some("fr;q=0, es;q=0.1")), Lang::Es);
        assert_eq!(negotiate(None, Some("*")), Lang::En);
        assert_eq!(negotiate(None, Some("de, it")), Lang::En);
        assert_eq!(negotiate(None, Some("fr;q=abc, es;q=2")), Lang::En);
        assert_eq!(negotiate(None, None), Lang::En);
    }
}
