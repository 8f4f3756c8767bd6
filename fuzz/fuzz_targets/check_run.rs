//! A check run (every offline rule, every output format) over a one-page project made of
//! arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stepbook::fuzz::check_run(data));
