//! The block-level walk: the pulldown-cmark event loop, container starts and ends (headings,
//! paragraphs, lists, tables, code blocks, links, images) and the top-level block sequence.

use super::*;

impl<'a> Walker<'a> {
    pub(super) fn new(
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
            spare_sinks: Vec::new(),
        }
    }

    /// An empty sink for a block of `len` source bytes, reusing the buffers of a finished one.
    fn sink(&mut self, len: usize) -> Sink {
        let mut sink = self.spare_sinks.pop().unwrap_or_default();
        sink.text.reserve(len);
        sink
    }

    /// Keeps a finished sink's buffers for the next block.
    fn recycle(&mut self, mut sink: Sink) {
        sink.text.clear();
        sink.pieces.clear();
        sink.codes.clear();
        sink.links.clear();
        sink.images = 0;
        sink.merged_text.clear();
        sink.merged_codes.clear();
        self.spare_sinks.push(sink);
    }

    pub(super) fn run(&mut self, keep_events: bool) {
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

    pub(super) fn event(&mut self, event: Event<'_>, r: Range<usize>) {
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

    /// The text of the current lead paragraph, if any (see [`Lead`]).
    pub(super) fn lead_text(&self) -> Option<String> {
        match self.lead.as_ref()? {
            Lead::Paragraph(i) => self.parts.paragraphs.get(*i).map(|p| p.text.clone()),
            Lead::Text(t) => Some(t.clone()),
        }
    }

    /// Takes the current lead paragraph's text (see [`Lead`]).
    fn take_lead(&mut self) -> Option<String> {
        match self.lead.take()? {
            Lead::Paragraph(i) => self.parts.paragraphs.get(i).map(|p| p.text.clone()),
            Lead::Text(t) => Some(t),
        }
    }

    pub(super) fn set_top(&mut self, kind: BlockKind) {
        if self.depth == 1
            && let Some(top) = self.top.as_mut()
        {
            top.1 = kind;
        }
    }

    pub(super) fn start(&mut self, tag: Tag<'_>, r: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                let sink = self.sink(r.len());
                self.sinks.push(sink);
                self.in_item_paragraph.push(!self.open_items.is_empty());
                self.set_top(BlockKind::Paragraph { image_only: false });
            }
            Tag::Heading { level, .. } => {
                self.heading_level = heading_level(level);
                self.sinks.push(Sink::for_block(r.len()));
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
                    CodeBlockKind::Fenced(info) => CodeKind::Fenced(info.into_string()),
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
                let lead = self.take_lead();
                self.parts.lists.push(List {
                    start,
                    span: self.mapper.span(&r),
                    items: Vec::new(),
                    depth: self.open_lists.len(),
                    lead,
                    in_accidental_code: self.accidental,
                });
                self.open_lists.push(idx);
            }
            Tag::Item => {
                self.open_items.push(r);
                let sink = self.sink(0);
                self.sinks.push(sink);
            }
            Tag::Table(_) => {
                let idx = self.parts.tables.len();
                self.set_top(BlockKind::Table(idx));
                self.table = Some((
                    Table {
                        span: self.mapper.span(&r),
                        header: Vec::new(),
                        rows: Vec::new(),
                        lead: self.take_lead(),
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
                    dest: dest_url.into_string(),
                    kind,
                    range: r,
                    text: String::new(),
                    text_start,
                });
            }
            Tag::Image { dest_url, .. } => {
                self.parts.kinds.insert(MarkdownKind::Image);
                self.images.push(ImageFrame {
                    src: dest_url.into_string(),
                    range: r,
                    alt: String::new(),
                });
            }
            _ => {}
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd, r: Range<usize>) {
        match tag {
            TagEnd::Paragraph => {
                let mut sink = self.sinks.pop().unwrap_or_default();
                let in_item = self.in_item_paragraph.pop().unwrap_or(false);
                self.step_refs(&sink);
                let image_only = sink.images > 0 && sink.text.trim().is_empty();
                self.set_top(BlockKind::Paragraph { image_only });
                if in_item && let Some(item) = self.sinks.last_mut() {
                    if !item.merged_text.is_empty() {
                        item.merged_text.push(' ');
                    }
                    item.merged_text.push_str(&sink.text);
                    item.merged_codes.extend(sink.codes.iter().cloned());
                }
                let index = self.parts.paragraphs.len();
                let mut text = std::mem::take(&mut sink.text);
                text.shrink_to_fit();
                self.parts.paragraphs.push(Paragraph {
                    span: self.mapper.span(&r),
                    text,
                    codes: std::mem::take(&mut sink.codes),
                    in_accidental_code: self.accidental,
                });
                if !image_only {
                    self.lead = Some(Lead::Paragraph(index));
                }
                self.recycle(sink);
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
                let mut sink = self.sinks.pop().unwrap_or_default();
                let range = self.open_items.pop().unwrap_or(r);
                self.step_refs(&sink);
                let mut text = sink.text.trim().to_string();
                if !sink.merged_text.is_empty() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&sink.merged_text);
                }
                let mut codes = std::mem::take(&mut sink.codes);
                codes.append(&mut sink.merged_codes);
                let item = ListItem {
                    span: self.mapper.span(&range),
                    text,
                    codes,
                };
                if let Some(&idx) = self.open_lists.last() {
                    self.parts.lists[idx].items.push(item);
                }
                self.recycle(sink);
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
                    let dest = match l.kind {
                        Some(kind) => {
                            self.parts.links.push(Link {
                                dest: l.dest,
                                text: l.text,
                                span: self.mapper.span(&l.range),
                                kind,
                                in_accidental_code: self.accidental,
                            });
                            SinkLink::Kept(self.parts.links.len() - 1)
                        }
                        None => SinkLink::Dest(l.dest),
                    };
                    if let Some(s) = self.sinks.last_mut() {
                        s.links.push((l.text_start..s.text.len(), dest));
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
}

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
