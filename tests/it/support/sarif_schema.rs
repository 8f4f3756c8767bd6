//! JSON Schema (draft-07, <https://json-schema.org/draft-07/json-schema-validation>) validation
//! for the keywords the SARIF 2.1.0 schema (`tests/schemas/sarif-2.1.0.json`) uses: `$ref` into
//! `#/definitions`, `type`, `enum`, `properties`, `required`, `additionalProperties`, `items`,
//! `minItems`, `uniqueItems`, `minimum`, `maximum`, `pattern`, `anyOf`, `oneOf`, and the formats
//! `uri`, `uri-reference` (RFC 3986) and `date-time` (RFC 3339). Any other keyword fails the
//! validation, so a schema this cannot fully check never passes by omission.
//!
//! Why not the `jsonschema` crate: it adds about 25 crates to every `cargo test` build; this
//! subset is all the SARIF schema needs (README, "Building and testing").

use regex::Regex;
use serde_json::Value;

/// The committed SARIF 2.1.0 schema.
pub fn sarif_schema() -> Value {
    let path = super::repo().join("tests/schemas/sarif-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema JSON")
}

/// Every violation of `schema` by `instance`, as `path: problem`; empty when it validates.
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, instance, "", &mut errors);
    errors
}

/// Words that describe and do not constrain.
const ANNOTATIONS: &[&str] = &[
    "description",
    "default",
    "title",
    "$schema",
    "$id",
    "definitions",
];

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    for (key, want) in obj {
        match key.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => {
                let name = want
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .unwrap_or_else(|| panic!("unsupported $ref {want}"));
                check(root, &root["definitions"][name], v, at, errors);
            }
            "type" => {
                let types: Vec<&str> = match want {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("bad type {want}"),
                };
                if !types.iter().any(|t| has_type(v, t)) {
                    errors.push(format!("{at}: {v} is not of type {types:?}"));
                }
            }
            "enum" => {
                if !want.as_array().expect("enum array").contains(v) {
                    errors.push(format!("{at}: {v} is not one of {want}"));
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (name, sub) in want.as_object().expect("properties object") {
                        if let Some(x) = o.get(name) {
                            check(root, sub, x, &format!("{at}/{name}"), errors);
                        }
                    }
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for name in want.as_array().expect("required array") {
                        let name = name.as_str().expect("property name");
                        if !o.contains_key(name) {
                            errors.push(format!("{at}: `{name}` is required"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = v.as_object() {
                    let known = obj.get("properties").and_then(Value::as_object);
                    for (name, x) in o {
                        if known.is_none_or(|k| !k.contains_key(name)) {
                            match want {
                                Value::Bool(false) => {
                                    errors.push(format!("{at}: `{name}` is not allowed"))
                                }
                                Value::Bool(true) => {}
                                sub => check(root, sub, x, &format!("{at}/{name}"), errors),
                            }
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = v.as_array() {
                    for (i, x) in items.iter().enumerate() {
                        check(root, want, x, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "minItems" => {
                if let Some(items) = v.as_array()
                    && (items.len() as u64) < want.as_u64().expect("minItems")
                {
                    errors.push(format!("{at}: fewer than {want} items"));
                }
            }
            "uniqueItems" => {
                if let Some(items) = v.as_array()
                    && want == &Value::Bool(true)
                {
                    for (i, x) in items.iter().enumerate() {
                        if items[..i].contains(x) {
                            errors.push(format!("{at}/{i}: repeats an earlier item"));
                        }
                    }
                }
            }
            "minimum" | "maximum" => {
                if let (Some(x), Some(limit)) = (v.as_f64(), want.as_f64()) {
                    let bad = if key == "minimum" {
                        x < limit
                    } else {
                        x > limit
                    };
                    if bad {
                        errors.push(format!("{at}: {x} passes the {key} {limit}"));
                    }
                }
            }
            "pattern" => {
                if let Some(s) = v.as_str() {
                    let re = Regex::new(want.as_str().expect("pattern")).expect("valid pattern");
                    if !re.is_match(s) {
                        errors.push(format!("{at}: {s:?} does not match {want}"));
                    }
                }
            }
            "format" => {
                if let Some(s) = v.as_str() {
                    let format = want.as_str().expect("format name");
                    if !has_format(s, format) {
                        errors.push(format!("{at}: {s:?} is not a valid {format}"));
                    }
                }
            }
            "anyOf" | "oneOf" => {
                let passing = want
                    .as_array()
                    .expect("subschemas")
                    .iter()
                    .filter(|sub| {
                        let mut e = Vec::new();
                        check(root, sub, v, at, &mut e);
                        e.is_empty()
                    })
                    .count();
                let ok = if key == "anyOf" {
                    passing >= 1
                } else {
                    passing == 1
                };
                if !ok {
                    errors.push(format!("{at}: {passing} subschemas of {key} match"));
                }
            }
            other => errors.push(format!("{at}: unsupported schema keyword `{other}`")),
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

/// RFC 3986 URI reference: only unreserved, reserved and `%XX` characters.
fn uri_reference(s: &str) -> bool {
    let re = Regex::new(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
        .expect("valid regex");
    re.is_match(s)
}

fn has_format(s: &str, format: &str) -> bool {
    match format {
        "uri-reference" => uri_reference(s),
        "uri" => {
            uri_reference(s)
                && Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
                    .expect("valid regex")
                    .is_match(s)
        }
        "date-time" => Regex::new(
            r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$",
        )
        .expect("valid regex")
        .is_match(s),
        other => panic!("unsupported format {other}"),
    }
}

#[test]
fn catches_each_kind_of_violation() {
    let schema = serde_json::json!({
        "type": "object",
        "required": ["a"],
        "additionalProperties": false,
        "properties": {
            "a": { "$ref": "#/definitions/level" },
            "b": { "type": "array", "minItems": 1, "uniqueItems": true,
                   "items": { "type": "integer", "minimum": 1 } },
            "c": { "type": "string", "format": "uri-reference" }
        },
        "definitions": { "level": { "enum": ["error", "warning"] } }
    });
    assert!(
        validate(
            &schema,
            &serde_json::json!({"a": "error", "b": [1, 2], "c": "a%20b"})
        )
        .is_empty()
    );
    let bad = serde_json::json!({"b": [0, 0], "c": "a b", "d": 1});
    let errors = validate(&schema, &bad);
    // `a` missing, two items under the minimum, a repeated item, a space in a URI, `d`.
    assert_eq!(errors.len(), 6, "{errors:?}");
    assert_eq!(
        validate(&schema, &serde_json::json!({"a": "fatal"})).len(),
        1
    );
    let unknown = serde_json::json!({"if": {}});
    assert_eq!(validate(&unknown, &Value::Null).len(), 1);
}
