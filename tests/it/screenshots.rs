//! Screenshots ready for the web (issue 13): a screenshot wider than `[build] image-max-width`
//! gets 1× and 2× derivatives in WebP and its own format, served through `<picture>`/`srcset`
//! and linked to the original for zoom; a small one is published unchanged; a second build
//! decodes nothing; a truncated PNG gives its finding and no panic. Built with the real binary
//! in temporary projects; HTML read with scraper.

use std::path::Path;
use std::process::{Command, Output};

use scraper::{Html, Selector};
use stepbook::project::Book;

const BIN: &str = env!("CARGO_BIN_EXE_stepbook");

fn png(path: &Path, w: u32, h: u32) -> Vec<u8> {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    })
    .save(path)
    .unwrap();
    std::fs::read(path).unwrap()
}

/// A project without book.toml: README.md showing `res/wide.png` (3000×2000) and
/// `res/small.png` (400×300).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# Guide\n\n![The wide dialog](res/wide.png)\n\n![The small dialog](res/small.png)\n\n\
         [![Linked](res/wide.png)](https://example.com/)\n",
    )
    .unwrap();
    png(&dir.path().join("res/wide.png"), 3000, 2000);
    png(&dir.path().join("res/small.png"), 400, 300);
    dir
}

fn build(dir: &Path) -> Output {
    let out = Command::new(BIN)
        .arg("build")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn attr(html: &Html, selector: &str, name: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| e.value().attr(name).unwrap_or("").to_string())
        .collect()
}

#[test]
fn wide_screenshot_gets_derivatives_and_srcset_small_one_is_unchanged() {
    let dir = project();
    let out = build(dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("(4 derivatives: 4 made, 0 reused)"),
        "{stdout}"
    );
    let book = dir.path().join("book");
    for (name, size) in [
        ("wide.800w.png", (800, 533)),
        ("wide.800w.webp", (800, 533)),
        ("wide.1600w.png", (1600, 1067)),
        ("wide.1600w.webp", (1600, 1067)),
        ("wide.png", (3000, 2000)),
        ("small.png", (400, 300)),
    ] {
        assert_eq!(
            image::image_dimensions(book.join("res").join(name)).unwrap(),
            size,
            "{name}"
        );
    }
    for name in ["wide.png", "small.png"] {
        assert_eq!(
            std::fs::read(book.join("res").join(name)).unwrap(),
            std::fs::read(dir.path().join("res").join(name)).unwrap(),
            "{name} is published byte for byte"
        );
    }
    let derived: Vec<String> = std::fs::read_dir(book.join("res"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("small."))
        .collect();
    assert_eq!(
        derived,
        ["small.png"],
        "the small screenshot gets no derivatives"
    );

    let html = Html::parse_document(&std::fs::read_to_string(book.join("index.html")).unwrap());
    assert_eq!(
        attr(&html, "a.zoom", "href"),
        ["res/wide.png"],
        "one zoom link (the linked image keeps its own link)"
    );
    assert_eq!(
        attr(&html, "a.zoom > picture > source", "srcset"),
        ["res/wide.800w.webp 800w, res/wide.1600w.webp 1600w"]
    );
    assert_eq!(
        attr(&html, "a.zoom > picture > source", "type"),
        ["image/webp"]
    );
    let img = "a.zoom > picture > img";
    assert_eq!(
        attr(&html, img, "srcset"),
        ["res/wide.800w.png 800w, res/wide.1600w.png 1600w"]
    );
    assert_eq!(attr(&html, img, "src"), ["res/wide.800w.png"]);
    assert_eq!(
        attr(&html, img, "sizes"),
        ["(max-width: 800px) 100vw, 800px"]
    );
    assert_eq!(attr(&html, img, "width"), ["800"]);
    assert_eq!(attr(&html, img, "height"), ["533"]);
    assert_eq!(attr(&html, img, "alt"), ["The wide dialog"]);
    // Inside a link: a <picture> without a zoom link of its own.
    assert_eq!(
        attr(
            &html,
            "a[href='https://example.com/'] > picture > img",
            "srcset"
        ),
        ["res/wide.800w.png 800w, res/wide.1600w.png 1600w"]
    );
    let small = "img[src='res/small.png']";
    assert_eq!(attr(&html, small, "width"), ["400"]);
    assert_eq!(attr(&html, small, "height"), ["300"]);
    assert_eq!(attr(&html, small, "srcset"), [""]);
    assert_eq!(attr(&html, "script[src='zoom.js']", "defer"), [""]);
    assert!(book.join("zoom.js").is_file());
}

#[test]
fn second_build_decodes_nothing() {
    let dir = project();
    let mut first = Book::load(dir.path()).unwrap();
    let stats = first.derive_images();
    assert_eq!((stats.decoded, stats.made, stats.reused), (1, 4, 0));
    let mut second = Book::load(dir.path()).unwrap();
    let stats = second.derive_images();
    assert_eq!((stats.decoded, stats.made, stats.reused), (0, 0, 4));
    assert_eq!(second.site.derived.len(), 1);

    // The command line says so too.
    let out = build(dir.path());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(4 derivatives: 0 made, 4 reused)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A changed original is decoded again (its content hash changed).
    png(&dir.path().join("res/wide.png"), 3200, 2000);
    let mut third = Book::load(dir.path()).unwrap();
    assert_eq!(third.derive_images().decoded, 1);
}

/// The site publishes derivatives as hard links to the cache: a tool that edits a published
/// one in place edits the cached file too. The next build notices (the file is not as it was
/// written), makes that derivative again and publishes the right bytes.
#[test]
fn a_derivative_edited_in_place_is_made_again() {
    use std::io::Write as _;
    let dir = project();
    build(dir.path());
    let published = dir.path().join("book/res/wide.800w.png");
    let right = std::fs::read(&published).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&published)
        .unwrap()
        .write_all(b"JUNK")
        .unwrap();
    let out = build(dir.path());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(4 derivatives: 1 made, 3 reused)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(std::fs::read(&published).unwrap(), right);
}

#[test]
fn truncated_png_gives_its_finding_and_no_panic() {
    let dir = project();
    let bytes = std::fs::read(dir.path().join("res/wide.png")).unwrap();
    // The header is whole (3000×2000), the pixels are cut off.
    std::fs::write(dir.path().join("res/wide.png"), &bytes[..bytes.len() / 3]).unwrap();
    // The small one loses its header.
    let small = std::fs::read(dir.path().join("res/small.png")).unwrap();
    std::fs::write(dir.path().join("res/small.png"), &small[..20]).unwrap();
    let out = build(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for name in ["wide", "small"] {
        assert!(
            stderr.contains(&format!("image res/{name}.png cannot be decoded as PNG")),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("unreadable-image"), "{stderr}");
    let book = dir.path().join("book");
    assert!(
        book.join("res/wide.png").is_file(),
        "the original is still published"
    );
    assert!(!book.join("res/wide.800w.png").exists());
    let html = Html::parse_document(&std::fs::read_to_string(book.join("index.html")).unwrap());
    assert_eq!(
        attr(&html, "picture", "class").len(),
        0,
        "no <picture> without derivatives"
    );
}
