//! `stepbook rules` and `stepbook explain RULE`.

use super::{ColorChoice, Outcome};
use crate::check::{RULES, find_rule, registry};
use crate::error::{Error, Result};

/// Arguments of `stepbook rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {}

/// Arguments of `stepbook explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id (`broken-step-ref`).
    pub rule: String,
}

/// Lists every rule: id, default level, summary.
pub fn run_rules(_args: &RulesArgs, _color: ColorChoice) -> Result<Outcome> {
    let width = RULES.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
    for r in RULES {
        let m = r.meta();
        println!("{:width$}  {:7}  {}", m.id, m.default_level.as_str(), m.summary);
    }
    Ok(Outcome::Success)
}

/// Prints one rule's documentation.
pub fn run_explain(args: &ExplainArgs, _color: ColorChoice) -> Result<Outcome> {
    let rule = find_rule(&args.rule).ok_or_else(|| {
        Error::Invalid(format!(
            "unknown rule `{}`{}",
            args.rule,
            registry::suggest(&args.rule)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default()
        ))
    })?;
    let m = rule.meta();
    println!("{} (default level: {})\n", m.id, m.default_level.as_str());
    println!("{}", m.docs.trim_end());
    Ok(Outcome::Success)
}
