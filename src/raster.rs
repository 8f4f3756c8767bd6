//! Raster image files: whether a file's bytes are the image its extension says and decode
//! (the `unreadable-image` rule), an image's size from its header (the renderer's `width` and
//! `height`), and a small RGB canvas encoded as PNG (the scaffold's screenshot). The program's
//! one user of the `image` crate.
//!
//! Raster files are identified by their magic bytes ([`image::guess_format`]) and compared with
//! the format their extension names ([`image::ImageFormat::from_path`]); then the header is
//! decoded (`ImageReader::with_guessed_format` → `into_dimensions`), which reads only the
//! header, not the pixels. SVG files are text: they must start with `<svg`, `<?xml` or
//! `<!DOCTYPE svg` (after an optional byte-order mark and white space). Formats the build cannot
//! decode (AVIF) are only checked by magic bytes.

use std::io::{Cursor, Read};
use std::path::Path;

use image::{ImageFormat, ImageReader, Rgb, RgbImage};

/// What is wrong with one image file: the message's tail (after "image PATH ") and a help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// "cannot be decoded as PNG: …", "is a JPEG file but its extension says PNG".
    pub what: String,
    /// How to fix it.
    pub help: String,
}

/// Checks one image file on disk. `Ok(None)` for a readable image and for files whose
/// extension names no image format stepbook knows (they are not images to it); `Ok(Some(p))`
/// for a sound raster image of another raster format than its extension says (a JPEG saved
/// as `shot.png`): browsers sniff the bytes and show it, so it is usable, but `p` says what
/// is off (the `image-format-mismatch` rule).
///
/// Errors: the [`Problem`] that makes the file unusable as an image: unreadable, empty, not
/// decodable (also as the format its bytes are), or SVG where a raster format is named (or the
/// other way round: browsers do not sniff SVG).
pub fn inspect(path: &Path) -> Result<Option<Problem>, Problem> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let expected = ImageFormat::from_path(path).ok();
    if ext != "svg" && expected.is_none() {
        return Ok(None);
    }
    let head = read_head(path).map_err(|e| Problem {
        what: format!("cannot be read: {e}"),
        help: "check the file's permissions".to_string(),
    })?;
    if head.is_empty() {
        return Err(Problem {
            what: "is an empty file".to_string(),
            help: "export the image again".to_string(),
        });
    }
    let actual = image::guess_format(&head).ok();
    if ext == "svg" {
        return match actual {
            Some(f) => Err(Problem {
                what: format!("is a {} file but its extension says SVG", format_name(f)),
                help: format!(
                    "rename it to .{} or export it as SVG",
                    f.extensions_str()[0]
                ),
            }),
            None if looks_like_svg(&head) => Ok(None),
            None => Err(Problem {
                what: "is not an SVG file (it does not start with <svg or <?xml)".to_string(),
                help: "export the drawing as SVG again".to_string(),
            }),
        };
    }
    let Some(expected) = expected else {
        return Ok(None);
    };
    match actual {
        Some(f) if f != expected => {
            // Sound as the format its bytes are: shown (browsers sniff), only misnamed.
            if f.reading_enabled()
                && let Err(e) = header(path)
            {
                return Err(Problem {
                    what: format!(
                        "is a {} file (its extension says {}) that cannot be decoded: {}",
                        format_name(f),
                        format_name(expected),
                        decode_error(&e)
                    ),
                    help: format!(
                        "the file is damaged; export it again as {}",
                        format_name(expected)
                    ),
                });
            }
            return Ok(Some(Problem {
                what: format!(
                    "is a {} file but its extension says {} (browsers still show it: they read \
                     the bytes)",
                    format_name(f),
                    format_name(expected)
                ),
                help: format!(
                    "rename it to .{} (and update the references) or convert it to {}: servers \
                     send the extension's Content-Type, and tools that trust it fail",
                    f.extensions_str()[0],
                    format_name(expected)
                ),
            }));
        }
        None if looks_like_svg(&head) => {
            return Err(Problem {
                what: format!(
                    "is an SVG file but its extension says {}",
                    format_name(expected)
                ),
                help: format!(
                    "rename it to .svg or convert it to {}",
                    format_name(expected)
                ),
            });
        }
        _ => {}
    }
    if !expected.reading_enabled() {
        return Ok(None);
    }
    match header(path) {
        Ok(_) => Ok(None),
        Err(e) => Err(Problem {
            what: format!(
                "cannot be decoded as {}: {}",
                format_name(expected),
                decode_error(&e)
            ),
            help: format!(
                "the file is damaged or not really a {} image; export it again",
                format_name(expected)
            ),
        }),
    }
}

/// The image's header decoded in the format its bytes are (width and height; the pixels are not
/// decoded).
fn header(path: &Path) -> Result<(u32, u32), image::ImageError> {
    ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(image::ImageError::IoError)
        .and_then(|r| r.into_dimensions())
}

/// What a decoder said, in words for a writer: without the decoder's own prefix ("Format error
/// decoding Png:") and without Rust debug text (`ChunkType { type: IHDR, … }` becomes `IHDR`);
/// a message that still holds debug text is replaced by a plain one.
pub(crate) fn decode_error(e: &image::ImageError) -> String {
    use image::ImageError;
    match e {
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends too early (it is truncated)".to_string()
        }
        ImageError::Limits(_) => "it is too large to decode".to_string(),
        _ => {
            let text = e.to_string();
            // The JPEG decoder says so in its own words.
            if text.contains("Not enough bytes") {
                return "the file ends too early (it is truncated)".to_string();
            }
            let text = match text.strip_prefix("Format error decoding ") {
                Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m).to_string(),
                None => text,
            };
            let chunk =
                regex::Regex::new(r"ChunkType \{ type: (\w+)[^}]*\}").expect("constant regex");
            let text = chunk.replace_all(&text, "$1");
            let text = text.trim().trim_end_matches('.');
            if text.is_empty() || text.contains(['{', '}']) {
                "its data is damaged".to_string()
            } else {
                text.to_string()
            }
        }
    }
}

/// The first bytes of the file: enough for every magic number and an SVG prologue.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)?
        .take(512)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// True when `head` starts (after a UTF-8 byte-order mark and white space) like an SVG document.
fn looks_like_svg(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let text = &text[start..];
    let lower: Vec<u8> = text.iter().take(16).map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<svg") || lower.starts_with(b"<?xml") || lower.starts_with(b"<!doctype svg")
}

/// The usual written name of an image format ("PNG", "JPEG", "WebP").
pub(crate) fn format_name(f: ImageFormat) -> String {
    match f {
        ImageFormat::Png => "PNG".into(),
        ImageFormat::Jpeg => "JPEG".into(),
        ImageFormat::Gif => "GIF".into(),
        ImageFormat::WebP => "WebP".into(),
        ImageFormat::Bmp => "BMP".into(),
        ImageFormat::Ico => "ICO".into(),
        ImageFormat::Avif => "AVIF".into(),
        ImageFormat::Tiff => "TIFF".into(),
        other => format!("{other:?}").to_uppercase(),
    }
}

/// Width and height in pixels, read from the image's header only (the pixels are not decoded).
/// `None` when the file cannot be opened or its format is not recognised.
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// An RGB picture in memory, drawn pixel by pixel and encoded as PNG.
pub struct Canvas(RgbImage);

impl Canvas {
    /// A `width`×`height` canvas filled with `background` (red, green, blue).
    pub fn new(width: u32, height: u32, background: [u8; 3]) -> Canvas {
        Canvas(RgbImage::from_pixel(width, height, Rgb(background)))
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        self.0.dimensions()
    }

    /// Sets the pixel at (`x`, `y`); outside the canvas nothing happens.
    pub fn put(&mut self, x: u32, y: u32, colour: [u8; 3]) {
        if x < self.0.width() && y < self.0.height() {
            self.0.put_pixel(x, y, Rgb(colour));
        }
    }

    /// The pixel at (`x`, `y`) (tests read pictures back).
    ///
    /// Panics: outside the canvas.
    #[cfg(test)]
    pub fn get(&self, x: u32, y: u32) -> [u8; 3] {
        self.0.get_pixel(x, y).0
    }

    /// The PNG file of the canvas (deterministic: the same pixels give the same bytes).
    pub fn png(&self) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        self.0
            .write_to(&mut out, ImageFormat::Png)
            .expect("encoding an in-memory RGB image as PNG cannot fail");
        out.into_inner()
    }

    /// Decodes a PNG file; `None` when `bytes` are not one (tests read pictures back).
    #[cfg(test)]
    pub fn from_png(bytes: &[u8]) -> Option<Canvas> {
        if image::guess_format(bytes).ok()? != ImageFormat::Png {
            return None;
        }
        Some(Canvas(image::load_from_memory(bytes).ok()?.to_rgb8()))
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

    fn png_bytes() -> Vec<u8> {
        Canvas::new(2, 2, [0, 0, 0]).png()
    }

    #[test]
    fn real_png_passes_and_text_fails() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(inspect(&write(dir.path(), "a.png", &png_bytes())), Ok(None));
        let bad =
            inspect(&write(dir.path(), "b.png", b"not an image")).expect_err("text is no PNG");
        assert!(
            bad.what.starts_with("cannot be decoded as PNG"),
            "{}",
            bad.what
        );
    }

    #[test]
    fn wrong_extension_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A sound PNG named .jpg: usable (browsers sniff), only misnamed.
        let misnamed = inspect(&write(dir.path(), "a.jpg", &png_bytes()))
            .expect("a sound PNG in .jpg is usable")
            .expect("and misnamed");
        assert_eq!(
            misnamed.what,
            "is a PNG file but its extension says JPEG (browsers still show it: they read the bytes)"
        );
        assert_eq!(
            misnamed.help,
            "rename it to .png (and update the references) or convert it to JPEG: servers send \
             the extension's Content-Type, and tools that trust it fail"
        );
        // A truncated PNG named .jpg: unusable either way.
        let bad = inspect(&write(dir.path(), "b.jpg", &png_bytes()[..20]))
            .expect_err("a truncated PNG in .jpg");
        assert_eq!(
            bad.what,
            "is a PNG file (its extension says JPEG) that cannot be decoded: the file ends too \
             early (it is truncated)"
        );
        // Browsers do not sniff SVG: PNG bytes in .svg are no SVG image.
        let bad =
            inspect(&write(dir.path(), "a.svg", &png_bytes())).expect_err("PNG bytes in .svg");
        assert_eq!(bad.what, "is a PNG file but its extension says SVG");
    }

    #[test]
    fn svg_prologue() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            inspect(&write(
                dir.path(),
                "a.svg",
                b"\xEF\xBB\xBF  <svg xmlns=\"\"/>"
            )),
            Ok(None)
        );
        assert_eq!(
            inspect(&write(
                dir.path(),
                "b.svg",
                b"<?xml version=\"1.0\"?><svg/>"
            )),
            Ok(None)
        );
        assert!(inspect(&write(dir.path(), "c.svg", b"<html></html>")).is_err());
        assert!(inspect(&write(dir.path(), "d.svg", b"")).is_err());
    }

    #[test]
    fn unknown_extensions_are_not_images() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(inspect(&write(dir.path(), "notes.txt", b"hello")), Ok(None));
    }

    /// Issue 8: a corrupt PNG's message printed Rust debug text (`ChunkType { … }`).
    #[test]
    fn corrupt_png_message_has_no_debug_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bad_crc = png_bytes();
        bad_crc[29] ^= 0xff;
        let bad = inspect(&write(dir.path(), "a.png", &bad_crc)).expect_err("corrupt");
        assert!(
            bad.what
                .starts_with("cannot be decoded as PNG: CRC error: ")
                && bad.what.ends_with(" while decoding IHDR chunk"),
            "{}",
            bad.what
        );
    }

    #[test]
    fn corrupt_png_variants_have_no_debug_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = png_bytes();
        // A broken CRC in IHDR, a truncated file, and a wrong IHDR length.
        let mut bad_crc = good.clone();
        bad_crc[29] ^= 0xff;
        let truncated = good[..20].to_vec();
        let mut bad_len = good.clone();
        bad_len[11] = 0x05;
        for (name, bytes) in [
            ("crc.png", bad_crc),
            ("short.png", truncated),
            ("len.png", bad_len),
        ] {
            let bad = inspect(&write(dir.path(), name, &bytes)).expect_err("corrupt");
            assert!(
                bad.what.starts_with("cannot be decoded as PNG"),
                "{}",
                bad.what
            );
            assert!(
                !bad.what.contains(['{', '}']) && !bad.what.contains("ChunkType"),
                "{name}: {}",
                bad.what
            );
        }
    }
}
