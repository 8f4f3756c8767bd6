//! Lexical path arithmetic: `.` and `..` removed without asking the file system (the path may
//! not exist yet, or may name a place stepbook must not follow a symbolic link to). The one
//! rule for `..`: it removes the component before it; at the root of an absolute path it stays
//! at the root (as POSIX resolves `/..`); at the start of a relative path it is kept.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` and `..` removed, and whether a `..` climbed above its start (above the root,
/// or above the first component of a relative path).
fn clean(path: &Path) -> (PathBuf, bool) {
    let mut out = PathBuf::new();
    let mut climbed = false;
    // Normal components in `out` that a `..` may remove (not a kept leading `..`).
    let mut depth = 0;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth > 0 {
                    out.pop();
                    depth -= 1;
                } else {
                    climbed = true;
                    if !out.has_root() {
                        out.push("..");
                    }
                }
            }
            Component::Normal(n) => {
                out.push(n);
                depth += 1;
            }
            c => out.push(c.as_os_str()),
        }
    }
    (out, climbed)
}

/// `path` with `.` and `..` removed lexically (see the module docs for `..`).
pub fn normalize(path: &Path) -> PathBuf {
    clean(path).0
}

/// `path` made absolute (against the current folder) and [`normalize`]d.
pub fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` [`normalize`]d, or `None` when a `..` climbs above its start (a link out of the
/// file system's root, or above the folder a relative path starts in).
pub fn normalize_within(path: &Path) -> Option<PathBuf> {
    let (out, climbed) = clean(path);
    (!climbed).then_some(out)
}

/// `path` relative to `base`, `/`-separated, with `..` segments when it is not below `base`;
/// absolute when the two share nothing.
pub fn relative_path(base: &Path, path: &Path) -> String {
    let base = normalize(base);
    let path = normalize(path);
    let b: Vec<_> = base.components().collect();
    let p: Vec<_> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 && path.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_dot_dot() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("a/./b/../c"), "a/c");
        assert_eq!(n("../../x"), "../../x");
        assert_eq!(n("a/../../x"), "../x");
        assert_eq!(n("/a/../../etc/x"), "/etc/x");
        assert_eq!(n("/.."), "/");
        let w = |p: &str| normalize_within(Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(w("a/b/../c").as_deref(), Some("a/c"));
        assert_eq!(w("a/../../x"), None);
        assert_eq!(w("/a/../.."), None);
        assert_eq!(relative_path(Path::new("/r"), Path::new("/r/a/b")), "a/b");
        assert_eq!(relative_path(Path::new("/r/s"), Path::new("/r/a")), "../a");
    }
}
