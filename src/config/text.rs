//! Reading book.toml's text: strict parsing with a span for every key and value, so that every
//! config error and every finding in book.toml names its line (toml's `DeTable` spans).

use super::*;

/// Parses book.toml text strictly, merging `[output.stepbook]` tables into the top level.
///
/// Errors: [`Error::ConfigAt`] with the span of the offending key or value.
pub fn parse_config(path: &Path, text: &str) -> Result<RawConfig> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| CONFIG_FILE.into());
    parse_config_text(path, &file, text).map(|(raw, _)| raw)
}

/// [`parse_config`], also returning the text with its key spans. `file` is how reports name
/// the file (`book.toml`).
pub fn parse_config_text(path: &Path, file: &str, text: &str) -> Result<(RawConfig, ConfigText)> {
    let blank = ConfigText {
        path: path.to_path_buf(),
        file: file.to_string(),
        text: Arc::from(text),
        keys: BTreeMap::new(),
        top_scopes: 0,
    };
    let doc = DeTable::parse(text).map_err(|e| {
        let span = e.span().map(Span::from).unwrap_or_default();
        blank.problem(span, e.message().trim().to_string(), None)
    })?;
    let mut config = blank;
    index_table(doc.get_ref(), &mut Vec::new(), &mut config.keys);
    config.top_scopes = doc
        .get_ref()
        .get("scopes")
        .and_then(|v| v.get_ref().as_array())
        .map_or(0, |a| a.len());
    let nested = doc
        .get_ref()
        .get("output")
        .and_then(|o| o.get_ref().as_table())
        .and_then(|o| o.get("stepbook"))
        .cloned();
    let mut raw = RawConfig::deserialize(toml::de::Deserializer::from(doc))
        .map_err(|e| config.serde_problem(&e))?;
    if let Some(nested) = nested {
        raw.output.remove("stepbook");
        let nested = NestedTables::deserialize(toml::de::ValueDeserializer::from(nested))
            .map_err(|e| config.serde_problem(&e))?;
        let _ = (nested.optional, nested.command);
        if let Some(check) = nested.check {
            raw.check = check;
        }
        if let Some(scopes) = nested.scopes {
            raw.scopes.extend(scopes);
        }
    }
    if let Some(p) = &raw.check.step_pattern {
        let span = config.value(&["check", "step-pattern"]).unwrap_or_default();
        match Regex::new(p) {
            Err(e) => {
                return Err(config.problem(
                    span,
                    format!("check.step-pattern is not a valid regular expression: {e}"),
                    None,
                ));
            }
            // Without capture 1 (the number) no heading is a step: every step rule would be off.
            Ok(re) if re.captures_len() < 2 => {
                return Err(config.problem(
                    span,
                    format!("check.step-pattern `{p}` has no capture group for the step number"),
                    Some(
                        "capture 1 is the step number and capture 2 the title: \
                         `^Step (\\d+): (.*)$`"
                            .into(),
                    ),
                ));
            }
            Ok(_) => {}
        }
    }
    for (i, p) in raw.check.external_exclude.iter().enumerate() {
        if let Err(e) = Regex::new(p) {
            let span = config
                .value(&["check", "external-exclude", &i.to_string()])
                .unwrap_or_default();
            let message =
                format!("check.external-exclude: `{p}` is not a valid regular expression: {e}");
            return Err(config.problem(span, message, None));
        }
    }
    Ok((raw, config))
}

/// book.toml's text and the span of every key and value in it, so that errors and findings in
/// it point at the line (toml's spanned document, [`DeTable`]).
#[derive(Debug, Clone)]
pub struct ConfigText {
    /// The file on disk.
    pub path: PathBuf,
    /// The file as reports name it (`book.toml`).
    pub file: String,
    /// Its text.
    pub text: Arc<str>,
    /// Key path (`check`, `rules`, `orphan-image`; array items by index) → (key, value) spans.
    keys: BTreeMap<Vec<String>, (Span, Span)>,
    /// How many `[[scopes]]` entries sit at the top level (the rest under `[output.stepbook]`).
    top_scopes: usize,
}

impl ConfigText {
    /// The span of the key at `path` (`["check", "rules", "orphan-image"]`), looked up at the
    /// top level and then under `[output.stepbook]`.
    pub fn key(&self, path: &[&str]) -> Option<Span> {
        self.lookup(path).map(|(k, _)| k)
    }

    /// The span of the value at `path`, as [`ConfigText::key`].
    pub fn value(&self, path: &[&str]) -> Option<Span> {
        self.lookup(path).map(|(_, v)| v)
    }

    /// The span of `key` (or, without one, of the whole entry) of the `index`-th `[[scopes]]`
    /// source, counting the top-level ones first, as settings list them.
    pub fn scope(&self, index: usize, key: Option<&str>) -> Option<Span> {
        let (prefix, i): (&[&str], usize) = if index < self.top_scopes {
            (&["scopes"], index)
        } else {
            (&["output", "stepbook", "scopes"], index - self.top_scopes)
        };
        let i = i.to_string();
        let mut path: Vec<&str> = prefix.to_vec();
        path.push(&i);
        match key {
            Some(k) => {
                path.push(k);
                self.exact(&path).map(|(k, v)| Span::new(k.start, v.end))
            }
            None => self.exact(&path).map(|(_, v)| v),
        }
    }

    fn exact(&self, path: &[&str]) -> Option<(Span, Span)> {
        let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.keys.get(&key).copied()
    }

    fn lookup(&self, path: &[&str]) -> Option<(Span, Span)> {
        self.exact(path).or_else(|| {
            let mut nested = vec!["output", "stepbook"];
            nested.extend_from_slice(path);
            self.exact(&nested)
        })
    }

    /// The table that holds the key at `span`, for messages: `[book]`, `[output.stepbook.check]`.
    fn table_of(&self, span: Span) -> Option<String> {
        let (path, _) = self.keys.iter().find(|(_, (k, _))| *k == span)?;
        let table: Vec<&str> = path[..path.len() - 1]
            .iter()
            .filter(|s| !s.bytes().all(|b| b.is_ascii_digit()))
            .map(String::as_str)
            .collect();
        Some(if table.is_empty() {
            "the top level".to_string()
        } else {
            format!("[{}]", table.join("."))
        })
    }

    /// The dotted key whose value sits at `span` (`check.rules.orphan-image`).
    fn key_of_value(&self, span: Span) -> Option<String> {
        let (path, _) = self.keys.iter().find(|(_, (_, v))| *v == span)?;
        Some(path.join("."))
    }

    /// An error at `span` of this file.
    pub fn problem(&self, span: Span, message: String, help: Option<String>) -> Error {
        Error::ConfigAt(Box::new(ConfigProblem {
            path: self.path.clone(),
            file: self.file.clone(),
            text: self.text.clone(),
            span,
            message,
            help,
        }))
    }

    /// A serde error from deserializing this file, reworded: "unknown key `titel` in [book]"
    /// with "did you mean `title`?", "unknown value `loud`" with the values it may take.
    fn serde_problem(&self, e: &toml::de::Error) -> Error {
        let span = e.span().map(Span::from).unwrap_or_default();
        let message = e.message().trim();
        let (message, help) = match reword(message) {
            Some((what, word, expected)) => {
                let place = if what == "key" {
                    self.table_of(span)
                        .map(|t| format!(" in {t}"))
                        .unwrap_or_default()
                } else {
                    self.key_of_value(span)
                        .map(|k| format!(" for `{k}`"))
                        .unwrap_or_default()
                };
                let close = crate::suggest::closest(
                    word,
                    expected.iter().copied(),
                    crate::suggest::budget(word),
                );
                let help = match close {
                    Some(c) => Some(format!("did you mean `{c}`?")),
                    None if expected.is_empty() => None,
                    None => Some(format!(
                        "expected {}",
                        expected
                            .iter()
                            .map(|e| format!("`{e}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                (format!("unknown {what} `{word}`{place}"), help)
            }
            None => (message.to_string(), None),
        };
        self.problem(span, message, help)
    }
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant …",
/// "expected `a` or `b`", "there are no fields") into ("key" or "value", the word, expected).
fn reword(message: &str) -> Option<(&'static str, &str, Vec<&str>)> {
    let (what, rest) = if let Some(rest) = message.strip_prefix("unknown field `") {
        ("key", rest)
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        ("value", rest)
    } else {
        return None;
    };
    let (word, tail) = rest.split_once('`')?;
    let expected = tail.split('`').skip(1).step_by(2).collect();
    Some((what, word, expected))
}

/// Records the key and value span of every entry below `table` (arrays by index).
fn index_table(
    table: &DeTable<'_>,
    path: &mut Vec<String>,
    out: &mut BTreeMap<Vec<String>, (Span, Span)>,
) {
    for (key, value) in table.iter() {
        path.push(key.get_ref().to_string());
        let key_span = Span::from(key.span());
        out.insert(path.clone(), (key_span, Span::from(value.span())));
        index_value(value.get_ref(), key_span, path, out);
        path.pop();
    }
}

fn index_value(
    value: &DeValue<'_>,
    key_span: Span,
    path: &mut Vec<String>,
    out: &mut BTreeMap<Vec<String>, (Span, Span)>,
) {
    match value {
        DeValue::Table(t) => index_table(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                let span = Span::from(item.span());
                out.insert(path.clone(), (key_span, span));
                index_value(item.get_ref(), key_span, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
