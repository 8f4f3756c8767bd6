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

/// Lists every rule as a table: id, default level, summary (one line each, registry order,
/// under a header line).
pub fn run_rules(_args: &RulesArgs, _color: ColorChoice) -> Result<Outcome> {
    print_out(&rules_table())
}

/// The `stepbook rules` table, columns padded to the widest cell.
pub fn rules_table() -> String {
    let rows: Vec<[&str; 3]> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            [m.id, m.default_level.as_str(), m.summary]
        })
        .collect();
    let id_w = rows
        .iter()
        .map(|r| r[0].len())
        .max()
        .unwrap_or(0)
        .max("RULE".len());
    let level_w = rows
        .iter()
        .map(|r| r[1].len())
        .max()
        .unwrap_or(0)
        .max("LEVEL".len());
    let mut out = format!("{:id_w$}  {:level_w$}  SUMMARY\n", "RULE", "LEVEL");
    for [id, level, summary] in rows {
        out.push_str(&format!("{id:id_w$}  {level:level_w$}  {summary}\n"));
    }
    out
}

/// Writes `text` to standard output; a closed pipe (`stepbook rules | head`) is not an error.
fn print_out(text: &str) -> Result<Outcome> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(Outcome::Success),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Success),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}

/// Prints one rule's documentation.
pub fn run_explain(args: &ExplainArgs, _color: ColorChoice) -> Result<Outcome> {
    let rule = find_rule(&args.rule).ok_or_else(|| {
        Error::Invalid(format!(
            "unknown rule `{}`{}",
            args.rule,
            registry::suggest(&args.rule)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| "; `stepbook rules` lists every rule".to_string())
        ))
    })?;
    let m = rule.meta();
    print_out(&format!(
        "{} (default level: {})\n\n{}\n",
        m.id,
        m.default_level.as_str(),
        for_readers(m.docs)
    ))
}

/// A rule's docs as `explain` prints them: without the `# id` heading (the first line printed
/// already names the rule), without leading blank lines, and without the test-only `expect=…`
/// attribute of the examples' fence info strings (`tests/it/rule_docs.rs` reads it; `path=`
/// stays, it tells the reader the file's name).
fn for_readers(docs: &str) -> String {
    let docs = docs.trim_start();
    let docs = match docs.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => rest.trim_start(),
        _ => docs,
    };
    docs.trim_end()
        .lines()
        .map(|line| {
            let body = line.trim_start_matches(' ');
            let run = body.chars().take_while(|c| *c == '`' || *c == '~').count();
            if run < 3 || !body.contains("expect=") {
                return line.to_string();
            }
            let indent = &line[..line.len() - body.len()];
            let (fence, info) = body.split_at(run);
            let kept: Vec<&str> = info
                .split_whitespace()
                .filter(|w| !w.starts_with("expect="))
                .collect();
            format!("{indent}{fence}{}", kept.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
