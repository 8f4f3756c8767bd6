//! Unit tests of scope-list extraction.

use super::*;

/// `text` parsed as the page `G.md`.
fn page(text: &str) -> crate::page::Page {
    crate::page::parse_page(
        "G.md".into(),
        "G.md".into(),
        "G.md".into(),
        text.into(),
        &Default::default(),
    )
    .expect("parses")
}

#[test]
fn decodes_scope_parameters() {
    let p = scope_params(
        "https://x/auth?response_type=code&scope=r_ads%20rw_ads+openid%2Cprofile&state=1",
    );
    assert_eq!(p.len(), 1);
    assert_eq!(
        split_scopes(&p[0].0),
        ["r_ads", "rw_ads", "openid", "profile"]
    );
    assert!(scope_params("?redirect_scope=x").is_empty());
}

#[test]
fn url_items_point_at_their_own_piece() {
    let text = "# T\n\nOpen [the page](https://x/a?client_id=ID&scope=r_ads%20w_member_social%2Cr_liteprofile&state=x).\n";
    let page = page(text);
    let lists = scope_lists(&page, &|_| false);
    assert_eq!(lists.len(), 1);
    let got: Vec<(&str, &str)> = lists[0]
        .items
        .iter()
        .map(|i| (i.scope.as_str(), &text[i.span.start..i.span.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("r_ads", "r_ads"),
            ("w_member_social", "w_member_social"),
            ("r_liteprofile", "r_liteprofile")
        ]
    );
    assert_eq!(lists[0].shape, Shape::Url);
}

#[test]
fn sentence_lists_take_only_scope_like_codes() {
    let text = "# T\n\nYou need admin permission on the `Company Page` first.\n\nTick the scopes `r_ads` and `rw_ads`, then `Request token`.\n";
    let page = page(text);
    let lists = scope_lists(&page, &|_| false);
    let got: Vec<Vec<&str>> = lists.iter().map(|l| l.scopes()).collect();
    assert_eq!(got, [vec!["r_ads", "rw_ads"]]);
    assert_eq!(lists[0].shape, Shape::Sentence);
}

#[test]
fn list_without_scope_words_counts_when_most_items_are_known() {
    let text = "# T\n\n## Setup\n\nTick these:\n\n- `r_ads`\n- `rw_ads`\n- `id`\n\nThe response has:\n\n- `id`\n- `name`\n";
    let page = page(text);
    let known = |s: &str| s == "r_ads" || s == "rw_ads";
    let lists = scope_lists(&page, &known);
    let got: Vec<Vec<&str>> = lists.iter().map(|l| l.scopes()).collect();
    assert_eq!(got, [vec!["r_ads", "rw_ads", "id"]]);
    assert!(scope_lists(&page, &|_| false).is_empty());
}

#[test]
fn scope_values_may_hold_spaces_up_to_the_parameter_end() {
    let p = code_scope_params("https://x/a?client_id=ID&scope=ads_read read_insights&state=1");
    assert_eq!(split_scopes(&p[0].0), ["ads_read", "read_insights"]);
    let p = code_scope_params("https://x/a?scope=ads_read read_insights");
    assert_eq!(split_scopes(&p[0].0), ["ads_read", "read_insights"]);
    // Prose after a URL is not part of its value.
    let p = code_scope_params("open https://x/a?scope=ads_read in a browser.");
    assert_eq!(split_scopes(&p[0].0), ["ads_read"]);
    let p = scope_params("Open https://x/a?scope=ads_read in the browser");
    assert_eq!(split_scopes(&p[0].0), ["ads_read"]);
    let p = code_scope_params("curl 'https://x/a?scope=ads_read' \\");
    assert_eq!(split_scopes(&p[0].0), ["ads_read"]);
}

#[test]
fn code_blocks_of_scopes() {
    let none = |_: &str| false;
    assert_eq!(
        block_scopes("channels:read\nusers:read\n", &none),
        Some(vec!["channels:read".to_string(), "users:read".to_string()])
    );
    assert_eq!(
        block_scopes("ads_read, read_insights\n", &none),
        Some(vec!["ads_read".to_string(), "read_insights".to_string()])
    );
    assert_eq!(block_scopes("gcloud auth list\n", &none), None);
    assert_eq!(
        block_scopes("SELECT\n    campaign.name,\nFROM ad_group\n", &none),
        None
    );
    assert_eq!(block_scopes("npm install\nnpm test\n", &none), None);
    let known = |s: &str| ["openid", "email", "profile"].contains(&s);
    assert_eq!(
        block_scopes("openid email profile\n", &known).map(|v| v.len()),
        Some(3)
    );
}

#[test]
fn parameter_and_field_names_are_not_scopes() {
    assert!(!scope_like("scope"));
    assert!(!scope_like("client_id"));
    assert!(!scope_like(
        "https://developers.facebook.com/docs/permissions#ads_read"
    ));
    assert!(scope_like("https://www.googleapis.com/auth/adwords"));
    assert!(named_as_other(" parameter:"));
    assert!(named_as_other(" field of the response"));
    assert!(!named_as_other(" covers reporting endpoints"));
}

#[test]
fn separators() {
    assert!(SEPARATOR.is_match(", "));
    assert!(SEPARATOR.is_match(" · "));
    assert!(SEPARATOR.is_match(", and "));
    assert!(SEPARATOR.is_match(" or "));
    assert!(!SEPARATOR.is_match(" then click "));
}
