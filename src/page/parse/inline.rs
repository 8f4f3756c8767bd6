//! Inline content: text and code spans collected into the current leaf block, headings finished
//! with their ids, and raw HTML scanned for ids, links and images.

use super::steps::step_heading;
use super::*;

impl Walker<'_> {
    pub(super) fn text(&mut self, t: &str, r: Range<usize>) {
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

    pub(super) fn code_span(&mut self, t: &str, r: Range<usize>) {
        if let Some(img) = self.images.last_mut() {
            img.alt.push_str(t);
            return;
        }
        // The heading's own sink is the last one, in a list item or a block quote too.
        let in_heading = self.heading_level > 0;
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

    pub(super) fn heading(&mut self, sink: Sink, r: &Range<usize>) {
        let level = self.heading_level;
        self.heading_level = 0;
        if self.accidental {
            return;
        }
        let mut text = sink.text;
        let trimmed = text.trim();
        if trimmed.len() != text.len() {
            text = trimmed.to_string();
        }
        let id = self.slugger.slug(&text);
        let span = self.mapper.span(r);
        let index = self.parts.headings.len();
        if let Some((number, sub, title)) = step_heading(&self.opts.step_pattern, &text) {
            self.parts.steps.push(Step {
                number,
                sub,
                title,
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

    pub(super) fn html(&mut self, html: &str, input_off: usize) {
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
                HtmlItem::MalformedIgnore { problem, range } => {
                    let span = self
                        .mapper
                        .span(&(input_off + range.0..input_off + range.1));
                    self.parts
                        .malformed_suppressions
                        .push(MalformedSuppression { problem, span });
                }
            }
        }
    }
}
