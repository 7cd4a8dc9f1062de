//! The real corpus (`../shared/corpus`, 441 public definitions): everything loads without a
//! panic, every workflow yields its steps, and a hand-checked sample has the right counts
//! and positions.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use baton_analyzer::model::{visit_steps, ResourceKind, Workflow};
use baton_analyzer::RuleId;
use baton_analyzer::{load, SourceFile, Workspace};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// `(path in corpus, kind)` rows of MANIFEST.tsv.
fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv"))
        .expect("the corpus sits beside the repository");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(5)?.to_string()))
        })
        .collect()
}

fn load_one(path: &str) -> Workspace {
    let text =
        std::fs::read_to_string(corpus_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    load(
        &[SourceFile::new(path, text)],
        &baton_analyzer::Limits::default(),
    )
}

fn workflows(ws: &Workspace) -> Vec<(&str, &Workflow)> {
    ws.resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::Workflow(w) => Some((r.name.as_str(), w)),
            _ => None,
        })
        .collect()
}

#[test]
fn whole_corpus_loads_without_panic_and_nothing_is_silently_dropped() {
    let rows = manifest();
    assert!(
        rows.len() >= 440,
        "expected the full corpus, found {} rows",
        rows.len()
    );
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (path, kind) in &rows {
        let result = catch_unwind(AssertUnwindSafe(|| load_one(path)));
        let Ok(ws) = result else {
            failures.push(format!("{path}: panicked"));
            continue;
        };
        if ws.resources.is_empty() && ws.diagnostics.is_empty() {
            failures.push(format!("{path}: no resource and no finding"));
        }
        *by_kind.entry(kind.clone()).or_default() += ws.resources.len();
        // Every file of the corpus is deployed or published as working, so libyaml (as
        // Google's service does) accepts it.
        if let Some(error) = ws.diagnostics.iter().find(|d| d.rule == RuleId::ParseError) {
            failures.push(format!("{path}:{}: {}", error.loc.line, error.message));
        }
        if kind == "workflow" {
            let wfs = workflows(&ws);
            if wfs.is_empty() || wfs.iter().any(|(_, w)| w.step_count() == 0) {
                failures.push(format!("{path}: no steps ({:?})", ws.diagnostics));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every modelled kind is found in quantity.
    assert!(by_kind["workflow"] >= 326, "{by_kind:?}");
    assert!(by_kind["pubsub"] >= 30, "{by_kind:?}");
    assert!(by_kind["run"] >= 15, "{by_kind:?}");
    assert!(by_kind["scheduler"] >= 10, "{by_kind:?}");
    assert!(by_kind["tasks"] >= 4, "{by_kind:?}");
    assert!(by_kind["eventarc"] >= 5, "{by_kind:?}");
}

/// `workflows-samples` ships every sample as YAML and as JSON: both must give the same steps.
#[test]
fn yaml_and_json_twins_give_the_same_steps() {
    let mut compared = 0;
    for (path, _) in manifest() {
        let Some(stem) = path.strip_suffix(".workflows.yaml") else {
            continue;
        };
        let twin = format!("{stem}.workflows.json");
        if !corpus_dir().join(&twin).exists() {
            continue;
        }
        let names = |ws: &Workspace| -> Vec<String> {
            let mut out = Vec::new();
            for (_, w) in workflows(ws) {
                for sub in &w.subworkflows {
                    visit_steps(&sub.steps, &mut |s| {
                        out.push(format!("{}/{}", sub.name, s.name))
                    });
                }
            }
            out
        };
        let (yaml, json) = (load_one(&path), load_one(&twin));
        assert_eq!(names(&yaml), names(&json), "{path} vs {twin}");
        compared += 1;
    }
    assert!(compared >= 90, "only {compared} twins compared");
}

#[test]
fn hand_checked_step_counts_and_positions() {
    let ws =
        load_one("lemonberrylabs__gcw-emulator/test/integration/testdata/workflows/next_jump.yaml");
    let (name, wf) = workflows(&ws)[0];
    assert_eq!(name, "next_jump");
    let steps: Vec<_> = wf.subworkflows[0]
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.loc.line, s.loc.column))
        .collect();
    assert_eq!(
        steps,
        [
            ("step1", 3, 7),
            ("step2", 7, 7),
            ("step3", 10, 7),
            ("done", 13, 7)
        ]
    );

    let ws = load_one("GoogleCloudPlatform__workflows-samples/src/args.workflows.yaml");
    assert_eq!(workflows(&ws)[0].1.step_count(), 2);

    // The syntax cheat sheet: 33 top-level steps in main (two of them named `init`).
    let ws = load_one("GoogleCloudPlatform__workflows-demos/syntax-cheat-sheet/workflow.yaml");
    let (name, wf) = workflows(&ws)[0];
    assert_eq!(name, "syntax-cheat-sheet");
    let main = &wf.subworkflows[0];
    assert_eq!(main.steps.len(), 33);
    assert_eq!(wf.subworkflows[1].name, "subworkflow_name_message");
    assert_eq!(
        main.steps
            .iter()
            .filter(|s| s.name == "init")
            .map(|s| s.loc.line)
            .collect::<Vec<_>>(),
        [146, 169]
    );
    let mut nested = Vec::new();
    visit_steps(&main.steps, &mut |s| {
        nested.push((s.name.as_str(), s.loc.line))
    });
    assert!(nested.contains(&("sumMap", 129)));
    assert!(nested.contains(&("getNotificationCall", 163)));
    assert!(nested.contains(&("stepB", 204)));
}

fn findings_of(path: &str, rule: &str) -> Vec<(u32, String)> {
    let text =
        std::fs::read_to_string(corpus_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let report = baton_analyzer::analyze(&[SourceFile::new(path, text)]);
    report
        .findings
        .iter()
        .filter(|d| d.rule.name() == rule)
        .map(|d| {
            let subject = baton_analyzer::export::subject_name(&report, d.subject);
            (d.loc.line, subject.unwrap_or_default())
        })
        .collect()
}

/// The cheat sheet's real dead code: `step_with_end` is jumped over, and everything after the
/// uncaught `raise_custom_string_error` can never run (nested steps are not repeated).
#[test]
fn syntax_cheat_sheet_unreachable_steps_are_found() {
    let found = findings_of(
        "GoogleCloudPlatform__workflows-demos/syntax-cheat-sheet/workflow.yaml",
        "unreachable-step",
    );
    let names: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "step_with_end",
            "raise_custom_map_error",
            "try_retry_except",
            "http_get",
            "http_post",
            "log",
            "get_env_vars",
            "get_now",
            "wait",
            "insert_machine",
            "return_multiple_values",
            "return_single_value"
        ]
    );
    assert_eq!(found[0].0, 91);
    let duplicates = findings_of(
        "GoogleCloudPlatform__workflows-demos/syntax-cheat-sheet/workflow.yaml",
        "duplicate-step",
    );
    assert_eq!(duplicates, [(169, "init".to_string())]);
}

/// Subworkflows used only as custom retry predicates are used.
#[test]
fn retry_predicate_subworkflows_are_not_unused() {
    for path in [
        "GoogleCloudPlatform__workflows-samples/src/error_retry_predicate.workflows.yaml",
        "GoogleCloudPlatform__workflows-samples/src/error_retry_http_status.workflows.yaml",
        "GoogleCloudPlatform__workflows-samples/src/error_retry_500.workflows.yaml",
        "GoogleCloudPlatform__workflows-samples/src/error_retry_http_other.workflows.yaml",
    ] {
        assert_eq!(findings_of(path, "unused-subworkflow"), [], "{path}");
        assert_eq!(findings_of(path, "unreachable-step"), [], "{path}");
    }
    // The one subworkflow of the corpus that nothing calls (its call is commented out).
    assert_eq!(
        findings_of(
            "GoogleCloudPlatform__workflows-demos/state-management-firestore/workflow.yaml",
            "unused-subworkflow"
        ),
        [(125, "firestore_clear".to_string())]
    );
}

/// Every edge a workflow step makes names a step of that name in the workflow that makes it,
/// across the whole corpus loaded at once.
#[test]
fn edges_name_the_steps_that_make_them() {
    let files: Vec<SourceFile> = manifest()
        .iter()
        .map(|(path, _)| {
            let text = std::fs::read_to_string(corpus_dir().join(path)).unwrap();
            SourceFile::new(path.clone(), text)
        })
        .collect();
    let report = baton_analyzer::analyze(&files);
    let mut checked = 0;
    for edge in report.graph.graph.edge_weights() {
        let Some(step) = &edge.step else { continue };
        let Some(baton_analyzer::ResourceKind::Workflow(workflow)) =
            report.workspace.resource(step.at.workflow).map(|r| &r.kind)
        else {
            panic!("{:?} is no workflow", step.at);
        };
        let named = workflow
            .subworkflows
            .get(step.at.subworkflow as usize)
            .and_then(|sub| sub.step(step.at.step as usize))
            .map(|s| s.name.as_str());
        assert_eq!(named, Some(step.name.as_str()), "{:?}", step.at);
        checked += 1;
    }
    assert!(checked > 300, "only {checked} edges made by steps");
}

/// Every library function, expression helper and connector the corpus calls (1,071 calls of
/// 146 names) is in Baton's catalog, except the real mistakes listed here: what the catalog
/// lacks would be a false `unknown-function` error on a published sample.
#[test]
fn every_call_in_the_corpus_is_in_the_catalog() {
    // `shell.*` is no module of the standard library reference; the neighbouring
    // `using-cloudbuild-api` demo does the same work through the Cloud Build connector.
    const MISTAKES: &[(&str, &str)] = &[
        (
            "GoogleCloudPlatform__workflows-demos/workflows-executes-commands/using-standard-library/workflow-gcloud.yaml",
            "shell.gcloud",
        ),
        (
            "GoogleCloudPlatform__workflows-demos/workflows-executes-commands/using-standard-library/workflow-kubectl.yaml",
            "shell.kubectl",
        ),
    ];
    let mut called = std::collections::BTreeSet::new();
    let mut unknown = Vec::new();
    for (path, kind) in manifest() {
        if kind != "workflow" {
            continue;
        }
        let files = [SourceFile::new(
            path.as_str(),
            std::fs::read_to_string(corpus_dir().join(&path)).unwrap(),
        )];
        let report = baton_analyzer::analyze(&files);
        for (_, workflow) in workflows(&report.workspace) {
            for flow in baton_analyzer::flow::SubworkflowFlow::build_all(workflow) {
                called.extend(flow.calls.iter().map(|c| c.callee.clone()));
            }
        }
        for d in &report.findings {
            let rule = d.rule;
            if matches!(
                rule,
                RuleId::UnknownFunction | RuleId::BlockingCallInExpression
            ) {
                unknown.push((path.clone(), rule, d.message.clone()));
            }
        }
    }
    let known = called
        .iter()
        .filter(|c| baton_analyzer::library::lookup(c).is_some())
        .count();
    assert!(known >= 140, "{known} names of the catalog called");
    let expected: Vec<(String, RuleId)> = MISTAKES
        .iter()
        .map(|(p, _)| (p.to_string(), RuleId::UnknownFunction))
        .collect();
    let got: Vec<(String, RuleId)> = unknown.iter().map(|(p, r, _)| (p.clone(), *r)).collect();
    assert_eq!(got, expected, "{unknown:#?}");
    for ((_, _, message), (_, name)) in unknown.iter().zip(MISTAKES) {
        assert!(message.contains(name), "{message}");
    }
}
