//! Resized copies (*derivatives*) of screenshots wider than `[build] image-max-width`, so a
//! 3000-pixel retina capture is not what a phone downloads.
//!
//! The page shows such an image at the *display width* D = `image-max-width` / 2 CSS pixels
//! (800 by default; the content column is 736 px wide). It gets four files beside the original:
//! D and 2·D pixels wide (the 1× and 2× of the display width), each as WebP (lossless, the one
//! WebP encoder of the image crate) and in the original's format (PNG, or JPEG at quality 85),
//! named `shot.800w.webp`, `shot.800w.png`, `shot.1600w.webp`, `shot.1600w.png`. The renderer
//! serves them through `<picture>`, `srcset` and `sizes` and links the original for zoom.
//! Heights keep the aspect ratio (rounded to the nearest pixel). GIF and other formats are
//! published as they are.
//!
//! Derivatives are made in parallel (rayon) and kept in `.stepbook-cache/derived/`, named by the
//! original's content hash and the settings, so a build where nothing changed decodes nothing
//! ([`DeriveStats::decoded`]). An original that cannot be decoded gets no derivatives; its
//! problem is returned for `unreadable-image` to report.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use rayon::prelude::*;

use super::{ImageInfo, Problem, undecodable};

/// Bumped when the way derivatives are made changes (it is part of the cache key). 2: PNG
/// encoded through flate2's zlib-rs backend (other bytes, same pixels), so a rebuild reusing
/// derivatives equals a fresh build.
const VERSION: u32 = 2;

/// The default of `[build] image-max-width`, in pixels.
pub const DEFAULT_MAX_WIDTH: u32 = 1600;

/// One derivative file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivative {
    /// Its site path (`res/shot.800w.webp`).
    pub site: String,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// WebP, or the original's format.
    pub format: ImageFormat,
    /// The cached file the site publishes.
    pub disk: PathBuf,
}

/// The derivatives of one original, as the renderer needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// Width and height at which the page shows the image (the 1× derivative's size).
    pub display: (u32, u32),
    /// The original's format (the `<img>` fallback's type).
    pub format: ImageFormat,
    /// 1× and 2×, in each format.
    pub files: Vec<Derivative>,
}

/// What one run of [`plan`] + [`make`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeriveStats {
    /// Derivative files written to the cache in this run.
    pub made: usize,
    /// Derivative files found in the cache.
    pub reused: usize,
    /// Originals decoded in this run.
    pub decoded: usize,
}

/// The two widths (1×, 2×) and heights for an original of `size`, or `None` when it is not
/// wider than `max_width` (published unchanged).
pub fn sizes(size: (u32, u32), max_width: u32) -> Option<[(u32, u32); 2]> {
    let (w, h) = size;
    if w <= max_width || max_width < 2 {
        return None;
    }
    let at = |tw: u32| {
        let th = ((u64::from(h) * u64::from(tw) + u64::from(w) / 2) / u64::from(w)).max(1);
        (tw, th as u32)
    };
    Some([at(max_width / 2), at(max_width)])
}

/// The derivatives every resizable image of the site would have (site path of the original →
/// [`Derived`]), without making any: images with a size wider than `max_width`, a content hash,
/// no problem, and a format the build re-encodes (PNG, JPEG, WebP).
pub fn plan(
    images: &HashMap<String, ImageInfo>,
    max_width: u32,
    cache_root: &Path,
) -> BTreeMap<String, Derived> {
    let mut out = BTreeMap::new();
    for (site, info) in images {
        let (Some(size), Some(hash), None) = (info.size, &info.hash, &info.problem) else {
            continue;
        };
        let Some(pair) = sizes(size, max_width) else {
            continue;
        };
        let Ok(format) = ImageFormat::from_path(site) else {
            continue;
        };
        if !matches!(
            format,
            ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
        ) {
            continue;
        }
        let dir = cache_root.join(format!("{}-{max_width}-v{VERSION}", &hash[..32]));
        let stem = site.rsplit_once('.').map_or(site.as_str(), |(s, _)| s);
        let mut files = Vec::new();
        for (w, h) in pair {
            let mut formats = vec![ImageFormat::WebP];
            if format != ImageFormat::WebP {
                formats.push(format);
            }
            for f in formats {
                let ext = f.extensions_str()[0];
                files.push(Derivative {
                    site: format!("{stem}.{w}w.{ext}"),
                    size: (w, h),
                    format: f,
                    disk: dir.join(format!("{w}w.{ext}")),
                });
            }
        }
        out.insert(
            site.clone(),
            Derived {
                display: pair[0],
                format,
                files,
            },
        );
    }
    out
}

/// Makes the derivatives of `planned` that the cache does not hold yet (in parallel), decoding
/// each original at most once. `disk` maps site paths to the originals on disk. Returns what was
/// done and the originals that could not be decoded (their entries are removed from `planned`,
/// so they are published unchanged).
pub fn make(
    planned: &mut BTreeMap<String, Derived>,
    disk: &BTreeMap<String, PathBuf>,
) -> (DeriveStats, Vec<(String, Problem)>) {
    let results: Vec<(String, OneResult)> = planned
        .par_iter()
        .map(|(site, derived)| {
            let stamps = read_stamps(&derived.files);
            let missing: Vec<&Derivative> = derived
                .files
                .iter()
                .filter(|d| !is_as_written(&d.disk, &stamps))
                .collect();
            let reused = derived.files.len() - missing.len();
            if missing.is_empty() {
                return (site.clone(), Ok((0, reused, false)));
            }
            let Some(src) = disk.get(site) else {
                return (site.clone(), Ok((0, reused, false)));
            };
            let made = make_one(src, derived.format, &missing);
            if made.is_ok() {
                write_stamps(&derived.files);
            }
            (site.clone(), made.map(|made| (made, reused, true)))
        })
        .collect();
    let mut stats = DeriveStats::default();
    let mut problems = Vec::new();
    for (site, r) in results {
        match r {
            Ok((made, reused, decoded)) => {
                stats.made += made;
                stats.reused += reused;
                stats.decoded += usize::from(decoded);
            }
            Err(p) => {
                stats.decoded += 1;
                planned.remove(&site);
                problems.push((site, p));
            }
        }
    }
    (stats, problems)
}

/// The file in a derivatives folder that records each derivative as written (`NAME LENGTH
/// MTIME_NS INODE DEVICE` a line, [`crate::cache::Stamp`]). The site publishes derivatives as hard
/// links, so a tool that edits a published one in place edits the cached file too; such a file
/// no longer matches its line and is made again.
const STAMPS: &str = "stamps";

/// The recorded stamps of the folder of `files` (they share one), by file name.
fn read_stamps(files: &[Derivative]) -> HashMap<String, String> {
    let Some(dir) = files.first().and_then(|d| d.disk.parent()) else {
        return HashMap::new();
    };
    std::fs::read_to_string(dir.join(STAMPS))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(name, stamp)| (name.to_string(), stamp.to_string()))
        .collect()
}

/// True when `disk` is there as it was written.
fn is_as_written(disk: &Path, stamps: &HashMap<String, String>) -> bool {
    let name = disk.file_name().map(|n| n.to_string_lossy().into_owned());
    match (
        name.and_then(|n| stamps.get(&n)),
        crate::cache::stamp(disk).map(|s| s.to_string()),
    ) {
        (Some(recorded), Some(now)) => *recorded == now,
        _ => false,
    }
}

/// Records the stamps of `files` in their folder; errors are ignored: an unrecorded derivative
/// is only made again.
fn write_stamps(files: &[Derivative]) {
    let Some(dir) = files.first().and_then(|d| d.disk.parent()) else {
        return;
    };
    let mut text = String::new();
    for d in files {
        if let (Some(name), Some(stamp)) = (d.disk.file_name(), crate::cache::stamp(&d.disk)) {
            text.push_str(&format!("{} {stamp}\n", name.to_string_lossy()));
        }
    }
    let _ = crate::cache::write_atomically(&dir.join(STAMPS), text.as_bytes());
}

/// What making one original's derivatives gave: `(files made, files reused, decoded)`, or why
/// the original could not be decoded.
type OneResult = Result<(usize, usize, bool), Problem>;

/// Decodes `src` once and writes every derivative of `wanted` (largest first, each smaller one
/// resized from the original). Returns how many files were written.
fn make_one(src: &Path, format: ImageFormat, wanted: &[&Derivative]) -> Result<usize, Problem> {
    let image = image::ImageReader::open(src)
        .map_err(image::ImageError::IoError)
        .and_then(|r| r.with_guessed_format().map_err(image::ImageError::IoError))
        .and_then(|r| r.decode())
        .map_err(|e| undecodable(format, &e))?;
    let mut made = 0;
    let mut resized: HashMap<(u32, u32), DynamicImage> = HashMap::new();
    for d in wanted {
        let img = resized
            .entry(d.size)
            .or_insert_with(|| image.resize_exact(d.size.0, d.size.1, FilterType::CatmullRom));
        write_one(img, d).map_err(|e| Problem {
            what: format!("could not be resized into {}: {e}", d.disk.display()),
            help: "check that .stepbook-cache/ can be written".to_string(),
            mismatch: false,
        })?;
        made += 1;
    }
    Ok(made)
}

/// Encodes `img` as `d.format` into `d.disk` through a temporary file and a rename, so a cache
/// file is either whole or absent.
fn write_one(img: &DynamicImage, d: &Derivative) -> Result<(), Box<dyn std::error::Error>> {
    let dir = d.disk.parent().ok_or("no folder")?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}",
        d.disk
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    let encoded = match d.format {
        // The WebP encoder takes 8-bit RGB(A) only.
        ImageFormat::WebP => DynamicImage::ImageRgba8(img.to_rgba8()).write_to(&mut out, d.format),
        ImageFormat::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&img.to_rgb8()),
        f => img.write_to(&mut out, f),
    };
    let finished = encoded
        .map_err(Box::<dyn std::error::Error>::from)
        .and_then(|()| {
            std::io::Write::flush(&mut out)?;
            Ok(())
        });
    drop(out);
    match finished.and_then(|()| std::fs::rename(&tmp, &d.disk).map_err(Into::into)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_keep_the_aspect_ratio() {
        assert_eq!(sizes((3000, 2000), 1600), Some([(800, 533), (1600, 1067)]));
        assert_eq!(sizes((1600, 900), 1600), None);
        assert_eq!(sizes((400, 300), 1600), None);
        assert_eq!(sizes((5000, 1), 1600), Some([(800, 1), (1600, 1)]));
    }
}
