//! Source positions: byte [`Span`]s carried by the page model, and the [`LineIndex`] that turns
//! them into 1-based line and column numbers only when a diagnostic is printed.
//!
//! Columns count Unicode scalar values (characters), not bytes, as the JSON output promises
//! (SPEC.md, Diagnostics).

use std::ops::Range;

/// A half-open byte range `start..end` into one file's full text (front matter included).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes); `end` is clamped to be at least `start`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// This span moved `by` bytes to the right.
    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// Maps byte offsets of one text to 1-based lines and character columns.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (CommonMark §2.1, so classic Mac files get real
/// line numbers); a line's terminator belongs to the line. Columns are found in bounded time
/// however long the line: the number of characters before every `CHUNK`-byte boundary is kept,
/// so one lookup counts at most `CHUNK` bytes (a 50 MB one-line page with thousands of findings
/// stays linear).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters in `text[..k * CHUNK]`, for every `k`; empty for an ASCII text (where
    /// characters are bytes).
    chars_before_chunk: Vec<usize>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHUNK: usize = 1024;

impl LineIndex {
    /// Indexes the line starts of `text` (O(n) in bytes).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        let chars_before_chunk = if text.is_ascii() {
            Vec::new()
        } else {
            let mut out = Vec::with_capacity(bytes.len() / CHUNK + 1);
            let mut count = 0;
            for chunk in bytes.chunks(CHUNK) {
                out.push(count);
                count += char_starts(chunk);
            }
            out.push(count);
            out
        };
        LineIndex {
            starts,
            chars_before_chunk,
        }
    }

    /// The 1-based line that holds byte `offset` (offsets past the end map to the last line).
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Line and character column of byte `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        LineCol { line, column }
    }

    /// Number of characters in `text[..offset]`, counting at most `CHUNK` bytes.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.chars_before_chunk.is_empty() {
            return offset;
        }
        let k = offset / CHUNK;
        let base = self.chars_before_chunk.get(k).copied().unwrap_or(0);
        base + char_starts(&text.as_bytes()[k * CHUNK..offset])
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Number of characters that start in `bytes` (bytes that are not UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The largest char boundary of `text` that is `<= offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_character_columns() {
        let text = "ab\n✅ cd\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        // "✅" is three bytes but one column.
        let c = text.find('c').unwrap();
        assert_eq!(idx.line_col(text, c), LineCol { line: 2, column: 3 });
        assert_eq!(idx.line_text(text, 2), "✅ cd");
        assert_eq!(idx.line_text(text, 3), "");
        assert_eq!(idx.line(text.len()), 4);
    }

    /// Issue 8: CR-only line endings (classic Mac) put every finding on line 1.
    #[test]
    fn cr_only_and_crlf_line_endings_count_lines() {
        let text = "a\rbb\r\ncc\r\rd";
        let idx = LineIndex::new(text);
        let d = text.find('d').unwrap();
        assert_eq!(idx.line_col(text, d), LineCol { line: 5, column: 1 });
        let c = text.find("cc").unwrap();
        assert_eq!(idx.line_col(text, c + 1), LineCol { line: 3, column: 2 });
        assert_eq!(idx.line_text(text, 2), "bb");
        assert_eq!(idx.line_text(text, 4), "");
    }

    #[test]
    fn columns_on_long_non_ascii_lines_match_a_plain_count() {
        let text: String = "é✅a".repeat(3000);
        let idx = LineIndex::new(&text);
        for offset in [0, 1, 2, 5, 1023, 1024, 1025, 4096, 17_000, text.len()] {
            let offset = floor_char_boundary(&text, offset);
            assert_eq!(
                idx.line_col(&text, offset).column,
                text[..offset].chars().count() + 1,
                "{offset}"
            );
        }
    }
}
