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

use super::front_matter::{self, FrontMatter};
use super::html::{self, HtmlItem};
use super::slug::Slugger;
use super::*;
use crate::error::{Error, Result};
use crate::source::Span;

/// Default step-heading pattern: `Step 3: Title`, `Step 3 - Title`, `Step 3. Title`, `Step 3`.
/// Group 1 is the number, group 2 the title.
pub const DEFAULT_STEP_PATTERN: &str = r"(?i)^step\s+(\d+)\b\s*[:.)\-–—]?\s*(.*)$";

/// Settings that change how pages are read.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Matches a step heading's text; capture 1 is the step number, capture 2 (optional) the
    /// title.
    pub step_pattern: Regex,
    /// Keep the event stream in [`Page::events`] for the renderer. `check` alone turns it off:
    /// the rules never read events, and on a 10,000-page corpus keeping them costs about a
    /// third of the load time and most of the memory.
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
/// root, both `/`-separated. Errors: [`Error::FrontMatter`] with the page's line when the YAML
/// is malformed.
pub fn parse_page(
    path: PathBuf,
    rel: String,
    file: String,
    source: String,
    opts: &ParseOptions,
) -> Result<Page> {
    let (front, body_start) = match front_matter::split(&source) {
        Some(split) => {
            let fm = front_matter::parse(&split).map_err(|(line, message)| Error::FrontMatter {
                path: path.clone(),
                line,
                message,
            })?;
            (fm, split.body_start)
        }
        None => (FrontMatter::default(), 0),
    };
    let mut parts = Parts::default();
    let body = &source[body_start..];
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
    let anchors = parts
        .headings
        .iter()
        .map(|h| h.id.clone())
        .chain(parts.html_ids.iter().map(|a| a.id.clone()))
        .collect();
    Ok(Page {
        anchors,
        path,
        rel,
        file,
        source: Arc::from(source),
        body_start,
        front_matter: front,
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
        events: parts.events,
    })
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
    events: Vec<(Event<'static>, Range<usize>)>,
    /// Markdown constructs seen (used when reading an indented code block's text).
    kinds: BTreeSet<MarkdownKind>,
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
    links: Vec<(Range<usize>, String)>,
    images: usize,
    /// Text of child paragraphs (list items only).
    merged_text: String,
    merged_codes: Vec<InlineCode>,
}

impl Sink {
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
    lead: Option<String>,
    html_block: bool,
}

impl<'a> Walker<'a> {
    fn new(
        src: &'a str,
        input: &'a str,
        mapper: &'a Mapper,
        opts: &'a ParseOptions,
        accidental: bool,
        parts: &'a mut Parts,
        slugger: &'a mut Slugger,
    ) -> Self {
        Walker {
            src,
            input,
            mapper,
            opts,
            accidental,
            parts,
            slugger,
            depth: 0,
            top: None,
            sinks: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            heading_level: 0,
            code: None,
            open_lists: Vec::new(),
            open_items: Vec::new(),
            table: None,
            in_item_paragraph: Vec::new(),
            lead: None,
            html_block: false,
        }
    }

    fn run(&mut self, keep_events: bool) {
        let mut broken: Vec<(Range<usize>, String, LinkType)> = Vec::new();
        let callback = |link: BrokenLink<'_>| {
            broken.push((
                link.span.clone(),
                link.reference.to_string(),
                link.link_type,
            ));
            None
        };
        let parser =
            Parser::new_with_broken_link_callback(self.input, markdown_options(), Some(callback));
        for (event, range) in parser.into_offset_iter() {
            if keep_events {
                let mapped = self.mapper.map(range.start)..self.mapper.map(range.end);
                self.parts
                    .events
                    .push((event.clone().into_static(), mapped));
            }
            self.event(event, range);
        }
        for (label_range, label, link_type) in broken {
            if matches!(link_type, LinkType::Reference | LinkType::Collapsed) && !self.accidental {
                self.parts.undefined_refs.push(UndefinedRef {
                    label,
                    span: self.mapper.span(&label_range),
                });
            }
        }
    }

    fn event(&mut self, event: Event<'_>, r: Range<usize>) {
        match event {
            Event::Start(tag) => {
                if self.depth == 0 {
                    self.top = Some((r.clone(), BlockKind::Other));
                }
                self.depth += 1;
                self.start(tag, r);
            }
            Event::End(tag) => {
                self.end(tag, r);
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0
                    && let Some((range, kind)) = self.top.take()
                {
                    self.parts.blocks.push(Block {
                        kind,
                        span: self.mapper.span(&range),
                    });
                }
            }
            Event::Text(t) => self.text(&t, r),
            Event::Code(t) => self.code_span(&t, r),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(img) = self.images.last_mut() {
                    img.alt.push(' ');
                } else if let Some(s) = self.sinks.last_mut() {
                    s.push(" ", r.start, false);
                }
                if let Some(l) = self.links.last_mut() {
                    l.text.push(' ');
                }
            }
            Event::InlineHtml(h) => self.html(&h, r.start),
            Event::Html(_) => {}
            Event::Rule if self.depth == 0 => self.parts.blocks.push(Block {
                kind: BlockKind::Other,
                span: self.mapper.span(&r),
            }),
            _ => {}
        }
    }

    fn set_top(&mut self, kind: BlockKind) {
        if self.depth == 1
            && let Some(top) = self.top.as_mut()
        {
            top.1 = kind;
        }
    }

    fn start(&mut self, tag: Tag<'_>, r: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.sinks.push(Sink::default());
                self.in_item_paragraph.push(!self.open_items.is_empty());
                self.set_top(BlockKind::Paragraph { image_only: false });
            }
            Tag::Heading { level, .. } => {
                self.heading_level = heading_level(level);
                self.sinks.push(Sink::default());
                self.set_top(BlockKind::Heading(self.heading_level));
                if self.input[r.clone()].trim_start().starts_with('#') {
                    self.parts.kinds.insert(MarkdownKind::Heading);
                }
            }
            Tag::BlockQuote(_) => {
                self.parts.kinds.insert(MarkdownKind::BlockQuote);
                self.set_top(BlockKind::BlockQuote);
                self.lead = None;
            }
            Tag::CodeBlock(kind) => {
                let kind = match kind {
                    CodeBlockKind::Indented => CodeKind::Indented,
                    CodeBlockKind::Fenced(info) => CodeKind::Fenced(info.to_string()),
                };
                self.set_top(BlockKind::CodeBlock(self.parts.code_blocks.len()));
                self.code = Some(OpenCode {
                    kind,
                    range: r,
                    text: String::new(),
                    pieces: Vec::new(),
                });
            }
            Tag::HtmlBlock => {
                self.set_top(BlockKind::Html);
                self.html_block = true;
                let text = &self.input[r.clone()];
                self.html(text, r.start);
            }
            Tag::List(start) => {
                self.parts.kinds.insert(MarkdownKind::List);
                let idx = self.parts.lists.len();
                self.set_top(BlockKind::List(idx));
                self.parts.lists.push(List {
                    start,
                    span: self.mapper.span(&r),
                    items: Vec::new(),
                    depth: self.open_lists.len(),
                    lead: self.lead.take(),
                    in_accidental_code: self.accidental,
                });
                self.open_lists.push(idx);
            }
            Tag::Item => {
                self.open_items.push(r);
                self.sinks.push(Sink::default());
            }
            Tag::Table(_) => {
                let idx = self.parts.tables.len();
                self.set_top(BlockKind::Table(idx));
                self.table = Some((
                    Table {
                        span: self.mapper.span(&r),
                        header: Vec::new(),
                        rows: Vec::new(),
                        lead: self.lead.take(),
                    },
                    false,
                ));
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.1 = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.1 = false;
                    t.0.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.sinks.push(Sink::default()),
            Tag::Emphasis | Tag::Strong => {
                self.parts.kinds.insert(MarkdownKind::Emphasis);
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let kind = match link_type {
                    LinkType::Inline => Some(LinkKind::Inline),
                    LinkType::Reference
                    | LinkType::Collapsed
                    | LinkType::Shortcut
                    | LinkType::ReferenceUnknown
                    | LinkType::CollapsedUnknown
                    | LinkType::ShortcutUnknown => Some(LinkKind::Reference),
                    LinkType::Autolink => Some(LinkKind::Autolink),
                    _ => None,
                };
                if matches!(kind, Some(LinkKind::Inline | LinkKind::Reference)) {
                    self.parts.kinds.insert(MarkdownKind::Link);
                }
                let text_start = self.sinks.last().map(|s| s.text.len()).unwrap_or(0);
                self.links.push(LinkFrame {
                    dest: dest_url.to_string(),
                    kind,
                    range: r,
                    text: String::new(),
                    text_start,
                });
            }
            Tag::Image { dest_url, .. } => {
                self.parts.kinds.insert(MarkdownKind::Image);
                self.images.push(ImageFrame {
                    src: dest_url.to_string(),
                    range: r,
                    alt: String::new(),
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, r: Range<usize>) {
        match tag {
            TagEnd::Paragraph => {
                let sink = self.sinks.pop().unwrap_or_default();
                let in_item = self.in_item_paragraph.pop().unwrap_or(false);
                self.step_refs(&sink);
                let image_only = sink.images > 0 && sink.text.trim().is_empty();
                self.set_top(BlockKind::Paragraph { image_only });
                self.parts.paragraphs.push(Paragraph {
                    span: self.mapper.span(&r),
                    text: sink.text.clone(),
                    codes: sink.codes.clone(),
                    in_accidental_code: self.accidental,
                });
                self.lead = if image_only {
                    self.lead.take()
                } else {
                    Some(sink.text.clone())
                };
                if in_item && let Some(item) = self.sinks.last_mut() {
                    if !item.merged_text.is_empty() {
                        item.merged_text.push(' ');
                    }
                    item.merged_text.push_str(&sink.text);
                    item.merged_codes.extend(sink.codes);
                }
            }
            TagEnd::Heading(_) => {
                let sink = self.sinks.pop().unwrap_or_default();
                self.heading(sink, &r);
                self.lead = None;
            }
            TagEnd::CodeBlock => {
                if let Some(OpenCode {
                    kind,
                    range,
                    text: content,
                    pieces,
                }) = self.code.take()
                {
                    let markdown = if kind == CodeKind::Indented && !self.accidental {
                        self.accidental_markdown(&content, &pieces)
                    } else {
                        Vec::new()
                    };
                    self.parts.code_blocks.push(CodeBlock {
                        kind,
                        span: self.mapper.span(&range),
                        content,
                        markdown,
                    });
                }
                self.lead = None;
            }
            TagEnd::HtmlBlock => self.html_block = false,
            TagEnd::List(_) => {
                self.open_lists.pop();
                self.lead = None;
            }
            TagEnd::Item => {
                let sink = self.sinks.pop().unwrap_or_default();
                let range = self.open_items.pop().unwrap_or(r);
                self.step_refs(&sink);
                let mut text = sink.text.trim().to_string();
                if !sink.merged_text.is_empty() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&sink.merged_text);
                }
                let mut codes = sink.codes;
                codes.extend(sink.merged_codes);
                let item = ListItem {
                    span: self.mapper.span(&range),
                    text,
                    codes,
                };
                if let Some(&idx) = self.open_lists.last() {
                    self.parts.lists[idx].items.push(item);
                }
            }
            TagEnd::TableCell => {
                let sink = self.sinks.pop().unwrap_or_default();
                self.step_refs(&sink);
                let cell = Cell {
                    text: sink.text.trim().to_string(),
                    codes: sink.codes,
                    span: self.mapper.span(&r),
                };
                if let Some((table, in_head)) = self.table.as_mut() {
                    if *in_head {
                        table.header.push(cell);
                    } else if let Some(row) = table.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Table => {
                if let Some((table, _)) = self.table.take() {
                    self.parts.tables.push(table);
                }
                self.lead = None;
            }
            TagEnd::Link => {
                if let Some(l) = self.links.pop() {
                    if let Some(s) = self.sinks.last_mut() {
                        s.links.push((l.text_start..s.text.len(), l.dest.clone()));
                    }
                    if let Some(kind) = l.kind {
                        self.parts.links.push(Link {
                            dest: l.dest,
                            text: l.text,
                            span: self.mapper.span(&l.range),
                            kind,
                            in_accidental_code: self.accidental,
                        });
                    }
                }
            }
            TagEnd::Image => {
                if let Some(img) = self.images.pop() {
                    if let Some(s) = self.sinks.last_mut() {
                        s.images += 1;
                    }
                    if let Some(l) = self.links.last_mut() {
                        l.text.push_str(&img.alt);
                    }
                    self.parts.images.push(Image {
                        src: img.src,
                        alt: img.alt,
                        span: self.mapper.span(&img.range),
                        from_html: false,
                        in_accidental_code: self.accidental,
                    });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str, r: Range<usize>) {
        if let Some(code) = self.code.as_mut() {
            code.pieces.push((code.text.len(), r.start));
            code.text.push_str(t);
            return;
        }
        if let Some(img) = self.images.last_mut() {
            img.alt.push_str(t);
            return;
        }
        let exact = self.input.get(r.clone()) == Some(t);
        if let Some(s) = self.sinks.last_mut() {
            s.push(t, r.start, exact);
        }
        if let Some(l) = self.links.last_mut() {
            l.text.push_str(t);
        }
    }

    fn code_span(&mut self, t: &str, r: Range<usize>) {
        if let Some(img) = self.images.last_mut() {
            img.alt.push_str(t);
            return;
        }
        let in_heading =
            self.heading_level > 0 && self.open_items.is_empty() && self.table.is_none();
        if let Some(s) = self.sinks.last_mut() {
            if in_heading {
                s.push(t, r.start, false);
            } else {
                s.push("\u{1}", r.start, false);
            }
            s.codes.push(InlineCode {
                text: t.to_string(),
                span: self.mapper.span(&r),
            });
        }
        if let Some(l) = self.links.last_mut() {
            l.text.push_str(t);
        }
    }

    fn heading(&mut self, sink: Sink, r: &Range<usize>) {
        let level = self.heading_level;
        self.heading_level = 0;
        let text = sink.text.trim().to_string();
        if self.accidental {
            return;
        }
        let id = self.slugger.slug(&text);
        let span = self.mapper.span(r);
        let index = self.parts.headings.len();
        if let Some(c) = self.opts.step_pattern.captures(&text)
            && let Some(number) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok())
        {
            self.parts.steps.push(Step {
                number,
                title: c
                    .get(2)
                    .map(|m| m.as_str().trim().to_string())
                    .unwrap_or_default(),
                heading: index,
                span,
            });
        }
        self.parts.headings.push(Heading {
            level,
            text,
            id,
            span,
        });
    }

    fn html(&mut self, html: &str, input_off: usize) {
        for item in html::scan(html) {
            match item {
                HtmlItem::ImgSrc { value, alt, range } => {
                    self.parts.kinds.insert(MarkdownKind::Image);
                    self.parts.images.push(Image {
                        src: value,
                        alt: alt.unwrap_or_default(),
                        span: self
                            .mapper
                            .span(&(input_off + range.0..input_off + range.1)),
                        from_html: true,
                        in_accidental_code: self.accidental,
                    })
                }
                HtmlItem::Href { value, range } => self.parts.links.push(Link {
                    dest: value,
                    text: String::new(),
                    span: self
                        .mapper
                        .span(&(input_off + range.0..input_off + range.1)),
                    kind: LinkKind::Html,
                    in_accidental_code: self.accidental,
                }),
                HtmlItem::Anchor { value, range } => {
                    if !self.accidental {
                        self.parts.html_ids.push(HtmlId {
                            id: value,
                            span: self
                                .mapper
                                .span(&(input_off + range.0..input_off + range.1)),
                        })
                    }
                }
                HtmlItem::Ignore { rules, range } => {
                    let span = self
                        .mapper
                        .span(&(input_off + range.0..input_off + range.1));
                    for rule in rules {
                        self.parts.suppressions.push(Suppression { rule, span });
                    }
                }
            }
        }
    }

    /// Finds "Step N" mentions in a finished leaf block's prose.
    fn step_refs(&mut self, sink: &Sink) {
        if sink.text.is_empty() {
            return;
        }
        for m in STEP_REF.find_iter(&sink.text) {
            let numbers = step_numbers(m.as_str());
            if numbers.is_empty() {
                continue;
            }
            let start = self.mapper.map(sink.input_offset(m.start()));
            let end_input = sink.input_offset(m.end() - 1) + 1;
            let end = self.mapper.map(end_input).max(start);
            let target = sink
                .links
                .iter()
                .find(|(range, _)| range.contains(&m.start()))
                .map(|(_, dest)| dest.clone())
                .filter(|d| !d.is_empty() && !d.starts_with('#'));
            self.parts.step_refs.push(StepRef {
                numbers,
                text: m.as_str().to_string(),
                span: Span::new(start, end),
                sentence: sentence_around(&sink.text, m.start(), m.end()),
                target,
                in_accidental_code: self.accidental,
            });
        }
    }

    /// Reads an indented code block's text as the Markdown its author meant, adds what it holds
    /// to the page model, and returns the Markdown constructs found (empty for real code).
    ///
    /// The text is the code block's literal content: pulldown-cmark has already removed the
    /// indentation of every container (list items, blockquotes) and the block's own four
    /// columns, and each text piece keeps its source offset, so spans map back exactly even for
    /// a block nested in a list item.
    fn accidental_markdown(
        &mut self,
        dedented: &str,
        pieces: &[(usize, usize)],
    ) -> Vec<MarkdownKind> {
        // Map dedented offsets through the body mapper to file offsets.
        let lines: Vec<(usize, usize)> = pieces
            .iter()
            .map(|&(d, i)| (d, self.mapper.map(i)))
            .collect();
        let mapper = Mapper::Lines(lines);
        let mut parts = Parts::default();
        let mut slugger = Slugger::new();
        {
            let mut w = Walker::new(
                self.src,
                dedented,
                &mapper,
                self.opts,
                true,
                &mut parts,
                &mut slugger,
            );
            w.lead = self.lead.clone();
            w.run(false);
        }
        let mut kinds = parts.kinds.clone();
        if kinds.contains(&MarkdownKind::List) && parts.lists.iter().all(list_looks_like_code) {
            kinds.remove(&MarkdownKind::List);
        }
        // `# comment` lines of shell scripts and `*args` of Python are not evidence alone.
        if kinds.len() == 1
            && (kinds.contains(&MarkdownKind::Heading)
                || (kinds.contains(&MarkdownKind::Emphasis) && CODE_CHARS.is_match(dedented)))
        {
            kinds.clear();
        }
        if kinds.is_empty() {
            return Vec::new();
        }
        self.parts.links.extend(parts.links);
        self.parts.images.extend(parts.images);
        self.parts.step_refs.extend(parts.step_refs);
        self.parts.lists.extend(parts.lists);
        self.parts.tables.extend(parts.tables);
        self.parts.paragraphs.extend(parts.paragraphs);
        self.parts.suppressions.extend(parts.suppressions);
        kinds.into_iter().collect()
    }
}

static STEP_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        // ASCII word boundaries: the lazy DFA cannot handle Unicode ones on non-ASCII text.
        r"(?i)(?-u:\b)steps?\s+\d+(?:\s*(?:,|–|—|-|(?-u:\b)(?:to|through|and|or)(?-u:\b)|&)\s*\d+)*(?-u:\b)",
    )
    .expect("step reference pattern is valid")
});
static NUMBER_OR_SEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+)|(–|—|-|\bto\b|\bthrough\b)").expect("separator pattern is valid")
});
static CODE_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[;{}=]|\(\*|\*\*\w+\)").expect("code pattern is valid"));
static CODE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[\w."'\-/]+\s*[:=]|[;{}()]|^\w+\s*$"#).expect("code item pattern is valid")
});

/// The step numbers named by a mention: `Steps 2–4` → 2, 3, 4; `steps 1 and 3` → 1, 3.
fn step_numbers(mention: &str) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let mut range_next = false;
    for c in NUMBER_OR_SEP.captures_iter(mention) {
        if let Some(n) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) {
            match (range_next, out.last().copied()) {
                (true, Some(prev)) if n > prev && n - prev <= 100 => out.extend(prev + 1..=n),
                _ => out.push(n),
            }
            range_next = false;
        } else {
            range_next = true;
        }
    }
    out.dedup();
    out
}

/// The sentence of `text` that holds `start..end`.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let before = text[..start]
        .rfind(['.', '!', '?', ':'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let after = text[end..]
        .find(['.', '!', '?'])
        .map(|i| end + i)
        .unwrap_or(text.len());
    text[before..after]
        .replace('\u{1}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A list whose items read like code (`key: value`, calls, single bare words) rather than prose.
fn list_looks_like_code(list: &List) -> bool {
    list.items
        .iter()
        .all(|i| i.codes.is_empty() && CODE_ITEM.is_match(i.text.trim()))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        parse_page(
            PathBuf::from("t.md"),
            "t.md".into(),
            "t.md".into(),
            text.to_string(),
            &ParseOptions::default(),
        )
        .expect("parses")
    }

    #[test]
    fn step_numbers_expand_ranges_and_lists() {
        assert_eq!(step_numbers("Step 6"), vec![6]);
        assert_eq!(step_numbers("Steps 2–4"), vec![2, 3, 4]);
        assert_eq!(step_numbers("steps 2 to 3"), vec![2, 3]);
        assert_eq!(step_numbers("steps 1 and 3"), vec![1, 3]);
        assert_eq!(step_numbers("Steps 1, 3 and 5"), vec![1, 3, 5]);
    }

    #[test]
    fn headings_steps_and_ids() {
        let p =
            page("# Guide\n\n## Step 1: Make it\n\n## Step 2 - Ship `it`\n\n## Step 1: Make it\n");
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "guide",
                "step-1-make-it",
                "step-2---ship-it",
                "step-1-make-it-1"
            ]
        );
        let steps: Vec<_> = p
            .steps
            .iter()
            .map(|s| (s.number, s.title.as_str()))
            .collect();
        assert_eq!(steps, [(1, "Make it"), (2, "Ship it"), (1, "Make it")]);
        assert_eq!(p.title, "Guide");
    }

    #[test]
    fn step_refs_skip_code_and_map_spans() {
        let text =
            "# G\n\n## Step 1: A\n\nSee `Step 9` and then Step 7, or [step 2](other.md#step-2).\n";
        let p = page(text);
        let refs: Vec<_> = p
            .step_refs
            .iter()
            .map(|r| {
                (
                    &text[r.span.start..r.span.end],
                    r.numbers.clone(),
                    r.target.clone(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("Step 7", vec![7], None),
                ("step 2", vec![2], Some("other.md#step-2".to_string()))
            ]
        );
    }

    #[test]
    fn accidental_code_block_is_read_as_prose() {
        let text = "# G\n\n## Step 1: A\n\nIn the new window:\n\n    > **Note:** go back to Step 6.\n    > ![Err](res/e.png)\n\nSelect the following scopes:\n\n    - `r_ads`\n    - `r_ads_reporting`\n";
        let p = page(text);
        assert_eq!(p.code_blocks.len(), 2);
        assert!(
            p.code_blocks[0]
                .markdown
                .contains(&MarkdownKind::BlockQuote)
        );
        assert!(p.code_blocks[1].markdown.contains(&MarkdownKind::List));
        let r = &p.step_refs[0];
        assert_eq!(&text[r.span.start..r.span.end], "Step 6");
        assert!(r.in_accidental_code);
        let img = &p.images[0];
        assert_eq!(&text[img.span.start..img.span.end], "![Err](res/e.png)");
        let list = p.lists.iter().find(|l| l.in_accidental_code).unwrap();
        let codes: Vec<_> = list
            .items
            .iter()
            .flat_map(|i| i.codes.iter())
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(codes, ["r_ads", "r_ads_reporting"]);
        assert_eq!(
            &text[list.items[0].codes[0].span.start..list.items[0].codes[0].span.end],
            "`r_ads`"
        );
        assert_eq!(list.lead.as_deref(), Some("Select the following scopes:"));
    }

    #[test]
    fn accidental_code_block_inside_a_list_item() {
        // Review finding: a block indented four columns past the item's content column.
        let text = "# T\n\n## Step 1: A\n\n1. Open the app:\n\n        > **Note:** go back to Step 6.\n        > ![Err](res/e.png)\n\n2. Next\n";
        let p = page(text);
        assert_eq!(p.code_blocks.len(), 1);
        assert!(
            p.code_blocks[0]
                .markdown
                .contains(&MarkdownKind::BlockQuote)
        );
        let r = &p.step_refs[0];
        assert_eq!(&text[r.span.start..r.span.end], "Step 6");
        let img = p.images.iter().find(|i| i.in_accidental_code).unwrap();
        assert_eq!(&text[img.span.start..img.span.end], "![Err](res/e.png)");
    }

    #[test]
    fn real_code_in_indented_block_is_not_accidental() {
        let p = page(
            "Run:\n\n    # install\n    cargo install stepbook\n\nConfig:\n\n    - name: build\n      run: make\n",
        );
        assert!(
            p.code_blocks.iter().all(|c| c.markdown.is_empty()),
            "{:?}",
            p.code_blocks
        );
    }

    #[test]
    fn front_matter_is_not_markdown() {
        let text = "---\ntitle: Install\ntags: [setup, cli]\n# Internal notes\n---\n\n# Install\n\nGo to [the notes](#internal-notes).\n";
        let p = page(text);
        assert_eq!(p.headings.len(), 1);
        assert!(p.undefined_refs.is_empty());
        assert_eq!(p.title, "Install");
        assert_eq!(
            &text[p.links[0].span.start..p.links[0].span.end],
            "[the notes](#internal-notes)"
        );
    }

    #[test]
    fn undefined_references_and_html() {
        let p = page(
            "[a][nolabel] and [b][] and [ok][def] and [x]\n\n[def]: ok.md\n\n<a name=\"n\"></a><img src=\"i.png\">\n",
        );
        let labels: Vec<_> = p.undefined_refs.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["nolabel", "b"]);
        assert_eq!(p.links[0].dest, "ok.md");
        assert!(p.has_anchor("n"));
        assert!(p.images[0].from_html);
    }

    #[test]
    fn malformed_front_matter_is_an_error_with_line() {
        let err = parse_page(
            PathBuf::from("bad.md"),
            "bad.md".into(),
            "bad.md".into(),
            "---\ntitle: [unclosed\n---\n# x\n".into(),
            &ParseOptions::default(),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("bad.md:"), "{msg}");
    }
}
