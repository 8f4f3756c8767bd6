//! The floor that `benches/build.sh` measures stepbook against: the least work any generator
//! must do on the same corpus, with the same crates stepbook uses (walkdir, pulldown-cmark with
//! the same extensions, rayon on every core). No page model, no checks, no templates.
//!
//! - `floor parse DIR`: walk DIR, read every Markdown file and parse it with source offsets
//!   (every event consumed). What `stepbook check` cannot do less than.
//! - `floor write DIR OUT`: as `parse`, then render each page to HTML (`push_html` inside a
//!   fixed page shell, links to `.md` rewritten to `.html`) and write it below OUT, and publish
//!   every other file (the screenshots) by a hard link, or a copy across file systems. OUT must
//!   not exist (the benchmark removes it before each run), so nothing is deleted or compared.
//!   What `stepbook build` cannot do less than.
//!
//! Built with `cargo build --release --example floor`.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use rayon::prelude::*;
use walkdir::WalkDir;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

fn files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut pages, mut other) = (Vec::new(), Vec::new());
    // Hidden entries (.stepbook-cache) and the build dir `book/` are not input, as for stepbook.
    let walker = WalkDir::new(dir).into_iter().filter_entry(|e| {
        e.depth() == 0
            || !(e.file_name().to_string_lossy().starts_with('.')
                || (e.depth() == 1 && e.file_name() == "book"))
    });
    for e in walker.filter_map(Result::ok) {
        if e.file_type().is_file() {
            let p = e.into_path();
            if p.extension().is_some_and(|x| x == "md") {
                pages.push(p);
            } else {
                other.push(p);
            }
        }
    }
    (pages, other)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2), args.get(3)) {
        (Some("parse"), Some(dir), None) => {
            let (pages, _) = files(Path::new(dir));
            let events: usize = pages
                .par_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).expect("read page");
                    Parser::new_ext(&text, options()).into_offset_iter().count()
                })
                .sum();
            println!("{} pages, {events} events", pages.len());
        }
        (Some("write"), Some(dir), Some(out)) => {
            let (dir, out) = (Path::new(dir), Path::new(out));
            let (pages, other) = files(dir);
            let mut folders: Vec<PathBuf> = pages
                .iter()
                .chain(&other)
                .filter_map(|p| p.strip_prefix(dir).ok()?.parent().map(|d| out.join(d)))
                .collect();
            folders.sort();
            folders.dedup();
            for f in &folders {
                std::fs::create_dir_all(f).expect("create folder");
            }
            pages.par_iter().for_each(|p| {
                let text = std::fs::read_to_string(p).expect("read page");
                let events = Parser::new_ext(&text, options()).map(|e| match e {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }) if dest_url.contains(".md") => Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(dest_url.replacen(".md", ".html", 1)),
                        title,
                        id,
                    }),
                    e => e,
                });
                let mut html = String::with_capacity(text.len() * 2);
                html.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>page</title><link rel=\"stylesheet\" href=\"style.css\"></head><body><main>\n");
                pulldown_cmark::html::push_html(&mut html, events);
                html.push_str("</main></body></html>\n");
                let rel = p.strip_prefix(dir).expect("below dir").with_extension("html");
                std::fs::write(out.join(rel), html).expect("write page");
            });
            other.par_iter().for_each(|p| {
                let dest = out.join(p.strip_prefix(dir).expect("below dir"));
                if std::fs::hard_link(p, &dest).is_err() {
                    std::fs::copy(p, &dest).expect("copy file");
                }
            });
            println!("{} pages, {} other files", pages.len(), other.len());
        }
        _ => {
            eprintln!("usage: floor parse DIR | floor write DIR OUT");
            std::process::exit(2);
        }
    }
}
