//! Human output: one `level[rule]: message` block per finding with `--> file:line:col`
//! (a plain first version; the rustc-style snippet renderer replaces it).

use super::Report;

/// Renders every finding of `report` for a terminal; `color` is ignored in this version.
pub fn render(report: &Report, _color: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let loc = report.locate(d);
        out.push_str(&format!(
            "{}[{}]: {}\n  --> {}:{}:{}\n",
            d.level.as_str(),
            d.rule,
            d.message,
            d.file,
            loc.start.line,
            loc.start.column
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("  = help: {h}\n"));
        }
    }
    out
}
