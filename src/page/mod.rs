//! The page model: everything stepbook knows about one Markdown file after its single parse.
//!
//! [`parse::parse_page`] reads a file once with pulldown-cmark (with source offsets) and fills a
//! [`Page`]. The renderer replays [`Page::events`]; every check reads the other fields. Nothing
//! downstream parses Markdown again. Every item keeps its byte [`Span`] in the file's full text
//! (front matter included), so diagnostics point at the exact place.

pub mod cache;
pub mod directives;
pub mod facts;
pub mod front_matter;
pub mod html;
pub mod include;
pub mod mdx;
pub mod mkdocs_blocks;
pub mod mkdocs_lists;
pub mod parse;
pub mod slug;
pub mod source_map;
pub mod summary;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use pulldown_cmark::Event;
use serde::{Deserialize, Serialize};

pub use facts::{Facts, Head, PageFacts, PageRef};
pub use front_matter::{FrontMatter, FrontMatterProblem};
pub use parse::{ParseOptions, parse_page};

use crate::source::Span;

/// One Markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to the content root, `/`-separated (`guides/CREDENTIALS.md`): the page's
    /// address in the site, before `.md` becomes `.html`.
    pub rel: String,
    /// Path relative to the checked root (the project folder), `/`-separated; what diagnostics
    /// print (`content/CREDENTIALS.md`).
    pub file: String,
    /// The file's full text.
    pub source: Arc<str>,
    /// Byte offset where the Markdown body starts (0, or just after the front matter).
    pub body_start: usize,
    /// The parsed front matter (default when there is none, or when it cannot be read).
    pub front_matter: FrontMatter,
    /// Why the front matter could not be read, when it could not (the
    /// `malformed-front-matter` rule; a build stops on it, see [`Page::front_matter_error`]).
    pub front_matter_problem: Option<FrontMatterProblem>,
    /// Title: front matter `title`, else the first H1's text, else the file stem.
    pub title: String,
    /// Every heading, in document order.
    pub headings: Vec<Heading>,
    /// Every link: Markdown (inline, reference, autolink) and `<a href>` in raw HTML.
    pub links: Vec<Link>,
    /// Every image: Markdown `![]()` and `<img src>` in raw HTML.
    pub images: Vec<Image>,
    /// Fenced and indented code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// Anchors defined in raw HTML: `id="…"` on any element and `name="…"` on `<a>`.
    pub html_ids: Vec<HtmlId>,
    /// Step headings (`## Step 3: …`), in document order.
    pub steps: Vec<Step>,
    /// "Step N" mentions in prose (never in code).
    pub step_refs: Vec<StepRef>,
    /// Every list (nested ones too), in order of their start.
    pub lists: Vec<List>,
    /// GFM tables.
    pub tables: Vec<Table>,
    /// Paragraphs, with their prose and inline code.
    pub paragraphs: Vec<Paragraph>,
    /// The top-level blocks in order: the outline that list-restart and sections read.
    pub blocks: Vec<Block>,
    /// `[text][label]` and `[label][]` with no `[label]:` definition.
    pub undefined_refs: Vec<UndefinedRef>,
    /// `<!-- stepbook-ignore RULE: reason -->` comments.
    pub suppressions: Vec<Suppression>,
    /// Comments meant as stepbook-ignore that cannot be read; they silence nothing.
    pub malformed_suppressions: Vec<MalformedSuppression>,
    /// Every anchor of the page: heading ids and HTML `id`/`name` values (see
    /// [`Page::has_anchor`]).
    pub anchors: rustc_hash::FxHashSet<String>,
    /// The pulldown-cmark event stream with source ranges (relative to the file's full text),
    /// for the renderer.
    pub events: Vec<(Event<'static>, Range<usize>)>,
    /// When the page holds mdBook directives ([`include`]): where each byte of
    /// [`Page::source`] (the expanded text, which every span above points into) came from, and
    /// the original texts. `None` when `source` is the file as read.
    pub source_map: Option<Arc<source_map::SourceMap>>,
    /// Directives that could not be expanded as written (the `broken-include` rule).
    pub include_problems: Vec<include::IncludeProblem>,
}

impl Page {
    /// The file's text as read: [`Page::source`] before mdBook's directives were expanded.
    pub fn original_text(&self) -> &str {
        self.source_map
            .as_ref()
            .and_then(|m| m.files().first())
            .map_or(&*self.source, |f| &*f.text)
    }

    /// The page's malformed front matter as an error naming the file and line
    /// ([`crate::error::Error::FrontMatter`]), for a build, which does not publish a page whose
    /// metadata (title, `draft`) it cannot read; `Ok` when the front matter is fine or absent.
    pub fn front_matter_error(&self) -> crate::error::Result<()> {
        match &self.front_matter_problem {
            None => Ok(()),
            // Named as findings name files: relative to the current directory.
            Some(p) => Err(crate::error::Error::FrontMatter {
                path: PathBuf::from(crate::site::disk_from_cwd(&self.path)),
                line: p.line,
                message: p.message.clone(),
            }),
        }
    }

    /// Index of the heading that governs byte `offset`: the last heading that starts before it.
    pub fn heading_before(&self, offset: usize) -> Option<usize> {
        let n = self.headings.partition_point(|h| h.span.start < offset);
        n.checked_sub(1)
    }

    /// True when `fragment` (already percent-decoded, without `#`) names an anchor of this page:
    /// a heading id or an HTML `id`/`name`. GitHub also accepts the `user-content-` prefix form.
    ///
    /// O(1): the anchors are hashed once when the page is parsed, so a page of N links into N
    /// headings costs N lookups, not N².
    pub fn has_anchor(&self, fragment: &str) -> bool {
        let f = fragment.strip_prefix("user-content-").unwrap_or(fragment);
        self.anchors.contains(fragment)
            || self.anchors.contains(f)
            || is_member_anchor(fragment, |a| self.anchors.contains(a))
    }
}

/// True when `fragment` is `a.b.c` and the page holds the anchor `a.*` or `a.b.*`: the members
/// of an API object that MkDocs' mkdocstrings renders from a `::: a.b` line, each at the id of
/// its full dotted path, which stepbook cannot list without importing the code
/// ([`crate::site::markup`]).
pub(crate) fn is_member_anchor(fragment: &str, has: impl Fn(&str) -> bool) -> bool {
    if !fragment.contains('.') {
        return false;
    }
    fragment
        .match_indices('.')
        .any(|(at, _)| has(&format!("{}.*", &fragment[..at])))
}

/// A heading (`#` ATX or setext).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text content (link text kept, images and markup dropped).
    pub text: String,
    /// The unique GitHub id (`step-3-request-access-to-the-advertising-api`).
    pub id: String,
    /// The whole heading line(s).
    pub span: Span,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// `[text](dest)`.
    Inline,
    /// `[text][label]`, `[label][]` or `[label]` resolved through a definition.
    Reference,
    /// `<https://…>` or a GFM bare URL.
    Autolink,
    /// `<a href="…">` in raw HTML.
    Html,
}

/// A link and where it sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The destination as CommonMark reads it: escapes and entities resolved, `<…>` removed,
    /// percent-encoding kept.
    pub dest: String,
    /// The link text as plain text.
    pub text: String,
    /// The whole link (`[text](dest)`), or the `href` attribute value for HTML.
    pub span: Span,
    /// How it was written.
    pub kind: LinkKind,
    /// True when found inside an accidental indented code block (read as the prose it was meant
    /// to be).
    pub in_accidental_code: bool,
}

/// An image and where it sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The source path or URL as CommonMark reads it (see [`Link::dest`]).
    pub src: String,
    /// Alt text as plain text.
    pub alt: String,
    /// The whole image (`![alt](src)`), or the `src` attribute value for HTML.
    pub span: Span,
    /// True for `<img>` in raw HTML.
    pub from_html: bool,
    /// See [`Link::in_accidental_code`].
    pub in_accidental_code: bool,
}

/// Fenced or indented (CommonMark §4.4, §4.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeKind {
    /// Indented four spaces.
    Indented,
    /// Between ``` or ~~~ fences, with the info string.
    Fenced(String),
}

/// Markdown constructs found inside an indented code block, which render as literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MarkdownKind {
    /// A bullet or ordered list.
    List,
    /// A `>` blockquote.
    BlockQuote,
    /// An `![alt](src)` image.
    Image,
    /// A `[text](dest)` link.
    Link,
    /// `*emphasis*` or `**strong**`.
    Emphasis,
    /// An ATX heading.
    Heading,
}

impl MarkdownKind {
    /// A short noun for messages ("a list").
    pub fn describe(self) -> &'static str {
        match self {
            MarkdownKind::List => "a list",
            MarkdownKind::BlockQuote => "a blockquote",
            MarkdownKind::Image => "an image",
            MarkdownKind::Link => "a link",
            MarkdownKind::Emphasis => "emphasis",
            MarkdownKind::Heading => "a heading",
        }
    }
}

/// A code block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeBlock {
    /// Fenced or indented.
    pub kind: CodeKind,
    /// The whole block, fences or indentation included.
    pub span: Span,
    /// The literal content.
    pub content: String,
    /// For an indented block: the Markdown it holds (empty when it looks like real code).
    pub markdown: Vec<MarkdownKind>,
}

/// An anchor defined in raw HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HtmlId {
    /// The `id` or `name` value.
    pub id: String,
    /// Where the attribute value sits.
    pub span: Span,
}

/// A step heading: its text starts with the step pattern (`Step 3: …` by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The step's number; for a sub-step, the number of the step it belongs to.
    pub number: u32,
    /// For a sub-step (`Step 2.1: …`, `Step 2a: …`), what follows the step number (`1`, `a`);
    /// `None` for a step.
    pub sub: Option<String>,
    /// The title after the number and separator (`Request Access to the Advertising API`).
    pub title: String,
    /// Index into [`Page::headings`].
    pub heading: usize,
    /// The heading's span.
    pub span: Span,
}

/// A mention of one or more steps in prose: "Step 6", "steps 2–4", "steps 1 and 3".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRef {
    /// Every step number the mention names (ranges expanded).
    pub numbers: Vec<u32>,
    /// The mention as written (`Step 6`).
    pub text: String,
    /// Where the mention sits.
    pub span: Span,
    /// The sentence around the mention, as plain text (for suggestions).
    pub sentence: String,
    /// When the mention is the text of a link to another page: that link's destination.
    pub target: Option<String>,
    /// See [`Link::in_accidental_code`].
    pub in_accidental_code: bool,
}

/// An inline code span (`` `r_ads` ``).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlineCode {
    /// The code text, without backticks.
    pub text: String,
    /// The span including backticks.
    pub span: Span,
}

/// A list item's text and inline code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// The item, marker included.
    pub span: Span,
    /// Plain text of the item's own paragraphs (not of nested lists); code spans become `\u{1}`.
    pub text: String,
    /// Inline code spans in the item's own text.
    pub codes: Vec<InlineCode>,
}

/// A bullet or ordered list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List {
    /// The start number of an ordered list; `None` for a bullet list.
    pub start: Option<u64>,
    /// The whole list.
    pub span: Span,
    /// Its items.
    pub items: Vec<ListItem>,
    /// Nesting depth among lists (0 for a list that is not inside another list).
    pub depth: usize,
    /// Text of the paragraph just before the list, when nothing else came between.
    pub lead: Option<String>,
    /// See [`Link::in_accidental_code`].
    pub in_accidental_code: bool,
}

/// A GFM table cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's plain text.
    pub text: String,
    /// Inline code spans in the cell.
    pub codes: Vec<InlineCode>,
    /// Where the cell sits.
    pub span: Span,
}

/// A GFM table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The whole table.
    pub span: Span,
    /// Header cells.
    pub header: Vec<Cell>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Text of the paragraph just before the table, when nothing else came between.
    pub lead: Option<String>,
}

/// A paragraph's prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph.
    pub span: Span,
    /// Plain text; code spans become `\u{1}`, line breaks a space.
    pub text: String,
    /// Inline code spans.
    pub codes: Vec<InlineCode>,
    /// See [`Link::in_accidental_code`].
    pub in_accidental_code: bool,
}

/// What a top-level block is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BlockKind {
    /// A heading of this level (1–6).
    Heading(u8),
    /// A paragraph; `image_only` when it holds nothing but images.
    Paragraph {
        /// True when the paragraph is only one or more images.
        image_only: bool,
    },
    /// A list; index into [`Page::lists`].
    List(usize),
    /// A code block; index into [`Page::code_blocks`].
    CodeBlock(usize),
    /// A blockquote (including GFM alerts).
    BlockQuote,
    /// A table; index into [`Page::tables`].
    Table(usize),
    /// A raw HTML block.
    Html,
    /// A thematic break, footnote definition or anything else.
    Other,
}

/// One top-level block of the page, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it sits.
    pub span: Span,
}

/// A reference link whose label has no definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndefinedRef {
    /// The label as written.
    pub label: String,
    /// The whole `[text][label]`.
    pub span: Span,
}

/// A comment meant as `<!-- stepbook-ignore RULE-ID: reason -->` that cannot be read: a
/// misspelt directive, no rule id, a reason without `:`, or no closing `-->`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MalformedSuppression {
    /// What is wrong, with the form to write.
    pub problem: String,
    /// The comment.
    pub span: Span,
}

/// `<!-- stepbook-ignore RULE-ID: reason -->`: silences one finding of `rule` on the line after
/// the comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppression {
    /// The rule id named in the comment.
    pub rule: String,
    /// The comment.
    pub span: Span,
}
