//! The static assets pages use, each served under a name that carries a hash of its
//! content, so browsers may keep it for a year: a changed file gets a new address.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::app::AppState;

const CSS: &str = include_str!("../../../static/app.css");
const ICON: &str = include_str!("../../../static/favicon.svg");
const JS: &str = include_str!("../../../static/pages.js");

fn hashed(stem: &str, ext: &str, content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("/static/{stem}.{}.{ext}", hex::encode(&digest[..6]))
}

/// The stylesheet's address, named by its content.
pub static CSS_PATH: LazyLock<String> = LazyLock::new(|| hashed("app", "css", CSS));
/// The script's address, named by its content.
pub static JS_PATH: LazyLock<String> = LazyLock::new(|| hashed("pages", "js", JS));
/// The icon's address, named by its content.
pub static ICON_PATH: LazyLock<String> = LazyLock::new(|| hashed("favicon", "svg", ICON));

const FOREVER: &str = "public, max-age=31536000, immutable";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            CSS_PATH.as_str(),
            get(|| async {
                (
                    [
                        (CONTENT_TYPE, "text/css; charset=utf-8"),
                        (CACHE_CONTROL, FOREVER),
                    ],
                    CSS,
                )
            }),
        )
        .route(
            JS_PATH.as_str(),
            get(|| async {
                (
                    [
                        (CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (CACHE_CONTROL, FOREVER),
                    ],
                    JS,
                )
            }),
        )
        .route(
            ICON_PATH.as_str(),
            get(|| async {
                (
                    [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, FOREVER)],
                    ICON,
                )
            }),
        )
        // Unhashed names lead to the current files (for bookmarks and old references).
        .route(
            "/static/app.css",
            get(|| async { Redirect::to(CSS_PATH.as_str()) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { Redirect::to(ICON_PATH.as_str()).into_response() }),
        )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::CSS;

    /// The colour variables set in a block of the stylesheet (`--name: #rrggbb`).
    fn colours(block: &str) -> HashMap<String, String> {
        block
            .split(';')
            .filter_map(|decl| {
                let (name, value) = decl[decl.find("--")?..].split_once(':')?;
                let (name, value) = (name.trim(), value.trim());
                (name.starts_with("--") && value.starts_with('#') && value.len() == 7)
                    .then(|| (name.trim_start_matches("--").to_string(), value.to_string()))
            })
            .collect()
    }

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_colours_pass_wcag_aa_in_light_and_dark_schemes() {
        let light_block = CSS.split("@media").next().unwrap_or_default();
        let dark_block = CSS
            .split("@media (prefers-color-scheme: dark)")
            .nth(1)
            .and_then(|s| s.split("}\n}").next())
            .unwrap_or_default();
        for (scheme, block) in [("light", light_block), ("dark", dark_block)] {
            let c = colours(block);
            assert!(c.len() >= 15, "{scheme}: {c:?}");
            let texts = [
                "ink",
                "muted",
                "accent",
                "error",
                "ok",
                "warn",
                "stage-idea",
                "stage-pilot",
                "stage-validated",
                "stage-production",
                "stage-maintenance",
            ];
            let mut pairs: Vec<(&str, &str)> = texts
                .iter()
                .flat_map(|t| [(*t, "paper"), (*t, "wash")])
                .collect();
            pairs.extend([
                ("accent-ink", "accent"),
                ("ink", "notice"),
                ("ink", "error-wash"),
                ("ink", "mark"),
                ("error", "error-wash"),
            ]);
            for (fg, bg) in pairs {
                let ratio = contrast(&c[fg], &c[bg]);
                assert!(
                    ratio >= 4.5,
                    "{scheme}: {fg} on {bg} is {ratio:.2}:1, under 4.5:1"
                );
            }
        }
    }
}
