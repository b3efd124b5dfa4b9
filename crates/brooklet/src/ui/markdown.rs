//! Markdown to safe HTML, on the server.
//!
//! pulldown-cmark does the rendering. Raw HTML in the source is escaped
//! (turned into text) unless the app opts in with `unsafe_allow_html`, and
//! links or images whose URL uses a script-capable scheme are neutralised.
//! This is all the sanitising Brooklet needs, because the only HTML in the
//! output is what pulldown-cmark itself writes, so we do without a general
//! HTML sanitiser (and its HTML parser) in the dependency tree.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

fn is_dangerous_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || (lower.starts_with("data:") && !lower.starts_with("data:image/"))
}

/// Render `source` to HTML. With `allow_html` false, raw HTML is shown as
/// text.
pub(crate) fn to_html(source: &str, allow_html: bool) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) if !allow_html => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_dangerous_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_dangerous_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(source.len() + source.len() / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_html("Hello, **Ada**!", false),
            "<p>Hello, <strong>Ada</strong>!</p>\n"
        );
    }

    #[test]
    fn escapes_raw_html_unless_allowed() {
        let escaped = to_html("<script>alert(1)</script> <b>x</b>", false);
        assert!(!escaped.contains("<script>"), "{escaped}");
        assert!(escaped.contains("&lt;script&gt;"), "{escaped}");
        let raw = to_html("<b>x</b>", true);
        assert!(raw.contains("<b>x</b>"), "{raw}");
    }

    #[test]
    fn neutralises_script_links() {
        let html = to_html("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2))", false);
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(to_html("[ok](https://example.com)", false).contains("https://example.com"));
    }
}
