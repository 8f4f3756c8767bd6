//! Unit tests of book.toml loading.

use super::*;

#[test]
fn mdbook_keys_load() {
    let raw = parse_config(
        Path::new("book.toml"),
        "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nsrc = \"content\"\nlanguage = \"en\"\n\n[build]\nbuild-dir = \"out\"\n\n[output.html]\nmathjax-support = true\n\n[preprocessor.links]\n",
    )
    .unwrap();
    assert_eq!(raw.book.title.as_deref(), Some("T"));
    assert_eq!(raw.build.build_dir, Some(PathBuf::from("out")));
}

#[test]
fn unknown_key_names_key_file_and_line() {
    let err = parse_config(
        Path::new("book.toml"),
        "[book]\ntitle = \"T\"\ntitel = \"x\"\n",
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("book.toml:3:1:"), "{msg}");
    assert!(msg.contains("titel"), "{msg}");
}

#[test]
fn step_pattern_without_a_capture_group_is_refused_at_its_line() {
    let err = parse_config(
        Path::new("book.toml"),
        "[book]\ntitle = \"T\"\n\n[check]\nstep-pattern = \"x\"\n",
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("book.toml:5:"), "{msg}");
    assert!(msg.contains("has no capture group"), "{msg}");
    let ok = "[check]\nstep-pattern = \"^Stage (\\\\d+): (.*)$\"\n";
    assert!(parse_config(Path::new("book.toml"), ok).is_ok());
}

/// Issue 8: a book.toml that is a folder was silently ignored; invalid UTF-8 had no line.
#[test]
fn book_toml_folder_and_invalid_utf8_are_errors_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("book.toml")).unwrap();
    let err = Settings::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "book.toml: is a folder, not a file; stepbook reads its settings from a file \
             named book.toml (rename or remove it to build without one)"
        ),
        "{err}"
    );
    std::fs::remove_dir(dir.path().join("book.toml")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        b"[book]\ntitle = \"caf\xe9\"\n",
    )
    .unwrap();
    let err = Settings::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("book.toml:2:13: not UTF-8 text (byte 0xE9)"),
        "{err}"
    );
}

#[test]
fn nested_output_stepbook_tables() {
    let raw = parse_config(
        Path::new("book.toml"),
        "[output.stepbook]\noptional = true\n\n[output.stepbook.check.rules]\norphan-image = \"allow\"\n\n[[output.stepbook.scopes]]\nname = \"LinkedIn Ads\"\nguides = [\"CREDENTIALS.md\"]\nrequired = [\"r_ads\"]\n",
    )
    .unwrap();
    assert_eq!(raw.check.rules.get("orphan-image"), Some(&Level::Allow));
    assert_eq!(raw.scopes[0].name, "LinkedIn Ads");
    let err = parse_config(
        Path::new("book.toml"),
        "[output.stepbook]\noptional = true\nbogus = 1\n",
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("book.toml:3:"), "{err}");
}

#[test]
fn spans_of_keys_values_and_scope_sources() {
    let text = "[check.rules]\norphan-image = \"allow\"\n\n[[scopes]]\nname = \"A\"\nrequired = [\"x\"]\n\n[output.stepbook]\n[[output.stepbook.scopes]]\nname = \"B\"\nfile = \"s.json\"\n";
    let (raw, config) = parse_config_text(Path::new("book.toml"), "book.toml", text).unwrap();
    assert_eq!(raw.scopes.len(), 2);
    let at = |span: Option<Span>| span.map(|s| &text[s.start..s.end]);
    assert_eq!(
        at(config.key(&["check", "rules", "orphan-image"])),
        Some("orphan-image")
    );
    assert_eq!(
        at(config.value(&["check", "rules", "orphan-image"])),
        Some("\"allow\"")
    );
    assert_eq!(at(config.scope(0, Some("name"))), Some("name = \"A\""));
    // The second source sits under [output.stepbook]: settings count it after the first.
    assert_eq!(at(config.scope(1, Some("file"))), Some("file = \"s.json\""));
}

#[test]
fn serde_errors_are_reworded_with_did_you_mean() {
    let err = parse_config(Path::new("book.toml"), "[build]\nbuild-dri = \"out\"\n").unwrap_err();
    let Error::ConfigAt(p) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(p.message, "unknown key `build-dri` in [build]");
    assert_eq!(p.help.as_deref(), Some("did you mean `build-dir`?"));
    assert_eq!(&p.text[p.span.start..p.span.end], "build-dri");
    let err = parse_config(
        Path::new("book.toml"),
        "[check.rules]\nbroken-link = \"eror\"\n",
    )
    .unwrap_err();
    let Error::ConfigAt(p) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        p.message,
        "unknown value `eror` for `check.rules.broken-link`"
    );
    assert_eq!(p.help.as_deref(), Some("did you mean `error`?"));
    assert!(
        err.to_string().starts_with("book.toml:2:15: unknown value"),
        "{err}"
    );
}
