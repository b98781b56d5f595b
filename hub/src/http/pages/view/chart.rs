//! A leaderboard as an SVG heat map, models by organisations, written by hand: no script,
//! readable by screen readers (`<title>`, `<desc>`, a `<title>` per cell) and by people
//! printing it. A cell's shade is its value on the primary metric, on one scale for the
//! whole chart in the metric's direction, with a legend that gives the scale's ends; each
//! model's name links to its page.

use std::fmt::Write;

use agora_schemas::benchmark::{LeaderboardEntry, MetricDirection};

use crate::i18n::{self, Lang};

const LABEL_WIDTH: usize = 220;
const CELL_WIDTH: usize = 120;
const CELL_HEIGHT: usize = 34;
const HEADER_HEIGHT: usize = 44;
/// Room under the cells for the legend.
const LEGEND_HEIGHT: usize = 46;
const LIGHT: (u8, u8, u8) = (0xe8, 0xf0, 0xfa);
const DARK: (u8, u8, u8) = (0x1f, 0x4e, 0x96);

/// Escapes text for SVG (XML) content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Shortens a label to fit its column.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// A value as a cell shows it: up to four significant decimals.
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" || text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// A value as pages show it: up to four decimals, no trailing zeros, written the
/// language's way (`0.93`, `0,93`).
pub fn decimal(lang: Lang, value: f64) -> String {
    i18n::decimal_up_to(lang, value, 4)
}

/// Mixes two RGB colours, `t` in 0..=1.
fn mix(from: (u8, u8, u8), to: (u8, u8, u8), t: f64) -> String {
    let c = |a: u8, b: u8| {
        let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t.clamp(0.0, 1.0);
        v.round().clamp(0.0, 255.0) as u8
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        c(from.0, to.0),
        c(from.1, to.1),
        c(from.2, to.2)
    )
}

/// The heat map of `entries` (one per model and organisation, each with how many models
/// that organisation ranked). `models` and `organisations` give the rows and columns in
/// order. Its words are in `lang`.
pub fn heatmap(
    lang: Lang,
    metric: &str,
    direction: MetricDirection,
    models: &[String],
    organisations: &[String],
    entries: &[(LeaderboardEntry, usize)],
) -> String {
    let better = lang.t(match direction {
        MetricDirection::Maximize => "benchmark-better-higher",
        MetricDirection::Minimize => "benchmark-better-lower",
    });
    // Wide enough for the cells and for the legend's words beside its bar, in any language
    // (a generous 0.62 em per character of the 13-unit font).
    let legend_width = LABEL_WIDTH
        + LEGEND_BAR
        + 12
        + (better.chars().count() as f64 * 13.0 * 0.62).ceil() as usize
        + 8;
    let width = (LABEL_WIDTH + CELL_WIDTH * organisations.len().max(1)).max(legend_width);
    let cells_bottom = HEADER_HEIGHT + CELL_HEIGHT * models.len().max(1) + 8;
    let height = cells_bottom + LEGEND_HEIGHT;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="group" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="system-ui, sans-serif" font-size="13" fill="currentColor">"##
    );
    let title = lang.msg("benchmark-chart-title").arg("metric", metric);
    let desc = lang
        .msg("benchmark-chart-desc")
        .arg("models", models.len())
        .arg("organisations", organisations.len())
        .arg("better", &better);
    let _ = write!(
        svg,
        r#"<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>"#,
        escape(&title.to_string()),
        escape(&desc.to_string()),
    );
    for (c, org) in organisations.iter().enumerate() {
        let x = LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH / 2;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{}" text-anchor="middle" font-weight="600">{}</text>"#,
            HEADER_HEIGHT - 14,
            escape(&fit(org, 16))
        );
    }
    for (r, model) in models.iter().enumerate() {
        let y = HEADER_HEIGHT + r * CELL_HEIGHT;
        let _ = write!(
            svg,
            r#"<a href="/models/{}"><text x="{}" y="{}" text-anchor="end" fill="currentColor" text-decoration="underline">{}</text></a>"#,
            escape(model),
            LABEL_WIDTH - 10,
            y + CELL_HEIGHT / 2 + 4,
            escape(&fit(model, 30))
        );
    }
    // One scale for the whole chart: its worst and best values.
    let (lo, hi) = entries
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (e, _)| {
            (lo.min(e.value), hi.max(e.value))
        });
    let shade = |value: f64| {
        let spread = hi - lo;
        let mut t = if spread > 0.0 {
            (value - lo) / spread
        } else {
            1.0
        };
        if direction == MetricDirection::Minimize {
            t = 1.0 - t;
        }
        0.15 + 0.85 * t
    };
    for (c, org) in organisations.iter().enumerate() {
        let column: Vec<&(LeaderboardEntry, usize)> = entries
            .iter()
            .filter(|(e, _)| e.organisation.as_str() == org)
            .collect();
        for (r, model) in models.iter().enumerate() {
            let x = LABEL_WIDTH + c * CELL_WIDTH;
            let y = HEADER_HEIGHT + r * CELL_HEIGHT;
            let entry = column
                .iter()
                .find(|(e, _)| &format!("{}/{}", e.model.organisation, e.model.name) == model);
            match entry {
                Some((e, ranked)) => {
                    let t = shade(e.value);
                    let fill = mix(LIGHT, DARK, t);
                    let ink = if t > 0.55 { "#ffffff" } else { "#1b1b1b" };
                    let value = decimal(lang, e.value);
                    let cell = lang
                        .msg("benchmark-chart-cell")
                        .arg("model", model.as_str())
                        .arg("organisation", org.as_str())
                        .arg("metric", metric)
                        .arg("value", value.as_str())
                        .arg("rank", e.rank)
                        .arg("count", *ranked)
                        .arg("version", e.model.version.as_str())
                        .to_string();
                    let _ = write!(
                        svg,
                        r##"<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}" stroke="#ffffff" stroke-width="2"/><text x="{}" y="{}" text-anchor="middle" fill="{ink}"{}>{}</text></g>"##,
                        escape(&cell),
                        x + 1,
                        y + 1,
                        CELL_WIDTH - 2,
                        CELL_HEIGHT - 2,
                        x + CELL_WIDTH / 2,
                        y + CELL_HEIGHT / 2 + 4,
                        if e.rank == 1 {
                            r#" font-weight="700""#
                        } else {
                            ""
                        },
                        value,
                    );
                }
                None => {
                    let cell = lang
                        .msg("benchmark-chart-cell-empty")
                        .arg("model", model.as_str())
                        .arg("organisation", org.as_str())
                        .to_string();
                    let _ = write!(
                        svg,
                        r##"<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#f3f3f3" stroke="#ffffff" stroke-width="2"/><text x="{}" y="{}" text-anchor="middle" fill="#6b6b6b">—</text></g>"##,
                        escape(&cell),
                        x + 1,
                        y + 1,
                        CELL_WIDTH - 2,
                        CELL_HEIGHT - 2,
                        x + CELL_WIDTH / 2,
                        y + CELL_HEIGHT / 2 + 4,
                    );
                }
            }
        }
    }
    if lo.is_finite() {
        legend(&mut svg, lang, cells_bottom, direction, (lo, hi), &better);
    }
    svg.push_str("</svg>");
    svg
}

/// The length of the legend's bar.
const LEGEND_BAR: usize = 200;

/// The scale under the cells: a bar from the lightest shade to the darkest, the worst
/// value at its left end and the best at its right, and which way is better.
fn legend(
    svg: &mut String,
    lang: Lang,
    top: usize,
    direction: MetricDirection,
    (lo, hi): (f64, f64),
    better: &str,
) {
    let (worst, best) = match direction {
        MetricDirection::Maximize => (lo, hi),
        MetricDirection::Minimize => (hi, lo),
    };
    let (x, width, y) = (LABEL_WIDTH, LEGEND_BAR, top + 4);
    let _ = write!(
        svg,
        r##"<g class="legend"><defs><linearGradient id="chart-scale"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient></defs><rect x="{x}" y="{y}" width="{width}" height="12" rx="2" fill="url(#chart-scale)"/><text x="{x}" y="{}" fill="currentColor">{}</text><text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text><text x="{}" y="{}" fill="currentColor">{}</text></g>"##,
        mix(LIGHT, DARK, 0.15),
        mix(LIGHT, DARK, 1.0),
        y + 28,
        decimal(lang, worst),
        x + width,
        y + 28,
        decimal(lang, best),
        x + width + 12,
        y + 11,
        escape(better),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(model: &str, org: &str, value: f64, rank: u32) -> (LeaderboardEntry, usize) {
        let (mo, name) = model.split_once('/').unwrap();
        let entry = serde_json::from_value(serde_json::json!({
            "rank": rank, "model": {"organisation": mo, "name": name, "version": "1"},
            "organisation": org, "metric": "accuracy", "value": value,
            "dataset": format!("{org}-data"), "metrics": {}, "run_id": 1, "job_id": 1,
            "agent": "insee/a", "executor": "local", "recorded_at": "2026-12-01T00:00:00Z"
        }))
        .unwrap();
        // The organisation ranked more models than the chart shows.
        (entry, if org == "insee" { 2 } else { 5 })
    }

    #[test]
    fn the_chart_describes_itself_and_every_cell() {
        let models = vec![
            "insee/coder".to_string(),
            "scb/rival".to_string(),
            "scb/<script>".to_string(),
        ];
        let orgs = vec!["insee".to_string(), "scb".to_string()];
        let entries = [
            entry("insee/coder", "insee", 0.93, 1),
            entry("scb/rival", "insee", 0.81, 2),
            entry("insee/coder", "scb", 0.7, 1),
        ];
        let svg = heatmap(
            Lang::En,
            "accuracy",
            MetricDirection::Maximize,
            &models,
            &orgs,
            &entries,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="chart-title">Best accuracy"#));
        assert!(
            svg.contains("<desc id=\"chart-desc\">3 models by 2 organisations; higher is better")
        );
        // Six cells and the legend's bar.
        assert_eq!(svg.matches("<rect").count(), 7);
        assert!(svg.contains("insee/coder at insee: accuracy 0.93 (rank 1 of 2)"));
        // Counts are the organisation's, not the chart's: scb ranked five models.
        assert!(svg.contains("insee/coder at scb: accuracy 0.7 (rank 1 of 5)"));
        assert!(svg.contains("scb/&lt;script&gt; at scb: not evaluated"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains(r#"<a href="/models/insee/coder">"#));
        // One scale for the chart: the best value anywhere is the darkest, and the best at
        // scb (0.7, the worst of all) is the lightest, not as dark as insee's 0.93.
        assert!(svg.contains(&format!(r#"fill="{}""#, mix(LIGHT, DARK, 1.0))));
        assert!(svg.contains(&format!(r#"fill="{}""#, mix(LIGHT, DARK, 0.15))));
        assert!(
            svg.contains(">0.7</text><text") && svg.contains(">0.93</text>"),
            "{svg}"
        );
        assert!(svg.contains(">higher is better</text>"));
        let lower = heatmap(
            Lang::En,
            "latency",
            MetricDirection::Minimize,
            &models,
            &orgs,
            &entries,
        );
        // Lower is better: the legend runs from the highest value to the lowest.
        let legend = lower.split(r#"<g class="legend">"#).nth(1).unwrap();
        assert!(legend.find(">0.93<").unwrap() < legend.find(">0.7<").unwrap());
        let fr = heatmap(
            Lang::Fr,
            "accuracy",
            MetricDirection::Maximize,
            &models,
            &orgs,
            &entries,
        );
        assert!(fr.contains("3 modèles par 2 organisations"), "{fr}");
        assert!(fr.contains("(rang 1 sur 2)"), "{fr}");
        assert!(fr.contains(">0,93<"), "{fr}");
        assert!(!fr.contains('⟦'));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(0.93), "0.93");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(-0.00001), "0");
        assert_eq!(decimal(Lang::En, 0.93), "0.93");
        assert_eq!(decimal(Lang::Fr, 0.93), "0,93");
        assert_eq!(decimal(Lang::Es, 12.0), "12");
        assert_eq!(decimal(Lang::En, -0.00001), "0");
        assert_eq!(decimal(Lang::Fr, 0.123456), "0,1235");
    }

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(decimal(Lang::En, 0.915), "0.915");
        assert_eq!(decimal(Lang::En, 12.0), "12");
        assert_eq!(decimal(Lang::En, 0.123456), "0.1235");
        assert_eq!(decimal(Lang::Fr, 0.915), "0,915");
        assert_eq!(decimal(Lang::Es, 12.5), "12,5");
    }
}
