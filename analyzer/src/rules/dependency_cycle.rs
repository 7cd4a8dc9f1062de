use std::collections::{HashSet, VecDeque};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::Graph;
use crate::metrics::cyclic_components;

pub const RULE: Rule = Rule {
    name: "dependency-cycle",
    code: "CPL002",
    severity: Severity::Warning,
    summary: "workflows or services that call each other synchronously in a cycle",
    docs: r#"## What it finds
Workflows and services that call each other synchronously (`http.*`, connectors,
`executions.run`, or a loaded service's URL in a service's environment) so that a call can come
back to where it started: `a → b → a`, or a workflow that runs itself. One finding per cycle,
at its member written first, with the calls as related locations. A service whose environment
holds its own URL is not a cycle (it usually builds callbacks with it). Cycles that go through
a queue, a topic or a trigger are asynchronous: the `event-loop` rule looks at those.

## Why it matters
A synchronous cycle is a distributed deadlock or an unbounded recursion waiting to happen:
each member waits for the other while holding a connection, an instance and its timeout. The
members cannot be deployed, scaled or taken down independently, and one slow member stalls
them all.

## Example
```yaml
name: projects/demo/locations/europe-west1/workflows/orders
sourceContents: |
  main:
    steps:
      - bill:
          call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
          args: {workflow_id: billing}
---
name: projects/demo/locations/europe-west1/workflows/billing
sourceContents: |
  main:
    steps:
      - reorder:     # and `billing` runs `orders` again
          call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
          args: {workflow_id: orders}
```

## How to fix
Break the cycle: make one direction asynchronous (publish an event, enqueue a task, start the
execution with `executions.create`), or move the shared part into a third service both call.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let g = &graph.graph;
    let mut member = vec![false; g.node_count()];
    // Shared by every search so that many small cycles cost no more than one big one.
    let mut parent: Vec<Option<EdgeIndex>> = vec![None; g.node_count()];
    for component in cyclic_components(graph, true) {
        for n in &component {
            member[n.index()] = true;
        }
        // The member written first: defined ones before ones only referenced.
        let start = component
            .iter()
            .copied()
            .min_by_key(|&n| (!graph.is_defined(n), g[n].loc, g[n].id.as_str()));
        let cycle = start.and_then(|start| cycle_through(graph, start, &member, &mut parent));
        for n in &component {
            member[n.index()] = false;
            parent[n.index()] = None;
        }
        let (Some(start), Some(cycle)) = (start, cycle) else {
            continue;
        };
        let mut path: Vec<&str> = vec![g[start].label.as_str()];
        for &e in &cycle {
            if let Some((_, to)) = g.edge_endpoints(e) {
                path.push(g[to].label.as_str());
            }
        }
        let mut message = format!("synchronous call cycle: {}", path.join(" → "));
        if component.len() + 1 > path.len() {
            let on_path: HashSet<&str> = path.iter().copied().collect();
            let mut others: Vec<&str> = component
                .iter()
                .map(|&n| g[n].label.as_str())
                .filter(|id| !on_path.contains(id))
                .collect();
            others.sort_unstable();
            message.push_str(&format!(
                " ({} more in the same cycle: {})",
                others.len(),
                others.join(", ")
            ));
        }
        let diagnostic = cx.on_node(start, message);
        for &e in &cycle {
            let Some((from, to)) = g.edge_endpoints(e) else {
                continue;
            };
            let edge = &g[e];
            let mut text = format!("{} → {} ({}", g[from].label, g[to].label, edge.caption());
            if let Some(step) = edge.step.as_ref().map(|s| &s.name) {
                text.push_str(&format!(" in step `{step}`"));
            }
            if edge.soft {
                text.push_str(", inferred");
            }
            text.push(')');
            diagnostic.related_to(edge.loc, Subject::Edge(e), text);
        }
    }
}

/// The edges of a shortest synchronous cycle from `start` back to it, inside the component
/// marked in `member`. Breadth-first, with out-edges taken by target id then location so that
/// the answer does not depend on input order. Linear in the component's edges (plus sorting).
/// `parent` must be all `None` for the component's nodes; it is left set for them.
fn cycle_through(
    graph: &Graph,
    start: NodeIndex,
    member: &[bool],
    parent: &mut [Option<EdgeIndex>],
) -> Option<Vec<EdgeIndex>> {
    let g = &graph.graph;
    let inside = |n: NodeIndex| member.get(n.index()).copied().unwrap_or(false);
    let sorted_out = |n: NodeIndex| {
        let mut edges: Vec<_> = g
            .edges_directed(n, Direction::Outgoing)
            .filter(|e| e.weight().kind.is_sync() && inside(e.target()))
            .collect();
        edges.sort_by(|a, b| {
            (g[a.target()].id.as_str(), a.weight().loc)
                .cmp(&(g[b.target()].id.as_str(), b.weight().loc))
        });
        edges
    };
    // A self call: the earliest written one that is not soft.
    if let Some(e) = sorted_out(start)
        .into_iter()
        .find(|e| e.target() == start && !e.weight().soft)
    {
        return Some(vec![e.id()]);
    }
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for e in sorted_out(n) {
            let to = e.target();
            if to == n {
                continue;
            }
            if to == start {
                let mut cycle = vec![e.id()];
                let mut at = n;
                while at != start {
                    let back = parent[at.index()]?;
                    cycle.push(back);
                    at = g.edge_endpoints(back)?.0;
                }
                cycle.reverse();
                return Some(cycle);
            }
            if parent[to.index()].is_none() {
                parent[to.index()] = Some(e.id());
                queue.push_back(to);
            }
        }
    }
    None
}
