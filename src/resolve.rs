//! Link and image resolution, as GitHub and the built site both see it (SPEC.md, Layout): a
//! destination is relative to the page that holds it; `/x` is relative to the site root;
//! percent-encoding is decoded; a folder means its README.md or index.md. Checks and the renderer
//! share this one function, so what the checker accepts is what the site serves.
//!
//! Cases: `../shared/cases/09-percent-encoded-space`, `13-directory-link-index`,
//! `17-angle-bracket-image`.

use std::borrow::Cow;

use crate::project::SiteIndex;

/// What a destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Nothing to resolve: an empty destination.
    Empty,
    /// A URL with a scheme (`https:`, `mailto:`) or protocol-relative `//host`.
    External(String),
    /// `#fragment` on the same page (fragment percent-decoded, without `#`).
    SamePage(String),
    /// A path in the site.
    Site {
        /// The site path as written, decoded and normalised (`res/a b.png`, `guide/`).
        path: String,
        /// The fragment, decoded, without `#`.
        fragment: Option<String>,
        /// What the site has there.
        found: Found,
    },
    /// A relative path that climbs above the site root.
    OutsideRoot(String),
}

/// What the site holds at a resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file at exactly this site path.
    File(String),
    /// A folder whose index page (README.md or index.md) is this site path.
    DirIndex(String),
    /// A folder with no README.md or index.md.
    DirWithoutIndex,
    /// No such file, but files that differ only in letter case.
    CaseMismatch(Vec<String>),
    /// Nothing.
    Missing,
}

/// True when `dest` starts with a URL scheme (RFC 3986 §3.1) or `//`.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-decodes `s` (UTF-8; invalid sequences are kept lossily).
pub fn decode(s: &str) -> Cow<'_, str> {
    crate::percent::decode_lossy(s)
}

/// Splits `dest` into path and fragment (both still encoded); a query string is dropped.
pub fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], Some(&dest[i + 1..])),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    (path, fragment)
}

/// Resolves `dest`, written in the page at content-relative `page_rel`, against `site`.
pub fn resolve(site: &SiteIndex, page_rel: &str, dest: &str) -> Target {
    let dest = dest.trim();
    if dest.is_empty() {
        return Target::Empty;
    }
    if is_external(dest) {
        return Target::External(dest.to_string());
    }
    let (path, fragment) = split_fragment(dest);
    let fragment = fragment.map(|f| decode(f).into_owned());
    if path.is_empty() {
        return match fragment {
            Some(f) => Target::SamePage(f),
            None => Target::Empty,
        };
    }
    let decoded = decode(path);
    let Some(joined) = join(page_rel, &decoded) else {
        return Target::OutsideRoot(decoded.into_owned());
    };
    let found = lookup(site, &joined, decoded.ends_with('/'));
    Target::Site {
        path: joined,
        fragment,
        found,
    }
}

/// Joins a decoded relative path to the folder of `page_rel` and normalises `.` and `..`.
/// Returns `None` when the path climbs above the site root. A trailing `/` is kept.
pub fn join(page_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        parts.extend(page_rel.split('/'));
        parts.pop();
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn lookup(site: &SiteIndex, path: &str, trailing_slash: bool) -> Found {
    let bare = path.trim_end_matches('/');
    if !trailing_slash && site.contains(bare) {
        return Found::File(bare.to_string());
    }
    if site.is_dir(bare) {
        let prefix = if bare.is_empty() {
            String::new()
        } else {
            format!("{bare}/")
        };
        for index in ["README.md", "index.md"] {
            let candidate = format!("{prefix}{index}");
            if site.contains(&candidate) {
                return Found::DirIndex(candidate);
            }
        }
        return Found::DirWithoutIndex;
    }
    let variants = site.case_variants(bare);
    if !variants.is_empty() {
        return Found::CaseMismatch(variants.into_iter().map(String::from).collect());
    }
    Found::Missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn site() -> SiteIndex {
        let mut s = SiteIndex::default();
        for p in [
            "README.md",
            "release notes.md",
            "guide/README.md",
            "reference/index.md",
            "drafts/notes.txt",
            "res/Shot.png",
        ] {
            s.insert(p.to_string(), PathBuf::from(p));
        }
        s
    }

    #[test]
    fn resolves_like_github() {
        let s = site();
        assert_eq!(
            resolve(&s, "README.md", "release%20notes.md"),
            Target::Site {
                path: "release notes.md".into(),
                fragment: None,
                found: Found::File("release notes.md".into())
            }
        );
        assert!(
            matches!(resolve(&s, "README.md", "guide/"), Target::Site { found: Found::DirIndex(p), .. } if p == "guide/README.md")
        );
        assert!(
            matches!(resolve(&s, "README.md", "reference"), Target::Site { found: Found::DirIndex(p), .. } if p == "reference/index.md")
        );
        assert!(matches!(
            resolve(&s, "README.md", "drafts/"),
            Target::Site {
                found: Found::DirWithoutIndex,
                ..
            }
        ));
        assert!(
            matches!(resolve(&s, "guide/README.md", "../res/shot.png"), Target::Site { found: Found::CaseMismatch(v), .. } if v == ["res/Shot.png"])
        );
        assert_eq!(
            resolve(&s, "README.md", "../x.md"),
            Target::OutsideRoot("../x.md".into())
        );
        assert_eq!(
            resolve(&s, "README.md", "#a%20b"),
            Target::SamePage("a b".into())
        );
        assert_eq!(
            resolve(&s, "README.md", "https://x.org/a"),
            Target::External("https://x.org/a".into())
        );
        assert!(
            matches!(resolve(&s, "guide/README.md", "/README.md#top"), Target::Site { found: Found::File(_), fragment: Some(f), .. } if f == "top")
        );
        assert!(
            !is_external("c:"),
            "single-letter schemes are Windows drives"
        );
    }
}
