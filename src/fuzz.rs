//! Entry points for fuzzing: the cargo-fuzz targets in `fuzz/` call these with the fuzzer's
//! bytes (see `fuzz/README.md`). They live in the library so that stable builds compile them and
//! the tests run them on seeds; a fuzz target is then one line. Nothing here writes to disk.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::check::{self, CheckOptions};
use crate::config::Settings;
use crate::diag::{Format, write_report};
use crate::page::{ParseOptions, parse_page, summary};
use crate::project::{Project, SiteIndex};
use crate::source::LineIndex;

/// Settings of an empty zero-config project (loaded once, from a temporary folder that is
/// removed at once: nothing is read from it afterwards).
fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stepbook-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let settings = Settings::load(&dir).expect("settings of an empty folder");
        let _ = std::fs::remove_dir(&dir);
        settings
    })
}

/// The page parser, SUMMARY.md's reader and the line index on `data` (as UTF-8, lossily): none
/// may panic, whatever the bytes.
pub fn page_parser(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let index = LineIndex::new(&text);
    for offset in [0, text.len() / 2, text.len()] {
        let _ = index.line_col(&text, offset);
    }
    let _ = summary::read(&text);
    let opts = ParseOptions::new(settings().step_pattern.clone());
    let _ = parse_page(
        PathBuf::from("fuzz.md"),
        "fuzz.md".into(),
        "fuzz.md".into(),
        text,
        &opts,
    );
}

/// A check run over a one-page project made of `data` (also used as its SUMMARY.md), printed in
/// every output format: no panic, whatever the bytes. A page whose front matter does not parse
/// is an error, not a finding, and ends the run.
pub fn check_run(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let settings = settings().clone();
    let opts = ParseOptions {
        keep_events: false,
        ..ParseOptions::new(settings.step_pattern.clone())
    };
    let path = settings.content_dir.join("README.md");
    let Ok(page) = parse_page(
        path.clone(),
        "README.md".into(),
        "README.md".into(),
        text.clone(),
        &opts,
    ) else {
        return;
    };
    let mut site = SiteIndex::default();
    site.insert("README.md".into(), path);
    let project = Project {
        summary: Some((settings.content_dir.join("SUMMARY.md"), text)),
        settings,
        pages: vec![page.into()],
        site,
        parse_stats: Default::default(),
    };
    let Ok(report) = check::run(&project, &CheckOptions::default()) else {
        return;
    };
    let rules = check::registry::metas();
    for format in [
        Format::Human,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Junit,
    ] {
        let _ = write_report(&report, &rules, format, false, &mut std::io::sink());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzz targets run on a few hostile seeds (what the fuzzer starts from).
    #[test]
    fn targets_run_on_seeds() {
        let deep = format!("{}[x](a.md)\n", "- ".repeat(2_000));
        let seeds: [&[u8]; 6] = [
            b"",
            b"---\ntitle: [\n---\n# T\n",
            b"# T\r\r## Step 1\r\rSee step 3.\r",
            b"\xff\xfe[x](\x00)\n    > **a**\n",
            b"| Scope |\n|---|\n| `a` |\n\n![](res/x.png) <img src=\"../y\">",
            deep.as_bytes(),
        ];
        for seed in seeds {
            page_parser(seed);
            check_run(seed);
        }
    }
}
