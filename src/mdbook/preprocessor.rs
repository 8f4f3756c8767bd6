//! External mdBook preprocessors, run through mdBook's protocol
//! (<https://rust-lang.github.io/mdBook/for_developers/preprocessors.html>): for each
//! `[preprocessor.NAME]` table, the `command` (default `mdbook-NAME`, found on PATH) is first run
//! as `COMMAND supports html` (exit 0: it runs; otherwise it is skipped), then with the JSON
//! array `[context, book]` on stdin, and prints the book back as JSON on stdout. The working
//! folder is the book root. `before`/`after` order the preprocessors, `renderers` limits them,
//! `optional = true` skips one whose command cannot be started.
//!
//! mdBook's built-in `links` and `index` preprocessors are native in stepbook (the directives
//! are expanded before any external preprocessor runs, as mdBook orders them by default, and
//! `README.md` is always `index.html`), so their tables are accepted and not run.
//!
//! The book JSON carries both mdBook 0.5's `items` and mdBook 0.4's `sections` key, so
//! preprocessors built against either version read it; the answer may use either.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::page::summary::{self, SummaryEntry};

/// The renderer stepbook stands for in the protocol.
pub const RENDERER: &str = "html";
/// The mdBook version stepbook's protocol follows.
pub const MDBOOK_VERSION: &str = "0.5.4";
/// mdBook's built-in preprocessors, which stepbook does natively.
const BUILT_IN: &[&str] = &["links", "index"];

/// One `[preprocessor.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    /// The table's name.
    pub name: String,
    /// The command line (`command`, or `mdbook-NAME`).
    pub command: String,
    /// Names of preprocessors this one runs before.
    pub before: Vec<String>,
    /// Names of preprocessors this one runs after.
    pub after: Vec<String>,
    /// When set, the renderers it runs for.
    pub renderers: Option<Vec<String>>,
    /// Skip it (with a warning) when its command cannot be started.
    pub optional: bool,
}

/// The external preprocessors of mdBook's `[preprocessor]` table, in the order they run.
///
/// Errors: a value of the wrong type, or `before`/`after` that form a cycle.
pub fn from_config(table: &crate::config::Table) -> std::result::Result<Vec<Preprocessor>, String> {
    let mut all = BTreeMap::new();
    for (name, value) in table {
        if BUILT_IN.contains(&name.as_str()) {
            continue;
        }
        let t = value
            .as_object()
            .ok_or_else(|| format!("[preprocessor.{name}] must be a table"))?;
        let names = |key: &str| -> std::result::Result<Vec<String>, String> {
            match t.get(key) {
                None => Ok(Vec::new()),
                Some(v) => v
                    .as_array()
                    .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect())
                    .ok_or_else(|| format!("preprocessor.{name}.{key} must be a list of names")),
            }
        };
        let command = match t.get("command") {
            None => format!("mdbook-{name}"),
            Some(v) => v
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("preprocessor.{name}.command must be a string"))?,
        };
        all.insert(
            name.clone(),
            Preprocessor {
                name: name.clone(),
                command,
                before: names("before")?,
                after: names("after")?,
                renderers: t.get("renderers").map(|_| names("renderers")).transpose()?,
                optional: t.get("optional").and_then(serde_json::Value::as_bool) == Some(true),
            },
        );
    }
    order(all)
}

/// Topological order by `before`/`after` (names of built-ins and unknown names are ignored),
/// ties broken by name.
fn order(
    mut all: BTreeMap<String, Preprocessor>,
) -> std::result::Result<Vec<Preprocessor>, String> {
    let mut deps: BTreeMap<String, BTreeSet<String>> =
        all.keys().map(|k| (k.clone(), BTreeSet::new())).collect();
    for p in all.values() {
        for a in p.after.iter().filter(|a| all.contains_key(*a)) {
            deps.entry(p.name.clone()).or_default().insert(a.clone());
        }
        for b in p.before.iter().filter(|b| all.contains_key(*b)) {
            deps.entry(b.clone()).or_default().insert(p.name.clone());
        }
    }
    let mut out = Vec::new();
    while !deps.is_empty() {
        let Some(next) = deps
            .iter()
            .find(|(_, d)| d.is_empty())
            .map(|(k, _)| k.clone())
        else {
            let names: Vec<&str> = deps.keys().map(String::as_str).collect();
            return Err(format!(
                "the before/after settings of preprocessors {} form a cycle",
                names.join(", ")
            ));
        };
        deps.remove(&next);
        for d in deps.values_mut() {
            d.remove(&next);
        }
        out.extend(all.remove(&next));
    }
    Ok(out)
}

/// A chapter's content as the preprocessors see it, by content-relative path.
pub type Contents = BTreeMap<String, String>;

/// Runs `settings.preprocessors` over the book and returns the chapters whose content changed.
/// `contents` holds each page's text after the directives were expanded; `summary` is
/// SUMMARY.md's text (the book's structure; without it, every page is a top-level chapter).
///
/// Errors: a preprocessor that cannot be started (unless optional), exits with a failure, or
/// prints something that is not a book; the message names it and quotes its stderr.
pub fn run(settings: &Settings, summary: Option<&str>, contents: &Contents) -> Result<Contents> {
    let mut current: Contents = contents.clone();
    for p in &settings.preprocessors {
        if p.renderers
            .as_ref()
            .is_some_and(|r| !r.iter().any(|r| r == RENDERER))
        {
            continue;
        }
        let Some(argv) = split_command(&p.command) else {
            return Err(fail(p, "its command is empty or has an unclosed quote", ""));
        };
        let supports = Command::new(&argv[0])
            .args(&argv[1..])
            .args(["supports", RENDERER])
            .current_dir(&settings.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        match supports {
            Err(e) if p.optional => {
                eprintln!(
                    "warning: skipping the optional preprocessor `{}`: cannot run `{}`: {e}",
                    p.name, p.command
                );
                continue;
            }
            Err(e) => {
                return Err(fail(
                    p,
                    &format!(
                        "cannot run `{}`: {e} (set optional = true to skip it when it is missing)",
                        p.command
                    ),
                    "",
                ));
            }
            Ok(out) if !out.status.success() => {
                // Not silently: a command that cannot even answer looks the same as a "no".
                // Its stderr is cut to what says why (a toolchain pinned by rust-toolchain
                // that is not installed makes rustup print a whole backtrace).
                let stderr = String::from_utf8_lossy(&out.stderr);
                let (head, rest) = excerpt(&stderr);
                let mut detail = String::new();
                if !head.is_empty() {
                    detail = format!("\n{}", prefixed(&p.name, &head.join("\n")));
                }
                if rest > 0 {
                    if detail.is_empty() {
                        detail.push('\n');
                    }
                    let dir = match crate::site::disk_from_cwd(&settings.root) {
                        d if d.is_empty() || d == "." => "this folder".to_string(),
                        d => d,
                    };
                    detail.push_str(&format!(
                        "  [{}] … {rest} more line{} of stderr: run `{} supports {RENDERER}` in {} to see {}\n",
                        p.name,
                        if rest == 1 { "" } else { "s" },
                        p.command,
                        dir,
                        if rest == 1 { "it" } else { "them" },
                    ));
                }
                eprintln!(
                    "warning: skipping the preprocessor `{}`: `{} supports {RENDERER}` answered {}{detail}",
                    p.name,
                    p.command,
                    out.status.code().map_or_else(
                        || "with a signal".to_string(),
                        |c| format!("with status {c}")
                    ),
                );
                continue;
            }
            Ok(_) => {}
        }
        let book = book_json(summary, &current);
        let input = json!([context(settings), book]);
        let answer =
            pipe(&argv, &settings.root, &input.to_string()).map_err(|e| fail(p, &e.0, &e.1))?;
        let (stdout, stderr) = answer;
        if !stderr.trim().is_empty() {
            eprint!("{}", prefixed(&p.name, &stderr));
        }
        let value: Value = serde_json::from_str(&stdout).map_err(|e| {
            fail(
                p,
                &format!("its output is not a book in JSON: {e}"),
                &stderr,
            )
        })?;
        read_book(&value, &mut current)
            .map_err(|e| fail(p, &format!("its output is not a book: {e}"), &stderr))?;
    }
    Ok(current
        .into_iter()
        .filter(|(rel, text)| contents.get(rel) != Some(text))
        .collect())
}

/// An error naming the preprocessor, with its stderr.
fn fail(p: &Preprocessor, what: &str, stderr: &str) -> Error {
    let stderr = stderr.trim_end();
    Error::Invalid(if stderr.is_empty() {
        format!("preprocessor `{}` failed: {what}", p.name)
    } else {
        format!(
            "preprocessor `{}` failed: {what}\n{}",
            p.name,
            prefixed(&p.name, stderr)
        )
    })
}

/// How many lines of a preprocessor's stderr a warning shows at most.
const EXCERPT_LINES: usize = 4;

/// The lines of `stderr` that say what went wrong: its first non-blank lines, up to
/// [`EXCERPT_LINES`] and not past the start of a backtrace (`Stack backtrace:`, rustup's and
/// anyhow's; `stack backtrace:`, a Rust panic's); and how many lines are left out.
fn excerpt(stderr: &str) -> (Vec<&str>, usize) {
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    let end = lines
        .iter()
        .position(|l| {
            l.trim_start()
                .to_ascii_lowercase()
                .starts_with("stack backtrace")
        })
        .unwrap_or(lines.len());
    let head: Vec<&str> = lines[..end]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .take(EXCERPT_LINES)
        .collect();
    let shown = head.len();
    let rest = lines.iter().filter(|l| !l.trim().is_empty()).count() - shown;
    (head, rest)
}

fn prefixed(name: &str, text: &str) -> String {
    text.lines().map(|l| format!("  [{name}] {l}\n")).collect()
}

/// Runs `argv` in `dir` with `input` on stdin; `(stdout, stderr)` on success, `(what, stderr)`
/// on failure.
fn pipe(
    argv: &[String],
    dir: &Path,
    input: &str,
) -> std::result::Result<(String, String), (String, String)> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| (format!("cannot run it: {e}"), String::new()))?;
    // Write stdin from another thread so a preprocessor that answers before reading all of its
    // input cannot deadlock against a full pipe.
    let mut stdin = child.stdin.take();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let out = child
        .wait_with_output()
        .map_err(|e| (format!("waiting for it failed: {e}"), String::new()))?;
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        let status = out.status.code().map_or_else(
            || "was killed by a signal".to_string(),
            |c| format!("exited with status {c}"),
        );
        return Err((format!("it {status}"), stderr));
    }
    let stdout = String::from_utf8(out.stdout)
        .map_err(|_| ("its output is not UTF-8".to_string(), stderr.clone()))?;
    Ok((stdout, stderr))
}

/// The protocol's context: book root, configuration, renderer, mdBook version.
fn context(settings: &Settings) -> Value {
    json!({
        "root": settings.root,
        "config": settings.mdbook_config,
        "renderer": RENDERER,
        "mdbook_version": MDBOOK_VERSION,
    })
}

/// The book as mdBook serialises it, from SUMMARY.md (or every page, in path order).
fn book_json(summary_text: Option<&str>, contents: &Contents) -> Value {
    let items = match summary_text {
        Some(text) => items(&summary::parse(text), contents, &[]),
        None => contents
            .iter()
            .map(|(rel, text)| chapter(rel_title(rel), Some(rel), text, None, Vec::new(), &[]))
            .collect(),
    };
    json!({ "items": items, "sections": items, "__non_exhaustive": null })
}

fn rel_title(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md").unwrap_or(name)
}

fn items(entries: &[SummaryEntry], contents: &Contents, parents: &[String]) -> Vec<Value> {
    entries
        .iter()
        .map(|e| match e {
            SummaryEntry::Part(title) => json!({ "PartTitle": title }),
            SummaryEntry::Separator => json!("Separator"),
            SummaryEntry::Chapter(c) => {
                let rel = c
                    .rel()
                    .and_then(|r| summary::resolve(&r, |x| contents.contains_key(x)));
                let number: Option<Vec<u32>> = c
                    .number
                    .as_ref()
                    .map(|n| n.split('.').filter_map(|p| p.parse().ok()).collect());
                let mut names = parents.to_vec();
                names.push(c.title.clone());
                let children = items(&c.children, contents, &names);
                let text = rel
                    .as_deref()
                    .and_then(|r| contents.get(r))
                    .map(String::as_str)
                    .unwrap_or("");
                chapter(&c.title, rel.as_deref(), text, number, children, parents)
            }
        })
        .collect()
}

fn chapter(
    name: &str,
    rel: Option<&str>,
    content: &str,
    number: Option<Vec<u32>>,
    sub_items: Vec<Value>,
    parents: &[String],
) -> Value {
    json!({ "Chapter": {
        "name": name,
        "content": content,
        "number": number,
        "sub_items": sub_items,
        "path": rel,
        "source_path": rel,
        "parent_names": parents,
    }})
}

/// Takes every chapter's content from a book in JSON into `contents` (chapters whose path is
/// not a page of the book are ignored).
fn read_book(value: &Value, contents: &mut Contents) -> std::result::Result<(), String> {
    let items = value
        .get("items")
        .or_else(|| value.get("sections"))
        .and_then(Value::as_array)
        .ok_or("no `items` list")?;
    let mut stack: Vec<&Value> = items.iter().collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    while let Some(item) = stack.pop() {
        let Some(ch) = item.get("Chapter") else {
            continue;
        };
        if let (Some(path), Some(content)) = (
            ch.get("path").and_then(Value::as_str),
            ch.get("content").and_then(Value::as_str),
        ) {
            seen.insert(path.replace('\\', "/"), content.to_string());
        }
        if let Some(subs) = ch.get("sub_items").and_then(Value::as_array) {
            stack.extend(subs);
        }
    }
    for (rel, text) in seen {
        if let Some(slot) = contents.get_mut(&rel) {
            *slot = text;
        }
    }
    Ok(())
}

/// Splits a command line into words as a POSIX shell would for plain words, `'…'` and `"…"`
/// (no variables, no globbing). `None` when it is empty or a quote is not closed.
pub fn split_command(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_follows_before_and_after() {
        let table = crate::config::parse_table(
            "[links]\n[a]\nafter = [\"b\"]\n[b]\ncommand = \"run b\"\n[c]\nbefore = [\"b\", \"links\"]\n",
        )
        .unwrap();
        let ps = from_config(&table).unwrap();
        let names: Vec<&str> = ps.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["c", "b", "a"]);
        assert_eq!(ps[0].command, "mdbook-c");
        let cyclic =
            crate::config::parse_table("[a]\nafter = [\"b\"]\n[b]\nafter = [\"a\"]\n").unwrap();
        assert!(from_config(&cyclic).unwrap_err().contains("cycle"));
    }

    #[test]
    fn a_backtrace_is_left_out_of_the_excerpt() {
        let rustup = "error: toolchain '1.97-x86_64-unknown-linux-gnu' is not installed\n\
                      help: run `rustup toolchain install` to install it\n\n\
                      Stack backtrace:\n   0: anyhow::error::from\n   1: rustup::main\n";
        assert_eq!(
            excerpt(rustup),
            (
                vec![
                    "error: toolchain '1.97-x86_64-unknown-linux-gnu' is not installed",
                    "help: run `rustup toolchain install` to install it",
                ],
                3
            )
        );
        let long: String = (1..=6).map(|i| format!("line {i}\n")).collect();
        assert_eq!(
            excerpt(&long),
            (vec!["line 1", "line 2", "line 3", "line 4"], 2)
        );
        assert_eq!(excerpt(""), (vec![], 0));
    }

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command("cargo run --manifest-path 'a b/Cargo.toml' \"x\\\"y\"").unwrap(),
            ["cargo", "run", "--manifest-path", "a b/Cargo.toml", "x\"y"]
        );
        assert!(split_command("  ").is_none());
        assert!(split_command("a 'b").is_none());
    }

    #[test]
    fn book_json_follows_summary() {
        let mut contents = Contents::new();
        contents.insert("README.md".into(), "# Intro\n".into());
        contents.insert("a.md".into(), "# A\n".into());
        let book = book_json(
            Some("# Summary\n\n[Intro](README.md)\n\n# Part\n\n- [A](a.md)\n---\n- [Draft]()\n"),
            &contents,
        );
        let items = book["items"].as_array().unwrap();
        assert_eq!(items[0]["Chapter"]["path"], "README.md");
        assert_eq!(items[1]["PartTitle"], "Part");
        assert_eq!(items[2]["Chapter"]["number"], json!([1]));
        assert_eq!(items[2]["Chapter"]["content"], "# A\n");
        assert_eq!(book["sections"], book["items"]);
        let mut back = contents.clone();
        let mut changed = book.clone();
        changed["items"][2]["Chapter"]["content"] = json!("# A, rewritten\n");
        changed.as_object_mut().unwrap().remove("sections");
        read_book(&changed, &mut back).unwrap();
        assert_eq!(back["a.md"], "# A, rewritten\n");
    }
}
