//! Percent-encoding (RFC 3986 §2.1) of the URLs the program reads and writes: link and image
//! destinations, request paths of the preview server, `scope=` parameters, the hrefs the
//! renderer writes and SARIF's artifact URIs. The program's one user of the `percent-encoding`
//! crate.

use std::borrow::Cow;

use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};

/// Characters percent-encoded in a URL path segment written into HTML (RFC 3986 §3.3:
/// everything but unreserved characters, sub-delims and `:@` stays literal; `/` separates
/// segments).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Bytes kept as they are in a strict URI path: RFC 3986 unreserved characters and `/`.
const STRICT_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Decodes `%XX` sequences; bytes that are not UTF-8 afterwards become U+FFFD.
pub fn decode_lossy(s: &str) -> Cow<'_, str> {
    percent_decode_str(s).decode_utf8_lossy()
}

/// Decodes `%XX` sequences; `None` when the result is not UTF-8.
pub fn decode_utf8(s: &str) -> Option<Cow<'_, str>> {
    percent_decode_str(s).decode_utf8().ok()
}

/// One path segment for an href in HTML (`my guide.html` → `my%20guide.html`).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// A `/`-separated relative path as a strict URI reference: everything but unreserved
/// characters and `/` is encoded (`res/old, unused.png` → `res/old%2C%20unused.png`).
pub fn encode_uri_path(path: &str) -> String {
    utf8_percent_encode(path, STRICT_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(decode_lossy("a%20b%2Fc"), "a b/c");
        assert_eq!(decode_lossy("%FF"), "\u{FFFD}");
        assert_eq!(decode_utf8("%FF"), None);
        assert_eq!(encode_segment("my guide#1.html"), "my%20guide%231.html");
        assert_eq!(encode_segment("a:b@c!"), "a:b@c!");
        assert_eq!(
            encode_uri_path("res/old, unused:1.png"),
            "res/old%2C%20unused%3A1.png"
        );
    }
}
