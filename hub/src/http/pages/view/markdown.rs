//! Markdown written by people and agents (model cards, project summaries), turned into
//! HTML and sanitised: the text comes from other offices' repositories and registries, so
//! nothing in it may run in a reader's browser.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The level a text's top headings take: under the page's own `h1` and a section's `h2`.
const TOP: usize = 3;

/// The levels the text's headings take, in order: its highest heading becomes [`TOP`],
/// the others keep their distance from it, and none is more than one level below the
/// heading before it, so the page's outline has no gap whatever the text's own.
fn heading_levels(text: &str, options: Options) -> Vec<HeadingLevel> {
    let levels: Vec<usize> = Parser::new_ext(text, options)
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .collect();
    let highest = levels.iter().copied().min().unwrap_or(1);
    let mut previous = TOP - 1;
    levels
        .into_iter()
        .map(|level| {
            let wanted = (TOP + level - highest).min(previous + 1).min(6);
            previous = wanted;
            HeadingLevel::try_from(wanted).unwrap_or(HeadingLevel::H6)
        })
        .collect()
}

/// Safe HTML for a markdown text.
pub fn to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut levels = heading_levels(text, options).into_iter();
    let mut open = HeadingLevel::H6;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => {
            open = levels.next().unwrap_or(HeadingLevel::H6);
            Event::Start(Tag::Heading {
                level: open,
                id,
                classes,
                attrs,
            })
        }
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(open)),
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
    fn headings_keep_their_order_under_the_page_with_no_gap() {
        // A card copied from the Hub starts at `##` and skips from `##` to `####`.
        let html = to_html("## Model\n\n#### Details\n\n### Uses\n\n## Training\n");
        let levels: Vec<&str> = html
            .match_indices("<h")
            .map(|(i, _)| &html[i + 1..i + 3])
            .collect();
        assert_eq!(levels, ["h3", "h4", "h4", "h3"], "{html}");
        assert!(to_html("###### Deep\n").contains("<h3>Deep</h3>"));
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
