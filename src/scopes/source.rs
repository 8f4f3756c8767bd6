//! Reading the scopes out of a source's document: a JSON or YAML document with a JSON pointer
//! (RFC 6901, `serde_json::Value::pointer`), or any text with a regular expression whose one
//! capture holds the scopes, split on commas, white space or `+` (as in
//! `default: 'r_organization_social,rw_organization_admin'` in connector code).
//!
//! These functions return plain messages; the caller adds the source's name and where it is
//! declared.

use regex::Regex;
use serde_json::Value;

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (RFC 8259).
    Json,
    /// YAML 1.2 (read with `page::front_matter::read_yaml` into the JSON data model).
    Yaml,
}

impl Format {
    /// YAML for `.yaml` / `.yml` names, JSON for everything else.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }
}

/// Parses `text` as a document of `format`.
///
/// Errors: "malformed JSON: … at line L column C" (or YAML).
pub fn parse_document(text: &str, format: Format) -> Result<Value, String> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}")),
        Format::Yaml => {
            crate::page::front_matter::read_yaml(text).map_err(|e| format!("malformed YAML: {e}"))
        }
    }
}

/// The scopes at `pointer` in `doc`: an array of strings, or one string holding several scopes
/// separated by commas, white space or `+`.
///
/// Errors: the pointer matches nothing, or what it matches is neither a string nor an array of
/// strings, or it holds no scope.
pub fn scopes_at(doc: &Value, pointer: &str) -> Result<Vec<String>, String> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!(
            "JSON pointer `{pointer}` must be empty or start with `/` (RFC 6901)"
        ));
    }
    let value = doc
        .pointer(pointer)
        .ok_or_else(|| format!("JSON pointer `{pointer}` matches nothing in the document"))?;
    let scopes = match value {
        Value::String(s) => split_scopes(s),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.extend(split_scopes(s)),
                    other => {
                        return Err(format!(
                            "JSON pointer `{pointer}`: item {i} is {}, not a string",
                            describe(other)
                        ));
                    }
                }
            }
            out
        }
        other => {
            return Err(format!(
                "JSON pointer `{pointer}` matches {}, not a string or an array of strings",
                describe(other)
            ));
        }
    };
    if scopes.is_empty() {
        return Err(format!(
            "JSON pointer `{pointer}` matches no scope (an empty value)"
        ));
    }
    Ok(dedup(scopes))
}

/// The scopes captured by `pattern` in `text`: every match's one capture, split on commas,
/// white space or `+`, in order of appearance, without repeats.
///
/// Errors: an invalid regular expression, a pattern without exactly one capture group, or a
/// pattern that matches nothing.
pub fn scopes_by_pattern(text: &str, pattern: &str) -> Result<Vec<String>, String> {
    let re = Regex::new(pattern)
        .map_err(|e| format!("pattern `{pattern}` is not a valid regular expression: {e}"))?;
    if re.captures_len() != 2 {
        return Err(format!(
            "pattern `{pattern}` must have exactly one capture group (it has {})",
            re.captures_len() - 1
        ));
    }
    let mut out = Vec::new();
    let mut matched = false;
    for caps in re.captures_iter(text) {
        matched = true;
        if let Some(m) = caps.get(1) {
            out.extend(split_scopes(m.as_str()));
        }
    }
    if !matched {
        return Err(format!("pattern `{pattern}` matches nothing in the file"));
    }
    if out.is_empty() {
        return Err(format!(
            "pattern `{pattern}` matches, but its capture holds no scope"
        ));
    }
    Ok(dedup(out))
}

/// Splits a scope string on commas, white space and `+` (`"openid profile"`,
/// `"r_ads,rw_ads"`, `"a+b"`), dropping empty pieces and surrounding quotes.
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == '+' || c.is_whitespace())
        .map(|p| p.trim_matches(|c| c == '\'' || c == '"' || c == '`'))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// `v` without repeats, first occurrence kept.
pub fn dedup(v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.into_iter().filter(|s| seen.insert(s.clone())).collect()
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_into_json_and_yaml() {
        let doc = parse_document(
            r#"{"oauth": {"scopes": ["r_ads", "rw_ads"]}}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(
            scopes_at(&doc, "/oauth/scopes").unwrap(),
            ["r_ads", "rw_ads"]
        );
        let doc =
            parse_document("oauth:\n  scope: \"r_ads r_ads_reporting\"\n", Format::Yaml).unwrap();
        assert_eq!(
            scopes_at(&doc, "/oauth/scope").unwrap(),
            ["r_ads", "r_ads_reporting"]
        );
        let err = scopes_at(&doc, "/oauth/nope").unwrap_err();
        assert!(err.contains("matches nothing"), "{err}");
        let err = scopes_at(&doc, "/oauth").unwrap_err();
        assert!(err.contains("an object"), "{err}");
        let err = parse_document("{\"a\": [", Format::Json).unwrap_err();
        assert!(err.starts_with("malformed JSON"), "{err}");
    }

    #[test]
    fn pattern_capture_is_split() {
        let js = "scope: {\n  default: 'r_organization_social,rw_organization_admin',\n}\n";
        assert_eq!(
            scopes_by_pattern(js, r"default:\s*'([^']*)'").unwrap(),
            ["r_organization_social", "rw_organization_admin"]
        );
        assert!(
            scopes_by_pattern(js, r"nothing:(.*)")
                .unwrap_err()
                .contains("matches nothing")
        );
        assert!(
            scopes_by_pattern(js, r"default")
                .unwrap_err()
                .contains("exactly one capture")
        );
        assert!(
            scopes_by_pattern(js, r"(")
                .unwrap_err()
                .contains("not a valid")
        );
        assert_eq!(split_scopes("a+b, c  d"), ["a", "b", "c", "d"]);
    }
}
