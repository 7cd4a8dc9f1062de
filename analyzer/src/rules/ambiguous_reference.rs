use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "ambiguous-reference",
    code: "BTN005",
    severity: Severity::Info,
    summary: "a short name that matches resources of several projects, locations or folders",
    docs: r#"## What it finds
A reference that names a resource without saying enough to tell which of several loaded
resources it means: a short name (`jobs`), or a full name whose project or location is only
known at run time (`projects/${project}/locations/${region}/queues/jobs`), when queues named
`jobs` are loaded from two projects, two locations, or two folders that name no project.
Where a short name means "in my own project and location" (an Eventarc destination, a
subscription's topic), the referrer's project and location decide first, and a resource in
the referrer's own folder is preferred. The finding names every candidate.

Baton does not guess: the reference gets a node of its own, so no edge is drawn to the wrong
resource, and none is dropped.

## Why it matters
Two environments (dev and prod) or two projects loaded together are the usual case. A
reference that could mean either is a reference a reader cannot follow either: the graph
cannot show which queue the workflow fills, and a rule cannot tell whether it is missing.

## Example
```yaml
name: projects/alpha/locations/us-central1/queues/jobs
---
name: projects/beta/locations/us-central1/queues/jobs
---
main:
  steps:
    - enqueue:
        call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
        args:             # alpha's or beta's? The workflow names no project of its own.
          parent: ${"projects/" + sys.get_env("GOOGLE_CLOUD_PROJECT_ID") + "/locations/us-central1/queues/jobs"}
          body: {task: {httpRequest: {url: "https://example.com"}}}
```

## How to fix
Write the full name (`projects/alpha/locations/us-central1/queues/jobs`), or load the
definitions of one environment at a time.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for ambiguity in graph.ambiguities() {
        let node = graph.node(ambiguity.node);
        let names: Vec<String> = ambiguity
            .candidates
            .iter()
            .map(|&c| format!("`{}`", graph.node(c).qualified_name()))
            .collect();
        let d = cx.report(
            ambiguity.loc,
            Subject::Node(ambiguity.node),
            format!(
                "{} `{}` could be any of {} loaded {}s ({}): Baton keeps it apart instead of guessing",
                node.kind.as_str(),
                node.name,
                names.len(),
                node.kind.as_str(),
                names.join(", ")
            ),
        );
        for &c in &ambiguity.candidates {
            let candidate = graph.node(c);
            d.related_to(
                candidate.loc,
                Subject::Node(c),
                format!("candidate `{}`", candidate.qualified_name()),
            );
        }
    }
}
