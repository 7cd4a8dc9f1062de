//! Every rule has docs, a fixture that triggers it and one that must not, and both are checked:
//! in `fixtures/rules/<rule>/bad*.yaml` each `# expect: <rule>` marker names a line where that
//! finding must be reported, and no other line may get one; `ok*.yaml` must get none.

use std::collections::BTreeSet;
use std::path::Path;

use baton_analyzer::RuleId;
use baton_analyzer::{analyze, SourceFile};

fn fixtures(rule: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("rule `{rule}` has no fixture folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `(line, rule)` for every `# expect: rule` marker.
fn markers(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, rest)) = line.split_once("# expect: ") {
            for rule in rest.split(',') {
                out.push((i as u32 + 1, rule.trim().to_string()));
            }
        }
    }
    out
}

#[test]
fn every_rule_has_docs_with_the_fixed_headings() {
    let mut codes = BTreeSet::new();
    for rule in RuleId::ALL.iter().map(|r| r.meta()) {
        for heading in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(
                rule.docs.contains(heading),
                "rule `{}` docs lack `{heading}`",
                rule.name
            );
        }
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.name
        );
        assert!(codes.insert(rule.code), "code {} used twice", rule.code);
    }
}

#[test]
fn every_rule_triggers_on_its_bad_fixtures_and_only_there() {
    for rule in RuleId::ALL.iter().map(|r| r.meta()) {
        let files = fixtures(rule.name);
        let bad: Vec<_> = files
            .iter()
            .filter(|(name, _)| name.starts_with("bad"))
            .collect();
        let ok: Vec<_> = files
            .iter()
            .filter(|(name, _)| name.starts_with("ok"))
            .collect();
        assert!(
            !bad.is_empty() && !ok.is_empty(),
            "rule `{}` needs bad*.yaml and ok*.yaml fixtures",
            rule.name
        );
        for (name, text) in bad {
            let expected = markers(text);
            assert!(
                expected.iter().any(|(_, r)| r == rule.name),
                "{}/{name} has no `# expect: {}` marker",
                rule.name,
                rule.name
            );
            let report = analyze(&[SourceFile::new(name.clone(), text.clone())]);
            let rules_checked: BTreeSet<&str> = expected.iter().map(|(_, r)| r.as_str()).collect();
            for checked in rules_checked {
                let want: Vec<u32> = expected
                    .iter()
                    .filter(|(_, r)| r == checked)
                    .map(|(l, _)| *l)
                    .collect();
                let got: Vec<u32> = report
                    .findings
                    .iter()
                    .filter(|d| d.rule.name() == checked)
                    .map(|d| d.loc.line)
                    .collect();
                let messages: Vec<String> = report
                    .findings
                    .iter()
                    .map(|d| format!("{}:{} {}", d.loc.line, d.rule, d.message))
                    .collect();
                assert_eq!(
                    got,
                    want,
                    "{}/{name}: `{checked}` findings\n{}",
                    rule.name,
                    messages.join("\n")
                );
            }
        }
        for (name, text) in ok {
            let report = analyze(&[SourceFile::new(name.clone(), text.clone())]);
            let wrong: Vec<String> = report
                .findings
                .iter()
                .filter(|d| d.rule.name() == rule.name)
                .map(|d| format!("{}: {}", d.loc.line, d.message))
                .collect();
            assert!(
                wrong.is_empty(),
                "{}/{name} must not trigger it:\n{}",
                rule.name,
                wrong.join("\n")
            );
        }
    }
}
