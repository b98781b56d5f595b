//! Markdown written by people and agents (model cards, project summaries), turned into
//! HTML and sanitised: the text comes from other offices' repositories and registries, so
//! nothing in it may run in a reader's browser.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Headings are pushed down this many levels: the text sits under the page's own
/// `h1` and a section's `h2`.
const DEMOTE: usize = 2;

fn demote(level: HeadingLevel) -> HeadingLevel {
    let n = (level as usize + DEMOTE).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// Safe HTML for a markdown text.
pub fn to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// The plain text of a markdown text's first paragraph, cut at a word within `max`
/// characters: for lists and descriptions, where markup has no place.
pub fn first_paragraph_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_))
                if !out.trim().is_empty() =>
            {
                break;
            }
            _ => {}
        }
    }
    let out = out.trim();
    if out.chars().count() <= max {
        return out.to_string();
    }
    // One character more: a word that ends exactly at `max` is kept whole.
    let cut: String = out.chars().take(max + 1).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_paragraph_is_plain_and_cut_at_a_word() {
        let md = "A **bold** pilot with `code`.\n\nSecond paragraph.";
        assert_eq!(first_paragraph_text(md, 100), "A bold pilot with code.");
        assert_eq!(first_paragraph_text(md, 12), "A bold pilot…");
        assert_eq!(first_paragraph_text("<script>x</script>", 50), "");
    }

    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = to_html("# Card\n\nSome **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h3>Card</h3>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<a href=\"https://example.org\" onclick=\"x()\">ok</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
