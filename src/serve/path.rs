//! Request paths → site paths, refusing anything that could name a file outside the site.
//!
//! The raw path of the request line (still percent-encoded) is checked before and after decoding
//! (RFC 3986 §2.1): encoded slashes and backslashes (`%2f`, `%5c`), backslashes, NUL, `.` and `..`
//! segments (plain or encoded), empty segments (`//etc/passwd`), Windows drive prefixes and
//! invalid UTF-8 are refused. What is left can only be a key of the in-memory site map; files on
//! disk are additionally confined to their roots by the server (symlinks).

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The path does not start with `/` (absolute-form or authority-form request targets).
    NotAbsolute,
    /// `%2f` or `%5c`: an encoded separator.
    EncodedSeparator,
    /// A backslash, NUL or other control character.
    BadCharacter,
    /// A percent sequence that does not decode to UTF-8.
    BadEncoding,
    /// A `.` or `..` segment, an empty segment, or a drive prefix (`C:`).
    BadSegment,
}

/// Maps the raw request path (before percent-decoding, without the query) to a site path:
/// `/` → `index.html`, `/guide/` → `guide/index.html`, `/a%20b.png` → `a b.png`.
///
/// Errors: [`Refused`] for anything that is not a plain path below the site root.
pub fn site_path(raw: &str) -> Result<String, Refused> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(Refused::NotAbsolute);
    };
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(Refused::EncodedSeparator);
    }
    let decoded = crate::percent::decode_utf8(rest).ok_or(Refused::BadEncoding)?;
    if decoded.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(Refused::BadCharacter);
    }
    if decoded.is_empty() {
        return Ok("index.html".to_string());
    }
    let dir = decoded.ends_with('/');
    let body = decoded.strip_suffix('/').unwrap_or(&decoded);
    for segment in body.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || segment.contains(':') {
            return Err(Refused::BadSegment);
        }
    }
    if dir {
        Ok(format!("{body}/index.html"))
    } else {
        Ok(body.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_map_to_site_paths() {
        assert_eq!(site_path("/").as_deref(), Ok("index.html"));
        assert_eq!(site_path("/guide/").as_deref(), Ok("guide/index.html"));
        assert_eq!(site_path("/a%20b.png").as_deref(), Ok("a b.png"));
        assert_eq!(site_path("/res/x.png").as_deref(), Ok("res/x.png"));
        assert_eq!(site_path("/caf%C3%A9.html").as_deref(), Ok("café.html"));
    }

    #[test]
    fn escapes_are_refused() {
        for (raw, why) in [
            ("/../Cargo.toml", Refused::BadSegment),
            ("/%2e%2e/Cargo.toml", Refused::BadSegment),
            ("/%2E%2E/x", Refused::BadSegment),
            ("/.%2e/x", Refused::BadSegment),
            ("/a/./b", Refused::BadSegment),
            ("//etc/passwd", Refused::BadSegment),
            ("/a//b", Refused::BadSegment),
            ("/..%2f..%2fetc/passwd", Refused::EncodedSeparator),
            ("/..%2F..%2Fetc", Refused::EncodedSeparator),
            ("/..%5c..%5cetc", Refused::EncodedSeparator),
            ("/..\\..\\etc", Refused::BadCharacter),
            ("/a%00.html", Refused::BadCharacter),
            ("/a%0a.html", Refused::BadCharacter),
            ("/%ff%fe", Refused::BadEncoding),
            ("/C:/Windows/win.ini", Refused::BadSegment),
            ("etc/passwd", Refused::NotAbsolute),
            ("http://x/etc/passwd", Refused::NotAbsolute),
        ] {
            assert_eq!(site_path(raw), Err(why), "{raw}");
        }
    }
}
