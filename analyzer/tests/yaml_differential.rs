//! Differential test of YAML reading: every YAML and JSON file of `../shared/corpus` and a few
//! thousand generated documents (flow collections and quoted scalars at every indentation,
//! comments, anchors, block scalars) are read by Baton (`tree::parse`) and by libyaml itself,
//! the C library Google's service and most YAML tools use (through PyYAML's `CSafeLoader`,
//! `yaml_differential/oracle.py`). Both must accept and reject the same documents, with the
//! same trees, the same scalar styles and the same positions, and reject at the same place.
//!
//! Where Baton is stricter on purpose (duplicate keys, nesting and alias limits), the
//! generated documents stay clear of it.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use baton_analyzer::tree::{self, Limits, Node, Value};
use serde_json::{json, Value as Json};

/// Baton's reading of `text`, in the oracle's terms (0-based positions, one style for quoted
/// and folded scalars since Baton does not tell them apart).
fn baton(text: &str) -> Json {
    let (docs, errors) = tree::parse(text, Limits::default());
    let mut out = json!({ "docs": docs.iter().map(node).collect::<Vec<_>>() });
    if let Some(error) = errors.first() {
        out["error"] = json!([error.pos.line - 1, error.pos.column - 1]);
    }
    out
}

fn node(n: &Node) -> Json {
    let at = json!([n.pos.line - 1, n.pos.column - 1]);
    match &n.value {
        Value::Scalar(s) => {
            let style = match (s.plain, s.literal_block) {
                (true, _) => "plain",
                (_, true) => "literal",
                _ => "other",
            };
            json!(["scalar", at, style, s.text])
        }
        Value::Seq(items) => json!(["seq", at, items.iter().map(node).collect::<Vec<_>>()]),
        Value::Map(entries) => json!([
            "map",
            at,
            entries
                .iter()
                .map(|(k, v)| json!([node(k), node(v)]))
                .collect::<Vec<_>>()
        ]),
    }
}

/// The oracle's style names mapped onto Baton's.
fn normalise(mut oracle: Json) -> Json {
    fn walk(j: &mut Json) {
        if let Some(items) = j.as_array_mut() {
            if items.first() == Some(&json!("scalar")) {
                if matches!(items[2].as_str(), Some("quoted" | "folded")) {
                    items[2] = json!("other");
                }
            } else {
                items.iter_mut().for_each(walk);
            }
        }
    }
    if let Some(docs) = oracle.get_mut("docs") {
        walk(docs);
    }
    oracle
}

fn libyaml(texts: &[String]) -> Vec<Json> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml_differential/oracle.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs the libyaml oracle (scripts/setup.sh --test installs it)");
    let input = serde_json::to_vec(texts).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "the libyaml oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Json> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results.len(), texts.len());
    results.into_iter().map(normalise).collect()
}

/// Compares every text; returns the disagreements, described.
fn disagreements(names: &[String], texts: &[String]) -> Vec<String> {
    let oracle = libyaml(texts);
    let mut out = Vec::new();
    for ((name, text), expected) in names.iter().zip(texts).zip(oracle) {
        let got = baton(text);
        if got != expected {
            out.push(format!(
                "{name}\n--- text\n{text}\n--- libyaml\n{expected}\n--- baton\n{got}\n"
            ));
        }
    }
    out
}

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            corpus_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

#[test]
fn corpus_reads_as_libyaml_reads_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut paths = Vec::new();
    corpus_files(&root, &mut paths);
    assert!(paths.len() >= 440, "the whole corpus: {}", paths.len());
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    // Positions compare only where both count lines alike (no lone `\r`, NEL, LS or PS).
    assert!(texts
        .iter()
        .all(|t| !t.contains(['\u{85}', '\u{2028}', '\u{2029}'])
            && t.match_indices('\r')
                .all(|(i, _)| t[i + 1..].starts_with('\n'))));
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let bad = disagreements(&names, &texts);
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        texts.len(),
        bad.join("\n")
    );
}

/// One value written in many ways, `{c}` standing for the indentation of its continuation
/// lines.
const SHAPES: &[&str] = &[
    "{\n{c}a: 1,\n{c}b: [x, y]\n{c}}",
    "{ a: 1,\n{c}b: 2 }",
    "[\n{c}1,\n{c}\"two\",\n{c}{ three: 3 }\n{c}]",
    "[1, 2,\n{c}3]",
    "\"first\n{c}second\n\n{c}third\"",
    "'it''s\n{c}continued'",
    "\"escaped \\\n{c}line\"",
    "first\n{c}second",
    "|\n{c}line one\n\n{c}  line two\n",
    "|-\n{c}kept\n{c}# not a comment\n",
    "|2\n{c}  two spaces kept\n",
    ">\n{c}folded\n{c}text\n\n{c}para\n",
    "# comment\n{c}value",
    "&anchor [1, 2] # comment",
    "\n{c}- 1\n{c}- [2, 3]\n{c}- k: v",
    "\n{c}k: v\n{c}j: |\n{c}  x\n",
    "!!str 123",
    "{\n{c}\"q\": [\n{c}]\n{c}}",
    "\t{a: 1}",
    "[a, b]]",
    "'unterminated\n{c}",
    "{ a: [ }",
];

/// The contexts a value is written in: `{v}` is the value, `{i}` the key's indentation.
const CONTEXTS: &[&str] = &[
    "{i}key: {v}\n",
    "{i}key: {v}\n{i}next: 1\n",
    "parent:\n{i}key: {v}\n{i}after: *anchor\n",
    "{i}- {v}\n{i}- last\n",
    "{i}- key: {v}\n{i}  other: 2\n",
    "---\n{i}key: {v}\n...\n---\nsecond: doc\n",
    "{i}\"quoted key\": {v} # trailing\n",
];

#[test]
fn generated_documents_read_as_libyaml_reads_them() {
    let mut names = Vec::new();
    let mut texts = Vec::new();
    for (s, shape) in SHAPES.iter().enumerate() {
        for (c, context) in CONTEXTS.iter().enumerate() {
            for key_indent in [0, 1, 2, 4] {
                for value_indent in 0..=7 {
                    let value = shape.replace("{c}", &" ".repeat(value_indent));
                    let text = context
                        .replace("{i}", &" ".repeat(key_indent))
                        .replace("{v}", &value);
                    names.push(format!(
                        "shape {s} in context {c}, key at {key_indent}, lines at {value_indent}"
                    ));
                    texts.push(text);
                }
            }
        }
    }
    // Pairs of shapes in one map, each under its own key (and with keys of their own: Baton
    // rejects duplicate keys, which libyaml lets through).
    for (a, first) in SHAPES.iter().enumerate() {
        for (b, second) in SHAPES.iter().enumerate() {
            let indent = " ".repeat((a + b) % 5);
            let text = format!(
                "one: {}\ntwo: {}\n",
                first.replace("{c}", &indent),
                second
                    .replace("{c}", &indent)
                    .replace("k: v", "k2: v")
                    .replace("j: |", "j2: |")
            );
            names.push(format!("shapes {a} and {b}, lines at {}", indent.len()));
            texts.push(text);
        }
    }
    let accepted = texts
        .iter()
        .filter(|t| baton(t).get("error").is_none())
        .count();
    // Both kinds are exercised in quantity.
    assert!(
        accepted > texts.len() / 4 && accepted < texts.len() * 9 / 10,
        "{accepted}"
    );
    let bad = disagreements(&names, &texts);
    assert!(
        bad.is_empty(),
        "{} of {} differ, first:\n{}",
        bad.len(),
        texts.len(),
        bad.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}
