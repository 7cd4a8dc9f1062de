//! `baton check --format sarif`: the output is valid against the official SARIF 2.1.0 schema
//! (vendored in `tests/data/`, see the README there) and says what the findings say.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

/// Runs `baton` in the repository root, so that relative paths are stable.
fn baton(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("baton runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (out.status.code().unwrap_or(-1), value)
}

fn sarif(paths: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend_from_slice(paths);
    baton(&args)
}

/// The schema compiled twice: as it declares itself (draft 4), and as draft 7, because draft 4
/// does not know the `uri-reference` format that `artifactLocation.uri` uses. The schema has no
/// keyword whose meaning differs between the two drafts (no `exclusiveMinimum`/`Maximum`, and
/// its `$ref`s are all local), so draft 7 only adds that format check.
fn validators() -> [jsonschema::Validator; 2] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let build = |options: jsonschema::ValidationOptions| {
        options
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    };
    [
        build(jsonschema::options()),
        build(jsonschema::options().with_draft(jsonschema::Draft::Draft7)),
    ]
}

/// Every schema violation, one per line (empty when the document is valid).
fn violations(document: &Value) -> String {
    validators()
        .iter()
        .flat_map(|validator| {
            validator
                .iter_errors(document)
                .map(|e| format!("{} at {}\n", e, e.instance_path()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn results(document: &Value) -> &Vec<Value> {
    document["runs"][0]["results"]
        .as_array()
        .expect("results array")
}

#[test]
fn every_rule_fixture_is_valid_sarif_with_every_level() {
    let (code, document) = sarif(&["analyzer/tests/fixtures/rules"]);
    assert_eq!(code, 1, "the bad fixtures have errors");
    assert_eq!(violations(&document), "");
    let levels: Vec<&str> = results(&document)
        .iter()
        .filter_map(|r| r["level"].as_str())
        .collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "no {level} in {levels:?}");
    }
    assert!(
        results(&document)
            .iter()
            .any(|r| r["relatedLocations"].is_array()),
        "some finding has related locations"
    );
}

#[test]
fn no_findings_is_valid_sarif_with_no_results() {
    let (code, document) = sarif(&["tests/data/clean.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(violations(&document), "");
    assert_eq!(results(&document), &Vec::<Value>::new());
    assert_eq!(
        document["runs"][0]["artifacts"],
        json!([{"location": {"uri": "tests/data/clean.yaml"}}])
    );
}

#[test]
fn exit_status_is_that_of_the_other_formats() {
    let warnings = "analyzer/tests/fixtures/rules/unreachable-step/bad.yaml";
    assert_eq!(sarif(&[warnings]).0, 0);
    assert_eq!(sarif(&["--deny", "warnings", warnings]).0, 1);
}

#[test]
fn results_point_at_rules_files_and_positions() {
    let (code, document) = sarif(&[
        "analyzer/tests/fixtures/rules/duplicate-step/bad.yaml",
        "analyzer/tests/fixtures/rules/unreachable-step/bad.yaml",
    ]);
    assert_eq!(code, 1);
    assert_eq!(violations(&document), "");
    assert_eq!(document["version"], "2.1.0");
    let driver = &document["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "baton");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let unreachable = rules
        .iter()
        .find(|r| r["id"] == "unreachable-step")
        .expect("catalog rule");
    assert_eq!(unreachable["name"], "UnreachableStep");
    assert_eq!(unreachable["defaultConfiguration"]["level"], "warning");
    assert_eq!(unreachable["properties"]["code"], "ORC001");
    assert!(unreachable["help"]["markdown"]
        .as_str()
        .is_some_and(|m| m.contains("## How to fix")));

    let results = results(&document);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let first = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-step")
        .expect("an error");
    assert_eq!(first["level"], "error");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "analyzer/tests/fixtures/rules/duplicate-step/bad.yaml"
    );
    assert_eq!(
        location["region"],
        json!({"startLine": 5, "startColumn": 7})
    );
    let related = &first["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first defined here");
    assert_eq!(
        related["physicalLocation"]["region"],
        json!({"startLine": 3, "startColumn": 7})
    );
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "unreachable-step")
        .expect("a warning");
    assert_eq!(warning["level"], "warning");
    assert_eq!(
        warning["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "analyzer/tests/fixtures/rules/unreachable-step/bad.yaml"
    );

    // Fingerprints are unique and the same on every run.
    let fingerprints: Vec<&Value> = results
        .iter()
        .map(|r| &r["partialFingerprints"]["baton/v1"])
        .collect();
    let mut unique = fingerprints.clone();
    unique.sort_by_key(|v| v.to_string());
    unique.dedup();
    assert_eq!(unique.len(), fingerprints.len());
    let (_, again) = sarif(&[
        "analyzer/tests/fixtures/rules/duplicate-step/bad.yaml",
        "analyzer/tests/fixtures/rules/unreachable-step/bad.yaml",
    ]);
    assert_eq!(again, document);
}

#[test]
fn paths_that_need_escaping_become_valid_uris() {
    let dir = std::env::temp_dir().join(format!("baton sarif #{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dúplicate step:1.yaml");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("analyzer/tests/fixtures/rules/duplicate-step/bad.yaml");
    std::fs::copy(fixture, &file).unwrap();
    let (code, document) = sarif(&[file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1);
    assert_eq!(violations(&document), "");
    let uri = results(&document)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(uri.starts_with("file:///"), "{uri}");
    let tail = format!(
        "/baton%20sarif%20%23{}/d%C3%BAplicate%20step%3A1.yaml",
        std::process::id()
    );
    assert!(uri.ends_with(&tail), "{uri}");
}

#[test]
fn the_validator_rejects_broken_documents() {
    let (_, document) = sarif(&["analyzer/tests/fixtures/rules/duplicate-step/bad.yaml"]);
    assert_eq!(violations(&document), "");

    let mut no_version = document.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(violations(&no_version).contains("version"));

    let mut line_zero = document.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert_ne!(violations(&line_zero), "");

    let mut bad_level = document.clone();
    bad_level["runs"][0]["results"][0]["level"] = json!("info");
    assert_ne!(violations(&bad_level), "");

    let mut unencoded_uri = document.clone();
    unencoded_uri["runs"][0]["artifacts"][0]["location"]["uri"] = json!("a b%zz.yaml");
    assert!(violations(&unencoded_uri).contains("uri-reference"));

    let mut unknown_property = document;
    unknown_property["runs"][0]["tool"]["driver"]["colour"] = json!("blue");
    assert_ne!(violations(&unknown_property), "");
}
