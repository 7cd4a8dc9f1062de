//! The web app's example gallery (`public/examples/*`): every example loads cleanly, and its
//! findings and graph size are pinned, so that a change in the analyzer or an edit of an
//! example shows up here. Each example's README.md lists the same findings in prose.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use baton_analyzer::{analyze, Report, RuleId, SourceFile};

/// Findings that mean an example file is broken rather than an architecture to review.
const LOADING_RULES: [RuleId; 3] = [
    RuleId::ParseError,
    RuleId::InvalidDefinition,
    RuleId::UnrecognizedDocument,
];

/// What one example must give: `(rule, subject)` findings, node count, edge count.
struct Expected {
    findings: &'static [(&'static str, &'static str)],
    nodes: usize,
    edges: usize,
}

fn expected(example: &str) -> Option<Expected> {
    Some(match example {
        "image-pipeline" => Expected {
            findings: &[
                ("central-orchestrator", "image-pipeline"),
                ("hardcoded-endpoint", "init"),
                ("single-point-of-failure", "collage"),
                ("unreachable-step", "never_reached"),
                ("unreachable-step", "orphan"),
                ("untriggered-workflow", "delete-cleanup"),
            ],
            nodes: 15,
            edges: 13,
        },
        // The same architecture, created by `deploy.sh`: the same findings, now on its lines.
        "gcloud-deploy" => Expected {
            findings: &[
                ("central-orchestrator", "image-pipeline"),
                ("hardcoded-endpoint", "init"),
                ("single-point-of-failure", "collage"),
                ("unreachable-step", "never_reached"),
                ("unreachable-step", "orphan"),
                ("untriggered-workflow", "delete-cleanup"),
            ],
            nodes: 15,
            edges: 13,
        },
        "order-processing" => Expected {
            findings: &[
                ("call-without-retry", "email_customer"),
                ("central-orchestrator", "order-processing"),
                ("dst-sensitive-schedule", "nightly-stock-report"),
                ("hardcoded-endpoint", "email_customer"),
                ("single-point-of-failure", "inventory"),
                ("unbounded-retries", "sales-rep-notifications"),
                ("unreachable-step", "release_reservation"),
                ("workflow-trigger-no-retry", "order-processing"),
            ],
            // The three inventory calls are three edges (one from the unreachable step).
            nodes: 12,
            edges: 13,
        },
        "choreography" => Expected {
            findings: &[
                ("event-loop", "inventory"),
                ("missing-dead-letter", "notification-on-order-placed"),
                ("topic-without-subscribers", "order-events-dead-letter"),
                ("topic-without-subscribers", "order-shipped"),
                // The subject is the push itself: subscription → service.
                (
                    "unauthenticated-target",
                    "notification-on-order-placed → notification",
                ),
            ],
            nodes: 16,
            edges: 18,
        },
        _ => return None,
    })
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("public/examples")
}

/// Every file of `dir` Baton reads, sorted by path (the example's README.md is not loaded).
fn load_dir(dir: &Path) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with("README.md") && baton_analyzer::reads(&name, "")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            SourceFile::new(p.display().to_string(), text)
        })
        .collect()
}

fn findings(report: &Report) -> BTreeSet<(String, String)> {
    report
        .findings
        .iter()
        .map(|d| {
            let subject = baton_analyzer::export::subject_name(report, d.subject);
            (d.rule.to_string(), subject.unwrap_or_default())
        })
        .collect()
}

#[test]
fn every_example_matches_its_expected_findings_and_graph() {
    let mut names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("public/examples exists")
        .map(|entry| entry.expect("readable directory entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "choreography",
            "gcloud-deploy",
            "image-pipeline",
            "order-processing"
        ]
    );

    for name in &names {
        let files = load_dir(&examples_dir().join(name));
        assert!(files.len() >= 3, "{name}: only {} files", files.len());
        let report = analyze(&files);

        let broken: Vec<String> = report
            .findings
            .iter()
            .filter(|d| LOADING_RULES.contains(&d.rule))
            .map(|d| {
                format!(
                    "{} at {}:{}: {}",
                    d.rule, files[d.loc.file.0 as usize].path, d.loc.line, d.message
                )
            })
            .collect();
        assert!(
            broken.is_empty(),
            "{name} does not load cleanly:\n{}",
            broken.join("\n")
        );

        let expected = expected(name).unwrap_or_else(|| panic!("{name}: add its expectations"));
        let want: BTreeSet<(String, String)> = expected
            .findings
            .iter()
            .map(|(rule, subject)| (rule.to_string(), subject.to_string()))
            .collect();
        assert_eq!(findings(&report), want, "{name}: findings");
        // One finding per (rule, subject): a duplicate would hide behind the set above.
        assert_eq!(
            report.findings.len(),
            want.len(),
            "{name}: number of findings"
        );

        let graph = &report.graph.graph;
        assert_eq!(
            (graph.node_count(), graph.edge_count()),
            (expected.nodes, expected.edges),
            "{name}: (nodes, edges) of the graph"
        );
    }
}

/// `(kind, name)` of every node and `(from, kind, to)` of every edge: the architecture, without
/// how each input names projects (a deploy script by id, a Cloud Run export by number).
fn architecture(report: &Report) -> (BTreeSet<String>, BTreeSet<String>) {
    let graph = &report.graph;
    let name = |n| {
        let node = graph.node(n);
        format!("{}:{}", node.kind.as_str(), node.name)
    };
    let nodes = graph.nodes().map(name).collect();
    let edges = graph
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (a, b) = graph.graph.edge_endpoints(e)?;
            Some(format!(
                "{} -{}-> {}",
                name(a),
                graph.graph[e].kind.as_str(),
                name(b)
            ))
        })
        .collect();
    (nodes, edges)
}

/// The deploy script draws the same architecture as the exported YAML of what it deploys.
#[test]
fn the_deploy_script_draws_the_architecture_its_export_shows() {
    let script = analyze(&load_dir(&examples_dir().join("gcloud-deploy")));
    let export = analyze(&load_dir(&examples_dir().join("image-pipeline")));
    let (script_nodes, script_edges) = architecture(&script);
    let (export_nodes, export_edges) = architecture(&export);
    assert_eq!(script_nodes, export_nodes);
    assert_eq!(script_edges, export_edges);
    assert_eq!(script_edges.len(), 13);
    // The script's resources are where its commands are.
    let collage = script
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "collage")
        .expect("collage is deployed");
    assert_eq!(collage.loc.line, 35);
}
