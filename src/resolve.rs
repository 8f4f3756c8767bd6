//! Link and image resolution. The rules live in [`crate::site`] (one module per link
//! convention); this module keeps the names the rest of the crate has always used.

pub use crate::site::{Found, Target, decode, is_external, join, resolve, split_fragment};
