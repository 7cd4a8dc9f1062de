//! `# baton: ignore[rule]` comments silence a rule on a step or resource, and nothing else.

use baton_analyzer::{analyze, SourceFile};

#[test]
fn ignore_comments_suppress_only_the_named_rule_where_they_are() {
    let path = format!(
        "{}/tests/fixtures/suppress/suppressed.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let report = analyze(&[SourceFile::new(
        "suppressed.yaml",
        std::fs::read_to_string(path).unwrap(),
    )]);
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|d| (d.rule, d.subject.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(found, [("unreachable-step", "still_reported")]);
}
