//! `broken-step-ref`: prose mentions "Step N" (or "steps N–M") and the guide it refers to has no
//! step N (SPEC.md, Rules). A mention that is the text of a link to another page
//! (`[Step 2](SETUP.md#step-2-…)`) is checked against that page's steps; any other mention is
//! checked against the steps of its own page, and only when that page has steps (a guide without
//! steps may well mention another product's "Step 3").
//!
//! The help names the step whose title matches the sentence around the mention ([`best_step`]:
//! it shares two words with it, or every word of a short title), else the existing step nearest
//! the number written, which for a mention past the end is the last step ([`nearest_step`]).
//! Mentions inside an accidental indented code block are checked as the prose they were meant
//! to be. Cases: `../shared/cases/21-step-ref-beyond-last`,
//! `tests/fixtures/rules/broken-step-ref/beyond-last-of-three` (a single shared word, "app",
//! used to send "Step 4" of a three-step guide to Step 1).

use std::collections::{BTreeSet, HashMap};

use crate::check::{Context, Finding, OtherPage, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::{Page, Step};
use crate::resolve::{self, Found, Target};

/// The rule.
pub struct BrokenStepRef;

static META: RuleMeta = RuleMeta {
    id: "broken-step-ref",
    default_level: Level::Error,
    summary: "prose mentions a step number the guide does not have",
    docs: include_str!("broken-step-ref.md"),
};

impl Rule for BrokenStepRef {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        // The step numbers (and title stems, for suggestions) of each guide that mentions
        // point into, computed once per guide: linear in the number of mentions.
        let mut guides: HashMap<*const Step, GuideSteps<'_>> = HashMap::new();
        for r in &page.step_refs {
            // The steps of the guide the mention names, and how to call it in a message.
            let written;
            let (steps, other): (&[Step], Option<&str>) = match &r.target {
                None => (&page.steps, None),
                Some(dest) => match target_page(cx, page, dest) {
                    Some(p) if p.rel == page.rel => (&page.steps, None),
                    Some(p) => {
                        written = link_path(dest);
                        (p.facts.steps, Some(written.as_str()))
                    }
                    // Not a Markdown page of this site (external, missing: broken-link's job).
                    None => continue,
                },
            };
            if steps.is_empty() {
                continue;
            }
            let steps = guides
                .entry(steps.as_ptr())
                .or_insert_with(|| GuideSteps::new(steps));
            let missing: Vec<u32> = r
                .numbers
                .iter()
                .copied()
                .filter(|n| !steps.numbers.contains(n))
                .collect();
            if missing.is_empty() {
                continue;
            }
            for n in missing {
                let message = match other {
                    Some(name) => format!("reference to Step {n}, but {name} has no Step {n}"),
                    None => format!(
                        "reference to Step {n}, but {}",
                        describe_steps("this guide", &steps.numbers)
                    ),
                };
                let mut finding = Finding::new(page, r.span, message);
                let place = other.map(|name| format!(" of {name}")).unwrap_or_default();
                if let Some(step) = steps.best(&r.sentence, n) {
                    finding = finding.help(format!(
                        "did you mean Step {}{place} \"{}\"?",
                        step.number, step.title
                    ));
                } else if let Some(step) = nearest_step(steps.steps, n) {
                    let last = steps.numbers.last() == Some(&step.number);
                    let whose = if other.is_some() { "its" } else { "the" };
                    let note = if last && n > step.number {
                        format!(", {whose} last step")
                    } else {
                        String::new()
                    };
                    finding = finding.help(format!(
                        "did you mean Step {}{place} \"{}\"{note}?",
                        step.number, step.title
                    ));
                } else if let Some(name) = other {
                    finding = finding.help(describe_steps(name, &steps.numbers));
                }
                out.push(finding);
            }
        }
    }
}

/// A guide's steps as the rule reads them, built once per guide and check.
struct GuideSteps<'p> {
    steps: &'p [Step],
    /// Every step number the guide has.
    numbers: BTreeSet<u32>,
    /// The word stems of each step title (same order as `steps`), computed at the first
    /// suggestion.
    title_stems: Option<Vec<BTreeSet<String>>>,
}

impl<'p> GuideSteps<'p> {
    fn new(steps: &'p [Step]) -> Self {
        GuideSteps {
            steps,
            numbers: steps.iter().map(|s| s.number).collect(),
            title_stems: None,
        }
    }

    /// [`best_step`] with the title stems computed once.
    fn best(&mut self, sentence: &str, mentioned: u32) -> Option<&'p Step> {
        let steps = self.steps;
        let titles = self
            .title_stems
            .get_or_insert_with(|| steps.iter().map(|s| stems(&s.title)).collect());
        best_by_stems(&stems(sentence), steps, titles, mentioned)
    }
}

/// The Markdown page that `dest` (written in `page`) points at, if it is one of the site's pages.
fn target_page<'a>(cx: &Context<'a>, page: &Page, dest: &str) -> Option<OtherPage<'a>> {
    match cx.resolve(page, dest) {
        Target::Site {
            found: Found::File(path) | Found::DirIndex(path),
            ..
        } => cx.page(&path),
        _ => None,
    }
}

/// The path of a link destination as its author wrote it, decoded and without the fragment
/// (`CREDENTIALS.md#step-4` → `CREDENTIALS.md`): how messages name the other guide.
fn link_path(dest: &str) -> String {
    resolve::decode(resolve::split_fragment(dest.trim()).0).into_owned()
}

/// "`subject` only has Steps 1 to 5" for a complete sequence, "… only has Steps 1, 2 and 4"
/// otherwise.
fn describe_steps(subject: &str, numbers: &BTreeSet<u32>) -> String {
    let (Some(&first), Some(&last)) = (numbers.first(), numbers.last()) else {
        return format!("{subject} has no steps");
    };
    let contiguous = usize::try_from(last - first + 1).ok() == Some(numbers.len());
    match (contiguous, numbers.len()) {
        (true, 1) => format!("{subject} only has Step {first}"),
        (true, 2) => format!("{subject} only has Steps {first} and {last}"),
        (true, _) => format!("{subject} only has Steps {first} to {last}"),
        (false, _) => format!("{subject} only has Steps {}", list_numbers(numbers)),
    }
}

/// `1, 2 and 4`.
fn list_numbers(numbers: &BTreeSet<u32>) -> String {
    let v: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match v.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => v.join(""),
    }
}

/// Words that say nothing about which step is meant.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "go", "has",
    "have", "if", "in", "into", "is", "it", "its", "make", "must", "not", "of", "on", "or", "step",
    "steps", "sure", "that", "the", "then", "there", "this", "to", "was", "were", "when", "will",
    "with", "you", "your",
];

/// A crude stem: lowercase, then drop one trailing "ing", "ed", "es" or "s" (not "ss") and a
/// trailing "e", so that "requested", "requests" and "request" compare equal, as do "approve"
/// and "approved".
fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    let mut s = w.as_str();
    for suffix in ["ing", "ed", "es", "s"] {
        if s.len() > suffix.len() + 2
            && s.ends_with(suffix)
            && !(suffix == "s" && s.ends_with("ss"))
        {
            s = &s[..s.len() - suffix.len()];
            break;
        }
    }
    if s.len() > 3 {
        s = s.strip_suffix('e').unwrap_or(s);
    }
    s.to_string()
}

/// The stems of the meaningful words of `text`: split on anything but letters, digits and
/// apostrophes; stop-words and numbers dropped.
fn stems(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .map(stem)
        .collect()
}

/// The step whose title matches `sentence` (the sentence around a mention of Step
/// `mentioned`): among the titles that share at least two word stems with it, or every stem of
/// a title of one word, the one that shares the most; ties go to the step nearest `mentioned`,
/// then to the lower number. `None` when no title matches: one shared word ("app", "image") is
/// no evidence in a guide whose titles all say it, and the nearest step then says more
/// ([`nearest_step`]).
pub fn best_step<'a>(sentence: &str, steps: &'a [Step], mentioned: u32) -> Option<&'a Step> {
    let titles: Vec<BTreeSet<String>> = steps.iter().map(|s| stems(&s.title)).collect();
    best_by_stems(&stems(sentence), steps, &titles, mentioned)
}

/// [`best_step`] over precomputed stems (`titles[i]` belongs to `steps[i]`).
fn best_by_stems<'a>(
    words: &BTreeSet<String>,
    steps: &'a [Step],
    titles: &[BTreeSet<String>],
    mentioned: u32,
) -> Option<&'a Step> {
    steps
        .iter()
        .zip(titles)
        .filter(|(s, _)| s.sub.is_none())
        .map(|(s, t)| (t.intersection(words).count(), t.len(), s))
        .filter(|&(shared, len, _)| shared >= 2 || (shared > 0 && shared == len))
        .min_by(|a, b| {
            b.0.cmp(&a.0)
                .then(
                    a.2.number
                        .abs_diff(mentioned)
                        .cmp(&b.2.number.abs_diff(mentioned)),
                )
                .then(a.2.number.cmp(&b.2.number))
        })
        .map(|(_, _, s)| s)
}

/// The step (not a sub-step) whose number is nearest `mentioned`, the lower on a tie: the last
/// step for a mention past the end, the first for one before it.
pub fn nearest_step(steps: &[Step], mentioned: u32) -> Option<&Step> {
    steps
        .iter()
        .filter(|s| s.sub.is_none())
        .min_by_key(|s| (s.number.abs_diff(mentioned), s.number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn step(number: u32, title: &str) -> Step {
        Step {
            number,
            sub: None,
            title: title.to_string(),
            heading: 0,
            span: Span::default(),
        }
    }

    #[test]
    fn stems_match_simple_variants() {
        assert_eq!(stem("requested"), "request");
        assert_eq!(stem("Requests"), "request");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("approved"), stem("approve"));
        assert_eq!(stem("advertising"), stem("Advertise"));
    }

    #[test]
    fn best_step_prefers_most_shared_words_then_lower_number() {
        let steps = [
            step(1, "Create a LinkedIn App"),
            step(2, "Verify the App"),
            step(3, "Request Access to the Advertising API"),
            step(4, "Generate an Access Token"),
        ];
        let s = "make sure you requested access to the Advertising API in Step 6";
        assert_eq!(best_step(s, &steps, 6).map(|s| s.number), Some(3));
        // One shared word of a two-word title is no match; nothing in common neither.
        assert_eq!(best_step("open the app", &steps, 5), None);
        assert_eq!(best_step("nothing in common here", &steps, 5), None);
        // Every word of a one-word title matches.
        let short = [step(1, "Download"), step(2, "Configure"), step(3, "Deploy")];
        let s = "download the archive again, then go on with Step 4";
        assert_eq!(best_step(s, &short, 4).map(|s| s.number), Some(1));
    }

    #[test]
    fn equal_matches_go_to_the_step_nearest_the_mention() {
        let steps = [
            step(1, "Create the app key"),
            step(2, "Rotate the app key"),
            step(3, "Revoke the app key"),
        ];
        let s = "keep the app key safe until Step 4";
        assert_eq!(best_step(s, &steps, 4).map(|s| s.number), Some(3));
    }

    #[test]
    fn the_nearest_step_is_the_last_past_the_end() {
        let steps = [step(1, "A"), step(2, "B"), step(4, "D")];
        let near = |n| nearest_step(&steps, n).map(|s| s.number);
        assert_eq!(near(9), Some(4));
        assert_eq!(near(3), Some(2));
        assert_eq!(near(0), Some(1));
        assert_eq!(nearest_step(&[], 3), None);
    }

    #[test]
    fn describes_step_sets() {
        let set = |v: &[u32]| v.iter().copied().collect::<BTreeSet<u32>>();
        let g = "this guide";
        assert_eq!(
            describe_steps(g, &set(&[1, 2, 3, 4, 5])),
            "this guide only has Steps 1 to 5"
        );
        assert_eq!(describe_steps(g, &set(&[1])), "this guide only has Step 1");
        assert_eq!(
            describe_steps(g, &set(&[1, 2, 4])),
            "this guide only has Steps 1, 2 and 4"
        );
        assert_eq!(
            describe_steps("SETUP.md", &set(&[1, 2])),
            "SETUP.md only has Steps 1 and 2"
        );
    }
}
