//! The `baton` binary: output formats and exit codes.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn baton(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("baton runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(path: &str) -> String {
    format!(
        "{}/analyzer/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn human_output_shows_source_line_caret_and_summary() {
    let file = fixture("rules/duplicate-step/bad.yaml");
    let (code, stdout, _) = baton(&["check", &file]);
    assert_eq!(code, 1, "duplicate-step is an error");
    let expected_head = format!(
        "error[duplicate-step]: step name `init` is used twice in subworkflow `main` (first at line 3)\n  ┌─ {file}:5:7\n  │\n3 │     - init:\n  │       ---- first defined here\n4 │         assign: [{{a: 1}}]\n5 │     - init:  # expect: duplicate-step\n  │       ^^^^\n"
    );
    assert!(stdout.contains(&expected_head), "{stdout}");
    assert!(
        stdout.ends_with("2 errors, 0 warnings, 1 info in 1 file\n"),
        "{stdout}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let file = fixture("rules/unreachable-step/bad.yaml");
    let (code, stdout, _) = baton(&["check", "--format", "json", &file]);
    assert_eq!(code, 0, "warnings only");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(report["version"], 1);
    let first = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unreachable-step")
        .unwrap();
    assert_eq!(first["code"], "ORC001");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["subject"], "notify");
    assert_eq!(first["file"], file.as_str());
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(7), Some(7))
    );
    assert!(first["related"].is_array());
    assert_eq!(
        report["summary"],
        serde_json::json!({"errors": 0, "warnings": 7, "infos": 1, "files": 1})
    );
}

#[test]
fn exit_codes() {
    let clean = fixture("rules/unreachable-step/ok.yaml");
    let warnings = fixture("rules/unreachable-step/bad.yaml");
    assert_eq!(baton(&["check", &clean]).0, 0);
    assert_eq!(baton(&["check", &warnings]).0, 0);
    assert_eq!(baton(&["check", "--deny", "warnings", &warnings]).0, 1);
    assert_eq!(
        baton(&["check", &fixture("rules/parse-error/bad.yaml")]).0,
        1
    );
    let (code, _, stderr) = baton(&["check", "/no/such/path"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read `/no/such/path`"), "{stderr}");
    assert_eq!(baton(&["check", "--format", "xml", &clean]).0, 2);
    assert_eq!(baton(&["explain", "no-such-rule"]).0, 2);
}

#[test]
fn folders_are_walked_recursively_and_in_order() {
    /// The files Baton reads under `dir`, as the walk must find them.
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if baton_analyzer::reads(&path.to_string_lossy(), "") {
                out.push(path.to_string_lossy().into_owned());
            }
        }
    }
    let mut expected = Vec::new();
    walk(std::path::Path::new(&fixture("load")), &mut expected);
    assert!(expected.len() >= 20, "{expected:?}");
    let (_, stdout, _) = baton(&["check", "--format", "json", &fixture("load")]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["files"], expected.len());
}

#[test]
fn rules_and_explain() {
    let (code, stdout, _) = baton(&["rules"]);
    assert_eq!(code, 0);
    assert!(stdout.lines().any(|l| l.starts_with("unreachable-step")
        && l.contains("ORC001")
        && l.contains("warning")));
    let (code, stdout, _) = baton(&["explain", "unreachable-step"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# unreachable-step (ORC001, warning by default)"));
    assert!(stdout.contains("## How to fix"));
}

#[test]
fn baton_toml_sets_severity_or_switches_rules_off() {
    let dir = std::env::temp_dir().join(format!("baton-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("baton.toml");
    let bad = fixture("rules/unreachable-step/bad.yaml");
    // Writes `settings` as baton.toml and checks the fixture with it as JSON.
    let check_with = |settings: &str| {
        std::fs::write(&config, settings).unwrap();
        baton(&[
            "check",
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
            &bad,
        ])
    };

    let (code, stdout, _) = check_with("[rules]\nunreachable-step = \"error\"\n");
    assert_eq!(code, 1, "now an error");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 7);

    let (_, stdout, _) = check_with("[rules]\nunreachable-step = \"off\"\n");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["untriggered-workflow"]);

    let (code, _, stderr) = check_with("[rules]\nno-such-rule = \"off\"\n");
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown rule `no-such-rule`"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_metrics_of_the_image_pipeline() {
    let dir = format!(
        "{}/../shared/examples/image-pipeline",
        env!("CARGO_MANIFEST_DIR")
    );
    let (_, stdout, _) = baton(&["check", "--format", "json", &dir]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let metrics = &report["metrics"];
    // The YAML and JSON exports, and `pipeline.tf` beside them, describe the same resources
    // (and one more workflow): 21 definitions (the workflow YAML is read by `file()`), one
    // graph.
    assert_eq!(metrics["resources"], 21);
    let node = |id: &str| {
        metrics["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    // Fired by the scheduler job, pushed to by the subscription and called by `ping-collage`
    // (a workflow only `pipeline.tf` defines); calls nothing it knows of.
    // Services are named by project number and region, as their `gcloud` export gives them.
    assert_eq!(
        node("service:collage@123456789012/europe-west1"),
        serde_json::json!({"id": "service:collage@123456789012/europe-west1", "kind": "service",
            "name": "collage", "project": "123456789012", "location": "europe-west1",
            "ca": 3, "ce": 0, "instability": 0.0,
            "sync_in": 1, "sync_out": 0, "async_in": 2, "async_out": 0})
    );
    // Started by one trigger; calls Vision and Firestore, enqueues thumbnail tasks. Only
    // `pipeline.tf` defines it (its YAML is what `file()` reads), with its region.
    let workflow = node("workflow:image-pipeline@-/europe-west1");
    assert_eq!((&workflow["ca"], &workflow["ce"]), (&1.into(), &3.into()));
    assert_eq!(workflow["instability"], 0.75);
    assert_eq!(
        (&workflow["sync_out"], &workflow["async_out"]),
        (&2.into(), &1.into())
    );
    let bucket = node("event-source:uploaded-pictures-pic-demo");
    assert_eq!(
        (&bucket["ca"], &bucket["ce"], &bucket["async_out"]),
        (&0.into(), &2.into(), &2.into())
    );
    assert_eq!(
        node("workflow:delete-cleanup")["instability"],
        serde_json::Value::Null
    );
    let system = &metrics["system"];
    assert_eq!(
        (&system["sync_edges"], &system["async_edges"]),
        (&3.into(), &11.into())
    );
    assert_eq!(system["longest_sync_chain"]["hops"], 1);
    assert_eq!(system["cycles"], serde_json::json!([]));
}

#[test]
fn invalid_utf8_is_a_located_finding_and_the_other_files_are_still_checked() {
    let dir = std::env::temp_dir().join(format!("baton-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Latin-1 `é` (0xE9) on line 4, column 21.
    std::fs::write(
        dir.join("a-latin1.yaml"),
        b"main:\n  steps:\n    - greet:\n        return: \"caf\xe9\"\n",
    )
    .unwrap();
    std::fs::copy(
        fixture("rules/unreachable-step/bad.yaml"),
        dir.join("b-good.yaml"),
    )
    .unwrap();
    let (code, stdout, stderr) = baton(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "an error finding, not an I/O error: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let utf8 = findings
        .iter()
        .find(|f| f["rule"] == "parse-error")
        .expect("a parse-error");
    assert!(utf8["file"].as_str().unwrap().ends_with("a-latin1.yaml"));
    assert_eq!(
        (utf8["line"].as_u64(), utf8["column"].as_u64()),
        (Some(4), Some(21))
    );
    assert!(
        utf8["message"]
            .as_str()
            .unwrap()
            .contains("invalid UTF-8 at line 4, column 21"),
        "{utf8}"
    );
    let good = findings
        .iter()
        .filter(|f| f["file"].as_str().unwrap().ends_with("b-good.yaml"))
        .filter(|f| f["rule"] == "unreachable-step")
        .count();
    assert!(good > 0, "the good file is still checked: {stdout}");

    // Human output too, with the line.
    let (code, stdout, _) = baton(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.contains("a-latin1.yaml:4:21"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn baton_toml_sets_the_file_size_limit() {
    let dir = std::env::temp_dir().join(format!("baton-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("baton.toml");
    std::fs::write(&config, "[limits]\nmax-file-size = \"1KB\"\n").unwrap();
    let big = dir.join("big.yaml");
    std::fs::write(&big, "# padding\n".repeat(200)).unwrap();
    let (code, stdout, _) = baton(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        big.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("file too large: 1.9 KB (2000 bytes), over Baton's limit of 1 KB"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `baton graph --format svg` writes the drawing the app exports: the same scene, finding
/// marks and legend, as one well-formed standalone SVG.
#[test]
fn graph_as_svg_is_the_apps_drawing() {
    use baton_analyzer::view::{place::Place, scene, svg};
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/examples/image-pipeline"
    );
    let (code, stdout, stderr) = baton(&["graph", "--format", "svg", example]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("<?xml") && stdout.trim_end().ends_with("</svg>"));
    // The app's export of the same files.
    let mut paths: Vec<_> = std::fs::read_dir(example)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    paths.sort();
    let files: Vec<baton_analyzer::SourceFile> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            baton_analyzer::SourceFile::new(p.to_string_lossy(), text)
        })
        .collect();
    let report = baton_analyzer::analyze(&files);
    let drawn = scene::build(&report, &scene::ViewOptions::default());
    let places: Vec<Place> = report
        .findings
        .iter()
        .map(|d| Place::of(&report, d))
        .collect();
    let expected = svg::standalone(&drawn, &svg::Marks::of_findings(&report, &places));
    assert_eq!(stdout.trim_end(), expected.trim_end());
    assert_eq!(stdout.matches("data-node-id=").count(), 15);
    assert_eq!(stdout.matches("data-edge-kind=").count(), 13);
    assert!(stdout.contains(r#"<g class="legend""#));
    // `collage` is the single point of failure: outlined, with its finding counted.
    assert_eq!(stdout.matches(" spof").count(), 1, "one outlined node");
}

#[test]
fn graph_reads_baton_toml_too() {
    let dir = std::env::temp_dir().join(format!("baton-graph-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("baton.toml");
    std::fs::write(&config, "[limits]\nmax-file-size = \"1KB\"\n").unwrap();
    // A topic, then enough padding that the file is over the limit.
    let topic = dir.join("topic.yaml");
    let text = format!("name: projects/p/topics/t\n{}", "# padding\n".repeat(200));
    std::fs::write(&topic, text).unwrap();
    let graph = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["graph"];
        args.extend_from_slice(extra);
        args.push(topic.to_str().unwrap());
        let (code, stdout, stderr) = baton(&args);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).unwrap()
    };
    assert_eq!(graph(&[])["nodes"].as_array().unwrap().len(), 1);
    let limited = graph(&["--config", config.to_str().unwrap()]);
    assert_eq!(
        limited["nodes"],
        serde_json::json!([]),
        "the file is not read"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rules_are_configured_and_suppressed_by_name_or_code() {
    let dir = std::env::temp_dir().join(format!("baton-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("baton.toml");
    std::fs::write(&config, "[rules]\nEVT004 = \"off\"\n").unwrap();
    let workflow = dir.join("w.yaml");
    let text = "main:\n  steps:\n    - done:\n        return: 1\n    - dead:  # baton: ignore[ORC001]\n        return: 2\n";
    std::fs::write(&workflow, text).unwrap();
    let (code, stdout, _) = baton(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        workflow.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("0 errors, 0 warnings, 0 infos in 1 file\n"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reader that goes away (`baton rules | head`) ends the output quietly: no panic, no
/// message, the exit status the command would have had.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let example = format!(
        "{}/public/examples/choreography",
        env!("CARGO_MANIFEST_DIR")
    );
    let commands: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["explain", "unreachable-step"], 0),
        (&["check", &example], 1),
        (&["check", "--format", "json", &example], 1),
        (&["check", "--format", "sarif", &example], 1),
        (&["graph", &example], 0),
        (&["graph", "--format", "dot", &example], 0),
        (&["graph", "--format", "svg", &example], 0),
        (&["graph", "--format", "mermaid", &example], 0),
        (&["--help"], 0),
    ];
    for &(args, code) in commands {
        // The read end is closed before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(writer)
            .output()
            .expect("baton runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "baton {args:?} said: {stderr}");
        assert_eq!(out.status.code(), Some(code), "baton {args:?}");
    }
}

/// `baton graph --format json` on a folder with Terraform: nodes carry Terraform's address
/// and root (named by the folder given), storage edges the object event they are about.
#[test]
fn graph_json_has_terraform_addresses_roots_and_fired_events() {
    let dir = format!(
        "{}/../shared/examples/image-pipeline",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, stdout, _) = baton(&["graph", "--format", "json", &dir]);
    assert_eq!(code, 0);
    let graph: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let node = |id: &str| {
        graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"))
            .clone()
    };
    let queue = node("queue:thumbnail-queue@pic-demo/europe-west1");
    assert_eq!(queue["address"], "google_cloud_tasks_queue.thumbnails");
    assert_eq!(queue["root"], "image-pipeline");
    let fired: Vec<&str> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "event-source:uploaded-pictures-pic-demo")
        .filter_map(|e| e["fires"].as_str())
        .collect();
    assert_eq!(fired, ["finalized", "deleted"]);
}
