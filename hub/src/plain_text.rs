//! Markdown read as plain text: what search indexes and shows in snippets, so that a hit
//! reads "occupation coding", not "**occupation coding**".

use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// The words of a Markdown text without its markup: blocks on lines of their own, link
/// and image targets left out (their text kept), HTML tags dropped (their text kept).
pub fn of_markdown(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_left_out_and_words_kept() {
        let text = "## Model\n\nCodes **occupation coding** answers, see [the manual](https://x.org).\n\n\
                    - one\n- `two`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>raw</b>";
        assert_eq!(
            of_markdown(text),
            "Model\nCodes occupation coding answers, see the manual.\none\ntwo\na b \n1 2 \nraw"
        );
    }
}
