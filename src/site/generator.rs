//! Which generator's site a folder is, and where its project lies: the link convention detected
//! from the files in and around the project ([`detect`]), the site root that owns a docs
//! folder without a book.toml ([`owning_site`]), the docs folder `build` builds at a site's
//! root ([`docs_folder_of`]), and the config files whose change reloads `serve`
//! ([`is_generator_config`]).

use std::path::{Path, PathBuf};

use super::{Convention, LinksSetting, docusaurus, github, mkdocs, rel_under, starlight, stepbook};

/// The link convention of the project with `settings`: `[check] links` when set, else the
/// one [`detect`] finds (with the file it was detected from), else GitHub's.
pub fn convention(settings: &crate::config::Settings) -> (Convention, Option<String>) {
    match settings.link_convention {
        LinksSetting::Fixed(c) => (c, None),
        LinksSetting::Auto => match detect(settings) {
            Some((c, file)) => (c, Some(file)),
            None => (Convention::Github, None),
        },
    }
}

/// The convention the files in and around the project point to, and the file that says so.
/// Looks in the project folder and the content folder.
pub fn detect(settings: &crate::config::Settings) -> Option<(Convention, String)> {
    let mut dirs = vec![settings.root.as_path()];
    if settings.content_dir != settings.root {
        dirs.push(settings.content_dir.as_path());
    }
    if let Some(config) = docusaurus::find_config(settings) {
        let shown = rel_under(&settings.root, &config)
            .unwrap_or_else(|| crate::cli::check::display_path(&config, &settings.root));
        return Some((Convention::Docusaurus, shown));
    }
    for dir in dirs {
        if let Some(file) = starlight::detect(dir) {
            return Some((Convention::Starlight, file));
        }
    }
    if let Some((dir, file)) = starlight::find_site_above(&settings.content_dir) {
        let config = dir.join(file);
        let shown = crate::cli::check::display_path(&config, &settings.root);
        return Some((Convention::Starlight, shown));
    }
    if let Some(config) = mkdocs::find_config(settings) {
        let shown = rel_under(&settings.root, &config)
            .unwrap_or_else(|| crate::cli::check::display_path(&config, &settings.root));
        return Some((Convention::Mkdocs, shown));
    }
    if settings.config_path.is_some() {
        let c = if stepbook::is_stepbook(settings) {
            Convention::Stepbook
        } else {
            Convention::Mdbook
        };
        return Some((c, crate::config::CONFIG_FILE.into()));
    }
    None
}

/// The root of the generator site whose docs folder is `dir` (absolute), when `dir` has no
/// book.toml of its own: the folder of a Starlight `astro.config.*` for `src/content/docs`
/// (or `src/content`, `src`), of an `mkdocs.yml` whose `docs_dir` is `dir`, or of a
/// `docusaurus.config.*` whose docs plugin reads `dir` (the folder above both when the site
/// reads `../docs` from `website/`). `None` for any other folder, and for a folder that is
/// itself a site's root.
///
/// Such a folder is checked and built as its generator builds it: the site's root is the
/// project folder (the cache, the default build dir `book/`, and the static folders it
/// publishes: `public/`, `static/`, `src/assets/`), the folder given the content root.
pub fn owning_site(dir: &Path) -> Option<PathBuf> {
    if let Some((site, _)) = starlight::find_site_above(dir) {
        return Some(site);
    }
    let repo = github::Repo::find(dir);
    let above = dir
        .ancestors()
        .skip(1)
        .take_while(|d| repo.as_ref().is_none_or(|r| d.starts_with(&r.root)))
        .take(3);
    for up in above {
        if let Some(site) = mkdocs::owner(up, dir) {
            return Some(site);
        }
        for site in [up.to_path_buf(), up.join("website")] {
            if let Some(root) = docusaurus::owner(&site, dir) {
                return Some(root);
            }
        }
    }
    None
}

/// The docs folder that `build` and `serve` build when given a generator site's root without
/// a book.toml, as the generator builds it: a Starlight site's `src/content/docs/`, the
/// `docs_dir` of an `mkdocs.yml` (default `docs/`), with the config file's name for messages.
/// `None` elsewhere, and for Docusaurus, whose site reads several folders (docs, blog, pages)
/// and is built from its root as it is. `check` keeps checking the whole folder given.
pub fn docs_folder_of(root: &Path) -> Option<(PathBuf, String)> {
    if root.join(crate::config::CONFIG_FILE).exists() {
        return None;
    }
    if let Some(file) = starlight::detect(root) {
        let docs = root.join("src/content/docs");
        return docs.is_dir().then_some((docs, file));
    }
    let (config, docs) = mkdocs::docs_dir(root)?;
    let name = config.file_name()?.to_string_lossy().into_owned();
    docs.is_dir().then_some((docs, name))
}

/// True for the file name of a generator's config that decides how pages are routed, listed
/// or aliased (`mkdocs.yml` and its variants, `astro.config.*`, `docusaurus.config.*`,
/// `tsconfig.json`): `serve` reloads everything when one at the project's root changes.
pub fn is_generator_config(name: &str) -> bool {
    mkdocs::is_config_name(name)
        || starlight::CONFIG_FILES.contains(&name)
        || docusaurus::CONFIG_FILES.contains(&name)
        || name == "tsconfig.json"
}
