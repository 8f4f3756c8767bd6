//! Which folders may be a build dir: [`check_build_dir`] refuses one whose replacement by a
//! build would destroy input or reach outside the project, with the real path
//! ([`real_path`]) that writing would reach.

use std::path::{Component, Path, PathBuf};

use super::BUILD_MARKER;
use crate::config::Settings;
use crate::error::{Error, Result};

/// Refuses a build dir that writing the site would make destroy input: the project folder
/// itself, the content root, a folder that contains the content root, a resource folder or the
/// templates folder, or a folder outside the project (SPEC.md: nothing is written outside
/// build-dir, which must itself be part of the project).
///
/// Errors: [`Error::Invalid`] saying which rule the build dir breaks.
pub fn check_build_dir(settings: &Settings) -> Result<()> {
    // Real paths: `build-dir = "link/site"` with `link` a symbolic link to another folder
    // writes there, whatever the text of the path says.
    let root = real_path(&settings.root);
    let build = real_path(&settings.build_dir);
    let content = real_path(&settings.content_dir);
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
    if build != crate::lexical::absolute(&settings.build_dir) && !build.starts_with(&root) {
        return refuse(format!(
            "through a symbolic link it is {}, outside the project folder {}",
            build.display(),
            root.display()
        ));
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
        if real_path(&res.dir).starts_with(&build) {
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

/// `path` made absolute with every symbolic link of its existing part resolved, component by
/// component, and its part that does not exist yet appended (`.` and `..` there removed
/// lexically): the folder that writing to `path` would really reach.
pub fn real_path(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            // `out` is already real, so its parent is the real parent.
            Component::ParentDir => {
                out.pop();
            }
            c => {
                out.push(c.as_os_str());
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The settings of the project at `root` with build dir `root/build`.
    pub(in crate::output) fn settings(root: &Path, build: &str) -> Settings {
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

    /// Issue 8: `build-dir = "link/site"` with `link` a symbolic link to an outside folder wrote
    /// the site there.
    #[cfg(unix)]
    #[test]
    fn build_dir_through_a_link_to_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        let err = check_build_dir(&settings(&root, "link/site"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("through a symbolic link it is"), "{err}");
        assert!(err.contains("outside the project folder"), "{err}");
        std::os::unix::fs::symlink(root.join("content"), root.join("inner")).unwrap();
        let err = check_build_dir(&settings(&root, "inner/..")).unwrap_err();
        assert!(err.to_string().contains("project folder itself"), "{err}");
    }
}
