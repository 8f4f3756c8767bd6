//! What stepbook knows about each image file of the site, read once per run: its size in bytes,
//! its pixel size from the header, and what is wrong with it. The renderer (`width`/`height`,
//! derivatives), `unreadable-image`, `oversized-image` and `duplicate-image` all read these
//! facts from the resource index ([`crate::project::SiteIndex::images`]); none opens the file
//! again.
//!
//! [`inspect`] asks [`crate::raster`] (magic bytes against the extension, then the header
//! decoded, never the pixels; SVG by its prologue).
//!
//! [`cache`] keeps these facts in `.stepbook-cache/` between runs, keyed by the file's length,
//! modification time, inode and change time, so a warm run opens no image at all; [`links`]
//! records the change times the build's own hard links leave. [`derive`] makes the resized
//! screenshots.

pub mod cache;
pub mod derive;
pub mod links;

use std::path::Path;

use image::ImageFormat;
use serde::{Deserialize, Serialize};

/// File extensions (lowercase) that stepbook treats as images.
pub const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "avif",
];

/// True when the site path `path` ends in one of [`IMAGE_EXTENSIONS`] (any letter case).
pub fn is_image_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// What is wrong with one image file: the message's tail (after "image PATH ") and a help line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// "cannot be decoded as PNG: …", "is a JPEG file but its extension says PNG".
    pub what: String,
    /// How to fix it.
    pub help: String,
    /// True when the file is a sound image of another raster format than its extension says
    /// (browsers show it: `image-format-mismatch`, a warning); false when it is not usable as
    /// an image (`unreadable-image`, an error).
    pub mismatch: bool,
}

/// The facts about one image file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Length of the file in bytes.
    pub bytes: u64,
    /// Width and height in pixels, from the header (`None` for SVG, AVIF and broken files).
    pub size: Option<(u32, u32)>,
    /// Why the file is not a usable image of the format its extension names, if it is not.
    pub problem: Option<Problem>,
    /// SHA-256 of the bytes (hex), computed only where needed (see [`cache::index`]).
    #[serde(default)]
    pub hash: Option<String>,
}

/// Reads the facts about the image file at `path`: its length, then [`crate::raster::inspect`]
/// (magic bytes against the extension, the header decoded) and the pixel size from the header.
/// Files whose extension names no image format stepbook knows get no size and no problem.
pub fn inspect(path: &Path) -> ImageInfo {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    match crate::raster::inspect(path) {
        Ok(mismatch) => ImageInfo {
            bytes,
            // A misnamed image's size is read as the format its bytes are.
            size: crate::raster::dimensions(path),
            problem: mismatch.map(|p| Problem {
                what: p.what,
                help: p.help,
                mismatch: true,
            }),
            hash: None,
        },
        Err(p) => ImageInfo {
            bytes,
            size: None,
            problem: Some(Problem {
                what: p.what,
                help: p.help,
                mismatch: false,
            }),
            hash: None,
        },
    }
}

/// The problem of a file of format `format` whose pixels the image crate could not decode.
pub fn undecodable(format: ImageFormat, e: &image::ImageError) -> Problem {
    Problem {
        what: format!(
            "cannot be decoded as {}: {}",
            crate::raster::format_name(format),
            crate::raster::decode_error(e)
        ),
        help: format!(
            "the file is damaged or not really a {} image; export it again",
            crate::raster::format_name(format)
        ),
        mismatch: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(w, h)
            .write_to(&mut buf, ImageFormat::Png)
            .expect("encode png");
        buf.into_inner()
    }

    #[test]
    fn size_and_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = png_bytes(30, 20);
        let info = inspect(&write(dir.path(), "a.png", &bytes));
        assert_eq!(info.size, Some((30, 20)));
        assert_eq!(info.bytes, bytes.len() as u64);
        assert_eq!(info.problem, None);
    }

    #[test]
    fn truncated_header_is_a_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = png_bytes(30, 20);
        let info = inspect(&write(dir.path(), "a.png", &bytes[..20]));
        let p = info.problem.expect("truncated header");
        assert!(p.what.starts_with("cannot be decoded as PNG"), "{}", p.what);
        assert_eq!(info.size, None);
    }

    #[test]
    fn image_paths_by_extension() {
        assert!(is_image_path("res/Shot.PNG"));
        assert!(is_image_path("a/b.avif"));
        assert!(!is_image_path("res/notes.txt"));
        assert!(!is_image_path("res/.png"));
        assert!(!is_image_path("res/png"));
    }
}
