//! Every finding of the gallery examples and of the real corpus (`../shared/corpus`, each
//! top-level repository folder loaded as one workspace, never copied here) is placed exactly
//! on what its typed subjects name: the node, the edge and its two ends, the step and its
//! workflow, every step of a subworkflow. What is placed is drawn (graph nodes and edges in
//! the default scene, steps once their workflow is expanded), and nothing else is placed.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use app::examples::EXAMPLES;
use app::key::{SceneKey, StepKey};
use app::place::Place;
use app::scene::{assemble, Scene, ViewOptions};
use baton_analyzer::graph::NodeKind;
use baton_analyzer::model::ResourceKind;
use baton_analyzer::{analyze, Diagnostic, Report, ResourceId, SourceFile, StepRef, Subject};

/// What the test expects a finding's place to be, read from its subjects, each element
/// checked against the scene on the way.
struct Check<'a> {
    report: &'a Report,
    /// The default scene.
    plain: &'a Scene,
    /// Every workflow expanded.
    expanded: &'a Scene,
    what: String,
    expected: Place,
}

impl Check<'_> {
    fn node(&mut self, n: petgraph::graph::NodeIndex) {
        let node = self.report.graph.graph.node_weight(n);
        let node = node.unwrap_or_else(|| panic!("{}: no graph node {n:?}", self.what));
        let key = SceneKey::Node(node.key());
        let drawn = self.plain.node(&key);
        let drawn = drawn.unwrap_or_else(|| panic!("{}: {} is not drawn", self.what, node.id));
        assert_eq!(drawn.token, node.id, "{}", self.what);
        self.expected.nodes.insert(key);
    }

    fn step(&mut self, at: StepRef) {
        let graph = &self.report.graph;
        let n = graph.resource_node(at.workflow);
        let n = n.unwrap_or_else(|| panic!("{}: the workflow has no node", self.what));
        self.node(n);
        assert_eq!(graph.node(n).kind, NodeKind::Workflow, "{}", self.what);
        // Definitions of one node are numbered in load order.
        let definition = (0..at.workflow.index())
            .filter(|&i| graph.resource_node(ResourceId::new(i)) == Some(n))
            .count();
        let key = SceneKey::Step(StepKey {
            workflow: graph.node(n).key(),
            definition: u32::try_from(definition).unwrap(),
            subworkflow: at.subworkflow,
            step: at.step,
        });
        // The drawn step is the step the finding names, found by its own route through the
        // model: the finding's workflow, subworkflow and step indices.
        let Some(ResourceKind::Workflow(workflow)) =
            self.report.workspace.resource(at.workflow).map(|r| &r.kind)
        else {
            panic!("{}: {:?} is not a workflow", self.what, at.workflow);
        };
        let named = workflow
            .subworkflows
            .get(at.subworkflow as usize)
            .and_then(|sub| sub.step(at.step as usize))
            .unwrap_or_else(|| panic!("{}: no step {at:?}", self.what));
        let drawn = self.expanded.node(&key);
        let drawn = drawn.unwrap_or_else(|| panic!("{}: step {at:?} is not drawn", self.what));
        assert_eq!(drawn.name, named.name, "{}", self.what);
        self.expected.nodes.insert(key);
    }

    fn subject(&mut self, subject: Subject) {
        let graph = &self.report.graph;
        match subject {
            Subject::Position => {}
            Subject::Node(n) => self.node(n),
            Subject::Resource(r) => {
                let n = graph.resource_node(r);
                self.node(n.unwrap_or_else(|| panic!("{}: resource without node", self.what)));
            }
            Subject::Edge(e) => {
                let (from, to) = graph.graph.edge_endpoints(e).unwrap();
                let drawn = self.plain.edges.iter().filter(|s| s.graph_edge == Some(e));
                assert_eq!(drawn.count(), 1, "{}: edge {e:?} drawn once", self.what);
                self.expected.edges.insert(e);
                self.node(from);
                self.node(to);
            }
            Subject::Step(at) => self.step(at),
            Subject::Subworkflow(at) => {
                let Some(ResourceKind::Workflow(workflow)) =
                    self.report.workspace.resource(at.workflow).map(|r| &r.kind)
                else {
                    panic!("{}: {:?} is not a workflow", self.what, at.workflow);
                };
                let sub = &workflow.subworkflows[at.subworkflow as usize];
                let mut count = 0;
                baton_analyzer::model::visit_steps(&sub.steps, &mut |_| count += 1);
                // Even an empty subworkflow is on its workflow's node.
                self.subject(Subject::Resource(at.workflow));
                for step in 0..count {
                    self.step(StepRef::new(at.workflow, at.subworkflow as usize, step));
                }
            }
        }
    }
}

/// How many subjects of each kind were checked, to show that each kind is.
#[derive(Default, Debug)]
struct Seen {
    findings: usize,
    on_graph: usize,
    /// Position, resource, node, edge, subworkflow, step.
    kinds: [usize; 6],
    /// Steps of a second definition of a workflow.
    twins: usize,
}

impl Seen {
    fn subject(&mut self, report: &Report, subject: Subject) {
        let kind = match subject {
            Subject::Position => 0,
            Subject::Resource(_) => 1,
            Subject::Node(_) => 2,
            Subject::Edge(_) => 3,
            Subject::Subworkflow(_) => 4,
            Subject::Step(at) => {
                let n = report.graph.resource_node(at.workflow);
                let first = n.and_then(|n| report.graph.node(n).resource);
                self.twins += usize::from(first != Some(at.workflow));
                5
            }
        };
        self.kinds[kind] += 1;
    }
}

/// Checks every finding of `files`.
fn check_workspace(name: &str, files: &[SourceFile], seen: &mut Seen) {
    let report = analyze(files);
    let plain = assemble(&report, &ViewOptions::default());
    let workflows: BTreeSet<_> = (report.graph.nodes())
        .map(|n| report.graph.node(n))
        .filter(|n| n.kind == NodeKind::Workflow)
        .map(|n| n.key())
        .collect();
    let expanded = assemble(
        &report,
        &ViewOptions {
            expanded: workflows,
            ..ViewOptions::default()
        },
    );
    check_tokens(name, &plain);
    check_tokens(name, &expanded);
    for finding in &report.findings {
        let mut check = Check {
            report: &report,
            plain: &plain,
            expanded: &expanded,
            what: describe(name, files, finding),
            expected: Place::default(),
        };
        check.subject(finding.subject);
        seen.subject(&report, finding.subject);
        for related in &finding.related {
            check.subject(related.subject);
            seen.subject(&report, related.subject);
        }
        let place = Place::of(&report, finding);
        assert_eq!(place, check.expected, "{}", check.what);
        let on_graph = std::iter::once(finding.subject)
            .chain(finding.related.iter().map(|r| r.subject))
            .any(|s| s != Subject::Position);
        assert_eq!(place.is_empty(), !on_graph, "{}", check.what);
        seen.findings += 1;
        seen.on_graph += usize::from(on_graph);
    }
}

/// Every drawn node has its own DOM token, and the token leads back to it.
fn check_tokens(name: &str, scene: &Scene) {
    let tokens: BTreeSet<&str> = scene.nodes.iter().map(|n| n.token.as_str()).collect();
    assert_eq!(tokens.len(), scene.nodes.len(), "{name}: tokens are unique");
    let keys: BTreeSet<&SceneKey> = scene.nodes.iter().map(|n| &n.key).collect();
    assert_eq!(keys.len(), scene.nodes.len(), "{name}: keys are unique");
    for node in &scene.nodes {
        assert_eq!(scene.by_token(&node.token), Some(node), "{name}");
        assert_eq!(scene.node(&node.key), Some(node), "{name}");
    }
}

fn describe(workspace: &str, files: &[SourceFile], d: &Diagnostic) -> String {
    let file = files.get(d.loc.file.0 as usize).map_or("?", |f| &f.path);
    format!(
        "{workspace}: {} at {file}:{}: {} ({:?})",
        d.rule, d.loc.line, d.message, d.subject
    )
}

#[test]
fn every_gallery_finding_is_placed_on_what_it_is_about() {
    let mut seen = Seen::default();
    for example in EXAMPLES {
        let before = seen.findings;
        check_workspace(example.name, &example.sources(), &mut seen);
        assert!(
            seen.findings > before,
            "{}: the gallery shows findings",
            example.name
        );
    }
    eprintln!("gallery: {seen:?}");
    assert!(seen.on_graph >= 10, "{seen:?}");
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The YAML and JSON files under `dir`, recursively, in a stable order, named by their path
/// in the corpus (so that folders tell same-named resources apart, as in the CLI).
fn read_tree(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["yaml", "yml", "json"].contains(&e.to_ascii_lowercase().as_str()))
        {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push(SourceFile::from_bytes(name, std::fs::read(&path).unwrap()));
        }
    }
}

#[test]
fn every_corpus_finding_is_placed_on_what_it_is_about() {
    let root = corpus_dir();
    let mut repositories: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the corpus sits beside the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repositories.sort();
    assert!(repositories.len() >= 15, "{repositories:?}");
    let mut seen = Seen::default();
    for repository in &repositories {
        let mut files = Vec::new();
        read_tree(&root, repository, &mut files);
        let name = repository.file_name().unwrap().to_string_lossy();
        check_workspace(&name, &files, &mut seen);
    }
    eprintln!("corpus: {seen:?}");
    // Hundreds of findings, most about something drawn, and every kind of subject among them
    // (steps of a second definition of a workflow too).
    assert!(seen.findings >= 300, "{seen:?}");
    assert!(seen.on_graph * 2 >= seen.findings, "{seen:?}");
    assert!(seen.kinds.iter().all(|&n| n > 0), "{seen:?}");
    assert!(seen.twins > 0, "{seen:?}");
}
