//! The directives as written: mdBook's pattern and what each match asks for.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Select, parse_select};

/// mdBook's directive pattern (`links.rs`, `find_links`): an escaped directive (greedy to the
/// last `}}` of the line), or `{{#type target attrs}}`; also `{{#include}}` with no target,
/// which mdBook leaves as text silently and `broken-include` reports.
pub(super) static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)(?:\s+([^}]*))?\}\}")
        .expect("directive pattern is valid")
});

/// A directive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Directive<'a> {
    Escaped,
    Title(&'a str),
    Include(&'a str, Select),
    RustdocInclude(&'a str, Select),
    Playground(&'a str, Vec<&'a str>),
    /// `{{#include}}` (or another file directive) naming no file.
    Empty(&'a str),
}

pub(super) fn classify<'a>(cap: &regex::Captures<'a>) -> Option<Directive<'a>> {
    let whole = cap.get(0)?.as_str();
    let Some(kind) = cap.get(1) else {
        return whole.starts_with('\\').then_some(Directive::Escaped);
    };
    let rest = cap.get(2).map_or("", |m| m.as_str());
    if kind.as_str() == "title" {
        return (!rest.trim().is_empty()).then_some(Directive::Title(rest));
    }
    let mut words = rest.split_whitespace();
    let Some(target) = words.next() else {
        let file_directive = ["include", "rustdoc_include", "playground", "playpen"];
        return file_directive
            .contains(&kind.as_str())
            .then_some(Directive::Empty(kind.as_str()));
    };
    let split = |t: &'a str| {
        let mut p = t.splitn(2, ':');
        (p.next().unwrap_or(""), parse_select(p.next()))
    };
    match kind.as_str() {
        "include" => {
            let (path, sel) = split(target);
            Some(Directive::Include(path, sel))
        }
        "rustdoc_include" => {
            let (path, sel) = split(target);
            Some(Directive::RustdocInclude(path, sel))
        }
        "playground" | "playpen" => Some(Directive::Playground(target, words.collect())),
        _ => None,
    }
}
