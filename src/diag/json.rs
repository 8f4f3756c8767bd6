//! JSON output (SPEC.md, Diagnostics): a pretty-printed array with one object per finding, in
//! report order (file, line, column, rule), each with exactly the keys `rule`, `level`
//! (`"error"`/`"warning"`), `file` (relative to the checked root, `/`-separated), `line`,
//! `column` (1-based, counted in characters), `end_line`, `end_column` (the position just after
//! the span, so an empty span has `end_column == column`), `message` and `help` (string or
//! null).

use serde::Serialize;

use super::Report;

/// One finding as the JSON format prints it; field order is key order.
#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// Writes `report` as a JSON array followed by a newline (`[]` when there are no findings).
///
/// Errors: whatever `out` returns.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let findings: Vec<JsonFinding<'_>> = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = report.locate(d);
            JsonFinding {
                rule: d.rule,
                level: d.level.as_str(),
                file: &d.file,
                line: loc.start.line,
                column: loc.start.column,
                end_line: loc.end.line,
                end_column: loc.end.column,
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
