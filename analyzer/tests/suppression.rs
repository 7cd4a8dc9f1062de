//! `# baton: ignore[rule]` comments silence a rule on a step or resource, and nothing else.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
        .map(|d| {
            let subject = baton_analyzer::export::subject_name(&report, d.subject);
            (d.rule.name(), subject.unwrap_or_default())
        })
        .collect();
    // `duplicate-step` in the comment above `also_kept` silences nothing: it is reported.
    assert_eq!(
        found,
        [
            ("unused-suppression", String::new()),
            ("unreachable-step", "still_reported".to_string())
        ]
    );
    let unused = &report.findings[0];
    assert_eq!((unused.loc.line, unused.loc.column), (7, 39));
}
