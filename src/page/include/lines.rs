//! Which lines of an included file a directive takes: mdBook's line ranges and named anchors,
//! and `rustdoc_include`'s hidden lines.

use std::sync::LazyLock;

use regex::Regex;

use super::{Expander, Problem};
use crate::page::source_map::Mapped;

static ANCHOR_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR:\s*(?P<anchor_name>[\w_-]+)").expect("anchor pattern is valid")
});
static ANCHOR_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR_END:\s*(?P<anchor_name>[\w_-]+)").expect("anchor pattern is valid")
});

/// Which lines of a file a directive takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Select {
    /// 0-based start (inclusive) and end (exclusive); `None` is open.
    Lines(Option<usize>, Option<usize>),
    /// Between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// mdBook's `parse_range_or_anchor`.
pub(super) fn parse_select(spec: Option<&str>) -> Select {
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first.map(|v| (v, v.parse::<usize>())) {
        // Line numbers count from 1.
        Some((_, Ok(n))) => Some(n.saturating_sub(1)),
        Some(("", _)) | None => None,
        Some((anchor, Err(_))) => return Select::Anchor(anchor.to_string()),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(s), Some(Ok(e))) => Select::Lines(Some(s), Some(e)),
        (Some(s), Some(Err(_))) => Select::Lines(Some(s), None),
        (Some(s), None) => Select::Lines(Some(s), Some(s + 1)),
        (None, Some(Ok(e))) => Select::Lines(None, Some(e)),
        (None, _) => Select::Lines(None, None),
    }
}

impl Expander<'_> {
    /// The lines `sel` takes from `whole` (joined with `\n`); `hide` puts the others behind `# `
    /// (rustdoc_include). Records a problem for a range that is empty or starts past the end, or a missing anchor.
    pub(super) fn select(
        &mut self,
        whole: &Mapped,
        sel: &Select,
        hide: bool,
        shown: &str,
        problem_at: &dyn Fn(String, Option<String>) -> Problem,
    ) -> Mapped {
        let lines = whole.lines();
        let n = lines.len();
        let keep: Vec<Option<bool>> = match sel {
            Select::Lines(start, end) => {
                let s = start.unwrap_or(0);
                let e = end.unwrap_or(n);
                if start.is_some() && end.is_some() && e <= s {
                    self.problems.push(problem_at(
                        format!(
                            "the range {}:{e} of {shown} ends before it starts, so it takes no line",
                            s + 1
                        ),
                        Some("write the first line, then the last: `file:START:END`".into()),
                    ));
                } else if start.is_some() && s >= n {
                    self.problems.push(problem_at(
                        format!(
                            "the range starts at line {} but {shown} has {n} line{}",
                            s + 1,
                            if n == 1 { "" } else { "s" }
                        ),
                        Some("line numbers count from 1 and include the last line".into()),
                    ));
                }
                // A range that ends past the last line takes the lines up to the end, as
                // mdBook does (the Rust Book asks for lines 6 to 12 of an 11-line file).
                (0..n).map(|i| Some(i >= s && i < e)).collect()
            }
            Select::Anchor(name) => {
                let mut inside = false;
                let mut found = false;
                // A plain include stops at the anchor's end (mdBook's take_anchored_lines).
                let mut done = false;
                let keep = lines
                    .iter()
                    .map(|r| {
                        let l = &whole.text[r.clone()];
                        if done {
                            Some(false)
                        } else if inside {
                            if let Some(c) = ANCHOR_END.captures(l) {
                                if &c["anchor_name"] == name {
                                    inside = false;
                                    done = !hide;
                                }
                                None
                            } else if ANCHOR_START.is_match(l) {
                                None
                            } else {
                                Some(true)
                            }
                        } else if let Some(c) = ANCHOR_START.captures(l) {
                            if &c["anchor_name"] == name {
                                inside = true;
                                found = true;
                            }
                            // mdBook's plain include drops other anchor lines only inside.
                            if hide { None } else { Some(false) }
                        } else if hide && ANCHOR_END.is_match(l) {
                            None
                        } else {
                            Some(false)
                        }
                    })
                    .collect();
                if !found {
                    self.problems.push(problem_at(
                        format!("{shown} has no anchor `{name}`"),
                        Some(format!(
                            "mark the lines with `ANCHOR: {name}` and `ANCHOR_END: {name}` comments"
                        )),
                    ));
                }
                keep
            }
        };
        let mut m = Mapped::default();
        let mut first = true;
        for (r, k) in lines.iter().zip(keep) {
            let shown_line = match k {
                None => continue,
                Some(true) => true,
                Some(false) if hide => false,
                Some(false) => continue,
            };
            if !first {
                m.synth("\n", whole.origin(r.start.saturating_sub(1)));
            }
            first = false;
            if !shown_line {
                m.synth("# ", whole.origin(r.start));
            }
            m.copy(whole, r.clone());
        }
        m
    }
}
