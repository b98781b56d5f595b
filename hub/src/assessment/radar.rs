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

/// Font size of the axis labels, in SVG units.
const LABEL_SIZE: f64 = 13.0;
/// A generous average advance of a character of the page's sans-serif font, in ems: the
/// box a label is given is never smaller than the one it takes.
const CHAR_WIDTH: f64 = 0.62;
/// Room around the labels, in SVG units.
const MARGIN: f64 = 6.0;

/// An axis label: where it is anchored, how, and its text.
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    text: String,
}

impl Label {
    /// The box the label may take: (left, top, right, bottom).
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let width = self.text.chars().count() as f64 * LABEL_SIZE * CHAR_WIDTH;
        let left = match self.anchor {
            "end" => self.x - width,
            "middle" => self.x - width / 2.0,
            _ => self.x,
        };
        (
            left,
            self.y - LABEL_SIZE * 0.7,
            left + width,
            self.y + LABEL_SIZE * 0.7,
        )
    }
}

/// The axis labels of a full chart around (`c`, `c`) with radius `r`: each dimension's
/// name and `suffix(i)`.
fn labels(lang: Lang, c: f64, r: f64, suffix: impl Fn(usize) -> String) -> Vec<Label> {
    QF4SA_DIMENSIONS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let (x, y) = point(i, 6.1, c, r);
            let anchor = if (x - c).abs() < 1.0 {
                "middle"
            } else if x < c {
                "end"
            } else {
                "start"
            };
            Label {
                x,
                y,
                anchor,
                text: format!("{}{}", dimension_label(lang, name), suffix(i)),
            }
        })
        .collect()
}

/// The view box that holds the chart around (`c`, `c`) with radius `r` and every label:
/// (left, top, width, height).
fn view_box(labels: &[Label], c: f64, r: f64) -> (f64, f64, f64, f64) {
    let (mut left, mut top, mut right, mut bottom) =
        (c - r - 4.0, c - r - 4.0, c + r + 4.0, c + r + 4.0);
    for label in labels {
        let (l, t, rr, b) = label.bounds();
        left = left.min(l - MARGIN);
        top = top.min(t - MARGIN);
        right = right.max(rr + MARGIN);
        bottom = bottom.max(b + MARGIN);
    }
    (left, top, right - left, bottom - top)
}

/// The rings and spokes, in the page's colour.
fn grid(s: &mut String, c: f64, r: f64) {
    s.push_str(
        r#"<g class="grid" fill="none" stroke="currentColor" stroke-opacity="0.3" stroke-width="1">"#,
    );
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
}

fn write_labels(s: &mut String, labels: &[Label], bold: impl Fn(usize) -> bool) {
    for (i, label) in labels.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{}" dominant-baseline="middle" font-size="{LABEL_SIZE}"{} fill="currentColor">{}</text>"#,
            label.x,
            label.y,
            label.anchor,
            if bold(i) { r#" font-weight="700""# } else { "" },
            esc(&label.text)
        );
    }
}

/// A radar chart of five QF4SA levels (1 to 5, in the framework's order). `id` makes the
/// ids of `<title>` and `<desc>` unique on the page; `title` names what is charted. The
/// description and axis labels are in `lang`; the box is as wide as the labels need in
/// that language. Lines and text take the page's colour (`currentColor`), so the chart
/// reads in a dark colour scheme too.
pub fn chart(lang: Lang, levels: [u8; 5], title: &str, id: &str, size: Size) -> String {
    let (c, r) = match size {
        Size::Full => (160.0, 110.0),
        Size::Mini => (36.0, 32.0),
    };
    let labels = match size {
        Size::Full => labels(lang, c, r, |i| format!(" ({})", levels[i])),
        Size::Mini => Vec::new(),
    };
    let (left, top, width, height) = view_box(&labels, c, r);
    let id = esc(id);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="radar radar-{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="{left:.1} {top:.1} {width:.1} {height:.1}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        kind = if size == Size::Full { "full" } else { "mini" },
        title = esc(title),
        desc = esc(&describe(lang, levels)),
    );
    grid(&mut s, c, r);
    let _ = write!(
        s,
        r##"<polygon class="levels" points="{}" fill="#3d8bd9" fill-opacity="0.3" stroke="#3d8bd9" stroke-width="2"/>"##,
        polygon(levels.iter().map(|l| f64::from(*l)), c, r)
    );
    if size == Size::Full {
        for (i, l) in levels.iter().enumerate() {
            let (x, y) = point(i, f64::from(*l), c, r);
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#3d8bd9"/>"##
            );
        }
        write_labels(&mut s, &labels, |_| false);
    }
    s.push_str("</svg>");
    s
}

/// How one compared model is drawn: a colour that reads on light and dark pages alike,
/// and a dash pattern, so that the lines differ without colour too.
pub struct Pen {
    pub colour: &'static str,
    /// `stroke-dasharray`, empty for a solid line.
    pub dash: &'static str,
}

/// The pens of an overlay, in order; a seventh model takes the first pen again.
pub const PENS: [Pen; 6] = [
    Pen {
        colour: "#3d8bd9",
        dash: "",
    },
    Pen {
        colour: "#e07b28",
        dash: "7 4",
    },
    Pen {
        colour: "#2fa36b",
        dash: "2 4",
    },
    Pen {
        colour: "#c8508a",
        dash: "10 4 2 4",
    },
    Pen {
        colour: "#8f6fd6",
        dash: "4 2",
    },
    Pen {
        colour: "#a39200",
        dash: "1 3",
    },
];

/// The pen of the `i`-th compared model.
pub fn pen(i: usize) -> &'static Pen {
    &PENS[i % PENS.len()]
}

/// One model on an overlaid chart.
pub struct Series<'a> {
    pub name: &'a str,
    pub levels: [u8; 5],
}

/// The dimensions on which the series' levels are not all the same.
pub fn differing(series: &[Series]) -> [bool; 5] {
    let mut out = [false; 5];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = series.windows(2).any(|w| w[0].levels[i] != w[1].levels[i]);
    }
    out
}

/// Several models' QF4SA levels on one radar chart, each with its [`pen`]; the axis of
/// a dimension on which they differ is labelled in bold with a mark. The description
/// gives every model's levels in words.
pub fn overlay(lang: Lang, series: &[Series], title: &str, id: &str) -> String {
    let (c, r) = (160.0, 110.0);
    let differs = differing(series);
    let mark = lang.t("qf4sa-radar-differs-mark");
    let labels = labels(lang, c, r, |i| {
        if differs[i] {
            format!(" {mark}")
        } else {
            String::new()
        }
    });
    let (left, top, width, height) = view_box(&labels, c, r);
    let id = esc(id);
    let desc = series
        .iter()
        .map(|one| format!("{}: {}", one.name, describe(lang, one.levels)))
        .collect::<Vec<_>>()
        .join(" — ");
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="radar radar-full radar-overlay" xmlns="http://www.w3.org/2000/svg" viewBox="{left:.1} {top:.1} {width:.1} {height:.1}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        title = esc(title),
        desc = esc(&desc),
    );
    grid(&mut s, c, r);
    for (i, one) in series.iter().enumerate() {
        let pen = pen(i);
        let _ = write!(
            s,
            r#"<polygon class="levels" points="{}" fill="{}" fill-opacity="0.12" stroke="{}" stroke-width="2.5"{}/>"#,
            polygon(one.levels.iter().map(|l| f64::from(*l)), c, r),
            pen.colour,
            pen.colour,
            dash_attr(pen),
        );
    }
    write_labels(&mut s, &labels, |i| differs[i]);
    s.push_str("</svg>");
    s
}

fn dash_attr(pen: &Pen) -> String {
    if pen.dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{}""#, pen.dash)
    }
}

/// A short sample of a pen's line, for a legend.
pub fn swatch(i: usize) -> String {
    let pen = pen(i);
    format!(
        r#"<svg class="swatch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 12" width="36" height="12" aria-hidden="true"><line x1="1" y1="6" x2="35" y2="6" stroke="{}" stroke-width="3"{}/></svg>"#,
        pen.colour,
        dash_attr(pen)
    )
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
    fn the_box_holds_every_label_in_every_language() {
        for lang in [Lang::En, Lang::Fr, Lang::Es] {
            let svg = chart(lang, [3, 4, 2, 5, 1], "x", "b", Size::Full);
            let view: Vec<f64> = svg
                .split("viewBox=\"")
                .nth(1)
                .and_then(|v| v.split('"').next())
                .expect("a viewBox")
                .split(' ')
                .map(|n| n.parse().expect("a number"))
                .collect();
            let levels = [3, 4, 2, 5, 1];
            for label in labels(lang, 160.0, 110.0, |i| format!(" ({})", levels[i])) {
                let (l, t, r, b) = label.bounds();
                assert!(
                    l >= view[0] && t >= view[1],
                    "{}: {}",
                    lang.code(),
                    label.text
                );
                assert!(
                    r <= view[0] + view[2] && b <= view[1] + view[3],
                    "{}",
                    label.text
                );
            }
        }
    }

    #[test]
    fn the_top_axis_reaches_the_level() {
        // Level 5 on the first axis is straight above the centre, at the full radius.
        let (x, y) = point(0, 5.0, 160.0, 110.0);
        assert!((x - 160.0).abs() < 1e-9 && (y - 50.0).abs() < 1e-9);
    }

    #[test]
    fn an_overlay_draws_every_model_and_marks_where_they_differ() {
        let series = [
            Series {
                name: "Coder A",
                levels: [3, 4, 2, 5, 1],
            },
            Series {
                name: "Coder B",
                levels: [3, 2, 2, 4, 1],
            },
        ];
        assert_eq!(differing(&series), [false, true, false, true, false]);
        let svg = overlay(Lang::En, &series, "Two coders", "o");
        assert_eq!(svg.matches(r#"class="levels""#).count(), 2);
        assert!(svg.contains(r##"stroke="#3d8bd9""##) && svg.contains(r##"stroke="#e07b28""##));
        assert!(svg.contains(r#"stroke-dasharray="7 4""#));
        assert_eq!(svg.matches(r#"font-weight="700""#).count(), 2);
        assert!(svg.contains("Coder A: Explainability 3 of 5"));
        assert!(svg.contains("Coder B: Explainability 3 of 5"));
        assert_eq!(
            differing(&series[..1]),
            [false; 5],
            "one model differs from nothing"
        );
    }
}
