//! Optional YAML front matter between `---` lines at the very top of a page (the Jekyll/Hugo/Zola
//! convention; GitHub shows it as a table, never as Markdown). This module is the program's one
//! user of the YAML crate ([serde_norway], the maintained fork of the archived serde_yaml): scope
//! sources and the retired-scope table read YAML through [`read_yaml`].
//!
//! Case `../shared/cases/19-front-matter-not-content`: a `# comment` inside front matter is YAML,
//! not a heading, and `[a, b]` is a YAML list, not a reference link.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The metadata a page may declare. Unknown keys are kept in `extra` for templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Overrides the page title taken from the first H1.
    pub title: Option<String>,
    /// Sort key in the sidebar when there is no SUMMARY.md (smaller first; then title).
    pub weight: Option<i64>,
    /// One-line summary, used as the page's meta description.
    pub description: Option<String>,
    /// Names of `[[scopes]]` sources that govern this guide's scope lists.
    pub scopes: Vec<String>,
    /// Leave the page out of the build (mdBook's draft idea, Zola's `draft`).
    pub draft: bool,
    /// Every other key, in the JSON data model (a value JSON cannot hold, such as a mapping
    /// with non-string keys, is left out).
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// [`FrontMatter`] as the YAML parser reads it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFrontMatter {
    title: Option<String>,
    weight: Option<i64>,
    description: Option<String>,
    scopes: Vec<String>,
    draft: bool,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_norway::Value>,
}

impl From<RawFrontMatter> for FrontMatter {
    fn from(raw: RawFrontMatter) -> FrontMatter {
        FrontMatter {
            title: raw.title,
            weight: raw.weight,
            description: raw.description,
            scopes: raw.scopes,
            draft: raw.draft,
            extra: raw
                .extra
                .into_iter()
                .filter_map(|(k, v)| Some((k, serde_json::to_value(v).ok()?)))
                .collect(),
        }
    }
}

/// Reads a YAML 1.2 document into `T` (for YAML scope sources, `T` is `serde_json::Value`:
/// the JSON data model).
///
/// Errors: the parser's message, which ends with the line and column where it stopped.
pub fn read_yaml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_norway::from_str(text).map_err(|e| e.to_string())
}

/// Where front matter sits in a file, once found.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line (the line after the opening `---`).
    pub yaml_line: usize,
    /// Byte offset where the Markdown body starts (after the closing fence's line).
    pub body_start: usize,
}

/// Finds a front-matter block: the file's first line is exactly `---`, and a later line is
/// exactly `---` or `...`. Returns `None` when the file has no such block (then it is all body).
pub fn split(text: &str) -> Option<Split<'_>> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_end = text_no_bom.find('\n')?;
    if text_no_bom[..first_end].trim_end_matches('\r') != "---" {
        return None;
    }
    let yaml_start = bom + first_end + 1;
    let mut pos = yaml_start;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map(|i| pos + i);
        let line = &text[pos..end.unwrap_or(text.len())];
        let l = line.trim_end_matches('\r');
        if l == "---" || l == "..." {
            return Some(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body_start: end.map(|e| e + 1).unwrap_or(text.len()),
            });
        }
        match end {
            Some(e) => pos = e + 1,
            None => break,
        }
    }
    None
}

/// Front matter that could not be read: the page is read without it (its body still starts
/// after the closing fence), and the `malformed-front-matter` rule reports this.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatterProblem {
    /// 1-based line in the page where the YAML parser stopped.
    pub line: usize,
    /// That line, as a byte span in the page's text.
    pub span: crate::source::Span,
    /// What is wrong, without the parser's own position (the line is in `line`).
    pub message: String,
}

/// Parses the YAML of a front-matter block. An empty block gives the default.
///
/// Errors: `(line, message)` with the 1-based line in the *page* (not in the YAML) where the
/// YAML parser stopped, so the caller can name file and line.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, (usize, String)> {
    if split.yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str::<RawFrontMatter>(split.yaml)
        .map(FrontMatter::from)
        .map_err(|e| {
            let line = e
                .location()
                .map(|l| l.line() + split.yaml_line - 1)
                .unwrap_or(split.yaml_line);
            let msg = e.to_string();
            // The parser appends " at line L column C"; our caller prints the page line instead.
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            (line, plain_message(msg))
        })
}

/// How [`parse`]'s message for a block that is not a mapping of keys starts.
const NOT_A_MAPPING: &str = "front matter must be a mapping of keys";

/// The parser's message for a document that is not a mapping names our internal type
/// ("invalid type: sequence, expected struct RawFrontMatter"); say what the reader must write.
fn plain_message(msg: String) -> String {
    match msg
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.strip_suffix(", expected struct RawFrontMatter"))
    {
        Some(found) => {
            let article = if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{NOT_A_MAPPING} (`title: …`), not {article} {found}")
        }
        None => msg,
    }
}

/// Reads the front matter of `text` (a page's full text): `(front matter, body start,
/// problem)`. Without a front-matter block the body starts at 0; with one that cannot be read,
/// the front matter is the default and the problem says where and why. A block whose YAML is
/// a plain value or a list rather than a mapping of keys is not front matter but Markdown (a
/// page that opens with a thematic break and has another further down, as mdBook reads it).
pub fn read(text: &str) -> (FrontMatter, usize, Option<FrontMatterProblem>) {
    let Some(split) = split(text) else {
        return (FrontMatter::default(), 0, None);
    };
    match parse(&split) {
        Ok(fm) => (fm, split.body_start, None),
        Err((_, message)) if message.starts_with(NOT_A_MAPPING) => {
            (FrontMatter::default(), 0, None)
        }
        Err((line, message)) => {
            let start = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum::<usize>()
                .min(text.len());
            let end = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i)
                .min(split.body_start.max(start));
            let problem = FrontMatterProblem {
                line,
                span: crate::source::Span::new(start, end),
                message,
            };
            (FrontMatter::default(), split.body_start, Some(problem))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_parses() {
        let text = "---\ntitle: Install\ntags: [setup, cli]\n# Internal notes\n---\n\n# Install\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.body_start..], "\n# Install\n");
        let fm = parse(&s).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Install"));
        assert!(fm.extra.contains_key("tags"));
    }

    #[test]
    fn no_front_matter() {
        assert!(split("# Title\n---\n").is_none());
        assert!(split("---\nunterminated: yes\n").is_none());
    }

    #[test]
    fn a_block_that_is_not_a_mapping_is_markdown() {
        let text = "---\n- hello:    world\n-         123\n---\n\n# something\n";
        assert_eq!(read(text), (FrontMatter::default(), 0, None));
        // mdBook: a thematic break, a heading, a paragraph and another break.
        let text = "---\n\n# Notes\n\nSome text\n\n---\n";
        assert_eq!(read(text), (FrontMatter::default(), 0, None));
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(
            err.1,
            "front matter must be a mapping of keys (`title: …`), not a string \"Some text\""
        );
    }

    #[test]
    fn a_block_that_cannot_be_read_is_a_problem_on_its_line() {
        let text = "---\ntitle: Step 1: Install\n---\n\n# Install\n";
        let (fm, body, problem) = read(text);
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(&text[body..], "\n# Install\n");
        let problem = problem.unwrap();
        assert_eq!(problem.line, 2);
        assert_eq!(
            &text[problem.span.start..problem.span.end],
            "title: Step 1: Install"
        );
        assert!(
            problem
                .message
                .starts_with("mapping values are not allowed")
        );
    }

    #[test]
    fn malformed_yaml_names_the_page_line() {
        let text = "---\ntitle: ok\nweight: [1\n---\nbody";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert!(err.0 >= 3, "line {}", err.0);
        let text = "---\ntitle: ok\nweight: heavy\n---\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(err.0, 3);
        assert!(err.1.contains("weight"), "{}", err.1);
    }
}
