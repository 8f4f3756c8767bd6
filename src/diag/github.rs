//! GitHub Actions output: one workflow command per finding,
//! `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::message` (`::warning` for
//! warnings), which the runner turns into annotations on the pull request.
//!
//! Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`,
//! `\r`, `\n` become `%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A` and
//! `%2C`. The help text, when there is one, follows the message after an (escaped) newline as
//! `help: …`. Findings in files without source text (an orphan image) carry only `file=`.

use super::{Level, Report};

/// Writes one workflow command line per finding.
///
/// Errors: whatever `out` returns.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Allow => "notice",
        };
        let mut props = vec![format!("file={}", escape_property(&d.file))];
        if report.sources.contains_key(&d.file) {
            let loc = report.locate(d);
            props.push(format!("line={}", loc.start.line));
            props.push(format!("col={}", loc.start.column));
            props.push(format!("endLine={}", loc.end.line));
            props.push(format!("endColumn={}", loc.end.column));
        }
        props.push(format!("title={}", escape_property(d.rule)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Escapes a command's data (the message): `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
