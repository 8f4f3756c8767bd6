//! The rule registry (`src/check/registry.rs`) and SPEC.md's rule table agree: every rule of
//! the table is registered with the table's default level, and every registered rule is in the
//! table or in [`ADDED_AFTER_SPEC`], where a line says why.
//!
//! SPEC.md is the product specification shared by the team, outside the repository: CI lays
//! `shared/` beside the clone (`../shared/SPEC.md`), a worktree under `/work/wt/<name>` finds
//! `/work/shared/SPEC.md`. The test looks for `shared/SPEC.md` beside the repository and beside
//! each folder above it; `STEPBOOK_SPEC=/path/to/SPEC.md` names it directly. When it finds no
//! SPEC.md the test fails and says where it looked: it never passes without the table.

use std::path::PathBuf;

use stepbook::check::RULES;

use crate::support::repo;

/// Registered rules that SPEC.md's table does not list yet: id and why it exists.
const ADDED_AFTER_SPEC: &[(&str, &str)] = &[
    (
        "image-format-mismatch",
        "real trees (tauri-docs): a sound JPEG named .png was an unreadable-image error, but browsers sniff the bytes and show it; SPEC.md's unreadable-image row still names the mismatch (the lead updates SPEC.md)",
    ),
    (
        "invalid-suppression",
        "#11: a stepbook-ignore comment that names an unknown rule or cannot be read silences nothing, so it is reported",
    ),
    (
        "malformed-front-matter",
        "real trees (prettier, rudderstack-docs) hold a test fixture or template whose front matter is not YAML; check reported that one file as a fatal error and nothing else",
    ),
    (
        "summary-too-deep",
        "#8 hostile input: SUMMARY.md nesting is capped (15,000 nested items overflowed the stack)",
    ),
];

/// Rules of SPEC.md's table that no branch has registered yet, with the issue that brings
/// them. Remove a line when its rule is registered (the test says so).
const NOT_YET_REGISTERED: &[(&str, &str)] = &[];

/// SPEC.md: `STEPBOOK_SPEC`, else `shared/SPEC.md` beside the repository or a folder above it.
fn spec_path() -> PathBuf {
    if let Some(p) = std::env::var_os("STEPBOOK_SPEC") {
        return PathBuf::from(p);
    }
    let tried: Vec<PathBuf> = repo()
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/SPEC.md"))
        .collect();
    tried
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "SPEC.md not found; looked at:\n  {}\nlay the team's shared/ folder beside the \
             repository, or set STEPBOOK_SPEC=/path/to/SPEC.md",
                tried
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )
        })
}

/// `(id, default level)` of every row of the table under `## Rules` whose header is
/// `| rule | default | fires when |`.
fn spec_rules(spec: &str) -> Vec<(String, String)> {
    let section = spec
        .split("\n## Rules")
        .nth(1)
        .expect("SPEC.md has a `## Rules` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut lines = section
        .lines()
        .skip_while(|l| !l.starts_with("| rule | default |"));
    lines.next().expect("the rule table's header row");
    lines.next().expect("the rule table's separator row");
    lines
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn the_registry_and_specs_rule_table_agree() {
    let path = spec_path();
    let spec = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = spec_rules(&spec);
    assert!(
        table.len() >= 17,
        "{} rows read from {}",
        table.len(),
        path.display()
    );
    let mut problems = Vec::new();
    for (id, level) in &table {
        let pending = NOT_YET_REGISTERED.iter().any(|(p, _)| p == id);
        match (RULES.iter().find(|r| r.meta().id == id), pending) {
            (Some(_), true) => problems.push(format!(
                "{id} is registered now: remove it from NOT_YET_REGISTERED in tests/it/spec_rules.rs"
            )),
            (Some(rule), false) => {
                let registered = rule.meta().default_level.as_str();
                if registered != level {
                    problems.push(format!(
                        "{id}: default level {registered} in the registry, {level} in SPEC.md"
                    ));
                }
            }
            (None, true) => {}
            (None, false) => problems.push(format!(
                "{id} is in SPEC.md's rule table but not registered in src/check/registry.rs"
            )),
        }
    }
    for rule in RULES {
        let id = rule.meta().id;
        let in_spec = table.iter().any(|(t, _)| t == id);
        let listed = ADDED_AFTER_SPEC.iter().any(|(a, _)| *a == id);
        if !in_spec && !listed {
            problems.push(format!(
                "{id} is registered but not in SPEC.md's rule table: add it to ADDED_AFTER_SPEC \
                 in tests/it/spec_rules.rs with a line saying why"
            ));
        }
        if in_spec && listed {
            problems.push(format!(
                "{id} is in SPEC.md now: remove it from ADDED_AFTER_SPEC"
            ));
        }
    }
    for (id, _) in NOT_YET_REGISTERED {
        if !table.iter().any(|(t, _)| t == id) {
            problems.push(format!(
                "{id} in NOT_YET_REGISTERED is not in SPEC.md's table"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        path.display(),
        problems.join("\n")
    );
}

#[test]
fn the_table_is_read_row_by_row() {
    let spec = "# s\n\n## Rules\n\ntext\n\n| rule | default | fires when |\n| --- | --- | --- |\n| a-b | error | x |\n| c | warning | y \\| z |\n\nafter\n\n## Next\n\n| rule | default | fires when |\n";
    assert_eq!(
        spec_rules(spec),
        [
            ("a-b".to_string(), "error".to_string()),
            ("c".to_string(), "warning".to_string())
        ]
    );
}
