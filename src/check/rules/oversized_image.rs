//! `oversized-image`: an image file of the site whose bytes or pixel size pass the budget set in
//! `[check.image-budget]` (`max-bytes`, default 1 MiB; `max-width` and `max-height`, default
//! 4000 px). The numbers come from the resource index ([`crate::images`]), read once per run;
//! nothing is decoded. The finding sits on the image file itself, at line 1, with the size and
//! the limit in the message.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::project::relative_slash;
use crate::source::Span;

/// The `oversized-image` rule.
pub struct OversizedImage;

static META: RuleMeta = RuleMeta {
    id: "oversized-image",
    default_level: Level::Warning,
    summary: "an image's bytes or pixel size pass the configured budget",
    docs: include_str!("oversized-image.md"),
};

impl Rule for OversizedImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let project = cx.project;
        let budget = project.settings.image_budget;
        for (site, disk) in &project.site.files {
            let Some(info) = project.site.image(site) else {
                continue;
            };
            let mut over = Vec::new();
            if info.bytes > budget.max_bytes {
                over.push(format!(
                    "{}, over the budget of {}",
                    exact_bytes(info.bytes),
                    exact_bytes(budget.max_bytes)
                ));
            }
            if let Some((w, h)) = info.size
                && (w > budget.max_width || h > budget.max_height)
            {
                over.push(format!(
                    "{w}×{h} px, over the budget of {}×{} px",
                    budget.max_width, budget.max_height
                ));
            }
            if over.is_empty() {
                continue;
            }
            out.push(Finding {
                file: relative_slash(&project.settings.root, disk),
                span: Span::new(0, 0),
                message: format!("image {} is {}", cx.shown.disk(disk), over.join(" and ")),
                help: Some(format!(
                    "crop or scale the capture, save it as WebP or an optimised PNG, or raise \
                     the limits in [check.image-budget] of book.toml{}",
                    if project.settings.config_path.is_none() {
                        " (a book.toml in the checked folder; there is none yet)"
                    } else {
                        ""
                    }
                )),
                fix: None,
            });
        }
    }
}

/// `1.5 MiB (1572864 bytes)`, or `512 bytes` below a KiB.
fn exact_bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{} ({n} bytes)", human_bytes(n))
    }
}

/// `1.5 MiB`, `820 KiB`, `512 bytes` (binary units, one decimal above KiB).
fn human_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(2048), "2 KiB");
        assert_eq!(human_bytes(1024 * 1024 * 3 / 2), "1.5 MiB");
    }
}
