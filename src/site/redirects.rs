//! Astro's `redirects` (astro.config, <https://docs.astro.build/en/reference/configuration-reference/#redirects>):
//! `redirects: { '/old': '/new', '/x': { status: 302, destination: '/y' } }` makes the build
//! answer at `/old` with a redirect to `/new` (a `<meta http-equiv="refresh">` page in a static
//! build). A link to `/old` reaches the page served at `/new`.
//!
//! The config is JavaScript and is not run: the object literal after `redirects:` is read for
//! its string pairs, and so is an object it spreads (`...name`) or names (`redirects: name`,
//! `redirects,`) when `name` is imported from a relative file of the site (biome's website
//! keeps 600 generated rule redirects in `./redirects.js`) or declared in the config itself.
//! Dynamic routes (`/blog/[slug]`) and anything computed are left out.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

/// `'/from': '/to'` or `'/from': { status: 302, destination: '/to' }` (any quotes).
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)(['"`])(/[^'"`\n]*)['"`]\s*:\s*(?:(['"`])([^'"`\n]*)['"`]|\{[^{}]*?\bdestination\s*:\s*['"`]([^'"`\n]*)['"`][^{}]*\})"#,
    )
    .expect("constant regex")
});

/// `redirects:` or the shorthand `redirects,` / `redirects }` of an object literal.
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bredirects\s*(:\s*(\{|[A-Za-z_$][\w$]*)|[,}\n])").expect("constant regex")
});

/// `...name` inside an object literal.
static SPREAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.\.\.\s*([A-Za-z_$][\w$]*)").expect("constant regex"));

/// The redirects of the Astro config `text` (the file `config`), as `(from, to)` pairs in the
/// order written: `from` an absolute route, `to` as written (a route or a URL).
pub fn astro(config: &Path, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = config.parent().unwrap_or(Path::new("."));
    for key in KEY.captures_iter(text) {
        let at = key.get(0).map_or(0, |m| m.start());
        if text[..at].ends_with("...") {
            continue; // `...redirects` is a spread, read with its object
        }
        match key.get(2).map(|m| m.as_str()) {
            Some("{") => {
                let open = key.get(2).map_or(0, |m| m.start());
                let body = object_at(text, open);
                pairs(body, &mut out);
                for spread in SPREAD.captures_iter(body) {
                    named(dir, text, &spread[1], &mut out);
                }
            }
            Some(name) => named(dir, text, name, &mut out),
            // The shorthand `redirects,` names a variable called `redirects`.
            None => named(dir, text, "redirects", &mut out),
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|pair| seen.insert(pair.clone()));
    out
}

/// The pairs of the object named `name` in the config `text`: imported from a relative file of
/// `dir` (its whole text is read for pairs), or declared `const name = { … }` in `text`.
fn named(dir: &Path, text: &str, name: &str, out: &mut Vec<(String, String)>) {
    let escaped = regex::escape(name);
    // The name is the config's (escaped): a name too long for the regex size limit finds none.
    let Ok(import) = Regex::new(&format!(
        r#"\bimport\s+{escaped}\s+from\s+['"](\.{{1,2}}/[^'"]+)['"]"#
    )) else {
        return;
    };
    if let Some(c) = import.captures(text) {
        // Only a file inside the site's folder: never a path that climbs out of it.
        let Some(file) = crate::lexical::normalize_within(&dir.join(&c[1])) else {
            return;
        };
        if file.starts_with(dir)
            && let Ok(imported) = crate::project::read_regular_string(&file)
        {
            pairs(&imported, out);
        }
        return;
    }
    let Ok(declared) = Regex::new(&format!(r"\b(?:const|let|var)\s+{escaped}\s*=\s*\{{")) else {
        return;
    };
    if let Some(m) = declared.find(text) {
        pairs(object_at(text, m.end() - 1), out);
    }
}

/// The string pairs of `body` whose key is a static route.
fn pairs(body: &str, out: &mut Vec<(String, String)>) {
    for c in PAIR.captures_iter(body) {
        let from = &c[2];
        let to = c.get(4).or(c.get(5)).map_or("", |m| m.as_str());
        if from.contains('[') || to.is_empty() {
            continue;
        }
        out.push((from.to_string(), to.to_string()));
    }
}

/// The object literal whose `{` is at byte `open` of `text`, up to its matching `}` (strings
/// skipped), or to the end of `text` when it is not closed.
fn object_at(text: &str, open: usize) -> &str {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return &text[open..=i];
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    &text[open..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spread_name_too_long_for_a_regex_finds_nothing_and_does_not_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let name = "r".repeat(3_000_000);
        // Past the regex crate's size limit: an `expect` on it panicked.
        assert!(Regex::new(&format!(r"\b(?:const|let|var)\s+{name}\s*=\s*\{{")).is_err());
        let text = format!(
            "export default defineConfig({{ redirects: {{ ...{name}, \"/a\": \"/b\" }} }});\n"
        );
        let got = astro(&dir.path().join("astro.config.mjs"), &text);
        assert_eq!(got, [("/a".to_string(), "/b".to_string())]);
    }

    #[test]
    fn pairs_of_the_config_and_of_a_spread_import() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("redirects.js"),
            "// generated\nexport default {\n  '/linter/rules/no-x': '/linter/rules/no-x/javascript',\n};\n",
        )
        .expect("write");
        let config = dir.path().join("astro.config.ts");
        let text = "import redirects from \"./redirects.js\";\nimport outside from '../../etc/x.js';\nconst more = { \"/c\": '/d' };\nexport default defineConfig({\n  site: 'https://x.dev',\n  redirects: {\n    ...redirects,\n    ...outside,\n    \"/a\": \"/b\",\n    '/blog/[slug]': '/posts/[slug]',\n    '/s': { status: 302, destination: '/t/' },\n    '/ext': 'https://example.com/',\n  },\n  integrations: [starlight({ title: '{ not } a redirect' })],\n});\nconst other = { redirects: more };\n";
        let got = astro(&config, text);
        let want = [
            ("/a", "/b"),
            ("/s", "/t/"),
            ("/ext", "https://example.com/"),
            ("/linter/rules/no-x", "/linter/rules/no-x/javascript"),
            ("/c", "/d"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
        assert!(astro(&config, "export default { site: 'x' };\n").is_empty());
    }

    #[test]
    fn an_unclosed_object_reads_to_the_end() {
        assert_eq!(object_at("x { a: '}' { } ", 2), "{ a: '}' { } ");
        assert_eq!(object_at("{ a: { b } } tail", 0), "{ a: { b } }");
    }
}
