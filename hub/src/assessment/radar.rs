//! The QF4SA levels as a radar chart: hand-written SVG, no script. The chart is an image
//! with a `<title>` and a `<desc>` that says every level in words, so a screen reader
//! gets the same information; pages also show the levels in a table.

use std::fmt::Write;

use agora_schemas::Level;
use agora_schemas::assessment::QF4SA_DIMENSIONS;

use super::form::{dimension_label, level_name};
use crate::i18n::Lang;

/// How large a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// With axis labels and level numbers (view and print pages).
    Full,
    /// A thumbnail without labels (lists).
    Mini,
}

/// Escapes text for SVG content and attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The point at `level` (0 to 5) on axis `i` of five, around (`c`, `c`) with radius `r`.
fn point(i: usize, level: f64, c: f64, r: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * 2.0 * std::f64::consts::PI / 5.0;
    let d = r * level / f64::from(Level::MAX);
    (c + d * angle.cos(), c + d * angle.sin())
}

fn polygon(levels: impl Iterator<Item = f64>, c: f64, r: f64) -> String {
    levels
        .enumerate()
        .map(|(i, l)| {
            let (x, y) = point(i, l, c, r);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The levels in words, for `<desc>`: "Explainability 3 of 5 (Adequate); ...".
pub fn describe(lang: Lang, levels: [u8; 5]) -> String {
    QF4SA_DIMENSIONS
        .iter()
        .zip(levels)
        .map(|((name, _), l)| {
            let level = Level::new(i64::from(l))
                .map(|level| level_name(lang, level))
                .unwrap_or_else(|_| lang.t("qf4sa-level-not-given"));
            lang.msg("qf4sa-radar-level")
                .arg("dimension", dimension_label(lang, name))
                .arg("level", l.to_string())
                .arg("name", level)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(&lang.t("qf4sa-radar-separator"))
}

/// A radar chart of five QF4SA levels (1 to 5, in the framework's order). `id` makes the
/// ids of `<title>` and `<desc>` unique on the page; `title` names what is charted. The
/// description and axis labels are in `lang`.
pub fn chart(lang: Lang, levels: [u8; 5], title: &str, id: &str, size: Size) -> String {
    let (width, height, c, r) = match size {
        Size::Full => (360.0, 320.0, 160.0, 110.0),
        Size::Mini => (72.0, 72.0, 36.0, 32.0),
    };
    let (dx, dy) = match size {
        Size::Full => (20.0, 0.0),
        Size::Mini => (0.0, 0.0),
    };
    let id = esc(id);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="radar radar-{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="{vx} {vy} {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        kind = if size == Size::Full { "full" } else { "mini" },
        vx = -dx,
        vy = -dy,
        title = esc(title),
        desc = esc(&describe(lang, levels)),
    );
    s.push_str(r##"<g class="grid" fill="none" stroke="#c3c9d2" stroke-width="1">"##);
    for ring in 1..=Level::MAX {
        let _ = write!(
            s,
            r#"<polygon points="{}"/>"#,
            polygon((0..5).map(|_| f64::from(ring)), c, r)
        );
    }
    for i in 0..5 {
        let (x, y) = point(i, f64::from(Level::MAX), c, r);
        let _ = write!(
            s,
            r#"<line x1="{c:.1}" y1="{c:.1}" x2="{x:.1}" y2="{y:.1}"/>"#
        );
    }
    s.push_str("</g>");
    let _ = write!(
        s,
        r##"<polygon class="levels" points="{}" fill="#0b5cad" fill-opacity="0.25" stroke="#0b5cad" stroke-width="2"/>"##,
        polygon(levels.iter().map(|l| f64::from(*l)), c, r)
    );
    if size == Size::Full {
        for (i, ((name, _), l)) in QF4SA_DIMENSIONS.iter().zip(levels).enumerate() {
            let (x, y) = point(i, f64::from(l), c, r);
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#0b5cad"/>"##
            );
            let (lx, ly) = point(i, 6.1, c, r);
            let anchor = if (lx - c).abs() < 1.0 {
                "middle"
            } else if lx < c {
                "end"
            } else {
                "start"
            };
            let _ = write!(
                s,
                r##"<text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" dominant-baseline="middle" font-size="13" fill="#1d2430">{} ({l})</text>"##,
                esc(&dimension_label(lang, name))
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_accessible_image_with_its_levels_in_words() {
        let svg = chart(Lang::En, [3, 4, 2, 5, 1], "Coder <v2>", "a1", Size::Full);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="a1-title a1-desc""#));
        assert!(svg.contains("<title id=\"a1-title\">Coder &lt;v2&gt;</title>"));
        assert!(svg.contains("Accuracy 4 of 5 (Good)"));
        assert!(svg.contains("Cost-effectiveness (1)"));
        assert!(!svg.contains("<script"));
        let mini = chart(Lang::En, [3, 4, 2, 5, 1], "x", "m", Size::Mini);
        assert!(!mini.contains("<text"));
        assert!(mini.contains("<desc"));
    }

    #[test]
    fn a_chart_speaks_the_page_language() {
        let fr = chart(Lang::Fr, [3, 4, 2, 5, 1], "x", "f", Size::Full);
        assert!(fr.contains("Explicabilité 3 sur 5 (Adéquat)\u{a0}; Précision 4 sur 5 (Bon)"));
        assert!(fr.contains("Rentabilité (1)"));
        let es = describe(Lang::Es, [3, 4, 2, 5, 0]);
        assert!(es.starts_with("Explicabilidad 3 de 5 (Adecuado); Precisión 4 de 5 (Bueno)"));
        assert!(es.ends_with("Rentabilidad 0 de 5 (sin indicar)"));
    }

    #[test]
    fn the_top_axis_reaches_the_level() {
        // Level 5 on the first axis is straight above the centre, at the full radius.
        let (x, y) = point(0, 5.0, 160.0, 110.0);
        assert!((x - 160.0).abs() < 1e-9 && (y - 50.0).abs() < 1e-9);
    }
}
