//! Draws the wireframe "screenshots" used by the bundled guides in `content/`.
//!
//! No text-rendering crate is available, so every screenshot is a flat-colour
//! wireframe mock: a browser window (title bar with three window buttons, a tab
//! and an address bar), a LinkedIn-like blue header, tabs or a sidebar, and
//! content blocks in which "text" is drawn as rows of grey rounded bars (one bar
//! per word, its length proportional to the word). Each image has exactly one
//! control surrounded by an orange highlight rectangle: the control the reader
//! is asked to use in that step of `content/CREDENTIALS.md` (or, for
//! `connector_token.png`, in `content/GETTING_STARTED.md`).
//!
//! The output is deterministic (no randomness; the only "noise", the mock
//! access token, comes from a fixed-seed LCG) and is written as small PNG files
//! (best compression, adaptive filtering) into `res/` at the crate root:
//!
//! ```text
//! cd /work/main && cargo run --example screenshots
//! ```
//!
//! Pass `--release` for a faster run; the bytes written are the same.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};

type Rgb = [u8; 3];

// Palette: a handful of flat colours keeps the PNG files small.
const WHITE: Rgb = [255, 255, 255];
const PAGE_BG: Rgb = [243, 242, 239];
const CHROME: Rgb = [222, 225, 230];
const URL_BG: Rgb = [241, 243, 244];
const BORDER: Rgb = [218, 220, 224];
const HEAD: Rgb = [88, 92, 98];
const BODY: Rgb = [160, 165, 172];
const LIGHT: Rgb = [204, 208, 213];
const FAINT: Rgb = [232, 234, 237];
const BLUE: Rgb = [10, 102, 194];
const BLUE_DARK: Rgb = [0, 65, 130];
const BLUE_SOFT: Rgb = [207, 227, 247];
const BLUE_TINT: Rgb = [232, 241, 251];
const GREEN: Rgb = [5, 118, 66];
const GREEN_TINT: Rgb = [226, 242, 232];
const RED: Rgb = [204, 16, 22];
const RED_TINT: Rgb = [253, 236, 234];
const AMBER: Rgb = [180, 110, 0];
const AMBER_TINT: Rgb = [255, 243, 214];
const HIGHLIGHT: Rgb = [255, 90, 31];
const BLACK: Rgb = [0, 0, 0];

/// A simple RGB canvas with anti-aliased rounded shapes (4x4 supersampling).
struct Canvas {
    w: i32,
    h: i32,
    px: Vec<u8>,
}

impl Canvas {
    fn new(w: i32, h: i32, bg: Rgb) -> Self {
        let mut px = Vec::with_capacity((w * h * 3) as usize);
        for _ in 0..w * h {
            px.extend_from_slice(&bg);
        }
        Canvas { w, h, px }
    }

    fn blend(&mut self, x: i32, y: i32, c: Rgb, a: f32) {
        if x < 0 || y < 0 || x >= self.w || y >= self.h || a <= 0.0 {
            return;
        }
        let i = ((y * self.w + x) * 3) as usize;
        for (dst, src) in self.px[i..i + 3].iter_mut().zip(c) {
            let old = *dst as f32;
            *dst = (old + (src as f32 - old) * a.min(1.0)).round() as u8;
        }
    }

    /// Blends `c` over a rectangle with opacity `a` (used for modal overlays).
    fn shade(&mut self, x: i32, y: i32, w: i32, h: i32, c: Rgb, a: f32) {
        for yy in y.max(0)..(y + h).min(self.h) {
            for xx in x.max(0)..(x + w).min(self.w) {
                self.blend(xx, yy, c, a);
            }
        }
    }

    fn rect(&mut self, x: i32, y: i32, w: i32, h: i32, c: Rgb) {
        for yy in y.max(0)..(y + h).min(self.h) {
            for xx in x.max(0)..(x + w).min(self.w) {
                let i = ((yy * self.w + xx) * 3) as usize;
                self.px[i..i + 3].copy_from_slice(&c);
            }
        }
    }

    fn hline(&mut self, x: i32, y: i32, w: i32, c: Rgb) {
        self.rect(x, y, w, 1, c);
    }

    fn vline(&mut self, x: i32, y: i32, h: i32, c: Rgb) {
        self.rect(x, y, 1, h, c);
    }

    /// Fills the pixels of a box whose sub-samples satisfy `inside`.
    fn shape(&mut self, x: i32, y: i32, w: i32, h: i32, c: Rgb, inside: &dyn Fn(f32, f32) -> bool) {
        for yy in y.max(0)..(y + h).min(self.h) {
            for xx in x.max(0)..(x + w).min(self.w) {
                let mut n = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let fx = xx as f32 + (sx as f32 + 0.5) / 4.0;
                        let fy = yy as f32 + (sy as f32 + 0.5) / 4.0;
                        if inside(fx, fy) {
                            n += 1;
                        }
                    }
                }
                if n == 16 {
                    let i = ((yy * self.w + xx) * 3) as usize;
                    self.px[i..i + 3].copy_from_slice(&c);
                } else if n > 0 {
                    self.blend(xx, yy, c, n as f32 / 16.0);
                }
            }
        }
    }

    fn rr(&mut self, x: i32, y: i32, w: i32, h: i32, r: i32, c: Rgb) {
        let r = r.min(w / 2).min(h / 2).max(0);
        if r == 0 {
            self.rect(x, y, w, h, c);
            return;
        }
        self.rect(x + r, y, w - 2 * r, h, c);
        self.rect(x, y + r, r, h - 2 * r, c);
        self.rect(x + w - r, y + r, r, h - 2 * r, c);
        let inside = move |fx: f32, fy: f32| in_rr(fx, fy, x, y, w, h, r);
        self.shape(x, y, r, r, c, &inside);
        self.shape(x + w - r, y, r, r, c, &inside);
        self.shape(x, y + h - r, r, r, c, &inside);
        self.shape(x + w - r, y + h - r, r, r, c, &inside);
    }

    /// Outline of a rounded rectangle, `t` pixels thick, drawn inside the box.
    #[allow(clippy::too_many_arguments)]
    fn rr_stroke(&mut self, x: i32, y: i32, w: i32, h: i32, r: i32, t: i32, c: Rgb) {
        let r = r.min(w / 2).min(h / 2).max(0);
        let ri = (r - t).max(0);
        let inside = move |fx: f32, fy: f32| {
            in_rr(fx, fy, x, y, w, h, r) && !in_rr(fx, fy, x + t, y + t, w - 2 * t, h - 2 * t, ri)
        };
        let b = r.max(t) + 1;
        self.shape(x, y, w, b, c, &inside);
        self.shape(x, y + h - b, w, b, c, &inside);
        self.shape(x, y + b, b, h - 2 * b, c, &inside);
        self.shape(x + w - b, y + b, b, h - 2 * b, c, &inside);
    }

    fn circle(&mut self, cx: i32, cy: i32, r: i32, c: Rgb) {
        self.rr(cx - r, cy - r, 2 * r, 2 * r, r, c);
    }

    fn ring(&mut self, cx: i32, cy: i32, r: i32, t: i32, c: Rgb) {
        self.rr_stroke(cx - r, cy - r, 2 * r, 2 * r, r, t, c);
    }

    /// A thick line with round caps.
    fn line(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, t: f32, c: Rgb) {
        let (ax, ay, bx, by) = (x0 as f32, y0 as f32, x1 as f32, y1 as f32);
        let half = t / 2.0;
        let inside = move |fx: f32, fy: f32| {
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = (dx * dx + dy * dy).max(1e-6);
            let s = (((fx - ax) * dx + (fy - ay) * dy) / len2).clamp(0.0, 1.0);
            let (px, py) = (ax + s * dx - fx, ay + s * dy - fy);
            px * px + py * py <= half * half
        };
        let pad = t.ceil() as i32 + 1;
        let (lx, hx) = (x0.min(x1) - pad, x0.max(x1) + pad);
        let (ly, hy) = (y0.min(y1) - pad, y0.max(y1) + pad);
        self.shape(lx, ly, hx - lx, hy - ly, c, &inside);
    }

    fn check_mark(&mut self, x: i32, y: i32, s: i32, c: Rgb) {
        let t = (s as f32 / 6.0).max(2.0);
        self.line(x, y + s / 2, x + s / 3, y + s * 5 / 6, t, c);
        self.line(x + s / 3, y + s * 5 / 6, x + s, y, t, c);
    }

    fn write_png(&self, path: &Path) -> image::ImageResult<()> {
        let file = BufWriter::new(File::create(path)?);
        let enc = PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive);
        enc.write_image(
            &self.px,
            self.w as u32,
            self.h as u32,
            ExtendedColorType::Rgb8,
        )
    }
}

fn in_rr(fx: f32, fy: f32, x: i32, y: i32, w: i32, h: i32, r: i32) -> bool {
    let (x, y, w, h, r) = (x as f32, y as f32, w as f32, h as f32, r as f32);
    if fx < x || fy < y || fx > x + w || fy > y + h {
        return false;
    }
    let dx = (x + r - fx).max(fx - (x + w - r)).max(0.0);
    let dy = (y + r - fy).max(fy - (y + h - r)).max(0.0);
    dx * dx + dy * dy <= r * r
}

// ---------------------------------------------------------------------------
// Mock text: one rounded bar per word.

fn word_w(word: &str, size: i32) -> i32 {
    (word.chars().count() as f32 * size as f32 * 0.5).round() as i32
}

fn gap_w(size: i32) -> i32 {
    (size as f32 * 0.4).round() as i32
}

fn text_w(s: &str, size: i32) -> i32 {
    let words: Vec<&str> = s.split_whitespace().collect();
    let sum: i32 = words.iter().map(|w| word_w(w, size)).sum();
    sum + gap_w(size) * (words.len() as i32 - 1).max(0)
}

/// Draws `s` as word bars whose vertical centre is `cy`; returns the width.
fn text(cv: &mut Canvas, x: i32, cy: i32, s: &str, size: i32, c: Rgb) -> i32 {
    let bh = ((size as f32) * 0.5).round().max(4.0) as i32;
    let mut cx = x;
    for word in s.split_whitespace() {
        let ww = word_w(word, size);
        cv.rr(cx, cy - bh / 2, ww, bh, bh / 2, c);
        cx += ww + gap_w(size);
    }
    text_w(s, size)
}

/// A paragraph of `lines` lines of body text, `w` pixels wide, deterministic.
fn para(cv: &mut Canvas, x: i32, y: i32, w: i32, lines: i32, size: i32, c: Rgb) {
    const WORDS: [i32; 11] = [5, 3, 7, 4, 9, 2, 6, 4, 8, 3, 5];
    let bh = ((size as f32) * 0.5).round().max(4.0) as i32;
    let lead = size + size / 2;
    let mut k = (x + y) as usize;
    for l in 0..lines {
        let limit = if l == lines - 1 { w * 3 / 5 } else { w };
        let mut cx = x;
        loop {
            let ww = (WORDS[k % WORDS.len()] as f32 * size as f32 * 0.5) as i32;
            k += 1;
            if cx + ww > x + limit {
                break;
            }
            cv.rr(cx, y + l * lead - bh / 2, ww, bh, bh / 2, c);
            cx += ww + gap_w(size);
        }
    }
}

/// Fixed-seed linear congruential generator (for the mock token only).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

// ---------------------------------------------------------------------------
// Widgets. Each returns its bounding box so it can be highlighted.

#[derive(Clone, Copy)]
struct Bx {
    x: i32,
    y: i32,
    w: i32,
    h: i32,
}

#[derive(Clone, Copy, PartialEq)]
enum Btn {
    Primary,
    Secondary,
    Disabled,
    Plain,
}

fn button(cv: &mut Canvas, x: i32, y: i32, label: &str, kind: Btn, accent: Rgb) -> Bx {
    let size = 15;
    let w = text_w(label, size) + 40;
    let h = 34;
    match kind {
        Btn::Primary => {
            cv.rr(x, y, w, h, h / 2, accent);
            text(cv, x + 20, y + h / 2, label, size, WHITE);
        }
        Btn::Secondary => {
            cv.rr(x, y, w, h, h / 2, WHITE);
            cv.rr_stroke(x, y, w, h, h / 2, 2, accent);
            text(cv, x + 20, y + h / 2, label, size, accent);
        }
        Btn::Disabled => {
            cv.rr(x, y, w, h, h / 2, FAINT);
            text(cv, x + 20, y + h / 2, label, size, LIGHT);
        }
        Btn::Plain => {
            text(cv, x + 20, y + h / 2, label, size, BODY);
        }
    }
    Bx { x, y, w, h }
}

fn input(cv: &mut Canvas, x: i32, y: i32, w: i32, value: &str, filled: bool) -> Bx {
    let h = 38;
    cv.rr(x, y, w, h, 4, WHITE);
    cv.rr_stroke(x, y, w, h, 4, 1, [140, 145, 150]);
    text(
        cv,
        x + 12,
        y + h / 2,
        value,
        14,
        if filled { HEAD } else { LIGHT },
    );
    Bx { x, y, w, h }
}

fn label(cv: &mut Canvas, x: i32, y: i32, s: &str) {
    text(cv, x, y, s, 14, HEAD);
}

fn checkbox(cv: &mut Canvas, x: i32, y: i32, checked: bool) {
    if checked {
        cv.rr(x, y, 20, 20, 4, BLUE);
        cv.check_mark(x + 4, y + 5, 12, WHITE);
    } else {
        cv.rr(x, y, 20, 20, 4, WHITE);
        cv.rr_stroke(x, y, 20, 20, 4, 2, [120, 125, 130]);
    }
}

fn card(cv: &mut Canvas, x: i32, y: i32, w: i32, h: i32) {
    cv.rr(x - 1, y - 1, w + 2, h + 2, 9, BORDER);
    cv.rr(x, y, w, h, 8, WHITE);
}

fn badge(cv: &mut Canvas, x: i32, y: i32, s: &str, bg: Rgb, fg: Rgb) -> i32 {
    let w = text_w(s, 12) + 20;
    cv.rr(x, y, w, 22, 11, bg);
    text(cv, x + 10, y + 11, s, 12, fg);
    w
}

/// The orange "click here" rectangle drawn around the control of the step.
fn highlight(cv: &mut Canvas, b: Bx) {
    cv.rr_stroke(b.x - 8, b.y - 8, b.w + 16, b.h + 16, 10, 4, HIGHLIGHT);
}

fn in_logo(cv: &mut Canvas, x: i32, y: i32, s: i32, bg: Rgb, fg: Rgb) {
    cv.rr(x, y, s, s, s / 7, bg);
    let u = s as f32 / 28.0;
    let p = |v: f32| (v * u).round() as i32;
    cv.circle(x + p(8.0), y + p(7.5), p(2.2).max(1), fg);
    cv.rect(x + p(6.0), y + p(11.0), p(4.0).max(1), p(11.0), fg);
    cv.rr(x + p(12.0), y + p(11.0), p(11.0), p(12.0), p(5.0), fg);
    cv.rect(x + p(12.0), y + p(11.0), p(4.0).max(1), p(11.0), fg);
    cv.rr(x + p(16.0), y + p(14.5), p(3.0).max(1), p(9.0), p(1.0), bg);
}

fn app_logo(cv: &mut Canvas, x: i32, y: i32, s: i32) {
    cv.rr(x, y, s, s, s / 6, [233, 229, 223]);
    let q = s / 4;
    cv.circle(x + s / 2, y + s / 2 - q / 3, q, [120, 115, 190]);
    cv.rr(
        x + q,
        y + s - q - q / 2,
        s - 2 * q,
        q / 2 + 2,
        2,
        [120, 115, 190],
    );
}

fn company_logo(cv: &mut Canvas, x: i32, y: i32, s: i32) {
    cv.rr(x, y, s, s, s / 6, [233, 229, 223]);
    let u = s / 8;
    cv.rect(x + 2 * u, y + 2 * u, 3 * u, 5 * u, [140, 130, 120]);
    cv.rect(x + 5 * u, y + 4 * u, u * 2, 3 * u, [170, 160, 150]);
}

fn copy_icon(cv: &mut Canvas, x: i32, y: i32, c: Rgb) {
    cv.rr_stroke(x, y, 12, 14, 2, 2, c);
    cv.rr(x + 5, y + 5, 12, 14, 2, WHITE);
    cv.rr_stroke(x + 5, y + 5, 12, 14, 2, 2, c);
}

// ---------------------------------------------------------------------------
// Frames.

/// Browser window: title bar with window buttons and a tab, then the address
/// bar. Returns the y coordinate where the page starts.
fn browser(cv: &mut Canvas, tab: &str, url: &str, favicon: Rgb) -> i32 {
    let w = cv.w;
    cv.rect(0, 0, w, 40, CHROME);
    cv.circle(20, 20, 6, [255, 95, 87]);
    cv.circle(40, 20, 6, [254, 188, 46]);
    cv.circle(60, 20, 6, [40, 200, 64]);
    cv.rr(86, 7, 250, 44, 9, WHITE);
    cv.rr(100, 17, 16, 16, 3, favicon);
    text(cv, 124, 25, tab, 12, HEAD);
    cv.line(312, 21, 320, 29, 1.6, BODY);
    cv.line(320, 21, 312, 29, 1.6, BODY);
    cv.line(352, 25, 364, 25, 1.8, [120, 125, 130]);
    cv.line(358, 19, 358, 31, 1.8, [120, 125, 130]);
    cv.rect(0, 40, w, 43, WHITE);
    cv.hline(0, 83, w, BORDER);
    // back, forward, reload
    cv.line(18, 61, 32, 61, 2.0, [95, 99, 104]);
    cv.line(18, 61, 24, 55, 2.0, [95, 99, 104]);
    cv.line(18, 61, 24, 67, 2.0, [95, 99, 104]);
    cv.line(46, 61, 60, 61, 2.0, LIGHT);
    cv.line(60, 61, 54, 55, 2.0, LIGHT);
    cv.line(60, 61, 54, 67, 2.0, LIGHT);
    cv.ring(84, 61, 7, 2, [95, 99, 104]);
    cv.rect(84, 52, 9, 6, WHITE);
    // address field
    cv.rr(108, 47, w - 196, 28, 14, URL_BG);
    cv.ring(127, 58, 4, 2, [95, 99, 104]);
    cv.rr(122, 59, 10, 8, 2, [95, 99, 104]);
    text(cv, 144, 61, url, 12, [120, 125, 130]);
    cv.circle(w - 56, 61, 12, [186, 200, 220]);
    for k in 0..3 {
        cv.circle(w - 22, 54 + 7 * k, 2, [95, 99, 104]);
    }
    84
}

/// The blue LinkedIn Developers header. Returns the y below it.
fn li_header(cv: &mut Canvas, y: i32, active: usize) -> i32 {
    let w = cv.w;
    cv.rect(0, y, w, 56, BLUE);
    in_logo(cv, 28, y + 12, 32, WHITE, BLUE);
    text(cv, 72, y + 28, "Developers", 18, WHITE);
    let items = ["Products", "Docs and tools", "Resources", "My apps"];
    let mut x = w - 140 - items.iter().map(|s| text_w(s, 14) + 32).sum::<i32>();
    for (i, s) in items.iter().enumerate() {
        let tw = text(
            cv,
            x,
            y + 28,
            s,
            14,
            if i == active { WHITE } else { BLUE_SOFT },
        );
        if i == active {
            cv.rect(x, y + 52, tw, 4, WHITE);
        }
        x += tw + 32;
    }
    cv.circle(w - 52, y + 28, 15, [180, 205, 235]);
    cv.circle(w - 52, y + 23, 5, BLUE_DARK);
    cv.rr(w - 61, y + 30, 18, 8, 4, BLUE_DARK);
    y + 56
}

const APP_NAME: &str = "Acme Ads Reporting";

/// App header card with the tab strip. Returns the y below it.
fn app_header(cv: &mut Canvas, y: i32, active: usize) -> i32 {
    let w = cv.w;
    cv.rect(0, y, w, 124, WHITE);
    cv.hline(0, y + 124, w, BORDER);
    app_logo(cv, 64, y + 20, 60);
    text(cv, 140, y + 38, APP_NAME, 22, HEAD);
    text(
        cv,
        140,
        y + 66,
        "Client ID 86q4x2b7 created Mar 4",
        13,
        BODY,
    );
    let tabs = ["Settings", "Auth", "Products", "Analytics", "Team members"];
    let mut x = 64;
    for (i, s) in tabs.iter().enumerate() {
        let tw = text(cv, x, y + 104, s, 15, if i == active { BLUE } else { BODY });
        if i == active {
            cv.rect(x - 4, y + 120, tw + 8, 4, BLUE);
        }
        x += tw + 40;
    }
    y + 125
}

// ---------------------------------------------------------------------------
// Screens.

fn shot_createapp() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        "LinkedIn Developers",
        "developer.linkedin.com",
        BLUE,
    );
    let y = li_header(&mut cv, top, 99);
    // hero
    cv.rect(0, y, 1280, 330, WHITE);
    cv.hline(0, y + 330, 1280, BORDER);
    text(&mut cv, 120, y + 86, "Build with LinkedIn", 40, HEAD);
    para(&mut cv, 120, y + 140, 520, 3, 16, BODY);
    let b = button(&mut cv, 120, y + 230, "Create app", Btn::Primary, BLUE);
    button(
        &mut cv,
        120 + b.w + 16,
        y + 230,
        "View docs",
        Btn::Secondary,
        BLUE,
    );
    highlight(&mut cv, b);
    // illustration: a mini dashboard
    cv.rr(760, y + 40, 400, 250, 12, BLUE_TINT);
    cv.rr(790, y + 70, 340, 190, 8, WHITE);
    text(&mut cv, 810, y + 96, "Campaign performance", 13, HEAD);
    let bars = [60, 95, 75, 130, 110, 150, 120];
    for (i, h) in bars.iter().enumerate() {
        let bx = 815 + i as i32 * 44;
        cv.rr(
            bx,
            y + 240 - h,
            28,
            *h,
            4,
            if i == 5 { BLUE } else { BLUE_SOFT },
        );
    }
    // feature cards
    let cy = y + 370;
    for i in 0..3 {
        let x = 120 + i * 356;
        card(&mut cv, x, cy, 324, 200);
        cv.circle(
            x + 44,
            cy + 44,
            20,
            [BLUE_SOFT, GREEN_TINT, AMBER_TINT][i as usize],
        );
        text(
            &mut cv,
            x + 24,
            cy + 94,
            ["Marketing", "Sign In", "Community"][i as usize],
            18,
            HEAD,
        );
        para(&mut cv, x + 24, cy + 126, 270, 2, 14, BODY);
        text(&mut cv, x + 24, cy + 176, "Learn more", 14, BLUE);
    }
    cv
}

fn create_form_side(cv: &mut Canvas, x: i32, y: i32) {
    card(cv, x, y, 330, 220);
    text(cv, x + 24, y + 34, "Before you start", 17, HEAD);
    para(cv, x + 24, y + 70, 280, 4, 14, BODY);
    text(cv, x + 24, y + 180, "Read the developer terms", 14, BLUE);
}

fn shot_appname() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        "Create an app",
        "linkedin.com/developers/apps/new",
        BLUE,
    );
    let y = li_header(&mut cv, top, 3);
    text(&mut cv, 120, y + 44, "Create an app", 26, HEAD);
    card(&mut cv, 120, y + 80, 700, 560);
    let x = 152;
    text(&mut cv, x, y + 112, "* indicates required", 12, BODY);
    label(&mut cv, x, y + 148, "App name *");
    let a = input(&mut cv, x, y + 164, 636, APP_NAME, true);
    label(&mut cv, x, y + 232, "LinkedIn Page *");
    let p = input(
        &mut cv,
        x,
        y + 248,
        636,
        "linkedin.com/company/acme-corp",
        true,
    );
    text(
        &mut cv,
        x,
        y + 300,
        "The company page your app is associated with",
        12,
        BODY,
    );
    highlight(
        &mut cv,
        Bx {
            x: a.x - 10,
            y: a.y - 34,
            w: a.w + 20,
            h: p.y + p.h - a.y + 60,
        },
    );
    label(&mut cv, x, y + 352, "Privacy policy URL");
    input(&mut cv, x, y + 368, 636, "https://", false);
    label(&mut cv, x, y + 436, "App logo *");
    cv.rr(x, y + 454, 636, 120, 6, [248, 248, 247]);
    cv.rr_stroke(x, y + 454, 636, 120, 6, 1, LIGHT);
    cv.circle(x + 318, y + 494, 16, BLUE_SOFT);
    text(&mut cv, x + 250, y + 534, "Upload a logo", 14, BLUE);
    create_form_side(&mut cv, 850, y + 80);
    cv
}

fn shot_create() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        "Create an app",
        "linkedin.com/developers/apps/new",
        BLUE,
    );
    let y = top + 56;
    // scrolled down: the card starts above the viewport, under the header
    card(&mut cv, 120, y - 40, 700, 620);
    li_header(&mut cv, top, 3);
    let x = 152;
    label(&mut cv, x, y + 28, "App logo *");
    cv.rr(x, y + 46, 636, 132, 6, [248, 248, 247]);
    cv.rr_stroke(x, y + 46, 636, 132, 6, 1, LIGHT);
    app_logo(&mut cv, x + 24, y + 66, 92);
    text(&mut cv, x + 140, y + 92, "acme-logo.png", 14, HEAD);
    text(
        &mut cv,
        x + 140,
        y + 118,
        "Square image at least 100 x 100",
        12,
        BODY,
    );
    button(&mut cv, x + 140, y + 136, "Replace", Btn::Secondary, BLUE);
    text(&mut cv, x, y + 216, "Legal agreement", 18, HEAD);
    cv.rr(x, y + 236, 636, 150, 6, [248, 248, 247]);
    cv.rr_stroke(x, y + 236, 636, 150, 6, 1, BORDER);
    para(&mut cv, x + 16, y + 260, 590, 6, 13, BODY);
    cv.rr(x + 624, y + 244, 5, 52, 2, LIGHT);
    checkbox(&mut cv, x, y + 406, true);
    text(
        &mut cv,
        x + 32,
        y + 416,
        "I have read and agree to these terms",
        14,
        HEAD,
    );
    cv.hline(120, y + 470, 700, BORDER);
    button(&mut cv, 520, y + 500, "Cancel", Btn::Plain, BLUE);
    let b = button(&mut cv, 640, y + 500, "Create app", Btn::Primary, BLUE);
    highlight(&mut cv, b);
    create_form_side(&mut cv, 850, y + 20);
    cv
}

fn shot_verify() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        APP_NAME,
        "linkedin.com/developers/apps/218455/settings",
        BLUE,
    );
    let y = li_header(&mut cv, top, 3);
    let y = app_header(&mut cv, y, 0);
    card(&mut cv, 64, y + 28, 760, 480);
    text(&mut cv, 92, y + 62, "App settings", 20, HEAD);
    let rows = [
        "LinkedIn Page",
        "Privacy policy URL",
        "App logo",
        "App type",
    ];
    let mut ry = y + 96;
    let mut verify = None;
    for (i, r) in rows.iter().enumerate() {
        cv.hline(92, ry, 704, BORDER);
        text(&mut cv, 92, ry + 40, r, 14, BODY);
        match i {
            0 => {
                company_logo(&mut cv, 300, ry + 24, 32);
                text(&mut cv, 344, ry + 40, "Acme Corp", 15, HEAD);
                badge(&mut cv, 440, ry + 29, "Not verified", AMBER_TINT, AMBER);
                verify = Some(button(
                    &mut cv,
                    660,
                    ry + 23,
                    "Verify",
                    Btn::Secondary,
                    BLUE,
                ));
            }
            1 => {
                text(
                    &mut cv,
                    300,
                    ry + 40,
                    "https://acme.example/privacy",
                    14,
                    BLUE,
                );
            }
            2 => app_logo(&mut cv, 300, ry + 16, 48),
            _ => {
                text(&mut cv, 300, ry + 40, "Standalone app", 14, HEAD);
            }
        }
        ry += 80;
    }
    cv.hline(92, ry, 704, BORDER);
    button(&mut cv, 92, ry + 28, "Edit settings", Btn::Secondary, BLUE);
    button(&mut cv, 260, ry + 28, "Delete app", Btn::Secondary, RED);
    highlight(&mut cv, verify.expect("the verify row is drawn above"));
    card(&mut cv, 852, y + 28, 364, 230);
    text(&mut cv, 876, y + 62, "Verification", 17, HEAD);
    para(&mut cv, 876, y + 98, 316, 5, 14, BODY);
    text(&mut cv, 876, y + 226, "Learn about verification", 14, BLUE);
    cv
}

fn product_card(
    cv: &mut Canvas,
    x: i32,
    y: i32,
    title: &str,
    icon: Rgb,
    action: Option<&str>,
) -> (Bx, Bx) {
    card(cv, x, y, 356, 168);
    cv.rr(x + 20, y + 20, 40, 40, 8, icon);
    cv.rr(x + 30, y + 30, 20, 20, 4, WHITE);
    text(cv, x + 76, y + 40, title, 16, HEAD);
    para(cv, x + 20, y + 86, 316, 2, 13, BODY);
    let b = match action {
        Some(a) => button(cv, x + 20, y + 118, a, Btn::Secondary, BLUE),
        None => {
            badge(cv, x + 20, y + 124, "Added", GREEN_TINT, GREEN);
            text(cv, x + 110, y + 135, "View docs", 14, BLUE);
            Bx { x, y, w: 0, h: 0 }
        }
    };
    (
        Bx {
            x,
            y,
            w: 356,
            h: 168,
        },
        b,
    )
}

const PRODUCTS: [(&str, Rgb); 6] = [
    ("Share on LinkedIn", [120, 115, 190]),
    ("Advertising API", [230, 126, 34]),
    ("Events Management", [46, 160, 120]),
    ("Community Management", [200, 80, 120]),
    ("Lead Sync API", [70, 140, 210]),
    ("Conversions API", [150, 110, 60]),
];

fn shot_request() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        APP_NAME,
        "linkedin.com/developers/apps/218455/products",
        BLUE,
    );
    let y = li_header(&mut cv, top, 3);
    let y = app_header(&mut cv, y, 2);
    text(&mut cv, 64, y + 36, "Available products", 20, HEAD);
    let mut target = None;
    for (i, (name, icon)) in PRODUCTS.iter().enumerate() {
        let (col, row) = (i as i32 % 3, i as i32 / 3);
        let (_, b) = product_card(
            &mut cv,
            64 + col * 388,
            y + 64 + row * 192,
            name,
            *icon,
            Some("Request access"),
        );
        if i == 1 {
            target = Some(b);
        }
    }
    highlight(
        &mut cv,
        target.expect("the scope list always has a highlighted row"),
    );
    cv
}

fn shot_addedapi() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        APP_NAME,
        "linkedin.com/developers/apps/218455/products",
        BLUE,
    );
    let y = li_header(&mut cv, top, 3);
    let y = app_header(&mut cv, y, 2);
    text(&mut cv, 64, y + 36, "Added products", 20, HEAD);
    product_card(
        &mut cv,
        64,
        y + 64,
        "Sign In with LinkedIn",
        [70, 140, 210],
        None,
    );
    let (c, _) = product_card(
        &mut cv,
        452,
        y + 64,
        "Advertising API",
        [230, 126, 34],
        None,
    );
    highlight(&mut cv, c);
    text(&mut cv, 64, y + 290, "Available products", 20, HEAD);
    for (i, (name, icon)) in [PRODUCTS[0], PRODUCTS[2], PRODUCTS[3]].iter().enumerate() {
        product_card(
            &mut cv,
            64 + i as i32 * 388,
            y + 318,
            name,
            *icon,
            Some("Request access"),
        );
    }
    cv
}

fn shot_oauth() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let top = browser(
        &mut cv,
        APP_NAME,
        "linkedin.com/developers/apps/218455/auth",
        BLUE,
    );
    let y = li_header(&mut cv, top, 3);
    let y = app_header(&mut cv, y, 1);
    card(&mut cv, 64, y + 28, 760, 250);
    text(&mut cv, 92, y + 62, "Application credentials", 20, HEAD);
    text(&mut cv, 92, y + 104, "Client ID", 14, BODY);
    text(&mut cv, 300, y + 104, "86q4x2b7wz0k1m", 15, HEAD);
    copy_icon(&mut cv, 460, y + 94, BODY);
    text(&mut cv, 92, y + 148, "Primary Client Secret", 14, BODY);
    for k in 0..14 {
        cv.circle(306 + k * 14, y + 148, 4, HEAD);
    }
    cv.ring(520, y + 148, 8, 2, BODY);
    text(&mut cv, 92, y + 192, "Token time to live", 14, BODY);
    text(&mut cv, 300, y + 192, "Access token 60 days", 14, HEAD);
    button(
        &mut cv,
        92,
        y + 220,
        "Generate a new Client Secret",
        Btn::Secondary,
        BLUE,
    );
    card(&mut cv, 64, y + 302, 760, 160);
    text(&mut cv, 92, y + 336, "OAuth 2.0 settings", 20, HEAD);
    text(
        &mut cv,
        92,
        y + 376,
        "Authorized redirect URLs for your app",
        14,
        BODY,
    );
    input(
        &mut cv,
        92,
        y + 396,
        520,
        "https://acme.example/oauth/callback",
        true,
    );
    // right-hand panel with the OAuth 2.0 tools link
    card(&mut cv, 852, y + 28, 364, 270);
    text(
        &mut cv,
        876,
        y + 62,
        "Understanding authentication",
        16,
        HEAD,
    );
    para(&mut cv, 876, y + 96, 316, 4, 14, BODY);
    text(&mut cv, 876, y + 200, "Authentication docs", 14, BLUE);
    let tw = text(&mut cv, 876, y + 244, "OAuth 2.0 tools", 15, BLUE);
    let ix = 876 + tw + 10;
    cv.rr_stroke(ix, y + 236, 14, 14, 2, 2, BLUE);
    cv.line(ix + 7, y + 243, ix + 16, y + 234, 2.0, BLUE);
    highlight(
        &mut cv,
        Bx {
            x: 872,
            y: y + 230,
            w: tw + 36,
            h: 28,
        },
    );
    cv
}

/// The "OAuth 2.0 tools" page; returns the "Create token" button.
fn tools_page(cv: &mut Canvas) -> Bx {
    let top = browser(
        cv,
        "OAuth 2.0 tools",
        "linkedin.com/developers/tools/oauth",
        BLUE,
    );
    let y = li_header(cv, top, 1);
    let h = cv.h;
    cv.rect(0, y, 260, h - y, WHITE);
    cv.vline(260, y, h - y, BORDER);
    let items = [
        "Overview",
        "OAuth 2.0 tools",
        "Token inspector",
        "API console",
        "Rate limits",
    ];
    for (i, s) in items.iter().enumerate() {
        let iy = y + 24 + i as i32 * 44;
        if i == 1 {
            cv.rect(0, iy, 260, 40, BLUE_TINT);
            cv.rect(0, iy, 4, 40, BLUE);
        }
        text(cv, 32, iy + 20, s, 14, if i == 1 { BLUE } else { BODY });
    }
    text(cv, 300, y + 46, "OAuth 2.0 tools", 26, HEAD);
    para(cv, 300, y + 84, 700, 2, 14, BODY);
    card(cv, 300, y + 128, 916, 300);
    text(cv, 328, y + 164, "Your tokens", 18, HEAD);
    let b = button(cv, 1060, y + 148, "Create token", Btn::Primary, BLUE);
    cv.rect(301, y + 200, 914, 36, [248, 248, 247]);
    cv.hline(301, y + 200, 914, BORDER);
    cv.hline(301, y + 236, 914, BORDER);
    for (k, s) in ["App", "Scopes", "Created", "Expires"].iter().enumerate() {
        text(cv, 328 + k as i32 * 220, y + 218, s, 13, BODY);
    }
    cv.circle(758, y + 292, 26, FAINT);
    cv.rr(746, y + 282, 24, 20, 4, LIGHT);
    text(cv, 660, y + 346, "You have no tokens yet", 16, HEAD);
    text(
        cv,
        630,
        y + 374,
        "Create a token to test API calls",
        13,
        BODY,
    );
    card(cv, 300, y + 452, 916, 180);
    text(cv, 328, y + 488, "Token inspector", 18, HEAD);
    text(
        cv,
        328,
        y + 524,
        "Paste a token to see its scopes and expiry",
        13,
        BODY,
    );
    input(cv, 328, y + 548, 700, "Access token", false);
    button(cv, 1044, y + 550, "Inspect", Btn::Secondary, BLUE);
    b
}

/// Dims the page and draws an empty modal; returns its box.
fn modal(cv: &mut Canvas, w: i32, h: i32, title: &str) -> Bx {
    let top = 84;
    cv.shade(0, top, cv.w, cv.h - top, BLACK, 0.45);
    let x = (cv.w - w) / 2;
    let y = top + (cv.h - top - h) / 2;
    cv.rr(x, y, w, h, 10, WHITE);
    text(cv, x + 28, y + 36, title, 19, HEAD);
    cv.line(x + w - 40, y + 28, x + w - 26, y + 42, 2.0, BODY);
    cv.line(x + w - 26, y + 28, x + w - 40, y + 42, 2.0, BODY);
    cv.hline(x, y + 68, w, BORDER);
    Bx { x, y, w, h }
}

fn app_select(cv: &mut Canvas, x: i32, y: i32, w: i32) {
    label(cv, x, y, "Select an app");
    let b = input(cv, x, y + 16, w, APP_NAME, true);
    cv.line(b.x + w - 28, b.y + 16, b.x + w - 22, b.y + 22, 2.0, HEAD);
    cv.line(b.x + w - 22, b.y + 22, b.x + w - 16, b.y + 16, 2.0, HEAD);
}

fn shot_createtoken() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let b = tools_page(&mut cv);
    highlight(&mut cv, b);
    cv
}

fn shot_error() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    tools_page(&mut cv);
    let m = modal(&mut cv, 600, 420, "Generate a new access token");
    let x = m.x + 28;
    app_select(&mut cv, x, m.y + 104, m.w - 56);
    label(&mut cv, x, m.y + 188, "Select scopes");
    let e = Bx {
        x,
        y: m.y + 208,
        w: m.w - 56,
        h: 96,
    };
    cv.rr(e.x, e.y, e.w, e.h, 6, RED_TINT);
    cv.rect(e.x, e.y + 3, 4, e.h - 6, RED);
    cv.circle(e.x + 32, e.y + 30, 12, RED);
    cv.rect(e.x + 31, e.y + 22, 3, 10, WHITE);
    cv.rect(e.x + 31, e.y + 35, 3, 3, WHITE);
    text(
        &mut cv,
        e.x + 56,
        e.y + 30,
        "There are no scopes available for this app",
        14,
        RED,
    );
    text(
        &mut cv,
        e.x + 56,
        e.y + 54,
        "Select another app or visit the product",
        13,
        [200, 110, 110],
    );
    text(
        &mut cv,
        e.x + 56,
        e.y + 74,
        "settings of your app to request API access",
        13,
        [200, 110, 110],
    );
    highlight(&mut cv, e);
    cv.hline(m.x, m.y + m.h - 72, m.w, BORDER);
    let bw = text_w("Request access token", 15) + 40;
    button(
        &mut cv,
        m.x + m.w - 28 - bw,
        m.y + m.h - 54,
        "Request access token",
        Btn::Disabled,
        BLUE,
    );
    cv
}

const SCOPES: [(&str, bool); 6] = [
    ("r_ads", true),
    ("r_ads_reporting", true),
    ("rw_ads", false),
    ("r_organization_social", false),
    ("r_basicprofile", false),
    ("r_organization_admin", false),
];

/// Modal with the scope checkbox list; returns (checked group, request button).
fn scope_modal(cv: &mut Canvas, summary: bool) -> (Bx, Bx) {
    tools_page(cv);
    let m = modal(cv, 600, 600, "Generate a new access token");
    let x = m.x + 28;
    app_select(cv, x, m.y + 104, m.w - 56);
    label(cv, x, m.y + 188, "Select scopes");
    if summary {
        badge(
            cv,
            x + m.w - 56 - 96,
            m.y + 177,
            "2 selected",
            BLUE_TINT,
            BLUE,
        );
    }
    let mut sy = m.y + 208;
    let mut group = Bx {
        x: x - 4,
        y: sy - 4,
        w: 330,
        h: 0,
    };
    for (name, on) in SCOPES.iter() {
        checkbox(cv, x, sy + 4, *on);
        text(cv, x + 34, sy + 12, name, 14, HEAD);
        text(cv, x + 34, sy + 34, "Use this scope to read data", 12, BODY);
        if *on {
            group.h = sy + 46 - group.y;
        }
        sy += 52;
    }
    cv.hline(m.x, m.y + m.h - 72, m.w, BORDER);
    text(cv, x, m.y + m.h - 37, "Token lifetime 60 days", 13, BODY);
    let bw = text_w("Request access token", 15) + 40;
    let b = button(
        cv,
        m.x + m.w - 28 - bw,
        m.y + m.h - 54,
        "Request access token",
        Btn::Primary,
        BLUE,
    );
    (group, b)
}

fn shot_scope() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    let (g, _) = scope_modal(&mut cv, false);
    highlight(&mut cv, g);
    cv
}

fn shot_requesttoken() -> Canvas {
    let mut cv = Canvas::new(1280, 720, PAGE_BG);
    let (_, b) = scope_modal(&mut cv, true);
    highlight(&mut cv, b);
    cv
}

fn shot_allow() -> Canvas {
    let mut cv = Canvas::new(960, 640, PAGE_BG);
    let top = browser(
        &mut cv,
        "Authorize app",
        "linkedin.com/oauth/v2/authorization",
        BLUE,
    );
    cv.rect(0, top, 960, 56, WHITE);
    cv.hline(0, top + 56, 960, BORDER);
    text(&mut cv, 32, top + 28, "Linked", 22, BLUE);
    in_logo(
        &mut cv,
        32 + word_w("Linked", 22) + 4,
        top + 14,
        28,
        BLUE,
        WHITE,
    );
    let (cx, cy, cw, ch) = (250, top + 84, 460, 440);
    card(&mut cv, cx, cy, cw, ch);
    app_logo(&mut cv, cx + 150, cy + 32, 56);
    for k in 0..4 {
        cv.circle(cx + 220 + k * 6, cy + 60, 2, LIGHT);
    }
    in_logo(&mut cv, cx + 254, cy + 32, 56, BLUE, WHITE);
    text(
        &mut cv,
        cx + 40,
        cy + 122,
        "Acme Ads Reporting would like to",
        18,
        HEAD,
    );
    let perms = [
        "Read your ad accounts",
        "Read reporting for your ads",
        "Use your name and photo",
    ];
    for (k, p) in perms.iter().enumerate() {
        let py = cy + 170 + k as i32 * 40;
        cv.circle(cx + 52, py, 11, GREEN_TINT);
        cv.check_mark(cx + 46, py - 4, 12, GREEN);
        text(&mut cv, cx + 76, py, p, 14, HEAD);
    }
    para(&mut cv, cx + 40, cy + 310, 380, 2, 12, BODY);
    cv.hline(cx, cy + 356, cw, BORDER);
    button(
        &mut cv,
        cx + 190,
        cy + 382,
        "Cancel",
        Btn::Secondary,
        [95, 99, 104],
    );
    let b = button(&mut cv, cx + 316, cy + 382, "Allow", Btn::Primary, BLUE);
    highlight(&mut cv, b);
    cv
}

fn shot_copytoken() -> Canvas {
    let mut cv = Canvas::new(1280, 800, PAGE_BG);
    tools_page(&mut cv);
    let m = modal(&mut cv, 640, 520, "Access token");
    let x = m.x + 28;
    let w = m.w - 56;
    cv.rr(x, m.y + 92, w, 48, 6, GREEN_TINT);
    cv.circle(x + 26, m.y + 116, 11, GREEN);
    cv.check_mark(x + 20, m.y + 111, 11, WHITE);
    text(
        &mut cv,
        x + 50,
        m.y + 116,
        "Access token generated successfully",
        14,
        GREEN,
    );
    label(&mut cv, x, m.y + 168, "Access token");
    let t = Bx {
        x,
        y: m.y + 184,
        w,
        h: 132,
    };
    cv.rr(t.x, t.y, t.w, t.h, 6, [248, 248, 247]);
    cv.rr_stroke(t.x, t.y, t.w, t.h, 6, 1, [140, 145, 150]);
    let mut rng = Lcg(0x11_2024_5eed);
    for row in 0..5 {
        let ty = t.y + 22 + row * 22;
        let mut tx = t.x + 14;
        let end = if row == 4 { t.x + 260 } else { t.x + t.w - 14 };
        while tx < end {
            let seg = 8 + (rng.next() % 5) as i32 * 8;
            let seg = seg.min(end - tx);
            cv.rr(tx, ty - 4, seg, 8, 2, [110, 118, 130]);
            tx += seg + 3;
        }
    }
    text(&mut cv, x, m.y + 344, "Expires in 60 days", 13, BODY);
    let mut bx = x;
    text(&mut cv, x, m.y + 378, "Scopes", 13, BODY);
    bx += 70;
    for s in ["r_ads", "r_ads_reporting"] {
        bx += badge(&mut cv, bx, m.y + 367, s, BLUE_TINT, BLUE) + 8;
    }
    cv.hline(m.x, m.y + m.h - 72, m.w, BORDER);
    let done = button(
        &mut cv,
        m.x + m.w - 28 - 90,
        m.y + m.h - 54,
        "Done",
        Btn::Secondary,
        BLUE,
    );
    let cw = text_w("Copy access token", 15) + 40;
    let b = button(
        &mut cv,
        done.x - 16 - cw,
        m.y + m.h - 54,
        "Copy access token",
        Btn::Primary,
        BLUE,
    );
    highlight(&mut cv, b);
    cv
}

fn shot_accepted() -> Canvas {
    let mut cv = Canvas::new(1280, 720, WHITE);
    let top = browser(&mut cv, "Inbox", "mail.example.com/inbox", [200, 60, 50]);
    let mail = [200, 60, 50];
    cv.rect(0, top, 1280, 60, [246, 248, 252]);
    cv.hline(0, top + 60, 1280, BORDER);
    cv.rr(24, top + 16, 30, 28, 5, mail);
    cv.line(28, top + 22, 39, top + 32, 2.0, WHITE);
    cv.line(50, top + 22, 39, top + 32, 2.0, WHITE);
    text(&mut cv, 64, top + 30, "Mail", 18, HEAD);
    cv.rr(240, top + 12, 560, 36, 18, [233, 238, 246]);
    cv.ring(262, top + 28, 6, 2, BODY);
    text(&mut cv, 282, top + 30, "Search mail", 14, BODY);
    // folders
    let y = top + 61;
    let folders = ["Inbox", "Starred", "Sent", "Drafts", "Archive"];
    for (i, f) in folders.iter().enumerate() {
        let fy = y + 20 + i as i32 * 40;
        if i == 0 {
            cv.rr(8, fy - 16, 200, 32, 16, [211, 227, 253]);
            badge(&mut cv, 160, fy - 11, "3", WHITE, HEAD);
        }
        text(&mut cv, 36, fy, f, 14, if i == 0 { HEAD } else { BODY });
    }
    cv.vline(216, y, 720 - y, BORDER);
    // message list
    let senders = [
        "LinkedIn Developers",
        "Team calendar",
        "Acme billing",
        "Newsletter",
        "Support",
        "Ops alerts",
    ];
    for (i, s) in senders.iter().enumerate() {
        let my = y + i as i32 * 84;
        if i == 0 {
            cv.rect(217, my, 380, 84, BLUE_TINT);
            cv.rect(217, my, 4, 84, BLUE);
        }
        text(
            &mut cv,
            240,
            my + 24,
            s,
            14,
            if i == 0 { HEAD } else { BODY },
        );
        text(&mut cv, 540, my + 24, "09:14", 11, BODY);
        para(&mut cv, 240, my + 50, 320, 2, 12, LIGHT);
        cv.hline(217, my + 84, 380, BORDER);
    }
    cv.vline(597, y, 720 - y, BORDER);
    // reading pane
    let rx = 630;
    text(
        &mut cv,
        rx,
        y + 38,
        "Your Advertising API access request was approved",
        18,
        HEAD,
    );
    in_logo(&mut cv, rx, y + 66, 36, BLUE, WHITE);
    text(&mut cv, rx + 50, y + 76, "LinkedIn Developers", 14, HEAD);
    text(&mut cv, rx + 50, y + 96, "to me", 12, BODY);
    let ex = rx;
    let ey = y + 128;
    cv.rect(ex, ey, 600, 56, BLUE);
    in_logo(&mut cv, ex + 24, ey + 14, 28, WHITE, BLUE);
    cv.rr_stroke(ex, ey, 600, 440, 4, 1, BORDER);
    text(&mut cv, ex + 32, ey + 96, "Good news", 20, HEAD);
    let ok = Bx {
        x: ex + 32,
        y: ey + 124,
        w: 536,
        h: 64,
    };
    cv.rr(ok.x, ok.y, ok.w, ok.h, 6, GREEN_TINT);
    cv.circle(ok.x + 32, ok.y + 32, 14, GREEN);
    cv.check_mark(ok.x + 24, ok.y + 26, 15, WHITE);
    text(&mut cv, ok.x + 60, ok.y + 24, "Advertising API", 15, GREEN);
    text(
        &mut cv,
        ok.x + 60,
        ok.y + 44,
        "Access approved for Acme Ads Reporting",
        13,
        [90, 150, 110],
    );
    highlight(&mut cv, ok);
    para(&mut cv, ex + 32, ey + 230, 530, 3, 14, BODY);
    button(&mut cv, ex + 32, ey + 310, "View app", Btn::Primary, BLUE);
    cv
}

fn shot_connector_token() -> Canvas {
    let mut cv = Canvas::new(1280, 720, [246, 246, 250]);
    let accent = [97, 94, 255];
    let top = browser(
        &mut cv,
        "New source",
        "app.connector.example/sources/new",
        accent,
    );
    let h = cv.h;
    cv.rect(0, top, 220, h - top, [30, 34, 48]);
    cv.rr(24, top + 20, 30, 30, 8, accent);
    cv.circle(39, top + 35, 7, WHITE);
    text(&mut cv, 66, top + 35, "Connector", 16, [230, 232, 240]);
    let nav = ["Connections", "Sources", "Destinations", "Settings"];
    for (i, s) in nav.iter().enumerate() {
        let ny = top + 90 + i as i32 * 44;
        if i == 1 {
            cv.rr(12, ny - 18, 196, 36, 6, [52, 58, 80]);
        }
        cv.rr(
            28,
            ny - 7,
            14,
            14,
            3,
            if i == 1 { accent } else { [90, 96, 120] },
        );
        text(
            &mut cv,
            56,
            ny,
            s,
            14,
            if i == 1 { WHITE } else { [150, 156, 176] },
        );
    }
    cv.rect(220, top, 1060, 56, WHITE);
    cv.hline(220, top + 56, 1060, BORDER);
    let tw = text(&mut cv, 252, top + 28, "Sources", 14, BODY);
    text(&mut cv, 252 + tw + 12, top + 28, "/", 14, LIGHT);
    text(&mut cv, 252 + tw + 30, top + 28, "New source", 14, HEAD);
    cv.circle(1240, top + 28, 15, [200, 200, 235]);
    let y = top + 56;
    text(&mut cv, 252, y + 44, "New source", 26, HEAD);
    card(&mut cv, 252, y + 76, 640, 500);
    let x = 280;
    label(&mut cv, x, y + 108, "Source type");
    let s = input(&mut cv, x, y + 124, 584, "", true);
    in_logo(&mut cv, s.x + 10, s.y + 8, 22, BLUE, WHITE);
    text(&mut cv, s.x + 42, s.y + 19, "LinkedIn Ads", 14, HEAD);
    label(&mut cv, x, y + 190, "Source name");
    input(&mut cv, x, y + 206, 584, "LinkedIn Ads Acme", true);
    label(&mut cv, x, y + 272, "Access token *");
    let t = input(&mut cv, x, y + 288, 584, "", true);
    for k in 0..22 {
        cv.circle(t.x + 18 + k * 13, t.y + 19, 4, HEAD);
    }
    cv.ring(t.x + t.w - 24, t.y + 19, 8, 2, BODY);
    cv.circle(t.x + t.w - 24, t.y + 19, 3, BODY);
    highlight(&mut cv, t);
    text(
        &mut cv,
        x,
        y + 346,
        "Paste the token generated with OAuth 2.0 tools",
        12,
        BODY,
    );
    label(&mut cv, x, y + 386, "Account IDs");
    let a = input(&mut cv, x, y + 402, 584, "", true);
    badge(
        &mut cv,
        a.x + 10,
        a.y + 8,
        "508912345",
        [236, 236, 255],
        accent,
    );
    label(&mut cv, x, y + 468, "Start date");
    input(&mut cv, x, y + 484, 280, "2025-01-01", true);
    button(&mut cv, 730, y + 530, "Test and save", Btn::Primary, accent);
    card(&mut cv, 920, y + 76, 328, 300);
    text(&mut cv, 944, y + 110, "Setup guide", 17, HEAD);
    para(&mut cv, 944, y + 146, 280, 4, 13, BODY);
    cv.rr(944, y + 238, 280, 90, 6, [36, 40, 56]);
    for k in 0..3 {
        text(
            &mut cv,
            960,
            y + 262 + k * 22,
            ["curl -H", "Authorization Bearer", "LinkedIn-Version"][k as usize],
            12,
            [150, 200, 170],
        );
    }
    cv
}

/// Output file name and the function drawing it.
type Shot = (&'static str, fn() -> Canvas);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("res");
    std::fs::create_dir_all(&out)?;
    let shots: [Shot; 15] = [
        ("linkedin_createapp.png", shot_createapp),
        ("linkedin_appname.png", shot_appname),
        ("linkedin_create.png", shot_create),
        ("linkedin_verify.png", shot_verify),
        ("linkedin_request.png", shot_request),
        ("linkedin_accepted.png", shot_accepted),
        ("linkedin_addedapi.png", shot_addedapi),
        ("linkedin_oauth.png", shot_oauth),
        ("linkedin_createtoken.png", shot_createtoken),
        ("linkedin_error.png", shot_error),
        ("linkedin_scope.png", shot_scope),
        ("linkedin_requesttoken.png", shot_requesttoken),
        ("linkedin_allow.png", shot_allow),
        ("linkedin_copytoken.png", shot_copytoken),
        ("connector_token.png", shot_connector_token),
    ];
    for (name, draw) in shots {
        let cv = draw();
        let path = out.join(name);
        cv.write_png(&path)?;
        let len = std::fs::metadata(&path)?.len();
        println!("{name:28} {}x{} {len:>7} bytes", cv.w, cv.h);
    }
    Ok(())
}
