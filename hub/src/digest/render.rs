//! A digest as text: the subject, a plain-text body and an HTML body (inline styles, table
//! layout, explicit colours with a dark-mode override), from one pair of templates.

use askama::Template;
use chrono::Datelike;

use super::content::Content;
use super::period::Frequency;
use crate::error::{Error, Result};

/// A rendered digest.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where the links of a digest point.
pub struct Links {
    /// The hub's public address, without a trailing `/`.
    pub base: String,
    pub unsubscribe: String,
}

struct LineView {
    text: String,
    detail: Option<String>,
    url: Option<String>,
}

struct SectionView {
    title: &'static str,
    lines: Vec<LineView>,
    hidden: usize,
}

#[derive(Template)]
#[template(path = "digest/email.txt")]
struct TextBody<'a> {
    heading: &'a str,
    period_text: &'a str,
    sections: &'a [SectionView],
    workstream: &'a str,
    workstream_url: &'a str,
    frequency: &'a str,
    preferences_url: &'a str,
    unsubscribe_url: &'a str,
}

#[derive(Template)]
#[template(path = "digest/email.html")]
struct HtmlBody<'a> {
    subject: &'a str,
    heading: &'a str,
    period_text: &'a str,
    sections: &'a [SectionView],
    workstream: &'a str,
    workstream_url: &'a str,
    frequency: &'a str,
    preferences_url: &'a str,
    unsubscribe_url: &'a str,
}

/// `[WS4 Training data] 3 new models, 1 assessment — week 48`.
pub fn subject(content: &Content) -> String {
    let counts: Vec<String> = content.sections.iter().map(|s| s.count_phrase()).collect();
    format!(
        "[{} {}] {} — {}",
        content.workstream.code,
        content.workstream.title,
        counts.join(", "),
        content.period.title()
    )
}

fn period_text(content: &Content) -> String {
    let p = &content.period;
    let tz = p.time_zone.name();
    match p.frequency {
        Frequency::Daily => format!("{} ({tz})", p.first_day.format("%A %-d %B %Y")),
        Frequency::Weekly => {
            let last = p.first_day + chrono::Days::new(6);
            format!(
                "Week {} of {}: {} to {} ({tz})",
                p.first_day.iso_week().week(),
                p.first_day.iso_week().year(),
                p.first_day.format("%-d %B"),
                last.format("%-d %B %Y")
            )
        }
    }
}

pub fn render(content: &Content, links: &Links) -> Result<Rendered> {
    let subject = subject(content);
    let sections: Vec<SectionView> = content
        .sections
        .iter()
        .map(|s| SectionView {
            title: s.title,
            lines: s
                .shown()
                .iter()
                .map(|l| LineView {
                    text: l.text.clone(),
                    detail: l.detail.clone(),
                    url: l.link.as_ref().map(|p| format!("{}{p}", links.base)),
                })
                .collect(),
            hidden: s.hidden(),
        })
        .collect();
    let ws = &content.workstream;
    let heading = format!("{} {}", ws.code, ws.title);
    let period_text = period_text(content);
    let workstream_url = format!("{}/workstreams/{}", links.base, ws.slug);
    let preferences_url = format!("{}/account/digests", links.base);
    let frequency = content.period.frequency.as_str();
    let text = TextBody {
        heading: &heading,
        period_text: &period_text,
        sections: &sections,
        workstream: &heading,
        workstream_url: &workstream_url,
        frequency,
        preferences_url: &preferences_url,
        unsubscribe_url: &links.unsubscribe,
    }
    .render()
    .map_err(|e| Error::Internal(format!("digest text: {e}")))?;
    let html = HtmlBody {
        subject: &subject,
        heading: &heading,
        period_text: &period_text,
        sections: &sections,
        workstream: &heading,
        workstream_url: &workstream_url,
        frequency,
        preferences_url: &preferences_url,
        unsubscribe_url: &links.unsubscribe,
    }
    .render()
    .map_err(|e| Error::Internal(format!("digest HTML: {e}")))?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::content::{Line, Section, WorkstreamInfo};
    use crate::digest::period::Period;

    fn content() -> Content {
        let line = |t: &str| Line {
            text: t.into(),
            detail: None,
            link: Some("/projects/x".into()),
        };
        Content {
            workstream: WorkstreamInfo {
                id: 1,
                slug: "ws4".into(),
                code: "WS4".into(),
                title: "Training data".into(),
            },
            period: Period::parse("2026-W48", "Europe/Paris".parse().unwrap()).unwrap(),
            sections: vec![
                Section {
                    title: "New models",
                    noun: ("new model", "new models"),
                    lines: vec![line("a"), line("b"), line("<script>c</script>")],
                },
                Section {
                    title: "Assessments",
                    noun: ("assessment", "assessments"),
                    lines: vec![line("d")],
                },
            ],
        }
    }

    #[test]
    fn the_subject_counts_what_happened() {
        assert_eq!(
            subject(&content()),
            "[WS4 Training data] 3 new models, 1 assessment — week 48"
        );
    }

    #[test]
    fn both_bodies_carry_the_lines_and_html_is_escaped() {
        let links = Links {
            base: "https://agora.example.org".into(),
            unsubscribe: "https://agora.example.org/digests/unsubscribe?u=1&w=ws4&t=x".into(),
        };
        let r = render(&content(), &links).unwrap();
        assert!(r.text.contains("- <script>c</script>"));
        assert!(r.text.contains("https://agora.example.org/projects/x"));
        assert!(
            r.text
                .contains("Week 48 of 2026: 23 November to 29 November 2026 (Europe/Paris)")
        );
        assert!(
            r.html.contains("&#60;script&#62;c&#60;/script&#62;"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("color-scheme"));
        assert!(r.html.contains("u=1&#38;w=ws4&#38;t=x"));
    }
}
