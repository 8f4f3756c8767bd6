//! The page parser, SUMMARY.md's reader and the line index on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepbook::fuzz::page_parser(data));
