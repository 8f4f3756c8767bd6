//! The site title the generator's configuration gives, for a project without a book.toml
//! (whose title would otherwise be its folder's name, `docs`): MkDocs' `site_name`, the
//! `title` of a Docusaurus config, and the `title` of Starlight's options in an Astro config.

use crate::config::Settings;

/// The title the detected generator's config gives, if any (see the module docs). Configs are
/// read as text, as the conventions read them: the first top-level `site_name:` of mkdocs.yml;
/// the first `title:` of docusaurus.config.*; the `title:` directly inside `starlight({…})`.
pub fn from_generator(settings: &Settings) -> Option<String> {
    if let Some(config) = super::mkdocs::find_config(settings) {
        // The config's own `site_name` first, then those of the configs it inherits.
        return super::mkdocs::config_texts(&config)
            .iter()
            .find_map(|text| {
                text.lines().find_map(|l| {
                    let value = l.strip_prefix("site_name:")?.trim();
                    unquote(value)
                })
            });
    }
    if let Some(config) = super::docusaurus::find_config(settings) {
        let text = crate::project::read_regular_string(config).ok()?;
        return text.lines().find_map(|l| js_title(l.trim_start()));
    }
    if let Some((dir, file)) = super::starlight::find_site(settings) {
        let text = crate::project::read_regular_string(dir.join(file)).ok()?;
        return starlight_title(&text);
    }
    None
}

/// `title: 'Jest',` → `Jest`.
fn js_title(line: &str) -> Option<String> {
    let value = line
        .strip_prefix("title")?
        .trim_start()
        .strip_prefix(':')?
        .trim();
    unquote(value.trim_end_matches(','))
}

/// The text of a quoted string value (`'x'`, `"x"`, `` `x` ``), or a bare YAML scalar.
fn unquote(value: &str) -> Option<String> {
    let value = value.trim();
    let inner = match value.chars().next()? {
        q @ ('\'' | '"' | '`') => &value[1..1 + value[1..].find(q)?],
        _ => value,
    };
    (!inner.is_empty() && !inner.contains(['{', '$'])).then(|| inner.to_string())
}

/// The `title` key at the top level of the object passed to `starlight(`.
fn starlight_title(text: &str) -> Option<String> {
    let start = text.find("starlight(")? + "starlight(".len();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let body = &text[start..];
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '{' | '[' | '(') => depth += 1,
            (None, '}' | ']' | ')') => {
                if depth <= 1 {
                    return None;
                }
                depth -= 1;
            }
            (None, 't') if depth == 1 => {
                let before = body[..i].chars().next_back();
                if before.is_none_or(|b| !b.is_alphanumeric() && b != '_')
                    && let Some(t) = body[i..].lines().next().and_then(js_title)
                {
                    return Some(t);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_of_each_generator_s_config() {
        assert_eq!(js_title("title: 'Jest',").as_deref(), Some("Jest"));
        assert_eq!(js_title("titleDelimiter: '·',"), None);
        assert_eq!(
            js_title("title: 'Tauri', description: 'x',").as_deref(),
            Some("Tauri")
        );
        assert_eq!(unquote("HTTPX").as_deref(), Some("HTTPX"));
        let astro = "const authors = { a: { title: 'Co-Founder' } };\n\
                     export default defineConfig({ integrations: [starlight({\n\
                     plugins: [blog({ title: 'Blog' })],\n  title: 'Tauri',\n  social: {} })] });\n";
        assert_eq!(starlight_title(astro).as_deref(), Some("Tauri"));
        assert_eq!(
            starlight_title("starlight({ title: { en: 'Docs', fr: 'Docs' } })"),
            None,
            "a title per language: none"
        );
    }
}
