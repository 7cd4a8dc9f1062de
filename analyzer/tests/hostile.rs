//! Hostile inputs: each is generated here (nothing big is committed), analyzed next to a good
//! neighbouring workflow, and must give a located finding of the expected rule without a
//! panic, while the neighbour's resources and findings stay exactly what they are alone.
//! Big inputs are generated once per test and the whole file runs in a few seconds in debug.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use baton_analyzer::tree::{self, Limits, Node, Value};
use baton_analyzer::RuleId;
use baton_analyzer::{analyze, analyze_with, Config, Diagnostic, FileId, Report, SourceFile};

const NEIGHBOUR: &str = "\
main:
  steps:
    - init:
        assign:
          - x: 1
    - done:
        return: ${x}
    - lost:
        return: 2
";

fn neighbour() -> SourceFile {
    SourceFile::new("neighbour.workflows.yaml", NEIGHBOUR)
}

/// The neighbour's resources and findings, as `Debug` text (they hold `FileId(0)` either way).
fn neighbour_view(report: &Report) -> (String, Vec<String>) {
    let resources: Vec<_> = report
        .workspace
        .resources
        .iter()
        .filter(|r| r.loc.file == FileId(0))
        .collect();
    let findings = report
        .findings
        .iter()
        .filter(|d| d.loc.file == FileId(0))
        .map(|d| format!("{d:?}"))
        .collect();
    (format!("{resources:?}"), findings)
}

/// Analyzes `hostile` after the neighbour; checks the neighbour is unaffected and returns the
/// hostile file's findings.
fn check(hostile: SourceFile, config: &Config) -> Vec<Diagnostic> {
    let alone = analyze_with(&[neighbour()], config);
    assert!(
        alone
            .findings
            .iter()
            .any(|d| d.rule == RuleId::UnreachableStep),
        "the neighbour has a finding of its own"
    );
    let together = analyze_with(&[neighbour(), hostile], config);
    assert_eq!(
        neighbour_view(&together),
        neighbour_view(&alone),
        "the neighbour is unaffected"
    );
    together
        .findings
        .into_iter()
        .filter(|d| d.loc.file == FileId(1))
        .collect()
}

/// Asserts a finding of `rule` at `line` whose message contains `text`.
fn expect(findings: &[Diagnostic], rule: &str, line: u32, text: &str) {
    assert!(
        findings
            .iter()
            .any(|d| d.rule.name() == rule && d.loc.line == line && d.message.contains(text)),
        "expected `{rule}` at line {line} containing {text:?}, got:\n{}",
        show(findings)
    );
}

fn show(findings: &[Diagnostic]) -> String {
    findings
        .iter()
        .map(|d| format!("{}:{} {} {}", d.loc.line, d.loc.column, d.rule, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    eprintln!("{what}: {took:?}");
    // Generous (debug build, shared machine): quadratic behaviour would take minutes.
    assert!(took < Duration::from_secs(20), "{what} took {took:?}");
    out
}

#[test]
fn alias_bomb() {
    // Billion laughs: nine levels of ten aliases each.
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=9 {
        let prev = format!("*a{}", level - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let findings = timed("alias bomb", || {
        check(SourceFile::new("bomb.yaml", text), &Config::default())
    });
    expect(
        &findings,
        "parse-error",
        5,
        "alias expansion exceeds 100000 nodes",
    );
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn deep_nesting() {
    let depth = 100_000;
    for (name, text) in [
        ("flow.json", "[".repeat(depth) + &"]".repeat(depth)),
        (
            "maps.json",
            "{\"a\": ".repeat(depth) + "1" + &"}".repeat(depth),
        ),
        ("block.yaml", "- ".repeat(depth) + "x\n"),
        (
            "indented.yaml",
            (0..depth)
                .map(|i| format!("{}k:\n", " ".repeat(i % 1000)))
                .collect(),
        ),
    ] {
        let findings = timed(name, || {
            check(SourceFile::new(name, text), &Config::default())
        });
        assert!(
            findings
                .iter()
                .any(|d| d.rule == RuleId::ParseError && d.loc.line >= 1),
            "{name}: {}",
            show(&findings)
        );
        if name != "indented.yaml" {
            expect(
                &findings,
                "parse-error",
                1,
                "nested deeper than 200 levels, Baton's limit",
            );
        }
    }
}

#[test]
fn file_over_the_size_limit() {
    // 50 MB: a valid workflow followed by comments.
    let mut text = String::with_capacity(50 * 1024 * 1024 + 100);
    text.push_str(NEIGHBOUR);
    while text.len() <= 50 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let findings = timed("50 MB file", || {
        check(
            SourceFile::new("huge.yaml", text.clone()),
            &Config::default(),
        )
    });
    expect(&findings, "parse-error", 1, "over Baton's limit of 20 MB");
    assert_eq!(findings.len(), 1, "not parsed: {}", show(&findings));

    // The limit is configurable: 64 KB rejects a file of 100 KB.
    let config = Config {
        limits: Limits {
            max_file_size: 64 * 1024,
            ..Limits::default()
        },
        ..Config::default()
    };
    let findings = check(
        SourceFile::new("big.yaml", text[..100 * 1024].to_string()),
        &config,
    );
    expect(
        &findings,
        "parse-error",
        1,
        "file too large: 100 KB (102400 bytes), over Baton's limit of 64 KB",
    );
}

#[test]
fn single_line_of_5_mb() {
    // One step returning a 5 MB string: it loads, and is over the service's 128 KB.
    let text = format!(
        "{{\"main\": {{\"steps\": [{{\"big\": {{\"return\": \"{}\"}}}}]}}}}",
        "x".repeat(5 * 1024 * 1024)
    );
    let findings = timed("5 MB line", || {
        check(SourceFile::new("long.json", text), &Config::default())
    });
    expect(
        &findings,
        "workflow-limit",
        1,
        "workflow source is 5.0 MB (5242926 bytes); Workflows allows at most 128 KB",
    );
}

#[test]
fn too_many_steps() {
    // One step over the limit, on one line of JSON: the workflow is not analyzed (a finding
    // at the first step past the limit). The default limit is 100,000; a smaller one keeps
    // the debug test fast, through the same code.
    assert_eq!(Limits::default().max_steps, 100_000);
    let config = Config {
        limits: Limits {
            max_steps: 20_000,
            ..Limits::default()
        },
        ..Config::default()
    };
    let mut text = String::from("[");
    for i in 0..20_001 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("{{\"s{i}\":{{\"next\":\"end\"}}}}"));
    }
    text.push(']');
    let column = text.find("{\"s20000\"").unwrap() + 1;
    let findings = timed("20,001 steps", || {
        check(SourceFile::new("steps.json", text), &config)
    });
    expect(
        &findings,
        "parse-error",
        1,
        "more than 20000 steps, Baton's limit",
    );
    assert_eq!(findings[0].loc.column as usize, column);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn invalid_utf8() {
    let bytes = b"main:\n  steps:\n    - greet:\n        return: \"caf\xe9 \xff\"\n".to_vec();
    let file = SourceFile::from_bytes("latin1.yaml", bytes);
    let findings = check(file.clone(), &Config::default());
    expect(
        &findings,
        "parse-error",
        4,
        "invalid UTF-8 at line 4, column 21",
    );
    assert!(findings.iter().any(|d| d.loc
        == baton_analyzer::Loc {
            file: FileId(1),
            line: 4,
            column: 21
        }));
    // The rest of the file still loads.
    let report = analyze(&[file]);
    assert_eq!(report.workspace.resources.len(), 1);
}

#[test]
fn binary_file() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..20_000u32).map(|i| (i * 7919 % 251) as u8));
    let findings = check(
        SourceFile::from_bytes("logo.png.yaml", png),
        &Config::default(),
    );
    expect(
        &findings,
        "parse-error",
        1,
        "binary file (a NUL byte at line 3, column 1)",
    );
    assert_eq!(findings.len(), 1, "one finding: {}", show(&findings));
}

#[test]
fn empty_files() {
    for text in [
        "",
        "\n\n",
        "   \n",
        "\u{feff}",
        "---\n",
        "# only a comment\n",
    ] {
        let findings = check(SourceFile::new("empty.yaml", text), &Config::default());
        match text {
            "---\n" | "# only a comment\n" => {
                assert!(findings.is_empty(), "{text:?}: {}", show(&findings))
            }
            _ => expect(&findings, "unrecognized-document", 1, "the file is empty"),
        }
    }
}

#[test]
fn bom_and_crlf() {
    let text = format!("\u{feff}{}", NEIGHBOUR.replace('\n', "\r\n"));
    let report = analyze(&[SourceFile::new("crlf.yaml", text)]);
    let alone = analyze(&[neighbour()]);
    let lines = |r: &Report| -> Vec<(u32, u32, RuleId)> {
        r.findings
            .iter()
            .map(|d| (d.loc.line, d.loc.column, d.rule))
            .collect()
    };
    assert_eq!(lines(&report), lines(&alone), "same lines and columns");
    expect(&report.findings, "unreachable-step", 8, "lost");
    let findings = check(
        SourceFile::new(
            "crlf.yaml",
            format!("\u{feff}{}", NEIGHBOUR.replace('\n', "\r\n")),
        ),
        &Config::default(),
    );
    expect(&findings, "unreachable-step", 8, "lost");
}

#[test]
fn tabs_as_indentation() {
    let text = "main:\n  steps:\n\t- a:\n\t    return: 1\n";
    let findings = check(SourceFile::new("tabs.yaml", text), &Config::default());
    expect(&findings, "parse-error", 3, "syntax error");
}

#[test]
fn duplicate_keys() {
    let text =
        "main:\n  steps:\n    - a:\n        return: 1\n  steps:\n    - b:\n        return: 2\n";
    let findings = check(SourceFile::new("dup.yaml", text), &Config::default());
    expect(
        &findings,
        "parse-error",
        5,
        "duplicate key `steps` (first defined at line 2)",
    );
    // A map with many keys is checked in linear time; the duplicate is the last one.
    let mut text: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k7: again\n");
    let findings = timed("50,000 keys", || {
        check(SourceFile::new("keys.yaml", text), &Config::default())
    });
    expect(
        &findings,
        "parse-error",
        50_001,
        "duplicate key `k7` (first defined at line 8)",
    );
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    let text = "\
main:
  steps:
    - yes:
        next: on
    - no:
        return: off
    - on:
        assign:
          - y: yes
        next: no
";
    let report = analyze(&[SourceFile::new("bools.yaml", text)]);
    let workflow = report
        .workspace
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            baton_analyzer::ResourceKind::Workflow(w) => Some(w),
            _ => None,
        })
        .unwrap();
    let names: Vec<&str> = workflow.subworkflows[0]
        .steps
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["yes", "no", "on"]);
    assert!(
        report
            .findings
            .iter()
            .all(|d| d.rule != RuleId::UndefinedStep && d.rule != RuleId::InvalidDefinition),
        "{}",
        show(&report.findings)
    );
    // An Eventarc-style `on:` key is a key like any other.
    let doc = &tree::parse("on: push\nyes: no\n", Limits::default()).0[0];
    assert_eq!(doc.get("on").and_then(Node::as_str), Some("push"));
    assert_eq!(doc.get("yes").and_then(Node::as_str), Some("no"));
    let findings = check(SourceFile::new("bools.yaml", text), &Config::default());
    assert!(
        findings.iter().all(|d| d.rule != RuleId::ParseError),
        "{}",
        show(&findings)
    );
}

#[test]
fn wrong_types_in_a_workflow() {
    // Every field the workflow loader reads, with a wrong type, one per line.
    let text = "\
main:
  params: {a: 1}
  steps:
    - a_call:
        call: {not: a-name}
        args: [1]
    - a_call_2:
        call: http.get
        result: [r]
        next: [s]
    - an_assign:
        assign: {x: 1}
    - a_switch:
        switch: {condition: true}
    - a_for:
        for: [value, in]
    - a_for_2:
        for:
          value: {v: 1}
          index: [i]
          in: [1]
          steps: just-text
    - a_parallel:
        parallel: [branches]
    - a_parallel_2:
        parallel:
          shared: text
          exception_policy: {p: 1}
          branches: text
    - a_try:
        try:
          call: http.get
          args: {url: https://example.com}
        retry: [1]
        except: text
    - a_try_2:
        try:
          steps: {s: 1}
        retry:
          predicate: {p: 1}
        except:
          as: [e]
          steps: {s: 1}
    - nested:
        steps: 12
sub:
  params: text
  steps: {a: 1}
other: [1, 2]
";
    let expected_lines = [
        2, 5, 9, 10, 12, 14, 16, 19, 20, 22, 24, 27, 28, 29, 34, 35, 38, 40, 42, 43, 45, 47, 48, 49,
    ];
    let findings = check(SourceFile::new("wrong.yaml", text), &Config::default());
    let got: Vec<u32> = findings
        .iter()
        .filter(|d| d.rule == RuleId::InvalidDefinition)
        .map(|d| d.loc.line)
        .collect();
    for line in expected_lines {
        assert!(
            got.contains(&line),
            "no invalid-definition at line {line}:\n{}",
            show(&findings)
        );
    }
}

/// Writes `node` as JSON with every map value and list item on its own line; the value
/// numbered `target` (preorder) is written as `replacement`, or compactly on one line when
/// `replacement` is `None`. Returns the text and the line of the target.
fn emit(node: &Node, target: usize, replacement: Option<&str>) -> (String, u32) {
    struct Out<'a> {
        lines: Vec<String>,
        counter: usize,
        target: usize,
        replacement: Option<&'a str>,
        target_line: u32,
    }
    fn scalar(node: &Node) -> String {
        let Some(s) = node.scalar() else {
            return String::new();
        };
        let json_like = s.plain
            && (node.is_null()
                || node.as_bool().is_some()
                || serde_json::from_str::<serde_json::Value>(&s.text).is_ok_and(|v| v.is_number()));
        match (json_like, node.is_null(), node.as_bool()) {
            (true, true, _) => "null".into(),
            (true, _, Some(b)) => b.to_string(),
            (true, ..) => s.text.clone(),
            _ => serde_json::to_string(&s.text).unwrap(),
        }
    }
    fn compact(node: &Node) -> String {
        match &node.value {
            Value::Scalar(_) => scalar(node),
            Value::Seq(items) => format!(
                "[{}]",
                items.iter().map(compact).collect::<Vec<_>>().join(", ")
            ),
            Value::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", scalar(k), compact(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    fn value(out: &mut Out<'_>, prefix: String, node: &Node, suffix: &str) {
        let id = out.counter;
        out.counter += 1;
        if id == out.target {
            out.target_line = out.lines.len() as u32 + 1;
            let text = out
                .replacement
                .map_or_else(|| compact(node), str::to_string);
            out.lines.push(format!("{prefix}{text}{suffix}"));
            return;
        }
        match &node.value {
            Value::Scalar(_) => out.lines.push(format!("{prefix}{}{suffix}", scalar(node))),
            Value::Seq(items) => {
                out.lines.push(format!("{prefix}["));
                for (i, item) in items.iter().enumerate() {
                    value(
                        out,
                        "  ".into(),
                        item,
                        if i + 1 < items.len() { "," } else { "" },
                    );
                }
                out.lines.push(format!("]{suffix}"));
            }
            Value::Map(entries) => {
                out.lines.push(format!("{prefix}{{"));
                for (i, (k, v)) in entries.iter().enumerate() {
                    let comma = if i + 1 < entries.len() { "," } else { "" };
                    value(out, format!("  {}: ", scalar(k)), v, comma);
                }
                out.lines.push(format!("}}{suffix}"));
            }
        }
    }
    let mut out = Out {
        lines: Vec::new(),
        counter: 0,
        target,
        replacement,
        target_line: 0,
    };
    value(&mut out, String::new(), node, "");
    (out.lines.join("\n") + "\n", out.target_line)
}

fn count_values(node: &Node) -> usize {
    let mut n = 0;
    node.walk(|_| n += 1);
    // Keys are walked too but are not values.
    n - node_keys(node)
}

fn node_keys(node: &Node) -> usize {
    let mut n = 0;
    node.walk(|x| n += x.as_map().map_or(0, <[_]>::len));
    n
}

/// The model of one file with positions erased, to tell whether a field is read at all.
fn model(text: &str) -> String {
    let ws = baton_analyzer::load(
        &[SourceFile::new("x.yaml", text)],
        &baton_analyzer::Limits::default(),
    );
    let mut out = String::new();
    let debug = format!("{:?}", ws.resources);
    let mut rest = debug.as_str();
    // Drop the digits after `line: ` and `column: `.
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let before = &rest[..i];
        out.push_str(before);
        let digits = rest[i..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - i);
        if !(before.ends_with("line: ") || before.ends_with("column: ")) {
            out.push_str(&rest[i..i + digits]);
        }
        rest = &rest[i + digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn wrong_types_in_every_field_of_every_resource_kind() {
    // For every value of every resource in these fixtures: if the loader reads it (writing
    // `null` there changes the model), a value of the wrong type there must give an
    // `invalid-definition` at its line; and no wrong type anywhere may panic.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load");
    let mut checked = 0;
    let mut silent = Vec::new();
    for name in [
        "describe-queue-and-job.yaml",
        "describe-workflow.yaml",
        "list-triggers.yaml",
        "list-pubsub.json",
        "config-connector.yaml",
        "queue.yaml",
        "cron.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let (docs, errors) = tree::parse(&text, Limits::default());
        assert!(errors.is_empty(), "{name}");
        let docs: Vec<Node> = docs
            .into_iter()
            .flat_map(|d| match d.value {
                // `gcloud ... list --format=json`: one resource per item.
                Value::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => items,
                _ => vec![d],
            })
            .collect();
        for doc in &docs {
            for target in 1..count_values(doc) {
                let (original, line) = emit(doc, target, None);
                let (nulled, _) = emit(doc, target, Some("null"));
                let replacement = {
                    let (compact, _) = emit(doc, target, None);
                    let line_text = compact.lines().nth(line as usize - 1).unwrap_or("");
                    let value = line_text
                        .split_once(": ")
                        .map_or(line_text.trim(), |(_, v)| v);
                    if value.starts_with('{') || value.starts_with('[') {
                        "\"wrong\""
                    } else {
                        "{\"wrong\": [1]}"
                    }
                };
                let (wrong, _) = emit(doc, target, Some(replacement));
                let report = analyze(&[SourceFile::new("wrong.yaml", wrong.clone())]);
                if model(&original) == model(&nulled) {
                    continue;
                }
                checked += 1;
                // A wrong type in a field that tells what the document is (`apiVersion`,
                // `kind`, `name`, `queue:`) makes it unrecognised instead.
                let located = report.findings.iter().any(|d| {
                    (d.loc.line == line
                        && matches!(d.rule, RuleId::InvalidDefinition | RuleId::ParseError))
                        || (d.loc.line == 1 && d.rule == RuleId::UnrecognizedDocument)
                });
                if !located {
                    eprintln!("{wrong}\n{}", show(&report.findings));
                }
                if !located {
                    let field = wrong
                        .lines()
                        .nth(line as usize - 1)
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    silent.push(format!("{name}: {field}"));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} fields checked");
    assert!(
        silent.is_empty(),
        "wrong types read silently:\n{}",
        silent.join("\n")
    );
}
