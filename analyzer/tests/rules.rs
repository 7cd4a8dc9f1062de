//! One test per rule fixture, and one per rule's docs, so that a rule can be checked alone
//! (`cargo test -p baton-analyzer --test rules -- unreachable-step`).
//!
//! Fixtures live in `fixtures/rules/<rule>/` (`.yaml`, `.tf` or `.sh`). In each `bad*` file,
//! every `# expect: <rule>` marker names a line where that rule must report, and no other line
//! may get one; `ok*` files must get no finding of the rule. The findings of the rule, messages and subjects included,
//! are kept as an insta snapshot per fixture (`snapshots/rules__<rule>__<fixture>.snap`;
//! review changes with `cargo insta review`). Each rule's docs have the fixed headings, and
//! their `## Example` must trigger the rule.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use baton_analyzer::export::subject_name;
use baton_analyzer::source::line_text;
use baton_analyzer::{analyze, Report, RuleId, SourceFile, Subject};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut trials = vec![Trial::test("catalog/names-codes-and-folders", catalog)];
    for &rule in RuleId::ALL {
        trials.push(Trial::test(format!("{}/docs", rule.name()), move || {
            docs(rule)
        }));
        for path in fixtures(rule) {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            trials.push(Trial::test(format!("{}/{stem}", rule.name()), move || {
                fixture(rule, &path)
            }));
        }
    }
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

fn fixture_dir(rule: RuleId) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule.name())
}

fn fixtures(rule: RuleId) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir(rule))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x == "yaml" || x == "tf" || x == "sh")
                })
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

/// Every rule has a kebab-case name, a unique code, a fixture folder with `bad*` and `ok*`
/// fixtures; every fixture folder belongs to a rule.
fn catalog() -> Result<(), Failed> {
    let mut codes = BTreeSet::new();
    for &rule in RuleId::ALL {
        let name = rule.name();
        if !name.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            return Err(format!("rule name `{name}` is not kebab-case").into());
        }
        if !codes.insert(rule.code()) {
            return Err(format!("code {} used twice", rule.code()).into());
        }
        let stems: Vec<String> = fixtures(rule)
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if !stems.iter().any(|s| s.starts_with("bad")) || !stems.iter().any(|s| s.starts_with("ok"))
        {
            return Err(format!(
                "rule `{name}` needs bad* and ok* fixtures (.yaml, .tf or .sh) in {}",
                fixture_dir(rule).display()
            )
            .into());
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for entry in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if RuleId::parse(&name).is_none_or(|r| r.name() != name) {
            return Err(format!("fixture folder `{name}` names no rule").into());
        }
    }
    Ok(())
}

/// The docs have the fixed headings, and the first code block of `## Example` (YAML, HCL for
/// Terraform, bash for commands) triggers the rule when analyzed on its own.
fn docs(rule: RuleId) -> Result<(), Failed> {
    let docs = rule.meta().docs;
    for heading in [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ] {
        if !docs.contains(heading) {
            return Err(format!("docs lack `{heading}`").into());
        }
    }
    let section = docs.split("## Example").nth(1).unwrap_or("");
    let (language, example) = section
        .split_once("```")
        .and_then(|(_, block)| block.split_once('\n'))
        .and_then(|(language, rest)| Some((language, rest.split("```").next()?)))
        .ok_or("`## Example` has no code block")?;
    let name = match language {
        "yaml" => "example.yaml",
        "hcl" => "main.tf",
        "bash" => "deploy.sh",
        other => return Err(format!("`## Example` is in `{other}`, not yaml, hcl or bash").into()),
    };
    let report = analyze(&[SourceFile::new(name, example)]);
    if report.findings.iter().any(|d| d.rule == rule) {
        Ok(())
    } else {
        Err(format!(
            "the example does not trigger `{}`; it gives:\n{}",
            rule.name(),
            render(&report, example, None)
        )
        .into())
    }
}

/// The `bad`/`ok` contract of one fixture, then the snapshot of the rule's findings on it.
fn fixture(rule: RuleId, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = analyze(&[SourceFile::new(name.clone(), text.clone())]);
    let expected = markers(&text);
    if name.starts_with("bad") {
        if !expected.iter().any(|(_, r)| *r == rule) {
            return Err(format!("{name} has no `# expect: {}` marker", rule.name()).into());
        }
        let checked: BTreeSet<RuleId> = expected.iter().map(|&(_, r)| r).collect();
        for checked in checked {
            let want: Vec<u32> = expected
                .iter()
                .filter(|&&(_, r)| r == checked)
                .map(|&(line, _)| line)
                .collect();
            let got: Vec<u32> = report
                .findings
                .iter()
                .filter(|d| d.rule == checked)
                .map(|d| d.loc.line)
                .collect();
            if got != want {
                return Err(format!(
                    "`{}` findings on lines {got:?}, expected {want:?}:\n{}",
                    checked.name(),
                    render(&report, &text, None)
                )
                .into());
            }
        }
    } else if report.findings.iter().any(|d| d.rule == rule) {
        return Err(format!(
            "must not trigger it:\n{}",
            render(&report, &text, Some(rule))
        )
        .into());
    }
    let snapshot = render(&report, &text, Some(rule));
    let stem = name
        .trim_end_matches(".yaml")
        .trim_end_matches(".tf")
        .trim_end_matches(".sh");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_description(format!(
        "{} on fixtures/rules/{}/{name}",
        rule.name(),
        rule.name()
    ));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(format!("rules__{}__{stem}", rule.name()), snapshot));
    Ok(())
}

/// `(line, rule)` for every `# expect: rule-a, rule-b` marker.
fn markers(text: &str) -> Vec<(u32, RuleId)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, rest)) = line.split_once("# expect: ") {
            for name in rest.split(',') {
                let rule = RuleId::parse(name.trim())
                    .unwrap_or_else(|| panic!("line {}: no rule `{}`", i + 1, name.trim()));
                out.push((i as u32 + 1, rule));
            }
        }
    }
    out
}

/// The findings (of `only`, or all) as text: position, rule, severity, message, the source
/// line with a caret, what the finding is about and its related locations.
fn render(report: &Report, text: &str, only: Option<RuleId>) -> String {
    let mut out = String::new();
    for d in report
        .findings
        .iter()
        .filter(|d| only.is_none_or(|r| d.rule == r))
    {
        let _ = writeln!(
            out,
            "{}:{} {}[{}] {}: {}",
            d.loc.line,
            d.loc.column,
            d.rule.name(),
            d.rule.code(),
            d.severity.as_str(),
            d.message
        );
        let source = line_text(text, d.loc.line).unwrap_or("");
        let _ = writeln!(out, "  | {source}");
        let _ = writeln!(
            out,
            "  | {}^",
            " ".repeat(d.loc.column.saturating_sub(1) as usize)
        );
        if let Some(about) = about(report, d.subject) {
            let _ = writeln!(out, "  = about: {about}");
        }
        for related in &d.related {
            let _ = write!(
                out,
                "  = {}:{}: {}",
                related.loc.line, related.loc.column, related.message
            );
            match about(report, related.subject) {
                Some(about) => {
                    let _ = writeln!(out, " ({about})");
                }
                None => out.push('\n'),
            }
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// `step never_reached`, `node service:collage`, `edge job:a → service:b`...
fn about(report: &Report, subject: Subject) -> Option<String> {
    let graph = &report.graph;
    let kind = match subject {
        Subject::Position => return None,
        Subject::Resource(_) => "resource",
        Subject::Node(n) => return Some(format!("node {}", graph.node(n).id)),
        Subject::Edge(e) => {
            let (a, b) = graph.graph.edge_endpoints(e)?;
            let kind = graph.graph[e].kind.as_str();
            return Some(format!(
                "{kind} edge {} → {}",
                graph.node(a).id,
                graph.node(b).id
            ));
        }
        Subject::Subworkflow(_) => "subworkflow",
        Subject::Step(_) => "step",
    };
    Some(format!("{kind} {}", subject_name(report, subject)?))
}
