//! Step headings (`## Step 3: …`, and sub-steps `#### Step 3.1: …`, `### Step 3a`) and step
//! references ("see Step 6", "Steps 2–4") found in prose, with the numbers they name.

use super::*;

impl Walker<'_> {
    /// Finds "Step N" mentions in a finished leaf block's prose.
    pub(super) fn step_refs(&mut self, sink: &Sink) {
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
                .and_then(|(_, link)| match link {
                    SinkLink::Kept(i) => self.parts.links.get(*i).map(|l| l.dest.as_str()),
                    SinkLink::Dest(d) => Some(d.as_str()),
                })
                .filter(|d| !d.is_empty() && !d.starts_with('#'))
                .map(str::to_string);
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
}

/// Reads a heading's text as a step heading: `(number, sub-step, title)`.
///
/// `pattern` is the configured step pattern (capture 1 the number, capture 2 the title). Right
/// after the number, `.1` or a single letter (`Step 2.1: …`, `Step 2a - …`) makes the heading
/// a sub-step of step 2. The default pattern wants a word boundary after the number, so
/// `Step 2a` does not match it; with the default pattern such headings are still read as
/// sub-steps.
pub(super) fn step_heading(pattern: &Regex, text: &str) -> Option<(u32, Option<String>, String)> {
    let default = pattern.as_str() == DEFAULT_STEP_PATTERN;
    if default && let Some(step) = default_step_ascii(text) {
        return Some(step);
    }
    step_heading_by_regex(pattern, default, text)
}

/// [`step_heading`] by the regexes alone.
pub(super) fn step_heading_by_regex(
    pattern: &Regex,
    default: bool,
    text: &str,
) -> Option<(u32, Option<String>, String)> {
    // Both default patterns start with `^step`: an ASCII start that is not `step` in any case
    // matches neither (only non-ASCII letters such as `ſ` fold to ASCII ones).
    if default
        && text
            .as_bytes()
            .get(..4)
            .is_none_or(|p| p.is_ascii() && !p.eq_ignore_ascii_case(b"step"))
    {
        return None;
    }
    if let Some(c) = pattern.captures(text)
        && let Some(num) = c.get(1)
        && let Ok(number) = num.as_str().parse::<u32>()
    {
        if let Some(s) = SUB_SUFFIX.captures(&text[num.end()..]) {
            let sub = s.get(1).or(s.get(2)).map(|m| m.as_str().to_string());
            let title = s.get(3).map_or("", |m| m.as_str()).trim().to_string();
            return Some((number, sub, title));
        }
        let title = c.get(2).map_or("", |m| m.as_str()).trim().to_string();
        return Some((number, None, title));
    }
    if !default {
        return None;
    }
    let c = DEFAULT_SUB_STEP.captures(text)?;
    let number = c.get(1)?.as_str().parse::<u32>().ok()?;
    let sub = c.get(2)?.as_str().to_string();
    let title = c.get(3).map_or("", |m| m.as_str()).trim().to_string();
    Some((number, Some(sub), title))
}

/// The default pattern read without a regex, for the common case: an ASCII heading `Step N`
/// with an optional `:`, `.`, `)` or `-` and a title on one line. `None` when the text is not
/// that simple (not ASCII, no match, a possible sub-step, a number too large): then the
/// regexes decide, so the answer is always theirs.
pub(super) fn default_step_ascii(text: &str) -> Option<(u32, Option<String>, String)> {
    let b = text.as_bytes();
    if !text.is_ascii() || b.len() < 6 || !b[..4].eq_ignore_ascii_case(b"step") {
        return None;
    }
    // `\s` on ASCII text: tab, line feed, vertical tab, form feed, carriage return, space.
    let space = |c: u8| matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let mut i = 4;
    while i < b.len() && space(b[i]) {
        i += 1;
    }
    let digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    // At least one space and one digit, then a word boundary that no sub-step suffix (`.1`,
    // `a`) follows.
    if digits == 4 || i == digits || i - digits > 9 {
        return None;
    }
    if b.get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
    {
        return None;
    }
    let number = text[digits..i].parse::<u32>().ok()?;
    while i < b.len() && space(b[i]) {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b':' | b'.' | b')' | b'-') {
        i += 1;
    }
    while i < b.len() && space(b[i]) {
        i += 1;
    }
    // `(.*)$`: the title cannot hold a line break.
    let title = &text[i..];
    if title.contains('\n') {
        return None;
    }
    Some((number, None, title.trim().to_string()))
}

/// What follows a step number to make a sub-step: `.1` or one letter, then the separator and
/// the title (group 3). Group 1 is the number after the dot, group 2 the letter.
static SUB_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\.(\d+)|([a-zA-Z]))(?:$|[\s:.)\-–—])\s*[:.)\-–—]?\s*(.*)$")
        .expect("sub-step pattern is valid")
});

/// `Step 2a: …` under the default pattern (which does not match it).
static DEFAULT_SUB_STEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^step\s+(\d+)([a-z])\b\s*[:.)\-–—]?\s*(.*)$")
        .expect("sub-step pattern is valid")
});

pub(super) static STEP_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        // ASCII word boundaries: the lazy DFA cannot handle Unicode ones on non-ASCII text.
        r"(?i)(?-u:\b)steps?\s+\d+(?:\s*(?:,|–|—|-|(?-u:\b)(?:to|through|and|or)(?-u:\b)|&)\s*\d+)*(?-u:\b)",
    )
    .expect("step reference pattern is valid")
});
pub(super) static NUMBER_OR_SEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+)|(–|—|-|\bto\b|\bthrough\b)").expect("separator pattern is valid")
});

/// The step numbers named by a mention: `Steps 2–4` → 2, 3, 4; `steps 1 and 3` → 1, 3.
pub(super) fn step_numbers(mention: &str) -> Vec<u32> {
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
pub(super) fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let before = text[..start]
        .rfind(['.', '!', '?', ':'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let after = text[end..]
        .find(['.', '!', '?'])
        .map(|i| end + i)
        .unwrap_or(text.len());
    // The words between whitespace (a code placeholder counts as a space), one space apart.
    let mut out = String::with_capacity(after - before);
    for word in text[before..after].split(|c: char| c == '\u{1}' || c.is_whitespace()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}
