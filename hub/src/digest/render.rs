//! A digest as text: the subject, a plain-text body and an HTML body (inline styles, table
//! layout, explicit colours with a dark-mode override), from one pair of templates.

use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveTime};

use super::content::Content;
use super::period::{Frequency, Period};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};

/// A rendered digest, in its reader's language.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub lang: Lang,
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
    title: String,
    lines: Vec<LineView>,
    hidden: usize,
}

#[derive(Template)]
#[template(path = "digest/email.txt")]
struct TextBody<'a> {
    lang: Lang,
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
    lang: Lang,
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

/// `[WS4 Training data] 3 new models, 1 assessment — week 48`, in the content's language.
pub fn subject(content: &Content) -> String {
    let lang = content.lang;
    let counts: Vec<String> = content
        .sections
        .iter()
        .map(|s| s.count_phrase(lang))
        .collect();
    lang.msg("email-subject")
        .arg(
            "workstream",
            format!("{} {}", content.workstream.code, content.workstream.title),
        )
        .arg("counts", counts.join(", "))
        .arg("period", period_title(lang, &content.period))
        .to_string()
}

/// A local day as a date of the language: `30 November 2026`, `30 novembre 2026`.
fn day(lang: Lang, d: NaiveDate) -> String {
    i18n::date(lang, d.and_time(NaiveTime::MIN).and_utc())
}

/// A local day without its year: `23 November`, `23 novembre`, `23 de noviembre`.
fn day_and_month(lang: Lang, d: NaiveDate) -> String {
    let full = day(lang, d);
    let year = d.year().to_string();
    let without = full
        .strip_suffix(&year)
        .map(|s| s.trim_end())
        .unwrap_or(&full);
    match lang {
        Lang::Es => without.strip_suffix(" de").unwrap_or(without).to_string(),
        Lang::En | Lang::Fr => without.to_string(),
    }
}

/// How the subject names the period: `week 48` or `30 November 2026`.
fn period_title(lang: Lang, p: &Period) -> String {
    match p.frequency {
        Frequency::Daily => day(lang, p.first_day),
        Frequency::Weekly => lang
            .msg("email-period-week-short")
            .arg("week", p.first_day.iso_week().week().to_string())
            .to_string(),
    }
}

fn period_text(content: &Content) -> String {
    let lang = content.lang;
    let p = &content.period;
    let tz = p.time_zone.name();
    match p.frequency {
        Frequency::Daily => {
            let weekday = p.first_day.weekday().number_from_monday();
            lang.msg("email-period-day")
                .arg("weekday", lang.t(&format!("email-weekday-{weekday}")))
                .arg("date", day(lang, p.first_day))
                .arg("zone", tz)
                .to_string()
        }
        Frequency::Weekly => {
            let last = p.first_day + chrono::Days::new(6);
            // Years and week numbers go in as text: they are never grouped (`2026`).
            lang.msg("email-period-week")
                .arg("week", p.first_day.iso_week().week().to_string())
                .arg("year", p.first_day.iso_week().year().to_string())
                .arg("first", day_and_month(lang, p.first_day))
                .arg("last", day(lang, last))
                .arg("zone", tz)
                .to_string()
        }
    }
}

pub fn render(content: &Content, links: &Links) -> Result<Rendered> {
    let subject = subject(content);
    let sections: Vec<SectionView> = content
        .sections
        .iter()
        .map(|s| SectionView {
            title: s.title(content.lang),
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
    let lang = content.lang;
    let text = TextBody {
        lang,
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
        lang,
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
        lang,
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
            lang: Lang::En,
            workstream: WorkstreamInfo {
                id: 1,
                slug: "ws4".into(),
                code: "WS4".into(),
                title: "Training data".into(),
            },
            period: Period::parse("2026-W48", "Europe/Paris".parse().unwrap()).unwrap(),
            sections: vec![
                Section {
                    kind: "models",
                    lines: vec![line("a"), line("b"), line("<script>c</script>")],
                },
                Section {
                    kind: "assessments",
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

    fn in_lang(lang: Lang) -> Content {
        Content { lang, ..content() }
    }

    fn links() -> Links {
        Links {
            base: "https://agora.example.org".into(),
            unsubscribe: "https://agora.example.org/digests/unsubscribe?u=1&w=ws4&t=x".into(),
        }
    }

    #[test]
    fn french_and_spanish_digests_speak_their_language() {
        let fr = render(&in_lang(Lang::Fr), &links()).unwrap();
        assert_eq!(
            fr.subject,
            "[WS4 Training data] 3 nouveaux modèles, 1 évaluation — semaine 48"
        );
        assert!(
            fr.text.contains(
                "Semaine 48 de 2026\u{a0}: du 23 novembre au 29 novembre 2026 (Europe/Paris)"
            ),
            "{}",
            fr.text
        );
        assert!(fr.html.contains(r#"<html lang="fr">"#));
        assert!(
            fr.html.contains("Se désabonner de ce chantier"),
            "{}",
            fr.html
        );
        let es = render(&in_lang(Lang::Es), &links()).unwrap();
        assert_eq!(
            es.subject,
            "[WS4 Training data] 3 modelos nuevos, 1 evaluación — semana 48"
        );
        assert!(
            es.text
                .contains("Semana 48 de 2026: del 23 de noviembre al 29 de noviembre de 2026"),
            "{}",
            es.text
        );
        assert!(es.html.contains("Darse de baja de esta línea de trabajo"));
        for r in [&fr, &es] {
            for body in [&r.subject, &r.text, &r.html] {
                assert!(!body.contains('⟦') && !body.contains("{$"), "{body}");
            }
        }
    }

    #[test]
    fn a_daily_digest_names_its_day() {
        let mut c = in_lang(Lang::Fr);
        c.period = Period::parse("2026-11-30", "Europe/Paris".parse().unwrap()).unwrap();
        assert!(
            subject(&c).ends_with("— 30 novembre 2026"),
            "{}",
            subject(&c)
        );
        let r = render(&c, &links()).unwrap();
        assert!(
            r.text.contains("lundi 30 novembre 2026 (Europe/Paris)"),
            "{}",
            r.text
        );
        c.lang = Lang::En;
        let r = render(&c, &links()).unwrap();
        assert!(
            r.text.contains("Monday 30 November 2026 (Europe/Paris)"),
            "{}",
            r.text
        );
        assert!(subject(&c).ends_with("— 30 November 2026"));
    }
}
