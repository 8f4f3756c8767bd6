//! Unit tests of the one Markdown pass.

use super::steps::step_numbers;
use super::*;

fn page(text: &str) -> Page {
    parse_page(
        PathBuf::from("t.md"),
        "t.md".into(),
        "t.md".into(),
        text.to_string(),
        &ParseOptions::default(),
    )
    .expect("parses")
}

#[test]
fn step_numbers_expand_ranges_and_lists() {
    assert_eq!(step_numbers("Step 6"), vec![6]);
    assert_eq!(step_numbers("Steps 2–4"), vec![2, 3, 4]);
    assert_eq!(step_numbers("steps 2 to 3"), vec![2, 3]);
    assert_eq!(step_numbers("steps 1 and 3"), vec![1, 3]);
    assert_eq!(step_numbers("Steps 1, 3 and 5"), vec![1, 3, 5]);
}

#[test]
fn sub_steps_belong_to_their_step() {
    let p = page(
        "# G\n\n## Step 0: Prepare\n\n## Step 2: Configure\n\n#### Step 2.1: Pin ingress\n\n### Step 2a - Check\n\n## Step 3. Apply\n\n## Step 4 Verify\n",
    );
    let steps: Vec<_> = p
        .steps
        .iter()
        .map(|s| (s.number, s.sub.as_deref(), s.title.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (0, None, "Prepare"),
            (2, None, "Configure"),
            (2, Some("1"), "Pin ingress"),
            (2, Some("a"), "Check"),
            (3, None, "Apply"),
            (4, None, "Verify"),
        ]
    );
}

#[test]
fn headings_steps_and_ids() {
    let p = page("# Guide\n\n## Step 1: Make it\n\n## Step 2 - Ship `it`\n\n## Step 1: Make it\n");
    let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "guide",
            "step-1-make-it",
            "step-2---ship-it",
            "step-1-make-it-1"
        ]
    );
    let steps: Vec<_> = p
        .steps
        .iter()
        .map(|s| (s.number, s.title.as_str()))
        .collect();
    assert_eq!(steps, [(1, "Make it"), (2, "Ship it"), (1, "Make it")]);
    assert_eq!(p.title, "Guide");
}

#[test]
fn a_heading_in_a_list_item_or_quote_keeps_its_code_in_its_id() {
    // GitHub: `- ## Ul `x` head` has the id ul-x-head (tauri-docs wrote such headings in lists).
    let p = page("- ## Ul `x` head\n\n> ### Quoted `y`\n\n| a |\n| - |\n| `z` |\n");
    let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["ul-x-head", "quoted-y"]);
    assert_eq!(p.headings[0].text, "Ul x head");
}

#[test]
fn step_refs_skip_code_and_map_spans() {
    let text =
        "# G\n\n## Step 1: A\n\nSee `Step 9` and then Step 7, or [step 2](other.md#step-2).\n";
    let p = page(text);
    let refs: Vec<_> = p
        .step_refs
        .iter()
        .map(|r| {
            (
                &text[r.span.start..r.span.end],
                r.numbers.clone(),
                r.target.clone(),
            )
        })
        .collect();
    assert_eq!(
        refs,
        [
            ("Step 7", vec![7], None),
            ("step 2", vec![2], Some("other.md#step-2".to_string()))
        ]
    );
}

#[test]
fn accidental_code_block_is_read_as_prose() {
    let text = "# G\n\n## Step 1: A\n\nIn the new window:\n\n    > **Note:** go back to Step 6.\n    > ![Err](res/e.png)\n\nSelect the following scopes:\n\n    - `r_ads`\n    - `r_ads_reporting`\n";
    let p = page(text);
    assert_eq!(p.code_blocks.len(), 2);
    assert!(
        p.code_blocks[0]
            .markdown
            .contains(&MarkdownKind::BlockQuote)
    );
    assert!(p.code_blocks[1].markdown.contains(&MarkdownKind::List));
    let r = &p.step_refs[0];
    assert_eq!(&text[r.span.start..r.span.end], "Step 6");
    assert!(r.in_accidental_code);
    let img = &p.images[0];
    assert_eq!(&text[img.span.start..img.span.end], "![Err](res/e.png)");
    let list = p.lists.iter().find(|l| l.in_accidental_code).unwrap();
    let codes: Vec<_> = list
        .items
        .iter()
        .flat_map(|i| i.codes.iter())
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(codes, ["r_ads", "r_ads_reporting"]);
    assert_eq!(
        &text[list.items[0].codes[0].span.start..list.items[0].codes[0].span.end],
        "`r_ads`"
    );
    assert_eq!(list.lead.as_deref(), Some("Select the following scopes:"));
}

#[test]
fn accidental_code_block_inside_a_list_item() {
    // Review finding: a block indented four columns past the item's content column.
    let text = "# T\n\n## Step 1: A\n\n1. Open the app:\n\n        > **Note:** go back to Step 6.\n        > ![Err](res/e.png)\n\n2. Next\n";
    let p = page(text);
    assert_eq!(p.code_blocks.len(), 1);
    assert!(
        p.code_blocks[0]
            .markdown
            .contains(&MarkdownKind::BlockQuote)
    );
    let r = &p.step_refs[0];
    assert_eq!(&text[r.span.start..r.span.end], "Step 6");
    let img = p.images.iter().find(|i| i.in_accidental_code).unwrap();
    assert_eq!(&text[img.span.start..img.span.end], "![Err](res/e.png)");
}

#[test]
fn real_code_in_indented_block_is_not_accidental() {
    let p = page(
        "Run:\n\n    # install\n    cargo install stepbook\n\nConfig:\n\n    - name: build\n      run: make\n",
    );
    assert!(
        p.code_blocks.iter().all(|c| c.markdown.is_empty()),
        "{:?}",
        p.code_blocks
    );
}

#[test]
fn front_matter_is_not_markdown() {
    let text = "---\ntitle: Install\ntags: [setup, cli]\n# Internal notes\n---\n\n# Install\n\nGo to [the notes](#internal-notes).\n";
    let p = page(text);
    assert_eq!(p.headings.len(), 1);
    assert!(p.undefined_refs.is_empty());
    assert_eq!(p.title, "Install");
    assert_eq!(
        &text[p.links[0].span.start..p.links[0].span.end],
        "[the notes](#internal-notes)"
    );
}

#[test]
fn undefined_references_and_html() {
    let p = page(
        "[a][nolabel] and [b][] and [ok][def] and [x]\n\n[def]: ok.md\n\n<a name=\"n\"></a><img src=\"i.png\">\n",
    );
    let labels: Vec<_> = p.undefined_refs.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(labels, ["nolabel", "b"]);
    assert_eq!(p.links[0].dest, "ok.md");
    assert!(p.has_anchor("n"));
    assert!(p.images[0].from_html);
}

#[test]
fn malformed_front_matter_is_a_problem_with_line_and_the_body_is_still_read() {
    let p = parse_page(
        PathBuf::from("bad.md"),
        "bad.md".into(),
        "bad.md".into(),
        "---\ntitle: [unclosed\n---\n# x\n".into(),
        &ParseOptions::default(),
    )
    .expect("front matter does not stop the parse");
    assert_eq!(p.title, "x");
    assert_eq!(p.headings.len(), 1);
    let problem = p.front_matter_problem.as_ref().expect("a problem");
    assert!((2..=3).contains(&problem.line), "{problem:?}");
    let msg = p.front_matter_error().unwrap_err().to_string();
    assert!(msg.starts_with("bad.md:"), "{msg}");
    assert!(msg.contains("malformed front matter"), "{msg}");
}

#[test]
fn default_step_headings_read_without_the_regex_as_with_it() {
    use super::steps::{default_step_ascii, step_heading_by_regex};
    let re = Regex::new(DEFAULT_STEP_PATTERN).expect("valid");
    let texts = [
        "Step 1: Open the console",
        "step 2 - Create a key",
        "STEP 3) Done",
        "Step 4.  Title ",
        "Step 5",
        "Step 6a: a sub-step",
        "Step 7.1: a sub-step",
        "Step 8:",
        "Step\t9:\tTabbed",
        "Step 10 : spaced",
        "Step 11 -- two dashes",
        "Step 12: a\nb",
        "Step 13_x",
        "Step 99999999999: too large",
        "Steps 3",
        "Step: 3",
        "Step 3: ünïcode",
        "Step 3 — dash",
        "step  4:title",
        "Step 5\u{0B}: vertical tab",
        "Step 6\n: line break",
        "Step 7 (optional)",
        "Step 8 - ",
        "Stepper 1",
        "Step 0",
    ];
    assert!(default_step_ascii("Step 1: Open the console").is_some());
    for t in texts {
        let by_regex = step_heading_by_regex(&re, true, t);
        if let Some(fast) = default_step_ascii(t) {
            assert_eq!(Some(fast), by_regex, "{t:?}");
        }
    }
}
