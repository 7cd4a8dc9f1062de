//! Node identity: same-named resources of two projects stay two nodes with every edge, a
//! reference that could mean either is its own node with an `ambiguous-reference` finding,
//! and the short and full forms of one name meet in one node.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use baton_analyzer::graph::{EdgeKind, Graph, NodeKind};
use baton_analyzer::{analyze, Report, RuleId, SourceFile};

/// One project's queue, topic, workflow and service, all named the same in every project, and
/// the subscription, job and trigger that wire them.
fn project(p: &str) -> String {
    format!(
        r#"name: projects/{p}/locations/us-central1/queues/jobs
---
name: projects/{p}/topics/events
---
name: projects/{p}/subscriptions/events-to-worker
topic: events
pushConfig:
  pushEndpoint: https://worker-{p}.example.com/push
deadLetterPolicy:
  deadLetterTopic: projects/{p}/topics/events
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: worker
  namespace: {p}
  labels:
    cloud.googleapis.com/location: us-central1
status:
  url: https://worker-{p}.example.com
---
name: projects/{p}/locations/us-central1/jobs/nightly
schedule: 0 3 * * *
timeZone: UTC
httpTarget:
  uri: https://workflowexecutions.googleapis.com/v1/projects/{p}/locations/us-central1/workflows/flow/executions
  oauthToken: {{serviceAccountEmail: run@{p}.iam.gserviceaccount.com}}
---
name: projects/{p}/locations/us-central1/triggers/on-event
eventFilters:
  - {{attribute: type, value: google.cloud.pubsub.topic.v1.messagePublished}}
transport:
  pubsub:
    topic: projects/{p}/topics/events
destination:
  workflow: flow
---
name: projects/{p}/locations/us-central1/workflows/flow
sourceContents: |
  main:
    steps:
      - enqueue:
          call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
          args:
            parent: ${{"projects/" + sys.get_env("GOOGLE_CLOUD_PROJECT_ID") + "/locations/us-central1/queues/jobs"}}
            body: {{task: {{httpRequest: {{url: "https://worker-{p}.example.com/task"}}}}}}
      - publish:
          call: googleapis.pubsub.v1.projects.topics.publish
          args:
            topic: projects/{p}/topics/events
            body: {{messages: [{{data: e30=}}]}}
"#
    )
}

fn two_projects() -> Vec<SourceFile> {
    vec![
        SourceFile::new("alpha/resources.yaml", project("alpha")),
        SourceFile::new("beta/resources.yaml", project("beta")),
    ]
}

fn nodes_named<'g>(graph: &'g Graph, kind: NodeKind, name: &str) -> Vec<&'g str> {
    let mut ids: Vec<&str> = graph
        .nodes()
        .map(|n| graph.node(n))
        .filter(|node| node.kind == kind && node.name == name)
        .map(|node| node.id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn same_names_in_two_projects_stay_two_nodes_with_every_edge() {
    let alone = analyze(&two_projects()[..1]);
    let report = analyze(&two_projects());
    let graph = &report.graph;
    assert_eq!(
        nodes_named(graph, NodeKind::Queue, "jobs"),
        [
            "queue:jobs@alpha/us-central1",
            "queue:jobs@beta/us-central1"
        ]
    );
    assert_eq!(
        nodes_named(graph, NodeKind::Topic, "events"),
        ["topic:events@alpha", "topic:events@beta"]
    );
    assert_eq!(
        nodes_named(graph, NodeKind::Workflow, "flow"),
        [
            "workflow:flow@alpha/us-central1",
            "workflow:flow@beta/us-central1"
        ]
    );
    assert_eq!(
        nodes_named(graph, NodeKind::Service, "worker"),
        [
            "service:worker@alpha/us-central1",
            "service:worker@beta/us-central1"
        ]
    );
    // Every edge is kept: twice what one project has, and none crosses projects.
    assert_eq!(graph.graph.node_count(), 2 * alone.graph.graph.node_count());
    assert_eq!(graph.graph.edge_count(), 2 * alone.graph.graph.edge_count());
    for e in graph.graph.edge_indices() {
        let (a, b) = graph.graph.edge_endpoints(e).unwrap();
        let (a, b) = (graph.node(a), graph.node(b));
        if a.project.is_some() && b.project.is_some() {
            assert_eq!(a.project, b.project, "{} → {}", a.id, b.id);
        }
    }
    let kinds: BTreeSet<&str> = graph
        .graph
        .edge_weights()
        .map(|e| e.kind.as_str())
        .collect();
    for kind in [
        EdgeKind::Enqueue,
        EdgeKind::Dispatch,
        EdgeKind::Publish,
        EdgeKind::Deliver,
        EdgeKind::Event,
        EdgeKind::Schedule,
        EdgeKind::DeadLetter,
    ] {
        assert!(kinds.contains(kind.as_str()), "no {kind:?} edge: {kinds:?}");
    }
    assert!(
        !report
            .findings
            .iter()
            .any(|d| d.rule == RuleId::AmbiguousReference || d.rule == RuleId::UnknownTarget),
        "{:#?}",
        report.findings
    );
}

fn ambiguous(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|d| d.rule == RuleId::AmbiguousReference)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_reference_that_matches_both_projects_is_its_own_node_and_a_finding() {
    let mut files = two_projects();
    files.push(SourceFile::new(
        "shared/caller.workflows.yaml",
        r#"main:
  steps:
    - enqueue:
        call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
        args:
          parent: ${"projects/" + sys.get_env("GOOGLE_CLOUD_PROJECT_ID") + "/locations/us-central1/queues/jobs"}
          body: {task: {httpRequest: {url: "https://example.com"}}}
    - run:
        call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
        args:
          workflow_id: flow
"#,
    ));
    let report = analyze(&files);
    let graph = &report.graph;
    let messages = ambiguous(&report);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].contains("queue `jobs` could be any of 2 loaded queues"));
    assert!(messages[0].contains("projects/alpha/locations/us-central1/…/jobs"));
    assert!(messages[0].contains("projects/beta/locations/us-central1/…/jobs"));
    assert!(messages[1].contains("workflow `flow`"));
    // No silent merge: the caller's edges go to nodes of their own, not to alpha's or beta's.
    let caller = graph.find("workflow:caller").unwrap();
    let targets: Vec<&str> = graph
        .edges_out(caller)
        .map(|(to, _)| graph.node(to).id.as_str())
        .collect();
    assert_eq!(targets, ["workflow:flow", "queue:jobs@-/us-central1"]);
    assert_eq!(nodes_named(graph, NodeKind::Queue, "jobs").len(), 3);
    // Each finding names its node, and the candidates as related nodes.
    let d = report
        .findings
        .iter()
        .find(|d| d.rule == RuleId::AmbiguousReference)
        .unwrap();
    assert_eq!(d.related.len(), 2);
}

#[test]
fn a_short_name_means_the_referrers_own_project() {
    // The trigger of each project names `flow` alone: it means its own project's workflow.
    let report = analyze(&two_projects());
    let graph = &report.graph;
    for p in ["alpha", "beta"] {
        let trigger = graph
            .find(&format!("trigger:on-event@{p}/us-central1"))
            .unwrap();
        let to: Vec<&str> = graph
            .edges_out(trigger)
            .map(|(to, _)| graph.node(to).id.as_str())
            .collect();
        assert_eq!(to, [format!("workflow:flow@{p}/us-central1")]);
    }
}

#[test]
fn short_and_full_forms_of_one_name_meet_in_one_node() {
    let report = analyze(&[SourceFile::new(
        "w.yaml",
        r#"main:
  steps:
    - a:
        call: googleapis.pubsub.v1.projects.topics.publish
        args:
          topic: ${"projects/" + sys.get_env("GOOGLE_CLOUD_PROJECT_ID") + "/topics/t"}
          body: {messages: [{data: e30=}]}
    - b:
        call: googleapis.pubsub.v1.projects.topics.publish
        args:
          topic: projects/p/topics/t
          body: {messages: [{data: e30=}]}
"#,
    )]);
    let graph = &report.graph;
    assert_eq!(nodes_named(graph, NodeKind::Topic, "t"), ["topic:t@p"]);
    assert_eq!(graph.graph.edge_count(), 2);
}

#[test]
fn unqualified_definitions_in_two_folders_are_two_nodes_and_a_reference_prefers_its_folder() {
    let workflow = "main:\n  steps:\n    - done:\n        return: 1\n";
    let caller = r#"main:
  steps:
    - run:
        call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
        args:
          workflow_id: cleanup
"#;
    let report = analyze(&[
        SourceFile::new("dev/cleanup.workflows.yaml", workflow),
        SourceFile::new("prod/cleanup.workflows.yaml", workflow),
        SourceFile::new("dev/caller.workflows.yaml", caller),
    ]);
    let graph = &report.graph;
    assert_eq!(
        nodes_named(graph, NodeKind::Workflow, "cleanup"),
        ["workflow:cleanup", "workflow:cleanup#2"]
    );
    let caller = graph.find("workflow:caller").unwrap();
    let (to, _) = graph.edges_out(caller).next().unwrap();
    assert_eq!(graph.node(to).origin.as_deref(), Some("dev"));
    assert!(ambiguous(&report).is_empty());
}

/// A resource whose name holds an unknown part (`${uniqueId}`), described in two files, is
/// still the one resource a reference with that same name means.
#[test]
fn a_templated_name_defined_twice_is_still_found() {
    let topic = |folder: &str| {
        SourceFile::new(
            format!("{folder}/topic.yaml"),
            "apiVersion: pubsub.cnrm.cloud.google.com/v1beta1\nkind: PubSubTopic\nmetadata:\n  annotations:\n    cnrm.cloud.google.com/project-id: ${projectId}\n  name: orders-${uniqueId}\n",
        )
    };
    let subscription = SourceFile::new(
        "a/subscription.yaml",
        "apiVersion: pubsub.cnrm.cloud.google.com/v1beta1\nkind: PubSubSubscription\nmetadata:\n  annotations:\n    cnrm.cloud.google.com/project-id: ${projectId}\n  name: audit-${uniqueId}\nspec:\n  topicRef:\n    name: orders-${uniqueId}\n",
    );
    let report = analyze(&[topic("a"), topic("b"), subscription]);
    let graph = &report.graph;
    let delivers = graph
        .graph
        .edge_indices()
        .filter(|&e| graph.graph[e].kind == EdgeKind::Deliver)
        .count();
    assert_eq!(delivers, 1);
    assert!(
        report
            .findings
            .iter()
            .all(|d| d.rule != RuleId::TopicWithoutSubscribers),
        "{:?}",
        report.findings
    );
    assert_eq!(
        graph
            .nodes()
            .filter(|&n| graph.node(n).kind == NodeKind::Unresolved)
            .count(),
        0
    );
}
