//! The text Pagefind indexes for a page, made from the page's rendered body HTML in one pass,
//! in the form Pagefind's own HTML reader produces (its "digest"), so the index is built from
//! text without Pagefind parsing HTML.
//!
//! It follows Pagefind 1.6's reader (`fossick/parser.rs`): headings are wrapped in
//! `___PAGEFIND_AUTO_WEIGHT___N` … `___END_PAGEFIND_WEIGHT___` markers (h1 = 7 down to h6 = 2),
//! so words in headings rank above body words as they would on a crawled page; block elements
//! end with a full stop when their text does not already end in punctuation, so excerpts read
//! as sentences; inline elements join their text without a space; `<br>` is a space; elements
//! Pagefind leaves out (`script`, `style`, `form`, `nav`, `footer`, `svg`, …), elements marked
//! `data-pagefind-ignore` (the code-block tools) and the heading anchors (`#`) are left out;
//! character references are decoded.

/// Elements whose text runs on with their neighbours' (Pagefind's `INLINE_SELECTORS`).
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var", "mark", "s", "del",
    "ins", "u", "wbr",
];

/// Elements whose end closes a sentence (Pagefind's `SENTENCE_SELECTORS`).
const SENTENCE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];

/// Elements left out with everything inside them (Pagefind's `REMOVE_SELECTORS`).
const REMOVE: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The digest of `html` (a page body as the renderer writes it; any HTML is read without
/// failing, unknown or broken markup is read as text or skipped).
pub fn digest(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    // The element being left out: its name and how many of its kind are open inside it.
    let mut skipping: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let at = &rest[lt..];
        if let Some(comment) = at.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name: String = at[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let gt = at.find('>');
        let (Some(gt), false) = (gt, name.is_empty()) else {
            // `<` not opening a tag (`a < b` in raw HTML or a script): text; `<!DOCTYPE …>`:
            // nothing.
            if at.starts_with("<!")
                && let Some(gt) = gt
            {
                rest = &at[gt + 1..];
            } else {
                if skipping.is_none() {
                    out.push('<');
                }
                rest = &at[1..];
            }
            continue;
        };
        let tag = &at[1..gt];
        rest = &at[gt + 1..];
        let closing = tag.starts_with('/');
        let void = VOID.contains(&name.as_str()) || tag.ends_with('/');
        if let Some((skip, open)) = &mut skipping {
            if *skip == name && !void {
                if closing {
                    *open -= 1;
                } else {
                    *open += 1;
                }
                if *open == 0 {
                    skipping = None;
                }
            }
            continue;
        }
        if closing {
            close(&mut out, &name);
        } else if REMOVE.contains(&name.as_str())
            || tag.contains("data-pagefind-ignore")
            || (name == "a" && tag.contains("class=\"anchor\""))
        {
            if !void {
                skipping = Some((name, 1));
            }
        } else {
            open(&mut out, &name);
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    out
}

/// What the start of element `name` adds.
fn open(out: &mut String, name: &str) {
    if let Some(level) = heading_level(name) {
        out.push_str(&format!(" ___PAGEFIND_AUTO_WEIGHT___{} ", 8 - level));
    } else if name == "br" || !INLINE.contains(&name) {
        out.push(' ');
    }
}

/// What the end of element `name` adds.
fn close(out: &mut String, name: &str) {
    if SENTENCE.contains(&name) {
        if out
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(ends_sentence)
        {
            let keep = out.trim_end().len();
            out.truncate(keep);
            out.push('.');
        }
        out.push(' ');
        if heading_level(name).is_some() {
            out.push_str("___END_PAGEFIND_WEIGHT___ ");
        }
    } else if !INLINE.contains(&name) {
        out.push(' ');
    }
}

/// 1 to 6 for `h1` to `h6`.
fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// True for a last character after which Pagefind adds a full stop (its `[\w'"\)\$\*]`).
fn ends_sentence(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*')
}

/// Text between tags, its character references decoded.
fn push_text(out: &mut String, text: &str) {
    if text.contains('&') {
        out.push_str(&html_escape::decode_html_entities(text));
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::digest;

    fn words(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn blocks_end_sentences_and_inline_runs_on() {
        assert_eq!(
            words(&digest(
                "<p>Sentences should have periods</p><p>Unless one exists.</p><div>Or it ends with punctuation:</div><p>Inline <b>bol</b>d and n<i>o</i>t spaced<br>broken</p>"
            )),
            "Sentences should have periods. Unless one exists. Or it ends with punctuation: Inline bold and not spaced broken."
        );
    }

    #[test]
    fn headings_are_weighted_and_anchors_left_out() {
        let html = "<h1 id=\"t\">Title\u{a0}<a class=\"anchor\" href=\"#t\" aria-label=\"Link to this section\">#</a></h1>\n<h3 id=\"s\">Sub &amp; more</h3><p>x</p>";
        assert_eq!(
            words(&digest(html)),
            "___PAGEFIND_AUTO_WEIGHT___7 Title. ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_AUTO_WEIGHT___5 Sub & more. ___END_PAGEFIND_WEIGHT___ x."
        );
    }

    #[test]
    fn ignored_and_removed_elements_are_left_out() {
        let html = "<div class=\"code-block\"><pre><code class=\"language-rust\"><span class=\"boring\">fn main() {\n</span>let a = 1 &lt; 2;\n</code></pre><div class=\"code-tools\" data-pagefind-ignore=\"all\"><div>Show hidden lines</div><button>Copy</button></div></div><script>if (a < b) {}</script><form>no</form><!-- note --><p>after</p>";
        assert_eq!(words(&digest(html)), "fn main() { let a = 1 < 2; after.");
    }

    #[test]
    fn broken_markup_is_read_as_text() {
        assert_eq!(
            words(&digest("<p>a < b and c</p><p>open <")),
            "a < b and c. open <"
        );
    }
}
