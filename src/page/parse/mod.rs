//! The one Markdown pass: pulldown-cmark (CommonMark plus GFM tables, task lists, strikethrough,
//! footnotes and `> [!NOTE]` alerts) over a page's body with source offsets, filling a [`Page`].
//!
//! An indented code block that holds Markdown (the seed guide's four-space-indented note and
//! scope list) renders as literal text, but its author meant prose. Its dedented text is read
//! once more as a Markdown fragment, and what that finds (links, images, step references, lists)
//! enters the page model flagged `in_accidental_code`, with spans mapped back to the file. This
//! is the only other pass, and it only ever reads code-block text.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use regex::Regex;

use super::front_matter;
use super::html::{self, HtmlItem};
use super::slug::Slugger;
use super::*;
use crate::error::Result;
use crate::source::Span;

mod accidental;
mod inline;
mod steps;
#[cfg(test)]
mod tests;
mod walk;

/// Default step-heading pattern: `Step 3: Title`, `Step 3 - Title`, `Step 3. Title`, `Step 3`.
/// Group 1 is the number, group 2 the title.
pub const DEFAULT_STEP_PATTERN: &str = r"(?i)^step\s+(\d+)\b\s*[:.)\-–—]?\s*(.*)$";

/// Settings that change how pages are read.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Matches a step heading's text; capture 1 is the step number, capture 2 (optional) the
    /// title.
    pub step_pattern: Regex,
    /// Keep the event stream in [`Page::events`]. The rules never read events and the
    /// renderer replays them ([`replay_events`]), so loads turn it off: on a 10,000-page corpus
    /// keeping them costs about a third of the load time and 350 MB. Kept for a page an mdBook
    /// preprocessor rewrote, and by the preview's one-page reload.
    pub keep_events: bool,
}

impl ParseOptions {
    /// Options with `step_pattern`, keeping events.
    pub fn new(step_pattern: Regex) -> Self {
        ParseOptions {
            step_pattern,
            keep_events: true,
        }
    }
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions::new(Regex::new(DEFAULT_STEP_PATTERN).expect("default step pattern is valid"))
    }
}

/// The page's body events with source ranges relative to the file's full text: the stream kept
/// at parse time ([`Page::events`]), or, for a page loaded without it, the same pass run again
/// over the same text with the same options, which yields the same events (borrowing from
/// [`Page::source`] instead of owning copies). A build replays each page while it renders it
/// instead of holding every page's stream at once (about 350 MB at 10,000 pages); a page an
/// mdBook preprocessor rewrote keeps its stream.
pub fn replay_events(page: &Page) -> std::borrow::Cow<'_, [(Event<'_>, Range<usize>)]> {
    if !page.events.is_empty() || page.source.len() == page.body_start {
        return std::borrow::Cow::Borrowed(&page.events[..]);
    }
    let shift = page.body_start;
    let events = Parser::new_ext(&page.source[shift..], markdown_options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start + shift..r.end + shift))
        .collect();
    std::borrow::Cow::Owned(events)
}

/// The pulldown-cmark extensions stepbook enables: GitHub-flavoured Markdown as GitHub renders
/// it (tables, task lists, strikethrough, footnotes, alerts). Heading attributes stay off,
/// because GitHub shows `{#id}` as text.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Reads one page: splits front matter, parses the body once, and builds the [`Page`].
///
/// `rel` is the path relative to the content root and `file` the path relative to the checked
/// root, both `/`-separated. Front matter that cannot be read does not stop the parse: the
/// page gets the default front matter and [`Page::front_matter_problem`] (see
/// [`Page::front_matter_error`] for callers that must stop).
pub fn parse_page(
    path: PathBuf,
    rel: String,
    file: String,
    source: String,
    opts: &ParseOptions,
) -> Result<Page> {
    parse_shared(path, rel, file, Arc::from(source), opts)
}

/// [`parse_page`] for a text already shared (a page read for a project load), which the page
/// then holds without a copy.
pub(crate) fn parse_shared(
    path: PathBuf,
    rel: String,
    file: String,
    source: Arc<str>,
    opts: &ParseOptions,
) -> Result<Page> {
    let (front, body_start, front_matter_problem) = front_matter::read(&source);
    let body = &source[body_start..];
    let mut parts = Parts::sized_for(body);
    let mapper = Mapper::Shift(body_start);
    let mut slugger = Slugger::new();
    {
        let mut w = Walker::new(
            &source,
            body,
            &mapper,
            opts,
            false,
            &mut parts,
            &mut slugger,
        );
        w.run(opts.keep_events);
    }
    parts.shrink();
    let title = front
        .title
        .clone()
        .or_else(|| {
            parts
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        })
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let anchors = anchors_of(&parts.headings, &parts.html_ids);
    Ok(Page {
        anchors,
        path,
        rel,
        file,
        source,
        body_start,
        front_matter: front,
        front_matter_problem,
        title,
        headings: parts.headings,
        links: parts.links,
        images: parts.images,
        code_blocks: parts.code_blocks,
        html_ids: parts.html_ids,
        steps: parts.steps,
        step_refs: parts.step_refs,
        lists: parts.lists,
        tables: parts.tables,
        paragraphs: parts.paragraphs,
        blocks: parts.blocks,
        undefined_refs: parts.undefined_refs,
        suppressions: parts.suppressions,
        malformed_suppressions: parts.malformed_suppressions,
        events: parts.events,
        source_map: None,
        include_problems: Vec::new(),
    })
}

/// [`Page::anchors`] of a page with these headings and HTML anchors.
pub(crate) fn anchors_of(
    headings: &[Heading],
    html_ids: &[HtmlId],
) -> rustc_hash::FxHashSet<String> {
    headings
        .iter()
        .map(|h| h.id.clone())
        .chain(html_ids.iter().map(|a| a.id.clone()))
        .collect()
}

/// The collections a walk fills.
#[derive(Default)]
struct Parts {
    headings: Vec<Heading>,
    links: Vec<Link>,
    images: Vec<Image>,
    code_blocks: Vec<CodeBlock>,
    html_ids: Vec<HtmlId>,
    steps: Vec<Step>,
    step_refs: Vec<StepRef>,
    lists: Vec<List>,
    tables: Vec<Table>,
    paragraphs: Vec<Paragraph>,
    blocks: Vec<Block>,
    undefined_refs: Vec<UndefinedRef>,
    suppressions: Vec<Suppression>,
    malformed_suppressions: Vec<MalformedSuppression>,
    events: Vec<(Event<'static>, Range<usize>)>,
    /// Markdown constructs seen (used when reading an indented code block's text).
    kinds: BTreeSet<MarkdownKind>,
}

impl Parts {
    /// Empty collections with room for what a body like `body` usually holds (by its lines and
    /// `](` pairs), so most pages fill them without growing; [`Parts::shrink`] returns the rest.
    fn sized_for(body: &str) -> Self {
        let lines = body.bytes().filter(|&b| b == b'\n').count() + 1;
        let links = body.matches("](").count() + 1;
        Parts {
            headings: Vec::with_capacity(lines / 8 + 1),
            links: Vec::with_capacity(links),
            steps: Vec::with_capacity(lines / 8 + 1),
            paragraphs: Vec::with_capacity(lines / 4 + 1),
            blocks: Vec::with_capacity(lines / 2 + 1),
            ..Parts::default()
        }
    }

    /// Frees the room the collections did not use (they live as long as the page).
    fn shrink(&mut self) {
        self.headings.shrink_to_fit();
        self.links.shrink_to_fit();
        self.images.shrink_to_fit();
        self.code_blocks.shrink_to_fit();
        self.html_ids.shrink_to_fit();
        self.steps.shrink_to_fit();
        self.step_refs.shrink_to_fit();
        self.lists.shrink_to_fit();
        self.tables.shrink_to_fit();
        self.paragraphs.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.undefined_refs.shrink_to_fit();
        self.suppressions.shrink_to_fit();
        self.malformed_suppressions.shrink_to_fit();
    }
}

/// Maps offsets in the parsed text to offsets in the file.
enum Mapper {
    /// The body: shifted by the front matter's length.
    Shift(usize),
    /// A dedented code block: `(offset in dedented text, offset in file)` for each line start.
    Lines(Vec<(usize, usize)>),
}

impl Mapper {
    fn map(&self, off: usize) -> usize {
        match self {
            Mapper::Shift(by) => off + by,
            Mapper::Lines(lines) => {
                let i = lines.partition_point(|(d, _)| *d <= off).saturating_sub(1);
                let (d, s) = lines.get(i).copied().unwrap_or((0, 0));
                s + (off - d)
            }
        }
    }

    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.map(r.start), self.map(r.end))
    }
}

/// Text of a leaf block with a map back to the parsed text.
#[derive(Default)]
struct Sink {
    text: String,
    /// `(position in text, offset in parsed input, exact)`: exact pieces map byte for byte.
    pieces: Vec<(usize, usize, bool)>,
    codes: Vec<InlineCode>,
    /// Ranges of link text in `text`, with the link's destination.
    links: Vec<(Range<usize>, SinkLink)>,
    images: usize,
    /// Text of child paragraphs (list items only).
    merged_text: String,
    merged_codes: Vec<InlineCode>,
}

impl Sink {
    /// A sink for a block of `len` source bytes (its text is rarely longer).
    fn for_block(len: usize) -> Self {
        Sink {
            text: String::with_capacity(len),
            ..Sink::default()
        }
    }

    fn push(&mut self, s: &str, input_off: usize, exact: bool) {
        self.pieces.push((self.text.len(), input_off, exact));
        self.text.push_str(s);
    }

    fn input_offset(&self, pos: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|p| p.0 <= pos)
            .saturating_sub(1);
        match self.pieces.get(i) {
            Some(&(t, o, true)) => o + (pos - t),
            Some(&(_, o, false)) => o,
            None => 0,
        }
    }
}

/// The destination of a link in a [`Sink`]: the link of [`Parts::links`] at this index, or the
/// destination itself for a link the model does not keep (an email autolink).
enum SinkLink {
    Kept(usize),
    Dest(String),
}

struct LinkFrame {
    dest: String,
    kind: Option<LinkKind>,
    range: Range<usize>,
    text: String,
    text_start: usize,
}

/// A code block being read.
struct OpenCode {
    kind: CodeKind,
    range: Range<usize>,
    /// The literal text.
    text: String,
    /// For each text piece: `(offset in text, offset in the parsed input)`.
    pieces: Vec<(usize, usize)>,
}

struct ImageFrame {
    src: String,
    range: Range<usize>,
    alt: String,
}

struct Walker<'a> {
    /// The whole file.
    src: &'a str,
    /// What is parsed: the body, or a dedented code block.
    input: &'a str,
    mapper: &'a Mapper,
    opts: &'a ParseOptions,
    accidental: bool,
    parts: &'a mut Parts,
    slugger: &'a mut Slugger,
    depth: usize,
    top: Option<(Range<usize>, BlockKind)>,
    sinks: Vec<Sink>,
    links: Vec<LinkFrame>,
    images: Vec<ImageFrame>,
    heading_level: u8,
    code: Option<OpenCode>,
    open_lists: Vec<usize>,
    open_items: Vec<Range<usize>>,
    table: Option<(Table, bool)>,
    in_item_paragraph: Vec<bool>,
    lead: Option<Lead>,
    html_block: bool,
    /// Finished sinks kept for their buffers (see [`Walker::sink`]).
    spare_sinks: Vec<Sink>,
}

/// The paragraph just before the block being read, when nothing else came between: the `lead`
/// a list or table that follows it keeps. Its text is copied only when such a block follows.
#[derive(Clone)]
enum Lead {
    /// The paragraph at this index of [`Parts::paragraphs`].
    Paragraph(usize),
    /// Text from outside this walk (the page's lead before an accidental code block).
    Text(String),
}
