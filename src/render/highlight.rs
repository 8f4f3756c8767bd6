//! Syntax highlighting at build time with syntect, the one module that knows it.
//!
//! Grammars are Sublime Text syntaxes: syntect's defaults plus the ones `bat` curates (TOML,
//! TypeScript, Dockerfile, …), through the `two-face` crate, with the Oniguruma regex engine.
//! Output is class-based (`<span class="hl-keyword hl-rust">`), so one page serves both colour
//! schemes: [`css`] holds a light theme (GitHub) and a dark one (One Half Dark), switched by
//! `prefers-color-scheme` or by `data-theme="light"`/`"dark"` on `<html>`.
//!
//! Every line is self-contained: the spans open at its start are reopened and closed at its
//! end, so the caller can wrap a line (a hidden `# ` line of a Rust block) in its own element.
//! The syntax set is loaded once per process ([`LazyLock`]) and shared by all render threads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxSet};

use super::escape;

/// Prefix of every highlighting class, so that theme rules touch nothing else of the page.
const PREFIX: &str = "hl-";

/// The grammars (with newlines kept at the end of each line, as the grammars expect).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Languages named in info strings that the grammars know by another token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("zsh", "bash"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("yml", "yaml"),
    ("dockerfile", "Dockerfile"),
    ("golang", "go"),
    ("c++", "cpp"),
    ("objc", "Objective-C"),
];

/// Languages that are plain text on purpose (no grammar is looked up).
/// `console` sessions mix prompts and program output, which a shell grammar would colour as
/// if it were script.
const PLAIN: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "console",
    "shell-session",
];

/// True when `language` (as written after the fence: `rust`, `sh`, `TOML`) has a grammar.
pub fn knows(language: &str) -> bool {
    find(language).is_some()
}

fn find(language: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
    let lower = language.to_ascii_lowercase();
    if lower.is_empty() || PLAIN.contains(&lower.as_str()) {
        return None;
    }
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(language, |(_, token)| token);
    SYNTAXES.find_syntax_by_token(token)
}

/// The lines of `code` in `language` as HTML, one string per line (each ends with the line's
/// `\n` when it had one), or `None` when no grammar knows the language or the grammar fails
/// on this text (the caller then shows it plain).
pub fn highlight_lines(language: &str, code: &str) -> Option<Vec<String>> {
    let syntax = find(language)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Vec::new();
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        for line in code.split_inclusive('\n') {
            let ops = state.parse_line(line, &SYNTAXES).ok()?;
            let mut html = String::with_capacity(line.len() * 3);
            for scope in stack.as_slice() {
                open(&mut html, *scope, &mut cache);
            }
            let mut at = 0;
            for (pos, op) in &ops {
                let pos = (*pos).min(line.len());
                if pos > at {
                    html.push_str(&escape_code(&line[at..pos]));
                    at = pos;
                }
                stack
                    .apply_with_hook(op, |basic, _| match basic {
                        BasicScopeStackOp::Push(scope) => open(&mut html, scope, &mut cache),
                        BasicScopeStackOp::Pop => html.push_str("</span>"),
                    })
                    .ok()?;
            }
            html.push_str(&escape_code(&line[at..]));
            // Close what is open, before the newline so that a line's element ends the line.
            let newline = html.ends_with('\n');
            if newline {
                html.pop();
            }
            for _ in stack.as_slice() {
                html.push_str("</span>");
            }
            if newline {
                html.push('\n');
            }
            out.push(html);
        }
        Some(out)
    })
}

/// Escapes code text; quotes need no escaping outside attributes.
fn escape_code(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['&', '<', '>']) {
        std::borrow::Cow::Owned(escape(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

thread_local! {
    /// Scope → its `<span class="…">` opening tag. Building a scope's name takes syntect's
    /// global scope-repository lock, which render threads would otherwise contend for.
    static CLASSES: RefCell<HashMap<Scope, String>> = RefCell::new(HashMap::new());
}

fn open(html: &mut String, scope: Scope, cache: &mut HashMap<Scope, String>) {
    let tag = cache.entry(scope).or_insert_with(|| {
        let classes: Vec<String> = scope
            .build_string()
            .split('.')
            .map(|atom| format!("{PREFIX}{atom}"))
            .collect();
        format!("<span class=\"{}\">", escape(&classes.join(" ")))
    });
    html.push_str(tag);
}

/// The stylesheet for highlighted code: the light theme by default, the dark theme under
/// `prefers-color-scheme: dark`, and either one forced by `data-theme` on `<html>`. Built once.
pub fn css() -> &'static str {
    static CSS: LazyLock<String> = LazyLock::new(|| {
        use two_face::theme::EmbeddedThemeName;
        let themes = two_face::theme::extra();
        let light = rules(themes.get(EmbeddedThemeName::Github));
        let dark = rules(themes.get(EmbeddedThemeName::OneHalfDark));
        let scoped = |rules: &[(String, String)], scope: &str| -> String {
            rules
                .iter()
                .map(|(selectors, body)| {
                    let selectors: Vec<String> = selectors
                        .split(',')
                        .map(|s| format!("{scope} {}", s.trim()))
                        .collect();
                    format!("{} {{{body}}}\n", selectors.join(", "))
                })
                .collect()
        };
        let mut css = String::from(
            "/* Highlighted code: generated by stepbook from the GitHub (light) and One Half Dark\n   (dark) themes; `data-theme` on <html> overrides the system setting. */\n",
        );
        css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
        css.push_str(&scoped(&light, ":root:not([data-theme=\"dark\"])"));
        css.push_str("}\n@media (prefers-color-scheme: dark) {\n");
        css.push_str(&scoped(&dark, ":root:not([data-theme=\"light\"])"));
        css.push_str("}\n");
        css.push_str(&scoped(&light, ":root[data-theme=\"light\"]"));
        css.push_str(&scoped(&dark, ":root[data-theme=\"dark\"]"));
        css
    });
    &CSS
}

/// The theme's rules as (selector list, declarations), without the block that colours the
/// whole `pre` (the site's own code background stays), and without background colours of
/// single tokens (they would clash with that background in the other scheme).
fn rules(theme: &Theme) -> Vec<(String, String)> {
    let css = css_for_theme_with_class_style(theme, ClassStyle::SpacedPrefixed { prefix: PREFIX })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut rest = css.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        let selectors = strip_comments(&rest[..open]).trim().to_string();
        let body: String = rest[open + 1..close]
            .lines()
            .map(str::trim)
            .filter(|d| !d.is_empty() && !d.starts_with("background"))
            .collect::<Vec<_>>()
            .join(" ");
        rest = &rest[close + 1..];
        if selectors.is_empty() || selectors == format!(".{PREFIX}code") || body.is_empty() {
            continue;
        }
        out.push((selectors, body));
    }
    out
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_line_by_line() {
        let lines = highlight_lines("rust", "fn main() {\n    let x = \"a<b\";\n}\n").unwrap();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].contains("hl-keyword") || lines[0].contains("hl-storage"));
        assert!(lines[1].contains("a&lt;b"), "{}", lines[1]);
        for line in &lines {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count()
            );
            assert!(line.ends_with("</span>\n"), "{line}");
        }
    }

    #[test]
    fn aliases_and_plain() {
        assert!(knows("rust") && knows("toml") && knows("sh") && knows("shell"));
        assert!(knows("TOML") && knows("json") && knows("ts"));
        assert!(!knows("text") && !knows("console") && !knows("") && !knows("no-such-language"));
    }

    #[test]
    fn css_has_both_schemes() {
        let css = css();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-comment"),
            "{css}"
        );
        assert!(!css.contains("hl-code"));
    }
}
