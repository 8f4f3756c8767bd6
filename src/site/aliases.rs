//! Import aliases: a path that starts with an alias names a folder of the site, wherever the
//! page is. Astro reads them from `tsconfig.json`'s `compilerOptions.paths` (`"@assets/*":
//! ["src/assets/*"]`, relative to `baseUrl`) and resolves them in Markdown and MDX image paths
//! (`![diagram](@assets/diagram.svg)`), as Vite does in imports.

use std::path::Path;

/// One alias: the prefix as written (`@assets/`) and the site-path prefix it stands for
/// (`src/assets/`, relative to the site root; empty for the root itself). A site checked from a
/// folder inside it ([`super::starlight::find_site`]) has targets relative to that folder,
/// with `../` when they lie outside it (`../../../src/assets/` from `src/content/docs/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// What a path starts with (`@assets/`, `~/`).
    pub prefix: String,
    /// The site-path prefix put in its place (`src/assets/`).
    pub target: String,
}

/// The aliases of `tsconfig.json` in `root`: each `compilerOptions.paths` entry of the form
/// `"X/*": ["Y/*", …]` (the first target), with `Y` taken relative to `compilerOptions.baseUrl`
/// (default `.`). Entries without `/*`, and targets that leave the root, are left out. A
/// missing or unreadable file, or one that is not JSON (with comments and trailing commas, as
/// TypeScript reads it), gives none: aliases only help resolve, they are never findings.
pub fn from_tsconfig(root: &Path) -> Vec<Alias> {
    let Ok(text) = crate::project::read_regular_string(root.join("tsconfig.json")) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&strip_jsonc(&text)) else {
        return Vec::new();
    };
    let options = &json["compilerOptions"];
    let base = options["baseUrl"].as_str().unwrap_or(".");
    let Some(paths) = options["paths"].as_object() else {
        return Vec::new();
    };
    let mut out: Vec<Alias> = paths
        .iter()
        .filter_map(|(from, to)| {
            let prefix = from.strip_suffix('*')?;
            let first = to.as_array()?.first()?.as_str()?;
            let target = first.strip_suffix('*')?;
            let joined = format!("{}/{}", base.trim_end_matches('/'), target);
            let target = crate::site::join("", &joined)?;
            let target = if target.is_empty() || target.ends_with('/') {
                target
            } else {
                format!("{target}/")
            };
            (!prefix.is_empty() && prefix.ends_with('/')).then(|| Alias {
                prefix: prefix.to_string(),
                target,
            })
        })
        .collect();
    // The longest prefix wins when two match.
    out.sort_by_key(|a| std::cmp::Reverse(a.prefix.len()));
    out
}

/// `decoded` with its alias replaced by the folder it stands for (a site path), if it starts
/// with one of `aliases`.
pub fn expand(aliases: &[Alias], decoded: &str) -> Option<String> {
    aliases.iter().find_map(|a| {
        decoded
            .strip_prefix(a.prefix.as_str())
            .map(|rest| format!("{}{rest}", a.target))
    })
}

/// JSON with comments (`//`, `/* */`) and trailing commas, as `tsconfig.json` allows, turned
/// into plain JSON: comments become spaces and a comma before `}` or `]` is dropped. Strings
/// are left alone.
fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
                out.push(' ');
            }
            (',', _) => {
                // A trailing comma: the next non-space character closes the object or array.
                let rest: String = chars.clone().collect();
                let next = strip_leading_comments(&rest);
                if !matches!(next.chars().next(), Some('}' | ']')) {
                    out.push(',');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` after leading whitespace and comments.
fn strip_leading_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("//") {
            text = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsconfig_paths_with_comments_and_trailing_commas() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("tsconfig.json"),
            r#"{
  // Astro's strict preset
  "extends": "astro/tsconfigs/strict",
  "compilerOptions": {
    "baseUrl": ".", /* the root */
    "paths": {
      "@components/*": ["src/components/*"],
      "@assets/*": ["src/assets/*",],
      "~/*": ["./src/*"],
      "exact": ["src/exact.ts"],
      "@up/*": ["../outside/*"],
    },
  },
}"#,
        )
        .expect("write");
        let aliases = from_tsconfig(dir.path());
        assert_eq!(
            expand(&aliases, "@assets/diagram.svg").as_deref(),
            Some("src/assets/diagram.svg")
        );
        assert_eq!(
            expand(&aliases, "~/content/docs/a.md").as_deref(),
            Some("src/content/docs/a.md")
        );
        assert_eq!(expand(&aliases, "exact"), None);
        assert_eq!(expand(&aliases, "@up/x.png"), None, "leaves the root");
        assert_eq!(expand(&aliases, "./@assets/x.png"), None);
        assert!(from_tsconfig(&dir.path().join("nowhere")).is_empty());
    }
}
