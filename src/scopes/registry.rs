//! The built-in table of retired OAuth scopes (`data/retired-scopes.yaml`, embedded with
//! `include_str!` and parsed once with `page::front_matter::read_yaml`). It backs the scope-deprecated rule and helps
//! recognise a list of scopes when no source is declared for a guide.
//!
//! Each entry names the provider, when the scope was retired, what replaces it and the
//! provider's page that documents the change.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The YAML data file, as shipped in the binary.
pub const RETIRED_SCOPES_YAML: &str = include_str!("data/retired-scopes.yaml");

/// One retired scope.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    /// The scope as written in a guide (`r_liteprofile`).
    pub scope: String,
    /// Who issued it (`LinkedIn`).
    pub provider: String,
    /// When it was retired: an ISO date (`2023-08-01`), a month (`2022-05`) or a year.
    pub retired: String,
    /// Scopes to request instead; empty when nothing replaces it.
    #[serde(default)]
    pub replacement: Vec<String>,
    /// The provider's page that documents the change.
    pub source: String,
}

impl Retired {
    /// The replacement as prose for a `help` line: "`openid` and `profile`".
    pub fn replacement_text(&self) -> String {
        let names: Vec<String> = self.replacement.iter().map(|s| format!("`{s}`")).collect();
        match names.len() {
            0 => String::new(),
            1 => names[0].clone(),
            n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        }
    }
}

/// The retired scopes, by scope name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entries: Vec<Retired>,
    by_scope: HashMap<String, usize>,
}

impl Registry {
    /// Parses a registry from YAML text (a sequence of [`Retired`] entries).
    ///
    /// Errors: the YAML parser's message, with its line.
    pub fn parse(yaml: &str) -> Result<Registry, String> {
        let entries: Vec<Retired> = crate::page::front_matter::read_yaml(yaml)?;
        let by_scope = entries
            .iter()
            .enumerate()
            .map(|(i, r)| (r.scope.clone(), i))
            .collect();
        Ok(Registry { entries, by_scope })
    }

    /// The built-in registry.
    pub fn builtin() -> &'static Registry {
        static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
            Registry::parse(RETIRED_SCOPES_YAML)
                .expect("the embedded retired-scopes.yaml is valid (tested)")
        });
        &REGISTRY
    }

    /// The entry for `scope`, if it is retired.
    pub fn get(&self, scope: &str) -> Option<&Retired> {
        self.by_scope.get(scope).map(|&i| &self.entries[i])
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Retired] {
        &self.entries
    }

    /// True when `scope` is retired or named as a replacement: a scope the registry knows.
    pub fn knows(&self, scope: &str) -> bool {
        self.by_scope.contains_key(scope)
            || self
                .entries
                .iter()
                .any(|r| r.replacement.iter().any(|s| s == scope))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_parses_and_cites_sources() {
        let reg = Registry::builtin();
        assert_eq!(reg.entries().len(), 12);
        for r in reg.entries() {
            assert!(r.source.starts_with("https://"), "{}", r.scope);
            assert!(!r.retired.is_empty(), "{}", r.scope);
        }
        let lite = reg.get("r_liteprofile").expect("r_liteprofile");
        assert_eq!(lite.replacement, ["openid", "profile"]);
        assert_eq!(lite.replacement_text(), "`openid` and `profile`");
        assert_eq!(
            reg.get("bingads.manage").map(|r| r.replacement.clone()),
            Some(vec!["msads.manage".to_string()])
        );
        assert_eq!(
            reg.get("rw_company_admin").map(|r| r.replacement_text()),
            Some(
                "`rw_organization_admin`, `r_organization_social` and `w_organization_social`"
                    .to_string()
            )
        );
        assert!(reg.get("r_ads").is_none());
        assert!(reg.knows("r_ads"));
        assert!(!reg.knows("first_name"));
    }
}
