//! Inputs the fuzzers in `fuzz/` found, minimised, fed through the same path as the target
//! that found them, with the same invariants (see `fuzz/src/lib.rs`): no panic, findings on
//! lines that exist, layout coordinates finite and inside the drawing. CI runs these; it never
//! runs the fuzzer (`scripts/fuzz.sh` does).
//!
//! Files in `tests/fixtures/fuzz/` go through the `pipeline` path: NUL bytes separate up to
//! three files.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton_analyzer::export::{dot, graph_json, mermaid, report_json, sarif};
use baton_analyzer::layout::{interaction_layout, Direction, Options};
use baton_analyzer::tree::{self, Limits};
use baton_analyzer::RuleId;
use baton_analyzer::{analyze, Loc, SourceFile};

/// Panics unless `loc` is in one of `files`, on line 1 to the line count + 1.
fn assert_loc_exists(files: &[SourceFile], loc: Loc, what: &str) {
    let file = &files[loc.file.0 as usize];
    let lines = file.text.lines().count();
    assert!(
        loc.line >= 1 && loc.line as usize <= lines + 1 && loc.column >= 1,
        "{what} at {}:{}:{}, but the file has {lines} lines",
        file.path,
        loc.line,
        loc.column
    );
}

/// The `pipeline` target: analyze, lay out, export, check.
fn pipeline(files: &[SourceFile]) {
    let report = analyze(files);
    for d in &report.findings {
        assert_loc_exists(files, d.loc, d.rule.name());
        for related in &d.related {
            assert_loc_exists(files, related.loc, d.rule.name());
        }
    }
    for direction in [Direction::TopDown, Direction::LeftRight] {
        let layout = interaction_layout(
            &report.graph,
            |n| (40.0 + (n.index() % 5) as f64 * 30.0, 24.0),
            &Options::with_direction(direction),
        );
        let points = layout
            .nodes
            .iter()
            .chain(layout.edges.iter().flat_map(|e| &e.points));
        for p in points {
            assert!(p.x.is_finite() && p.y.is_finite(), "({}, {})", p.x, p.y);
        }
    }
    for json in [report_json(files, &report), sarif(files, &report)] {
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
    let _ = (
        graph_json(&report.graph, files),
        dot(&report.graph),
        mermaid(&report.graph),
    );
}

fn one_file(text: &str) -> Vec<SourceFile> {
    vec![SourceFile::new("fuzz.yaml", text)]
}

/// `tree` found it: saphyr ends a line at a lone `\r` (as YAML says), but everything that
/// shows a position (CLI, app, SARIF, suppression comments) ends lines at `\n` only, so nodes
/// and errors after a lone `\r` were placed on lines past the end of the file.
#[test]
fn lone_carriage_returns_do_not_move_positions_past_the_end() {
    let (docs, _) = tree::parse("a: 1\rb: 2\r", Limits::default());
    let b = docs.first().and_then(|d| d.get("b")).map(|b| b.pos);
    // The value `2` is the 9th character of the one line.
    assert_eq!(b.map(|p| (p.line, p.column)), Some((1, 9)));
    let text = "a: 1\r\r\r\rb: [\n";
    let (_, errors) = tree::parse(text, Limits::default());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].pos.line <= 2,
        "error on line {}",
        errors[0].pos.line
    );
    pipeline(&one_file(text));
    // After a lone `\r` the column counts from the start of the line.
    let (docs, _) = tree::parse("a: 1\rb: [x]\n", Limits::default());
    let b = docs.first().and_then(|d| d.get("b")).map(|b| b.pos);
    assert_eq!(b.map(|p| (p.line, p.column)), Some((1, 9)));
    // CRLF still counts as one line break.
    let (docs, _) = tree::parse("a: 1\r\nb: 2\r\n", Limits::default());
    assert_eq!(docs[0].get("b").map(|b| b.pos.line), Some(2));
}

/// Every input kept in `tests/fixtures/fuzz/`, and the `pipeline` target's seeds, still go
/// through the whole pipeline.
#[test]
fn kept_fuzz_inputs_pass_the_pipeline() {
    let dirs = [
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/pipeline"),
    ];
    let mut entries: Vec<_> = dirs
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert!(entries.len() > 5, "too few inputs: {entries:?}");
    for path in entries {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let files: Vec<SourceFile> = bytes
            .splitn(3, |&b| b == 0)
            .enumerate()
            .map(|(i, part)| SourceFile::new(format!("f{i}.yaml"), String::from_utf8_lossy(part)))
            .collect();
        pipeline(&files);
    }
}

/// The `terraform` target's seeds, as that target builds its three files, go through the
/// whole pipeline.
#[test]
fn kept_terraform_fuzz_inputs_pass_the_pipeline() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/terraform");
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 3, "too few inputs: {entries:?}");
    for path in entries {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (selector, rest) = bytes.split_first().map_or((0, &[][..]), |(s, r)| (*s, r));
        let mut parts = rest
            .splitn(3, |&b| b == 0)
            .map(|p| String::from_utf8_lossy(p).into_owned());
        let (main, module, template) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        // As `baton_fuzz::terraform` wraps them (a resource block for most selectors; the
        // high bit writes the module in the JSON syntax).
        let main = match (selector & 0x7f) % 11 {
            10 => main,
            _ => format!("resource \"google_pubsub_subscription\" \"x\" {{\n{main}\n}}\n"),
        };
        let module_path = match selector & 0x80 {
            0 => "root/modules/m/main.tf",
            _ => "root/modules/m/main.tf.json",
        };
        let root = format!("{main}\nmodule \"m\" {{\n  source = \"./modules/m\"\n}}\n\nresource \"google_workflows_workflow\" \"t\" {{\n  name = \"t\"\n  source_contents = templatefile(\"${{path.module}}/t.tftpl\", {{ url = module.m.url }})\n}}\n");
        pipeline(&[
            SourceFile::new("root/main.tf", root),
            SourceFile::new(module_path, module),
            SourceFile::new("root/t.tftpl", template),
        ]);
    }
}

/// The `script` target's seeds, as that target names its three files (a script of the kind
/// the first byte picks, a workflow source, a sourced env file), go through the pipeline.
#[test]
fn kept_script_fuzz_inputs_pass_the_pipeline() {
    const NAMES: [&str; 5] = [
        "app/deploy.sh",
        "app/README.md",
        "app/Makefile",
        "app/cloudbuild.yaml",
        "app/.github/workflows/deploy.yml",
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/script");
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 5, "too few inputs: {entries:?}");
    for path in entries {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (selector, rest) = bytes.split_first().map_or((0, &[][..]), |(s, r)| (*s, r));
        let mut parts = rest
            .splitn(3, |&b| b == 0)
            .map(|p| String::from_utf8_lossy(p).into_owned());
        let files = [
            SourceFile::new(
                NAMES[usize::from(selector) % NAMES.len()],
                parts.next().unwrap_or_default(),
            ),
            SourceFile::new("app/workflow.yaml", parts.next().unwrap_or_default()),
            SourceFile::new("app/env.sh", parts.next().unwrap_or_default()),
        ];
        let report = analyze(&files);
        assert!(
            !report.workspace.resources.is_empty(),
            "{}: the seed defines nothing",
            path.display()
        );
        pipeline(&files);
    }
}

/// `workflow` and `pipeline` found it: a `sourceContents: |` block maps line for line onto
/// the host file, unless the file has a lone `\r`, which ends a line of the block but not of
/// the file. Findings in such a block pointed past the end of the file; now they point at the
/// block's `|`. (The file is also kept in `tests/fixtures/fuzz/`.)
#[test]
fn lone_carriage_return_in_embedded_source_keeps_findings_in_the_file() {
    let text = "name: projects/p/locations/l/workflows/w\nsourceContents: |\n  main:\r\r\r\r    steps:\r      - a:\r          next: nowhere\n";
    let files = one_file(text);
    let report = analyze(&files);
    let undefined = report
        .findings
        .iter()
        .find(|d| d.rule == RuleId::UndefinedStep);
    assert_eq!(undefined.map(|d| d.loc.line), Some(2));
    pipeline(&files);
}

/// `tree` found it: an alias copies its anchor's nesting, so aliasing deep structure inside
/// deep structure built trees deeper than `Limits::max_depth` (a stack risk for recursive
/// readers). Now the alias is a syntax error, as the same nesting written out would be.
#[test]
fn aliases_cannot_nest_deeper_than_the_limit() {
    let limits = Limits {
        max_depth: 4,
        max_alias_nodes: 100,
        ..Limits::default()
    };
    let (docs, errors) = tree::parse("a: &x [[[1]]]\nb: [[*x]]\n", limits);
    assert!(docs.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "nesting deeper than 4 levels");
    // Within the limit the alias is copied as before.
    let (docs, errors) = tree::parse("a: &x [[1]]\nb: [*x]\n", limits);
    assert_eq!((docs.len(), errors.len()), (1, 0));
}

/// `workflow` and `gcloud` found it: a `sourceContents: |` block that starts with blank lines
/// keeps them in its text, but its position is its first content line, so findings in it were
/// placed as many lines too low (past the end of the file for the last lines).
#[test]
fn embedded_source_starting_with_blank_lines_keeps_its_lines() {
    let text = "name: projects/p/locations/l/workflows/w\nsourceContents: |\n\n  \n  main:\n    steps:\n      - a:\n          next: nowhere\n";
    let files = one_file(text);
    let report = analyze(&files);
    let undefined = report
        .findings
        .iter()
        .find(|d| d.rule == RuleId::UndefinedStep);
    assert_eq!(undefined.map(|d| (d.loc.line, d.loc.column)), Some((8, 17)));
    pipeline(&files);
}

/// `workflow` found it, in the first fix of lone `\r`s (which took positions from saphyr's
/// character index): after a comment or an unknown directive with non-ASCII characters that
/// index counts bytes, so every later position moved right and, in embedded sources, down
/// past the end of the file.
#[test]
fn non_ascii_comments_and_directives_do_not_shift_positions() {
    let (docs, _) = tree::parse("# café é\nname: x\n", Limits::default());
    let name = docs.first().and_then(|d| d.get("name")).map(|n| n.pos);
    assert_eq!(name.map(|p| (p.line, p.column)), Some((2, 7)));
    // The minimised input (`workflow` target, as it is): libyaml knows no directive
    // `%\u{fffd}\u{fffd}p`, so the file is a syntax error, on its first line.
    let text =
        "%\u{fffd}\u{fffd}p\n---\nname: projects//workflows/c\nsourceContents: |\n  : |\n  a";
    let (docs, errors) = tree::parse(text, Limits::default());
    assert!(docs.is_empty());
    assert_eq!(errors.first().map(|e| e.pos.line), Some(1));
    pipeline(&one_file(text));
}

/// Every target found it in the second fix of lone `\r`s: saphyr places an error at the end of
/// the input one line past its last line, which the line map did not cover, so the error kept
/// saphyr's line number (counting lone `\r`s). Minimised input of the `tree` target.
#[test]
fn errors_at_the_end_after_lone_carriage_returns_stay_in_the_file() {
    let text = "[?\r\rg\r*";
    let (_, errors) = tree::parse(text, Limits::default());
    assert_eq!(errors.first().map(|e| e.pos.line), Some(2));
    pipeline(&one_file(text));
}
