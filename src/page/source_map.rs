//! Where each byte of a page's expanded text came from: mdBook's directives
//! ([`super::include`]) copy text from other files, and an external preprocessor may rewrite a
//! page; the [`SourceMap`] maps every byte back to a file and offset, so a finding names the
//! file and line the reader must edit. Made-up text maps to the nearest real place.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::source::Span;

/// A file the expanded text draws on.
#[derive(Debug, Clone)]
pub struct MappedFile {
    /// The file on disk (index 0: the page itself).
    pub path: PathBuf,
    /// Its path as diagnostics print it (relative to the project folder, `/`-separated).
    pub file: String,
    /// Its text as read.
    pub text: Arc<str>,
}

/// One run of the expanded text: from `out` up to the next segment's `out`, copied from `file`
/// at `src` (`verbatim`), or made up and attributed to offset `src` of `file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    out: usize,
    file: u32,
    src: usize,
    verbatim: bool,
}

/// Maps byte offsets of an expanded page back to the files they came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<MappedFile>,
    segs: Vec<Seg>,
}

impl SourceMap {
    /// The map of `text`, drawing on `files` (index 0: the page).
    pub(super) fn new(files: Vec<MappedFile>, text: Mapped) -> SourceMap {
        SourceMap {
            files,
            segs: text.segs,
        }
    }

    /// The map of a text that is the file `page` as read, whole.
    fn whole(page: MappedFile) -> SourceMap {
        SourceMap {
            files: vec![page],
            segs: vec![Seg {
                out: 0,
                file: 0,
                src: 0,
                verbatim: true,
            }],
        }
    }

    /// `new` (a rewrite of `old_text`, whose map is `map`, or the file `page` as read when
    /// there is none) with its map: unchanged lines keep theirs (see [`rewrite`]).
    pub(super) fn rewritten(
        map: Option<SourceMap>,
        page: MappedFile,
        old_text: String,
        new: &str,
    ) -> (String, SourceMap) {
        let map = map.unwrap_or_else(|| SourceMap::whole(page));
        let old = Mapped {
            text: old_text,
            segs: map.segs,
        };
        let m = rewrite(&old, new);
        debug_assert_eq!(m.text, new);
        (
            m.text,
            SourceMap {
                files: map.files,
                segs: m.segs,
            },
        )
    }

    /// [`SourceMap::rewritten`] for a rewrite that keeps every line where it was (MkDocs'
    /// blocks and list items, [`super::mkdocs_blocks`]): line `i` of `new` is mapped from line
    /// `i` of the old text, its unchanged start and end verbatim. A line diff could pair a
    /// blank line with another blank line further on, and attribute the changed lines between
    /// to the first of them. Falls back to [`SourceMap::rewritten`] when the line counts
    /// differ.
    pub(super) fn rewritten_in_place(
        map: Option<SourceMap>,
        page: MappedFile,
        old_text: String,
        new: &str,
    ) -> (String, SourceMap) {
        if old_text.split_inclusive('\n').count() != new.split_inclusive('\n').count() {
            return SourceMap::rewritten(map, page, old_text, new);
        }
        let map = map.unwrap_or_else(|| SourceMap::whole(page));
        let old = Mapped {
            text: old_text,
            segs: map.segs,
        };
        let mut m = Mapped::default();
        let mut at = 0;
        for (was, now) in old
            .text
            .split_inclusive('\n')
            .zip(new.split_inclusive('\n'))
        {
            let range = at..at + was.len();
            at = range.end;
            if was == now {
                m.copy(&old, range);
            } else {
                rewrite_line(&old, range, now, &mut m);
            }
        }
        debug_assert_eq!(m.text, new);
        (
            m.text,
            SourceMap {
                files: map.files,
                segs: m.segs,
            },
        )
    }

    /// The files the text draws on; index 0 is the page itself.
    /// `text` (whose map is `map`, or the file `page` as read when there is none) with the
    /// texts of `extra` appended, each after a blank line (made up, attributed to the end of
    /// `text`) and mapped to its own file: what MkDocs' snippets `auto_append` does to a page.
    pub(super) fn appended(
        map: Option<SourceMap>,
        page: MappedFile,
        text: String,
        extra: &[MappedFile],
    ) -> (String, SourceMap) {
        let mut map = map.unwrap_or_else(|| SourceMap::whole(page));
        let mut m = Mapped {
            text,
            segs: std::mem::take(&mut map.segs),
        };
        for file in extra {
            let end = m.origin(m.text.len().saturating_sub(1));
            let sep = if m.text.ends_with('\n') { "\n" } else { "\n\n" };
            m.synth(sep, end);
            let index = u32::try_from(map.files.len()).unwrap_or(u32::MAX);
            m.copy(&Mapped::file(index, &file.text), 0..file.text.len());
            map.files.push(file.clone());
        }
        map.segs = m.segs;
        (m.text, map)
    }

    /// The files the text was drawn from: the page first (index 0), then those it includes or
    /// has appended.
    pub fn files(&self) -> &[MappedFile] {
        &self.files
    }

    /// The file (index into [`SourceMap::files`]) and span there that `span` of the expanded
    /// text came from. A span that runs past its first segment is cut at that segment's end.
    pub fn locate(&self, span: Span) -> (usize, Span) {
        let Some(i) = self.seg_at(span.start) else {
            return (0, span);
        };
        let seg = self.segs[i];
        let start = seg.src
            + if seg.verbatim {
                span.start - seg.out
            } else {
                0
            };
        let end = if seg.verbatim {
            let seg_end = self.segs.get(i + 1).map_or(usize::MAX, |s| s.out);
            seg.src + span.end.min(seg_end).saturating_sub(seg.out)
        } else {
            start
        };
        (seg.file as usize, Span::new(start, end))
    }

    /// For text at `off` of the expanded page that an include brought in: the offset in the
    /// page (file 0) of the directive that did (the outermost one, for nested includes).
    /// `None` for the page's own text.
    pub fn included_at(&self, off: usize) -> Option<usize> {
        let i = self.seg_at(off)?;
        if self.segs[i].file == 0 {
            return None;
        }
        // The page's text before the included text ends where the directive starts; made-up
        // text (a line prefix) is attributed to the directive itself.
        let before = self.segs[..i].iter().rposition(|s| s.file == 0);
        Some(match before {
            None => 0,
            Some(j) if self.segs[j].verbatim => {
                self.segs[j].src + (self.segs[j + 1].out - self.segs[j].out)
            }
            Some(j) => self.segs[j].src,
        })
    }

    /// " (via the include at src/page.md:3)": where in the page (offset `page_offset` of file
    /// 0) the include that brought a finding's text in sits, for messages.
    pub fn via(&self, page_offset: usize) -> String {
        self.via_named(page_offset, |f| f.to_string())
    }

    /// [`SourceMap::via`] with the page's file (relative to the project root) named by `name`
    /// (from the current directory, as findings name files).
    pub fn via_named(&self, page_offset: usize, name: impl Fn(&str) -> String) -> String {
        let Some(page) = self.files.first() else {
            return String::new();
        };
        let at = page_offset.min(page.text.len());
        let line = page.text.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!(" (via the include at {}:{line})", name(&page.file))
    }

    fn seg_at(&self, off: usize) -> Option<usize> {
        let n = self.segs.partition_point(|s| s.out <= off);
        n.checked_sub(1)
    }
}

/// `new` as a [`Mapped`] whose unchanged lines are copied from `old` (see
/// [`super::include::Expansion::replace_text`]).
fn rewrite(old: &Mapped, new: &str) -> Mapped {
    use similar::DiffOp;
    let starts = |t: &str| -> Vec<usize> {
        let mut v = vec![0];
        v.extend(t.match_indices('\n').map(|(i, _)| i + 1));
        if *v.last().unwrap_or(&0) != t.len() {
            v.push(t.len());
        }
        v
    };
    let (os, ns) = (starts(&old.text), starts(new));
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or_else(|| *v.last().unwrap_or(&0));
    let mut m = Mapped::default();
    let diff = similar::TextDiff::from_lines(old.text.as_str(), new);
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                m.copy(old, at(&os, old_index)..at(&os, old_index + len));
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                let text = &new[at(&ns, new_index)..at(&ns, new_index + new_len)];
                m.synth(text, old.origin(at(&os, old_index)));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                if old_len == new_len {
                    for i in 0..old_len {
                        let o = at(&os, old_index + i)..at(&os, old_index + i + 1);
                        let n = &new[at(&ns, new_index + i)..at(&ns, new_index + i + 1)];
                        rewrite_line(old, o, n, &mut m);
                    }
                } else {
                    let text = &new[at(&ns, new_index)..at(&ns, new_index + new_len)];
                    m.synth(text, old.origin(at(&os, old_index)));
                }
            }
        }
    }
    m
}

/// Appends `new` (a changed line) to `m`, copying from `old[range]` its unchanged start and end.
fn rewrite_line(old: &Mapped, range: Range<usize>, new: &str, m: &mut Mapped) {
    let was = &old.text[range.clone()];
    let mut prefix = was
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = was.len().min(new.len()) - prefix;
    let mut suffix = was
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    m.copy(old, range.start..range.start + prefix);
    m.synth(
        &new[prefix..new.len() - suffix],
        old.origin(range.start + prefix),
    );
    m.copy(old, range.end - suffix..range.end);
}

/// Text with, for every run of it, where it came from.
#[derive(Debug, Clone, Default)]
pub(super) struct Mapped {
    pub(super) text: String,
    segs: Vec<Seg>,
}

impl Mapped {
    /// The whole of file `file`'s `text`.
    pub(super) fn file(file: u32, text: &str) -> Mapped {
        Mapped {
            text: text.to_string(),
            segs: vec![Seg {
                out: 0,
                file,
                src: 0,
                verbatim: true,
            }],
        }
    }

    fn push_seg(&mut self, seg: Seg) {
        if let Some(last) = self.segs.last_mut() {
            if last.out == seg.out {
                *last = seg;
                return;
            }
            let len = seg.out - last.out;
            let same_file = last.file == seg.file;
            let continues_copy =
                last.verbatim && seg.verbatim && same_file && last.src + len == seg.src;
            let same_made_up = !last.verbatim && !seg.verbatim && same_file && last.src == seg.src;
            if continues_copy || same_made_up {
                return;
            }
        }
        self.segs.push(seg);
    }

    /// Appends `from.text[range]` with its origins.
    pub(super) fn copy(&mut self, from: &Mapped, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let first = from.segs.partition_point(|s| s.out <= range.start).max(1) - 1;
        for (i, seg) in from.segs.iter().enumerate().skip(first) {
            let seg_end = from.segs.get(i + 1).map_or(from.text.len(), |s| s.out);
            let s = seg.out.max(range.start);
            let e = seg_end.min(range.end);
            if s >= range.end {
                break;
            }
            if s >= e {
                continue;
            }
            self.push_seg(Seg {
                out: self.text.len(),
                file: seg.file,
                src: if seg.verbatim {
                    seg.src + (s - seg.out)
                } else {
                    seg.src
                },
                verbatim: seg.verbatim,
            });
            self.text.push_str(&from.text[s..e]);
        }
    }

    /// Appends made-up `text`, attributed to offset `src` of `file`.
    pub(super) fn synth(&mut self, text: &str, (file, src): (u32, usize)) {
        if text.is_empty() {
            return;
        }
        self.push_seg(Seg {
            out: self.text.len(),
            file,
            src,
            verbatim: false,
        });
        self.text.push_str(text);
    }

    /// Where offset `off` came from.
    pub(super) fn origin(&self, off: usize) -> (u32, usize) {
        let i = self.segs.partition_point(|s| s.out <= off).max(1) - 1;
        match self.segs.get(i) {
            Some(s) if s.verbatim => (s.file, s.src + (off - s.out)),
            Some(s) => (s.file, s.src),
            None => (0, 0),
        }
    }

    /// Byte ranges of the lines as [`str::lines`] yields them (no `\n`, no trailing `\r`).
    pub(super) fn lines(&self) -> Vec<Range<usize>> {
        line_ranges(&self.text)
    }
}

/// Byte ranges of `text`'s lines as [`str::lines`] yields them.
pub(super) fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if text[start..i].ends_with('\r') {
            i - 1
        } else {
            i
        };
        out.push(start..end);
        start = i + 1;
    }
    if start < text.len() {
        let end = if text.ends_with('\r') {
            text.len() - 1
        } else {
            text.len()
        };
        out.push(start..end);
    }
    out
}
