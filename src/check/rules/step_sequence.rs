//! `step-sequence`: the step headings of one page are numbered 1, 2, 3 … without gaps or
//! repeats (SPEC.md, Rules). Case: `../shared/cases/23-step-numbering-gap`.
//!
//! A page may hold several procedures, each under its own section ("## On Linux" with
//! "### Step 1" …, then "## On macOS" with "### Step 1" …): a step numbered 1 (or 0) that
//! follows a non-step heading of a higher level than its own starts a new sequence. A guide may
//! start at Step 0. Sub-steps nested under a step (`#### Step 2.1: …` under `## Step 2`) belong
//! to it: they are not repeats, but one that names another step than the one it sits under is
//! reported. Sub-steps at the level of the steps (`### Step 2a`, `### Step 2b` next to
//! `### Step 1`: two ways to do step 2) carry the sequence on.

use std::collections::BTreeSet;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The rule.
pub struct StepSequence;

static META: RuleMeta = RuleMeta {
    id: "step-sequence",
    default_level: Level::Error,
    summary: "step headings are not numbered 1, 2, 3 … without gaps or repeats",
    docs: include_str!("step-sequence.md"),
};

impl Rule for StepSequence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let mut seen: BTreeSet<u32> = BTreeSet::new();
        let mut prev: Option<u32> = None;
        let mut prev_heading: Option<usize> = None;
        for step in &page.steps {
            // A sub-step (`#### Step 2.1` under `## Step 2`) belongs to its step: it neither
            // repeats nor continues the sequence, but it must sit under the step it names.
            if let Some(sub) = &step.sub {
                let level = |h: usize| page.headings.get(h).map_or(0, |h| h.level);
                let nested = prev_heading.is_some_and(|h| level(step.heading) > level(h));
                if nested {
                    if let Some(p) = prev
                        && step.number != p
                        && !starts_new_section(page, prev_heading, step.heading)
                    {
                        out.push(misplaced_sub_step(page, step, sub, p));
                    }
                    continue;
                }
                // At the level of the steps (`### Step 2a` next to `### Step 1`), sub-steps are
                // variants of one step: the first of them carries the sequence on.
                if prev == Some(step.number) {
                    continue;
                }
            }
            // A guide may start at Step 0; a step 0 or 1 under a new, higher section starts a
            // new sequence (one procedure per option or platform).
            if step.number <= 1
                && prev.is_some()
                && starts_new_section(page, prev_heading, step.heading)
            {
                seen.clear();
                prev = None;
            }
            let n = step.number;
            let finding = match prev {
                _ if seen.contains(&n) => Some((
                    format!("Step {n} appears twice"),
                    format!(
                        "renumber this step as Step {} (and the steps after it), so the steps read {} …",
                        prev.map_or(1, |p| p + 1),
                        expected_run(prev)
                    ),
                )),
                None if n > 1 => Some((
                    format!("step numbering starts at Step {n} instead of Step 1"),
                    "number the first step of a guide Step 1 (or Step 0)".to_string(),
                )),
                Some(p) if n > p + 1 => Some((
                    format!(
                        "step numbering jumps from Step {p} to Step {n} ({} missing)",
                        missing(p + 1, n - 1)
                    ),
                    format!(
                        "renumber this step as Step {} (and the steps after it), or add the missing step",
                        p + 1
                    ),
                )),
                Some(p) if n <= p => Some((
                    format!("step numbering goes back from Step {p} to Step {n}"),
                    format!(
                        "renumber this step as Step {} (and the steps after it)",
                        p + 1
                    ),
                )),
                _ => None,
            };
            if let Some((message, help)) = finding {
                out.push(Finding::new(page, step.span, message).help(help));
            }
            seen.insert(n);
            prev = Some(n);
            prev_heading = Some(step.heading);
        }
    }
}

/// "sub-step 3.1 sits under Step 2, not under Step 3".
fn misplaced_sub_step(page: &Page, step: &crate::page::Step, sub: &str, under: u32) -> Finding {
    let n = step.number;
    let sep = if sub.chars().all(|c| c.is_ascii_digit()) {
        "."
    } else {
        ""
    };
    Finding::new(
        page,
        step.span,
        format!("sub-step {n}{sep}{sub} sits under Step {under}, not under Step {n}"),
    )
    .help(format!(
        "number it as a sub-step of Step {under}, or move it under Step {n}"
    ))
}

/// True when a heading of a higher level (a smaller number) than the step heading at index
/// `step` sits between heading `after` and it, and is not itself a step.
fn starts_new_section(page: &Page, after: Option<usize>, step: usize) -> bool {
    let (Some(after), Some(level)) = (after, page.headings.get(step).map(|h| h.level)) else {
        return false;
    };
    page.headings
        .get(after + 1..step)
        .unwrap_or_default()
        .iter()
        .any(|h| h.level < level)
}

/// "Step 3 is" or "Steps 3 to 5 are".
fn missing(from: u32, to: u32) -> String {
    if from == to {
        format!("Step {from} is")
    } else if from + 1 == to {
        format!("Steps {from} and {to} are")
    } else {
        format!("Steps {from} to {to} are")
    }
}

/// "1, 2, 3" continued from the previous step number.
fn expected_run(prev: Option<u32>) -> String {
    let next = prev.map_or(1, |p| p + 1);
    let first = next.saturating_sub(2).max(1);
    (first..=next)
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(missing(3, 3), "Step 3 is");
        assert_eq!(missing(3, 4), "Steps 3 and 4 are");
        assert_eq!(missing(3, 5), "Steps 3 to 5 are");
        assert_eq!(expected_run(Some(2)), "1, 2, 3");
        assert_eq!(expected_run(Some(5)), "4, 5, 6");
    }
}
