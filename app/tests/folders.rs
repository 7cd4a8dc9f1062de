//! The folder overview (`baton_analyzer::view::folders` and grouped scenes): which folders
//! become boxes, where referenced nodes live, and what a closed folder draws.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use baton_analyzer::graph::NodeKind;
use baton_analyzer::view::folders::Folders;
use baton_analyzer::view::key::SceneKey;
use baton_analyzer::view::scene::*;
use baton_analyzer::{analyze, Report, SourceFile};
use petgraph::graph::NodeIndex;

fn workflow(calls: &[&str], topic: &str) -> String {
    let mut out = String::from("main:\n  steps:\n");
    for (i, host) in calls.iter().enumerate() {
        out.push_str(&format!(
            "    - call_{i}:\n        call: http.post\n        args: {{url: 'https://{host}-123456789012.europe-west1.run.app/x'}}\n"
        ));
    }
    out.push_str(&format!(
        "    - publish:\n        call: googleapis.pubsub.v1.projects.topics.publish\n        args: {{topic: projects/p/topics/{topic}}}\n"
    ));
    out
}

/// Two teams' workflows, a shared service both call, and a file of twelve topics.
fn estate() -> Report {
    let topics: Vec<String> = (0..12)
        .map(|i| format!("name: projects/p/topics/t{i}\n"))
        .collect();
    let files = vec![
        SourceFile::new(
            "teams/orders/checkout.workflows.yaml",
            workflow(&["pay", "stock"], "t0"),
        ),
        SourceFile::new(
            "teams/orders/refund.workflows.yaml",
            workflow(&["pay"], "t1"),
        ),
        SourceFile::new(
            "teams/billing/invoice.workflows.yaml",
            workflow(&["pay", "mail"], "t2"),
        ),
        SourceFile::new("infra/topics.yaml", topics.join("---\n")),
    ];
    analyze(&files)
}

fn named(report: &Report, name: &str) -> NodeIndex {
    (report.graph.nodes())
        .find(|&n| report.graph.node(n).name == name)
        .unwrap_or_else(|| panic!("no node {name}"))
}

fn level_paths(folders: &Folders) -> Vec<&str> {
    folders.levels.iter().map(|l| l.path.as_str()).collect()
}

#[test]
fn levels_are_the_folders_that_hold_several_nodes_and_big_files() {
    let report = estate();
    let folders = Folders::of(&report);
    // `teams` holds two team folders; `infra` is only the wrapper of its one big file, so the
    // file is the level; a file of one workflow and its targets is no level.
    assert_eq!(
        level_paths(&folders),
        [
            "infra/topics.yaml",
            "teams",
            "teams/billing",
            "teams/orders"
        ]
    );
    let nodes = |path: &str| {
        (folders.levels.iter())
            .find(|l| l.path == path)
            .map(|l| l.nodes)
    };
    assert_eq!(nodes("infra/topics.yaml"), Some(12));
    // orders: two workflows and `stock`, which only checkout calls; `pay` is called from
    // both teams, so it lives in `teams`.
    assert_eq!(nodes("teams/orders"), Some(3));
    assert_eq!(nodes("teams/billing"), Some(2));
    assert_eq!(nodes("teams"), Some(6));
    let pay = named(&report, "pay");
    let chain: Vec<&str> = (folders.chain(pay).iter())
        .map(|&l| folders.level(l).unwrap().path.as_str())
        .collect();
    assert_eq!(chain, ["teams"]);
    let stock = named(&report, "stock");
    assert_eq!(folders.chain(stock).len(), 2, "teams, then teams/orders");
}

#[test]
fn a_grouped_scene_draws_closed_folders_as_boxes_with_their_edges_counted() {
    let report = estate();
    let options = ViewOptions {
        grouping: Grouping::Folders,
        ..ViewOptions::default()
    };
    let scene = build(&report, &options);
    let keys: BTreeSet<&SceneKey> = scene.nodes.iter().map(|n| &n.key).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            &SceneKey::Folder("infra/topics.yaml".into()),
            &SceneKey::Folder("teams".into())
        ])
    );
    let teams = scene.node(&SceneKey::Folder("teams".into())).unwrap();
    let SceneKind::Folder { members, kinds, .. } = &teams.kind else {
        panic!("a folder box");
    };
    assert_eq!(members.len(), 6);
    assert!(kinds.contains(&(NodeKind::Workflow, 3)));
    assert!(kinds.contains(&(NodeKind::Service, 3)));
    // The three publishes, drawn as one edge between the two boxes.
    assert_eq!(scene.edges.len(), 1);
    assert_eq!(scene.edges[0].label, "3 × publish");
    assert!(scene.edges[0].points.len() >= 2);
    assert_eq!(scene.by_token("folder:teams"), Some(teams));
}

#[test]
fn opening_a_folder_draws_its_contents_and_keeps_the_rest_closed() {
    let report = estate();
    let options = ViewOptions {
        grouping: Grouping::Folders,
        opened: BTreeSet::from(["teams".to_string()]),
        ..ViewOptions::default()
    };
    let scene = build(&report, &options);
    let pay = report.graph.node(named(&report, "pay"));
    assert!(scene.node(&SceneKey::Node(pay.key())).is_some());
    for folder in ["teams/orders", "teams/billing", "infra/topics.yaml"] {
        assert!(scene.node(&SceneKey::Folder(folder.into())).is_some());
    }
    assert!(scene.node(&SceneKey::Folder("teams".into())).is_none());
    // Calls from the closed team folders into `pay` are edges into the drawn node.
    let pay_at = scene.nodes.iter().position(|n| n.name == "pay").unwrap();
    let into_pay: Vec<&str> = (scene.edges.iter())
        .filter(|e| e.to == pay_at)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(into_pay, ["2 × sync-call", "1 × sync-call"]);
}

#[test]
fn automatic_grouping_starts_only_above_the_threshold() {
    let report = estate();
    let scene = build(&report, &ViewOptions::default());
    assert!(scene.nodes.len() <= GROUP_ABOVE);
    assert!(scene
        .nodes
        .iter()
        .all(|n| !matches!(n.kind, SceneKind::Folder { .. })));
    assert!(Grouping::Auto.groups(GROUP_ABOVE + 1));
    assert!(!Grouping::Auto.groups(GROUP_ABOVE));
}
