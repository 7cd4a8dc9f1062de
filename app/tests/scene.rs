//! The scene the app draws (`baton_analyzer::view::scene`), built from the gallery's first
//! example.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use app::examples::EXAMPLES;
use baton_analyzer::graph::{NodeKey, NodeKind};
use baton_analyzer::view::key::SceneKey;
use baton_analyzer::view::scene::*;
use baton_analyzer::Report;

fn example() -> Report {
    baton_analyzer::analyze(&EXAMPLES[0].sources())
}

/// The key of the graph node with `id`.
fn key(report: &Report, id: &str) -> NodeKey {
    let n = report
        .graph
        .find(id)
        .unwrap_or_else(|| panic!("no node {id}"));
    report.graph.node(n).key()
}

#[test]
fn every_graph_node_and_edge_is_drawn() {
    let report = example();
    let scene = build(&report, &ViewOptions::default());
    assert_eq!(scene.nodes.len(), report.graph.graph.node_count());
    assert_eq!(scene.edges.len(), report.graph.graph.edge_count());
    assert!(scene.edges.iter().all(|e| e.points.len() >= 2));
    assert!(scene.width > 0.0 && scene.height > 0.0);
    for n in report.graph.nodes() {
        let node = report.graph.node(n);
        let drawn = scene.node(&SceneKey::Node(node.key())).unwrap();
        assert_eq!(drawn.token, node.id);
        assert_eq!(scene.by_token(&node.id), Some(drawn));
    }
}

#[test]
fn an_expanded_workflow_shows_its_steps_with_unreachable_ones_marked() {
    let report = example();
    let workflow = key(&report, "workflow:image-pipeline");
    let options = ViewOptions {
        expanded: BTreeSet::from([workflow.clone()]),
        ..ViewOptions::default()
    };
    let scene = build(&report, &options);
    assert!(scene.node(&SceneKey::Node(workflow.clone())).is_none());
    let never = scene
        .nodes
        .iter()
        .find(|n| n.name == "never_reached")
        .expect("the step is drawn");
    assert_eq!(never.kind, SceneKind::Step { reachable: false });
    assert_eq!(never.parent(), Some(&workflow));
    // Its token leads back to it, and nothing else in the scene has it.
    assert_eq!(scene.by_token(&never.token), Some(never));
    // The trigger now points at the first step, the queue is fed by the enqueuing step.
    let trigger = key(&report, "trigger:on-image-uploaded@pic-demo/europe-west1");
    let trigger = scene
        .nodes
        .iter()
        .position(|n| n.key == SceneKey::Node(trigger.clone()))
        .unwrap();
    let into = scene.edges.iter().find(|e| e.from == trigger).unwrap();
    assert_eq!(scene.nodes[into.to].parent(), Some(&workflow));
    let queue = key(&report, "queue:thumbnail-queue@pic-demo/europe-west1");
    let queue = scene
        .nodes
        .iter()
        .position(|n| n.key == SceneKey::Node(queue.clone()))
        .unwrap();
    let enqueue = scene.edges.iter().find(|e| e.to == queue).unwrap();
    assert_eq!(scene.nodes[enqueue.from].name, "enqueue_thumbnail");
    assert!(scene.edges.iter().any(|e| e.kind == SceneEdgeKind::Call));
}

/// Two steps of one name are two nodes, and an edge starts at the step that makes the call,
/// not at the first step of that name.
#[test]
fn steps_are_drawn_one_per_position_even_with_one_name() {
    let text = "main:\n  steps:\n    - call_it:\n        call: http.get\n        args:\n          url: https://one.example.com/\n    - call_it:\n        call: http.get\n        args:\n          url: https://two.example.com/\n";
    let report = baton_analyzer::analyze(&[baton_analyzer::SourceFile::new("w.yaml", text)]);
    let workflow = report
        .graph
        .nodes()
        .map(|n| report.graph.node(n))
        .find(|n| n.kind == NodeKind::Workflow)
        .unwrap()
        .key();
    let options = ViewOptions {
        expanded: BTreeSet::from([workflow]),
        ..ViewOptions::default()
    };
    let scene = build(&report, &options);
    let steps: Vec<usize> = (0..scene.nodes.len())
        .filter(|&i| scene.nodes[i].name == "call_it")
        .collect();
    assert_eq!(steps.len(), 2);
    assert_ne!(scene.nodes[steps[0]].token, scene.nodes[steps[1]].token);
    for (step, host) in steps.iter().zip(["one.example.com", "two.example.com"]) {
        let edge = scene
            .edges
            .iter()
            .find(|e| e.graph_edge.is_some() && scene.nodes[e.to].name == host)
            .unwrap();
        assert_eq!(edge.from, *step, "{host}");
    }
}

#[test]
fn focus_keeps_the_nodes_within_reach() {
    let report = example();
    let options = ViewOptions {
        focus: Some((key(&report, "service:collage@123456789012/europe-west1"), 1)),
        ..ViewOptions::default()
    };
    let mut names: Vec<String> = build(&report, &options)
        .nodes
        .into_iter()
        .map(|n| n.name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["collage", "collage-every-minute", "collage-on-thumbnail"]
    );
}

#[test]
fn labels_are_cut_and_inert() {
    assert_eq!(label("short"), "short");
    let long = "x".repeat(10_000);
    assert_eq!(label(&long).chars().count(), MAX_LABEL + 1);
    assert_eq!(label("a\u{202e}b\nc"), "a b c");
}

/// Laid out next to the old scene, a focused view keeps its nodes where they were, and an
/// unchanged view does not move at all; a view that is mostly new (a workflow expanded into
/// its steps) is laid out afresh.
#[test]
fn a_new_view_keeps_the_old_one_still() {
    let report = example();
    let before = build(&report, &ViewOptions::default());
    let moved = |after: &Scene| {
        let both: Vec<f64> = before
            .nodes
            .iter()
            .filter_map(|old| {
                let new = after.node(&old.key)?;
                Some((old.centre.x - new.centre.x).hypot(old.centre.y - new.centre.y) / old.width)
            })
            .collect();
        both.iter().sum::<f64>() / both.len() as f64
    };
    let again = build_near(&report, &ViewOptions::default(), Some(&before));
    assert_eq!(moved(&again), 0.0);
    let focused = ViewOptions {
        focus: Some((key(&report, "workflow:image-pipeline"), 2)),
        ..ViewOptions::default()
    };
    let near = build_near(&report, &focused, Some(&before));
    let fresh = build(&report, &focused);
    assert!(near.nodes.len() < before.nodes.len());
    assert!(
        moved(&near) < 0.1 && moved(&near) < moved(&fresh),
        "near {} fresh {}",
        moved(&near),
        moved(&fresh)
    );
    let expanded = ViewOptions {
        expanded: BTreeSet::from([key(&report, "workflow:image-pipeline")]),
        ..ViewOptions::default()
    };
    assert_eq!(
        build_near(&report, &expanded, Some(&before)),
        build(&report, &expanded)
    );
}
