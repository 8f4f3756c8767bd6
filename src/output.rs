//! Writing a rendered [`Site`] to disk: into a temporary folder beside the build dir, then
//! swapped in whole, so a failed build leaves the previous site intact (SPEC.md, Quality bars);
//! [`check_build_dir`] refuses a build dir whose replacement would destroy input, and
//! [`BUILD_MARKER`] marks a folder as stepbook's to replace.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::render::site::{Site, SiteFile};

/// Writes `site` into `settings.build_dir`: first into a temporary folder beside it, then swaps
/// it in (the old site is renamed away, the new one renamed in, the old one deleted). When
/// anything fails before the swap, the temporary folder is removed and the previous site is
/// left as it was.
///
/// Errors: [`Error::Io`] naming the file or folder that could not be written or renamed.
pub fn write_site(site: &Site, settings: &Settings) -> Result<()> {
    check_build_dir(settings)?;
    let build = normalize(&settings.build_dir);
    let parent = build
        .parent()
        .ok_or_else(|| {
            Error::Invalid(format!(
                "build dir {} has no parent folder",
                build.display()
            ))
        })?
        .to_path_buf();
    let name = build
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Invalid(format!("build dir {} has no name", build.display())))?;
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.stepbook-new-{pid}"));
    let old = parent.join(format!(".{name}.stepbook-old-{pid}"));
    remove_dir_if_exists(&tmp)?;
    if let Err(e) = fill(&tmp, site) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let had_old = build.exists();
    if had_old {
        remove_dir_if_exists(&old)?;
        if let Err(e) = std::fs::rename(&build, &old) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(Error::io(&build, e));
        }
    }
    if let Err(e) = std::fs::rename(&tmp, &build) {
        if had_old {
            let _ = std::fs::rename(&old, &build);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::io(&build, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

/// The file every build dir holds, so that a later build knows the folder is stepbook's to
/// replace; [`check_build_dir`] refuses to replace a non-empty folder without it.
pub const BUILD_MARKER: &str = ".stepbook-build";

/// Writes every file of `site` below `dir` (created), folders first, files in parallel, and
/// the [`BUILD_MARKER`].
fn fill(dir: &Path, site: &Site) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let marker = dir.join(BUILD_MARKER);
    std::fs::write(
        &marker,
        "This folder is a site built by stepbook; the next build replaces all of it.\n",
    )
    .map_err(|e| Error::io(&marker, e))?;
    let folders: BTreeSet<&str> = site
        .files
        .keys()
        .filter_map(|p| p.rfind('/').map(|i| &p[..i]))
        .collect();
    for f in folders {
        let path = dir.join(f);
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    site.files.par_iter().try_for_each(|(rel, file)| {
        let dest = dir.join(rel);
        match file {
            SiteFile::Generated(bytes) => {
                std::fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e))
            }
            SiteFile::Copied(src) => std::fs::copy(src, &dest).map(|_| ()).map_err(|e| {
                Error::io(
                    src,
                    std::io::Error::new(e.kind(), format!("copying to {}: {e}", dest.display())),
                )
            }),
        }
    })
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

/// Refuses a build dir that writing the site would make destroy input: the project folder
/// itself, the content root, a folder that contains the content root, a resource folder or the
/// templates folder, or a folder outside the project (SPEC.md: nothing is written outside
/// build-dir, which must itself be part of the project).
///
/// Errors: [`Error::Invalid`] saying which rule the build dir breaks.
pub fn check_build_dir(settings: &Settings) -> Result<()> {
    let root = normalize(&settings.root);
    let build = normalize(&settings.build_dir);
    let content = normalize(&settings.content_dir);
    let shown = build.display();
    let refuse = |why: String| {
        Err(Error::Invalid(format!(
            "refusing to build into {shown}: {why}; set another `build-dir` under [build] in book.toml or pass --dest-dir"
        )))
    };
    if build == root {
        return refuse(
            "it is the project folder itself, and the build replaces the whole build dir".into(),
        );
    }
    if build == content {
        return refuse("it is the content folder".into());
    }
    if content.starts_with(&build) {
        return refuse(format!(
            "it contains the content folder {}",
            content.display()
        ));
    }
    if !build.starts_with(&root) {
        return refuse(format!(
            "it lies outside the project folder {}",
            root.display()
        ));
    }
    for res in &settings.resource_dirs {
        if normalize(&res.dir).starts_with(&build) {
            return refuse(format!(
                "it contains the resource folder {}",
                res.dir.display()
            ));
        }
    }
    let templates = root.join(crate::render::templates::TEMPLATE_DIR);
    if templates.is_dir() && templates.starts_with(&build) {
        return refuse(format!(
            "it contains the templates folder {}",
            templates.display()
        ));
    }
    if build
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    {
        return refuse(
            "its name starts with a dot (hidden folders such as .git are not build dirs)".into(),
        );
    }
    if build.exists() && !build.is_dir() {
        return refuse("it exists and is not a folder".into());
    }
    if build.is_dir() && !build.join(BUILD_MARKER).is_file() {
        let not_empty = std::fs::read_dir(&build)
            .map_err(|e| Error::io(&build, e))?
            .next()
            .is_some();
        if not_empty {
            return refuse(format!(
                "it is a folder stepbook did not build (it has no {BUILD_MARKER}), and the build \
                 replaces the whole folder; move its files away or delete it if it is an old site"
            ));
        }
    }
    Ok(())
}

/// `path` made absolute with `.` and `..` removed lexically (the build dir may not exist yet,
/// so the file system is not asked).
pub fn normalize(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(root: &Path, build: &str) -> Settings {
        let mut s = Settings::load(root).unwrap();
        s.build_dir = root.join(build);
        s
    }

    #[test]
    fn build_dir_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("res")).unwrap();
        std::fs::write(root.join("book.toml"), "[book]\nsrc = \"content\"\n").unwrap();
        assert!(check_build_dir(&settings(root, "book")).is_ok());
        assert!(check_build_dir(&settings(root, "out/site")).is_ok());
        for (bad, why) in [
            ("content", "is the content folder"),
            (".", "project folder itself"),
            ("content/..", "project folder itself"),
            ("res", "resource folder"),
            ("../elsewhere", "outside the project"),
        ] {
            let err = check_build_dir(&settings(root, bad))
                .unwrap_err()
                .to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn write_swaps_and_keeps_old_site_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let s = settings(root, "book");
        let mut site = Site::default();
        site.files
            .insert("a/b.html".into(), SiteFile::Generated(b"one".to_vec()));
        write_site(&site, &s).unwrap();
        assert_eq!(std::fs::read(root.join("book/a/b.html")).unwrap(), b"one");
        let mut broken = Site::default();
        broken
            .files
            .insert("x.html".into(), SiteFile::Generated(b"two".to_vec()));
        broken.files.insert(
            "y.png".into(),
            SiteFile::Copied(root.join("does-not-exist.png")),
        );
        assert!(write_site(&broken, &s).is_err());
        assert_eq!(std::fs::read(root.join("book/a/b.html")).unwrap(), b"one");
        assert!(!root.join("book/x.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("book")]);
    }
}
