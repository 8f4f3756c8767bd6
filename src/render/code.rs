//! Code blocks as HTML: the info string read as mdBook reads it, hidden lines of Rust blocks,
//! highlighting ([`super::highlight`]) and the block's tools (copy, show hidden lines).
//!
//! The info string is split at commas and white space: the first word is the language, the
//! rest are attributes (`rust,ignore,edition2021` → language `rust`, attributes `ignore` and
//! `edition2021`), written as classes beside `language-rust` as mdBook writes them.
//!
//! Hidden lines follow rustdoc and mdBook: in a Rust block, a line whose first non-blank text
//! is `# ` (hash, space) or a lone `#` is hidden, and shown without the `# `; `##` at that
//! place stands for a literal `#`. Hidden lines sit in `<span class="boring">`, hidden by CSS
//! and shown by the block's "Show hidden lines" checkbox, so reading code needs no
//! JavaScript. The copy button is written with `hidden` and revealed by `code.js`.

use super::escape;
use super::highlight;

/// A fenced block's info string, split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeInfo<'a> {
    /// The first word (`rust`), if any.
    pub language: Option<&'a str>,
    /// The other words (`ignore`, `edition2021`, `hidelines=!!`); words with quotes, parts of
    /// a `key="value"` the generator reads (Docusaurus' `showLineNumbers {1,3}`), are left out.
    pub attributes: Vec<&'a str>,
    /// The block's title: `title="jest.config.js"` (Docusaurus, Starlight's Expressive Code,
    /// VitePress), written above the code.
    pub title: Option<&'a str>,
}

/// Splits an info string as mdBook does: words separated by commas or white space, after a
/// `title="…"` (or `'…'`) is taken out.
pub fn parse_info(info: &str) -> CodeInfo<'_> {
    // `title="…"`: the text before it and after it are the words.
    let (title, before, after) = info
        .find("title=")
        .and_then(|at| {
            let value = &info[at + "title=".len()..];
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = value[1..].find(quote)?;
            Some((Some(&value[1..1 + end]), &info[..at], &value[2 + end..]))
        })
        .unwrap_or((None, info, ""));
    let mut words = before
        .split(|c: char| c == ',' || c.is_whitespace())
        .chain(after.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|w| !w.is_empty());
    CodeInfo {
        language: words.next(),
        attributes: words
            .filter(|w| !w.contains(['"', '\'', '{', '}']))
            .collect(),
        title: title.filter(|t| !t.is_empty()),
    }
}

/// One line of a code block: the text shown, and whether it is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line<'a> {
    text: std::borrow::Cow<'a, str>,
    hidden: bool,
}

/// Splits Rust code into lines, hidden ones marked, `# ` and `##` rewritten (rustdoc's rules).
fn rust_lines(code: &str) -> Vec<Line<'_>> {
    code.split_inclusive('\n')
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            let rest = &line[indent..];
            let body = rest.trim_end_matches(['\n', '\r']);
            if body == "#" {
                let text = format!("{}{}", &line[..indent], &rest[1..]);
                Line {
                    text: text.into(),
                    hidden: true,
                }
            } else if let Some(after) = rest.strip_prefix("# ") {
                Line {
                    text: format!("{}{after}", &line[..indent]).into(),
                    hidden: true,
                }
            } else if rest.starts_with("##") {
                Line {
                    text: format!("{}{}", &line[..indent], &rest[1..]).into(),
                    hidden: false,
                }
            } else {
                Line {
                    text: line.into(),
                    hidden: false,
                }
            }
        })
        .collect()
}

/// The HTML of one code block: `info` is the fenced block's info string (`None` for an
/// indented block), `code` its literal text.
pub fn render_block(info: Option<&str>, code: &str) -> String {
    let info = info.map(parse_info).unwrap_or_default();
    let language = info.language;
    let is_rust = language.is_some_and(|l| l.eq_ignore_ascii_case("rust"));
    let lines: Vec<Line<'_>> = if is_rust {
        rust_lines(code)
    } else {
        code.split_inclusive('\n')
            .map(|l| Line {
                text: l.into(),
                hidden: false,
            })
            .collect()
    };
    let any_hidden = lines.iter().any(|l| l.hidden);
    let shown: String = if any_hidden {
        lines.iter().map(|l| l.text.as_ref()).collect()
    } else {
        String::new()
    };
    let source = if any_hidden { shown.as_str() } else { code };
    let html_lines: Vec<String> = language
        .and_then(|l| highlight::highlight_lines(l, source))
        .filter(|h| h.len() == lines.len())
        .unwrap_or_else(|| lines.iter().map(|l| escape(&l.text)).collect());

    let mut classes = Vec::new();
    if let Some(l) = language {
        classes.push(format!("language-{l}"));
    }
    classes.extend(info.attributes.iter().map(|a| a.to_string()));
    let mut out = String::with_capacity(code.len() * 4 + 400);
    out.push_str("<div class=\"code-block\">");
    if let Some(title) = info.title {
        out.push_str(&format!(
            "<div class=\"code-title\">{}</div>",
            escape(title)
        ));
    }
    out.push_str("<pre><code");
    if !classes.is_empty() {
        out.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
    }
    out.push('>');
    for (line, html) in lines.iter().zip(&html_lines) {
        if line.hidden {
            out.push_str("<span class=\"boring\">");
            out.push_str(html);
            out.push_str("</span>");
        } else {
            out.push_str(html);
        }
    }
    out.push_str("</code></pre>");
    out.push_str("<div class=\"code-tools\" data-pagefind-ignore=\"all\">");
    if any_hidden {
        out.push_str(
            "<label class=\"code-toggle\"><input type=\"checkbox\" class=\"visually-hidden\">\
             <span class=\"when-hidden\">Show hidden lines</span>\
             <span class=\"when-shown\">Hide lines</span></label>",
        );
    }
    out.push_str(
        "<button type=\"button\" class=\"code-copy\" aria-label=\"Copy the code\" hidden>Copy</button>",
    );
    out.push_str("</div></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_split_like_mdbook() {
        assert_eq!(
            parse_info("rust,ignore,edition2021"),
            CodeInfo {
                language: Some("rust"),
                attributes: vec!["ignore", "edition2021"],
                title: None,
            }
        );
        assert_eq!(
            parse_info("rust ignore"),
            CodeInfo {
                language: Some("rust"),
                attributes: vec!["ignore"],
                title: None,
            }
        );
        assert_eq!(parse_info("  "), CodeInfo::default());
        assert_eq!(
            parse_info("js tab title=\"my jest.config.js\" showLineNumbers {1,3}"),
            CodeInfo {
                language: Some("js"),
                attributes: vec!["tab", "showLineNumbers"],
                title: Some("my jest.config.js"),
            }
        );
        let html = render_block(Some("ts title='a<b>.ts'"), "let x = 1;\n");
        assert!(
            html.contains("<div class=\"code-title\">a&lt;b&gt;.ts</div>"),
            "{html}"
        );
        assert!(html.contains("<code class=\"language-ts\">"), "{html}");
        let html = render_block(Some("rust,ignore,edition2021"), "let x = 1;\n");
        assert!(
            html.contains("<code class=\"language-rust ignore edition2021\">"),
            "{html}"
        );
    }

    #[test]
    fn hidden_lines_follow_rustdoc() {
        let code = "# use std::io;\n#\nfn main() {\n    # let hidden = 1;\n    ## not hidden\n    #[derive(Debug)]\n    #!inner\n}\n";
        let lines = rust_lines(code);
        let hidden: Vec<bool> = lines.iter().map(|l| l.hidden).collect();
        assert_eq!(
            hidden,
            vec![true, true, false, true, false, false, false, false]
        );
        assert_eq!(lines[0].text, "use std::io;\n");
        assert_eq!(lines[1].text, "\n");
        assert_eq!(lines[3].text, "    let hidden = 1;\n");
        assert_eq!(lines[4].text, "    # not hidden\n");
        let html = render_block(Some("rust"), code);
        assert_eq!(html.matches("<span class=\"boring\">").count(), 3);
        assert!(html.contains("Show hidden lines"));
        // Not Rust: `#` lines are shell comments and stay.
        let sh = render_block(Some("sh"), "# comment\necho hi\n");
        assert!(!sh.contains("boring") && sh.contains("comment"));
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        let html = render_block(Some("no-such-lang"), "a < b && c\n");
        assert!(
            html.contains("<code class=\"language-no-such-lang\">a &lt; b &amp;&amp; c\n</code>"),
            "{html}"
        );
        let html = render_block(None, "x\n");
        assert!(html.contains("<pre><code>x\n</code></pre>"), "{html}");
    }
}
