//! The one integration-test binary (Cargo links every `tests/*.rs` as its own binary, so
//! the suites live here as modules and share one link of the crate and its dependencies).

mod build;
mod cases;
mod check_cache;
mod cli_check;
mod external_link;
mod findings_browser;
mod findings_cli;
mod fixtures;
mod formats;
mod hostile;
mod incremental;
mod init;
mod mdbook;
mod mkdocs;
mod page_cache;
mod patterns;
mod properties;
mod rule_docs;
mod scopes;
mod screenshots;
mod search_browser;
mod search_cache;
mod serve;
mod serve_browser;
mod serve_hostile;
mod site;
mod site_cli;
mod site_inside;
mod site_real;
mod spec_rules;
mod support;
