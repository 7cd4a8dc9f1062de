//! The interaction graph: the image-pipeline example against the oracle in its README
//! (`../shared/examples/image-pipeline/README.md`), and one fixture per resolution rule.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use baton_analyzer::graph::{EdgeKind, Graph, NodeKind};
use baton_analyzer::{analyze, SourceFile};
use petgraph::graph::NodeIndex;

fn load_dir(dir: &Path) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .map(|p| {
            SourceFile::new(
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn edges(graph: &Graph) -> BTreeSet<(String, &'static str, String)> {
    edges_by(graph, |n| graph.node(n).id.clone())
}

/// `kind:name`, as the oracle names nodes (it has no projects).
fn oracle_name(graph: &Graph, n: NodeIndex) -> String {
    format!("{}:{}", graph.node(n).kind.as_str(), graph.node(n).name)
}

fn edges_by(
    graph: &Graph,
    name: impl Fn(NodeIndex) -> String,
) -> BTreeSet<(String, &'static str, String)> {
    graph
        .graph
        .edge_indices()
        .map(|e| {
            let (a, b) = graph.graph.edge_endpoints(e).unwrap();
            (name(a), graph.graph[e].kind.as_str(), name(b))
        })
        .collect()
}

fn graph_of(files: &[(&str, &str)]) -> Graph {
    let files: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
    analyze(&files).graph
}

#[test]
fn image_pipeline_matches_the_oracle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/examples/image-pipeline");
    let report = analyze(&load_dir(&dir));
    let graph = &report.graph;
    let nodes: BTreeSet<String> = graph.nodes().map(|n| oracle_name(graph, n)).collect();
    let expected_nodes = [
        "event-source:uploaded-pictures-pic-demo",
        "trigger:on-image-uploaded",
        "trigger:on-image-deleted",
        "workflow:image-pipeline",
        "google-api:vision.googleapis.com",
        "google-api:firestore.googleapis.com",
        "queue:thumbnail-queue",
        "service:thumbnails",
        "service:delete-image",
        "service:collage",
        "job:collage-every-minute",
        "topic:thumbnail-created",
        "subscription:collage-on-thumbnail",
        "topic:thumbnail-created-dlq",
        // Not in the oracle's service graph: the second workflow file of the example.
        "workflow:delete-cleanup",
    ];
    assert_eq!(
        nodes,
        expected_nodes.into_iter().map(String::from).collect()
    );
    // Only the DLQ topic is referenced without being defined.
    let undefined: Vec<String> = graph
        .nodes()
        .filter(|&n| !graph.is_defined(n) && graph.node(n).kind.is_loadable())
        .map(|n| oracle_name(graph, n))
        .collect();
    assert_eq!(undefined, ["topic:thumbnail-created-dlq"]);

    let e = |a: &str, k: EdgeKind, b: &str| (a.to_string(), k.as_str(), b.to_string());
    let expected = BTreeSet::from([
        e(
            "event-source:uploaded-pictures-pic-demo",
            EdgeKind::Event,
            "trigger:on-image-uploaded",
        ),
        e(
            "trigger:on-image-uploaded",
            EdgeKind::Deliver,
            "workflow:image-pipeline",
        ),
        e(
            "event-source:uploaded-pictures-pic-demo",
            EdgeKind::Event,
            "trigger:on-image-deleted",
        ),
        e(
            "trigger:on-image-deleted",
            EdgeKind::Deliver,
            "service:delete-image",
        ),
        e(
            "workflow:image-pipeline",
            EdgeKind::SyncCall,
            "google-api:vision.googleapis.com",
        ),
        e(
            "workflow:image-pipeline",
            EdgeKind::SyncCall,
            "google-api:firestore.googleapis.com",
        ),
        e(
            "workflow:image-pipeline",
            EdgeKind::Enqueue,
            "queue:thumbnail-queue",
        ),
        // The task URL is the deterministic form of the thumbnails URL.
        e(
            "queue:thumbnail-queue",
            EdgeKind::Dispatch,
            "service:thumbnails",
        ),
        e(
            "job:collage-every-minute",
            EdgeKind::Schedule,
            "service:collage",
        ),
        e(
            "service:thumbnails",
            EdgeKind::Publish,
            "topic:thumbnail-created",
        ),
        e(
            "topic:thumbnail-created",
            EdgeKind::Deliver,
            "subscription:collage-on-thumbnail",
        ),
        // The hash URL resolves through collage's `status.address.url`.
        e(
            "subscription:collage-on-thumbnail",
            EdgeKind::Deliver,
            "service:collage",
        ),
        e(
            "subscription:collage-on-thumbnail",
            EdgeKind::DeadLetter,
            "topic:thumbnail-created-dlq",
        ),
    ]);
    assert_eq!(edges_by(graph, |n| oracle_name(graph, n)), expected);

    // Edge details the oracle names: the event types, the soft env edge, the retries.
    let by_name = |name: &str| {
        graph
            .nodes()
            .find(|&n| oracle_name(graph, n) == name)
            .unwrap()
    };
    let edge = |from: &str, to: &str| {
        let (a, b) = (by_name(from), by_name(to));
        &graph.graph[graph.graph.find_edge(a, b).unwrap()]
    };
    assert_eq!(
        edge(
            "event-source:uploaded-pictures-pic-demo",
            "trigger:on-image-uploaded"
        )
        .label,
        "object.v1.finalized"
    );
    assert!(edge("service:thumbnails", "topic:thumbnail-created").soft);
    let vision = edge(
        "workflow:image-pipeline",
        "google-api:vision.googleapis.com",
    );
    assert_eq!(
        (vision.label.as_str(), vision.attempts),
        ("http.post", baton_analyzer::graph::Attempts::Finite(6))
    );
}

#[test]
fn unresolvable_targets_become_unresolved_nodes() {
    let graph = graph_of(&[(
        "w.yaml",
        r#"
main:
  params: [args]
  steps:
    - call_it:
        call: http.get
        args:
          url: ${args.urls.THUMBNAILS_URL}
    - call_other:
        call: http.post
        args:
          url: ${"https://" + args.host + "/x"}
"#,
    )]);
    let unresolved: Vec<&str> = graph
        .nodes()
        .filter(|&n| graph.node(n).kind == NodeKind::Unresolved)
        .map(|n| graph.node(n).name.as_str())
        .collect();
    assert_eq!(
        unresolved,
        [
            "args.urls.THUMBNAILS_URL",
            r#""https://" + args.host + "/x""#
        ]
    );
    assert_eq!(graph.graph.edge_count(), 2);
}

#[test]
fn connectors_name_their_queue_topic_bucket_and_workflow() {
    let graph = graph_of(&[(
        "w.yaml",
        r#"
main:
  steps:
    - init:
        assign:
          - project: ${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
          - queue: ${"projects/" + project + "/locations/europe-west1/queues/orders"}
    - enqueue:
        call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
        args:
          parent: ${queue}
          body:
            task:
              httpRequest:
                url: https://europe-west1-demo.cloudfunctions.net/handle-order
                oidcToken: {serviceAccountEmail: x@demo.iam.gserviceaccount.com}
    - publish:
        call: googleapis.pubsub.v1.projects.topics.publish
        args:
          topic: projects/demo/topics/orders-created
          body: {messages: [{data: e30=}]}
    - write:
        call: googleapis.storage.v1.objects.insert
        args:
          bucket: reports-bucket
          name: r.json
    - child:
        call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.create
        args:
          parent: projects/demo/locations/europe-west1/workflows/child
    - child_sync:
        call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
        args:
          workflow_id: other
    - start_by_url:
        call: http.post
        args:
          url: https://workflowexecutions.googleapis.com/v1/projects/demo/locations/europe-west1/workflows/third/executions
    - query:
        call: googleapis.bigquery.v2.jobs.query
        args: {projectId: demo}
"#,
    )]);
    let got = edges(&graph);
    let want: BTreeSet<_> = [
        ("workflow:w", "enqueue", "queue:orders@-/europe-west1"),
        (
            "queue:orders@-/europe-west1",
            "dispatch",
            "function:handle-order@demo/europe-west1",
        ),
        ("workflow:w", "publish", "topic:orders-created@demo"),
        ("workflow:w", "sync-call", "event-source:reports-bucket"),
        (
            "workflow:w",
            "start-execution",
            "workflow:child@demo/europe-west1",
        ),
        ("workflow:w", "sync-call", "workflow:other"),
        (
            "workflow:w",
            "start-execution",
            "workflow:third@demo/europe-west1",
        ),
        (
            "workflow:w",
            "sync-call",
            "google-api:bigquery.googleapis.com",
        ),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
    .collect();
    assert_eq!(got, want);
}

/// A connector result that describes a service or function is where the workflow's later
/// calls and tasks go (the course lab's `services.get` → `${info.uri}`); calling a function,
/// pulling a subscription and running a job name their resource; a Cloud Run URL of a
/// service that is not loaded is that service, in both `run.app` forms.
#[test]
fn connectors_resolve_what_they_read_and_name_what_they_use() {
    let graph = graph_of(&[(
        "w.yaml",
        r#"
main:
  steps:
    - init:
        assign:
          - projectId: ${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
          - location: ${sys.get_env("GOOGLE_CLOUD_LOCATION")}
          - serviceName: create-thumbnail
    - getService:
        call: googleapis.run.v2.projects.locations.services.get
        args:
          name: ${"projects/" + projectId + "/locations/" + location + "/services/" + serviceName}
        result: serviceInfo
    - queueTask:
        call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
        args:
          parent: projects/demo/locations/europe-west1/queues/thumbnails
          body:
            task:
              httpRequest:
                url: ${serviceInfo.uri}
    - getV1:
        call: googleapis.run.v1.namespaces.services.get
        args:
          name: namespaces/demo/services/resizer
          location: europe-west1
        result: v1Info
    - callV1:
        call: http.post
        args: {url: '${v1Info.status.url + "/resize"}'}
    - getFunction:
        call: googleapis.cloudfunctions.v2.projects.locations.functions.get
        args: {name: projects/demo/locations/us-central1/functions/tagger}
        result: fn
    - callFunction:
        call: http.post
        args: {url: '${fn.serviceConfig.uri}'}
    - callDirect:
        call: googleapis.cloudfunctions.v1.projects.locations.functions.call
        args: {name: projects/demo/locations/us-central1/functions/scorer}
    - pull:
        call: googleapis.pubsub.v1.projects.subscriptions.pull
        args: {subscription: projects/demo/subscriptions/inbox, body: {maxMessages: 1}}
    - runJob:
        call: googleapis.cloudscheduler.v1.projects.locations.jobs.run
        args: {name: projects/demo/locations/europe-west1/jobs/nightly}
    - hashForm:
        call: http.get
        args: {url: https://billing-abc123def4-ew.a.run.app/x}
    - numberForm:
        call: http.get
        args: {url: https://orders-123456789012.europe-west1.run.app/y}
"#,
    )]);
    let got = edges(&graph);
    let want: BTreeSet<_> = [
        (
            "workflow:w",
            "enqueue",
            "queue:thumbnails@demo/europe-west1",
        ),
        (
            "queue:thumbnails@demo/europe-west1",
            "dispatch",
            "service:create-thumbnail",
        ),
        ("workflow:w", "sync-call", "google-api:run.googleapis.com"),
        ("workflow:w", "sync-call", "service:resizer@-/europe-west1"),
        (
            "workflow:w",
            "sync-call",
            "google-api:cloudfunctions.googleapis.com",
        ),
        (
            "workflow:w",
            "sync-call",
            "function:tagger@demo/us-central1",
        ),
        (
            "workflow:w",
            "sync-call",
            "function:scorer@demo/us-central1",
        ),
        ("subscription:inbox@demo", "deliver", "workflow:w"),
        (
            "workflow:w",
            "start-execution",
            "job:nightly@demo/europe-west1",
        ),
        ("workflow:w", "sync-call", "service:billing"),
        (
            "workflow:w",
            "sync-call",
            "service:orders@123456789012/europe-west1",
        ),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
    .collect();
    assert_eq!(got, want);
}

/// Every edge a workflow step makes names that step exactly (subworkflow and index), so the
/// app attaches it to the right one of two steps with one name.
#[test]
fn workflow_edges_name_the_step_that_makes_them() {
    let graph = graph_of(&[(
        "w.yaml",
        r#"
main:
  steps:
    - call:
        call: http.get
        args: {url: "https://a-123456789012.europe-west1.run.app"}
    - group:
        steps:
          - call_b:
              try:
                call: http.get
                args: {url: "https://b-123456789012.europe-west1.run.app"}
              retry: ${http.default_retry}
    - route:
        switch:
          - condition: ${true}
            steps:
              - call:
                  call: http.get
                  args: {url: "https://c-123456789012.europe-west1.run.app"}
helper:
  steps:
    - call:
        call: http.get
        args: {url: "https://d-123456789012.europe-west1.run.app"}
"#,
    )]);
    // In source order at every depth: main has call, group, call_b, route, call.
    let mut got: Vec<(&str, u32, u32)> = graph
        .graph
        .edge_weights()
        .filter_map(|e| e.step.as_ref())
        .map(|s| (s.name.as_str(), s.at.subworkflow, s.at.step))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("call", 0, 0),
            ("call", 0, 4),
            ("call", 1, 0),
            ("call_b", 0, 2)
        ]
    );
}
