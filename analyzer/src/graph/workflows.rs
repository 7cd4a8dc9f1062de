//! Edges from workflow calls (../shared/docs/formats.md §1.3): `http.*` to whatever the URL names, connectors
//! to their API or to the queue, topic, bucket or workflow their arguments name.

use petgraph::graph::NodeIndex;

use super::url::{classify, is_static, segment_after, UrlTarget};
use super::values::{Template, Values};
use super::{Attempts, Edge, EdgeKind, EdgeStep, Graph, NodeKey, NodeKind, Target};
use crate::diagnostic::StepRef;
use crate::model::{
    Auth, Call, ParallelWork, ResourceId, ResourceKind, Retry, Step, StepBody, StepKind,
};
use crate::source::{FileId, Loc};
use crate::tree::Node;
use crate::Workspace;

/// `http.default_retry` and `http.default_retry_non_idempotent` retry 5 times.
const DEFAULT_POLICY_ATTEMPTS: u64 = 6;

pub fn connect(graph: &mut Graph, workspace: &Workspace) {
    for (i, resource) in workspace.resources.iter().enumerate() {
        let ResourceKind::Workflow(workflow) = &resource.kind else {
            continue;
        };
        let id = ResourceId::new(i);
        let Some(from) = graph.resource_node(id) else {
            continue;
        };
        if graph.node(from).resource != Some(id) {
            continue; // a second copy of the same workflow
        }
        let mut cx = Cx {
            graph,
            workspace,
            values: Values::new(workflow),
            file: workflow.file,
            from,
            at: StepRef::new(id, 0, 0),
        };
        for (s, sub) in workflow.subworkflows.iter().enumerate() {
            // Steps are numbered in source order at every depth, as `visit_steps` visits them.
            cx.at = StepRef::new(id, s, 0);
            cx.steps(&sub.steps, Attempts::Finite(1));
        }
    }
}

struct Cx<'g, 'a> {
    graph: &'g mut Graph,
    workspace: &'a Workspace,
    values: Values<'a>,
    /// Where the definition is written: argument values' positions are in this file.
    file: FileId,
    from: NodeIndex,
    /// The next step to be visited.
    at: StepRef,
}

impl<'a> Cx<'_, 'a> {
    fn steps(&mut self, steps: &'a [Step], attempts: Attempts) {
        for step in steps {
            let at = self.at;
            self.at.step += 1;
            self.body(step, at, &step.body, attempts);
        }
    }

    /// `at` is `step`; `attempts`: how often the enclosing `try` runs its body.
    fn body(&mut self, step: &'a Step, at: StepRef, body: &'a StepBody, attempts: Attempts) {
        match &body.kind {
            StepKind::Call(call) => self.call(step, at, call, attempts),
            StepKind::Switch(conditions) => {
                for c in conditions {
                    self.body(step, at, &c.body, attempts);
                }
            }
            StepKind::Try(t) => {
                let inner = match &t.retry {
                    Some(retry) => retry_attempts(retry),
                    None => attempts,
                };
                self.body(step, at, &t.body, inner);
                if let Some(except) = &t.except {
                    self.steps(&except.steps, attempts);
                }
            }
            StepKind::For(f) => self.steps(&f.steps, attempts),
            StepKind::Parallel(p) => match &p.work {
                ParallelWork::Branches(branches) => self.steps(branches, attempts),
                ParallelWork::For(f) => self.steps(&f.steps, attempts),
            },
            StepKind::Steps(steps) => self.steps(steps, attempts),
            StepKind::Jump | StepKind::Assign(_) | StepKind::Raise(_) | StepKind::Return(_) => {}
        }
    }

    fn call(&mut self, step: &'a Step, at: StepRef, call: &'a Call, attempts: Attempts) {
        let function = call.function.value.as_str();
        let args = call.args.as_ref();
        let arg = |key: &str| args.and_then(|a| a.get(key));
        let edge = |kind: EdgeKind, loc: Loc, label: &str| {
            let mut edge = Edge::new(kind, loc, label);
            edge.step = Some(EdgeStep {
                at,
                name: step.name.clone(),
            });
            edge.attempts = attempts;
            edge
        };
        let here = call.function.loc;
        if let Some(method) = function.strip_prefix("http.") {
            if !matches!(
                method,
                "get" | "post" | "put" | "patch" | "delete" | "request"
            ) {
                return;
            }
            let Some(url) = arg("url") else { return };
            let auth = match arg("auth")
                .and_then(|a| a.get("type"))
                .and_then(Node::as_str)
            {
                Some("OIDC") => Auth::Oidc,
                Some("OAuth2") => Auth::OAuth,
                _ => Auth::None,
            };
            for t in self.templates(url) {
                let to = self.url_node(&t, url);
                let kind = match classify(&t.text) {
                    // Both answer once the execution has started.
                    UrlTarget::WorkflowExecutions(_) | UrlTarget::RunJob(_) if method == "post" => {
                        EdgeKind::StartExecution
                    }
                    _ => EdgeKind::SyncCall,
                };
                let mut e = edge(kind, here, function);
                e.auth = Some(auth);
                self.graph.connect(self.from, to, e);
            }
            return;
        }
        if function == "experimental.executions.map" {
            if let Some(id) = arg("workflow_id") {
                for t in self.templates(id) {
                    let to = self.named(NodeKind::Workflow, &t, id);
                    self.graph
                        .connect(self.from, to, edge(EdgeKind::SyncCall, here, function));
                }
            }
            return;
        }
        let Some(path) = function.strip_prefix("googleapis.") else {
            return; // a subworkflow or the standard library
        };
        let parts: Vec<&str> = path.split('.').collect();
        let api = parts.first().copied().unwrap_or("");
        let method = parts.last().copied().unwrap_or("");
        let label = parts[parts.len().saturating_sub(2)..].join(".");
        match api {
            "cloudtasks" if path.ends_with(".tasks.create") => {
                let Some(parent) = arg("parent") else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                let target = args.and_then(|a| a.path(&["body", "task", "httpRequest"]));
                let app_engine =
                    args.and_then(|a| a.path(&["body", "task", "appEngineHttpRequest"]));
                for t in self.templates(parent) {
                    let queue = self.named_after(NodeKind::Queue, &t, "queues", parent);
                    self.graph
                        .connect(self.from, queue, edge(EdgeKind::Enqueue, here, &label));
                    self.dispatch(queue, target, app_engine);
                }
            }
            "pubsub" if path.ends_with(".topics.publish") => {
                let Some(topic) = arg("topic") else { return };
                for t in self.templates(topic) {
                    let to = self.named(NodeKind::Topic, &t, topic);
                    self.graph
                        .connect(self.from, to, edge(EdgeKind::Publish, here, &label));
                }
            }
            "storage" if path.contains("objects.") => {
                let (key, fires) = match method {
                    "insert" => ("bucket", Some("finalized")),
                    "copy" | "rewrite" | "compose" => ("destinationBucket", Some("finalized")),
                    "delete" => ("bucket", Some("deleted")),
                    "patch" | "update" => ("bucket", Some("metadataUpdated")),
                    _ => ("bucket", None),
                };
                let Some(bucket) = arg(key) else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                for t in self.templates(bucket) {
                    let to = self.bucket(&t, bucket);
                    let mut e = edge(EdgeKind::SyncCall, here, &label);
                    e.fires = fires;
                    self.graph.connect(self.from, to, e);
                }
            }
            "workflowexecutions" if method == "run" || method == "create" => {
                let (key, kind) = if method == "run" {
                    ("workflow_id", EdgeKind::SyncCall)
                } else {
                    ("parent", EdgeKind::StartExecution)
                };
                let Some(id) = arg(key) else { return };
                for t in self.templates(id) {
                    let to = if key == "parent" {
                        self.named_after(NodeKind::Workflow, &t, "workflows", id)
                    } else {
                        self.named(NodeKind::Workflow, &t, id)
                    };
                    self.graph.connect(self.from, to, edge(kind, here, &label));
                }
            }
            // The connector waits for the job's execution (a long-running operation) to end.
            "run" if path.ends_with(".jobs.run") => {
                let Some(name) = arg("name") else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                let location = arg("location").and_then(Node::as_str);
                for t in self.templates(name) {
                    let to = self.run_job(&t, location, name);
                    self.graph
                        .connect(self.from, to, edge(EdgeKind::SyncCall, here, &label));
                }
            }
            // Calls the function and waits for its answer (v1's `call` method).
            "cloudfunctions" if path.ends_with(".functions.call") => {
                let Some(name) = arg("name") else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                for t in self.templates(name) {
                    let to = self.named(NodeKind::Function, &t, name);
                    self.graph
                        .connect(self.from, to, edge(EdgeKind::SyncCall, here, &label));
                }
            }
            // Pulling makes the workflow a subscriber: the subscription delivers to it.
            "pubsub" if path.ends_with(".subscriptions.pull") => {
                let Some(subscription) = arg("subscription") else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                for t in self.templates(subscription) {
                    let from = self.named(NodeKind::Subscription, &t, subscription);
                    self.graph
                        .connect(from, self.from, edge(EdgeKind::Deliver, here, &label));
                }
            }
            // Runs the job now: it fires its target without waiting for it.
            "cloudscheduler" if path.ends_with(".jobs.run") => {
                let Some(name) = arg("name") else {
                    return self.api(api, here, edge(EdgeKind::SyncCall, here, &label));
                };
                for t in self.templates(name) {
                    let to = self.named(NodeKind::Job, &t, name);
                    self.graph
                        .connect(self.from, to, edge(EdgeKind::StartExecution, here, &label));
                }
            }
            _ => self.api(api, here, edge(EdgeKind::SyncCall, here, &label)),
        }
    }

    /// The Cloud Run job a connector's `name` runs: `projects/P/locations/L/jobs/J` (v2) or
    /// `namespaces/P/jobs/J` with a `location` argument (v1).
    fn run_job(&mut self, t: &Template, location: Option<&str>, at: &Node) -> NodeIndex {
        let loc = self.loc(at);
        let segment = |key| segment_after(&t.text, key);
        let target = segment("jobs").filter(|job| is_static(job)).map(|job| {
            let project = segment("projects").or_else(|| segment("namespaces"));
            let location = segment("locations").or(location);
            let project = project.filter(|p| is_static(p));
            let location = location.filter(|l| is_static(l));
            Target::known(NodeKind::RunJob, job, project, location)
        });
        match target {
            Some(target) => self.graph.resolve(self.from, &target, loc),
            None => self.graph.unresolved(self.from, &t.source, loc),
        }
    }

    /// The queue's dispatch edge to the task's HTTP or App Engine target.
    fn dispatch(&mut self, queue: NodeIndex, http: Option<&'a Node>, app_engine: Option<&'a Node>) {
        let attempts = self.queue_attempts(queue);
        if let Some(url) = http.and_then(|h| h.get("url")) {
            let auth = match http {
                Some(h) if h.get("oidcToken").is_some() => Auth::Oidc,
                Some(h) if h.get("oauthToken").is_some() => Auth::OAuth,
                _ => Auth::None,
            };
            for t in self.templates(url) {
                let to = self.url_node(&t, url);
                let mut edge = Edge::new(EdgeKind::Dispatch, self.loc(url), "task");
                edge.attempts = attempts;
                edge.auth = Some(auth);
                self.graph.connect(queue, to, edge);
            }
        } else if let Some(request) = app_engine {
            let service = request
                .path(&["appEngineRouting", "service"])
                .and_then(Node::as_str)
                .unwrap_or("default");
            let loc = self.loc(request);
            let key = NodeKey::global(NodeKind::External, format!("appengine/{service}"));
            let to = self.graph.ensure(key, loc);
            let mut edge = Edge::new(EdgeKind::Dispatch, loc, "task");
            edge.attempts = attempts;
            self.graph.connect(queue, to, edge);
        }
    }

    /// The attempts of a loaded queue (100 when not loaded: the Cloud Tasks default).
    fn queue_attempts(&self, queue: NodeIndex) -> Attempts {
        let max = self.graph.node(queue).resource.and_then(|i| {
            match &self.workspace.resources.get(i.index())?.kind {
                ResourceKind::Queue(q) => q.retry.max_attempts.as_ref().map(|a| a.value),
                _ => None,
            }
        });
        match max {
            Some(n) if n < 0 => Attempts::Unlimited,
            Some(n) => Attempts::Finite(u64::try_from(n.max(1)).unwrap_or(1)),
            None => Attempts::Finite(100),
        }
    }

    fn api(&mut self, api: &str, loc: Loc, edge: Edge) {
        let key = NodeKey::global(NodeKind::GoogleApi, format!("{api}.googleapis.com"));
        let to = self.graph.ensure(key, loc);
        self.graph.connect(self.from, to, edge);
    }

    fn templates(&self, node: &Node) -> Vec<Template> {
        let found = self.values.eval(node);
        if found.is_empty() {
            // A map or list where a string belongs: still an edge, to an unresolved target.
            let text = node.display();
            return vec![Template {
                text: format!("{{{text}}}"),
                source: text,
            }];
        }
        found
    }

    fn loc(&self, node: &Node) -> Loc {
        Loc::new(self.file, node.pos)
    }

    fn url_node(&mut self, t: &Template, at: &Node) -> NodeIndex {
        let loc = self.loc(at);
        self.graph.url_node(self.from, &t.text, &t.source, loc)
    }

    /// A resource named by a whole value (`projects/p/topics/t` or `t`); a part of the path
    /// that is not known statically leaves the project or location open.
    fn named(&mut self, kind: NodeKind, t: &Template, at: &Node) -> NodeIndex {
        let loc = self.loc(at);
        match Target::parse_template(kind, &t.text) {
            Some(target) => self.graph.resolve(self.from, &target, loc),
            None => self.graph.unresolved(self.from, &t.source, loc),
        }
    }

    /// A bucket: its name is global, whatever project the call runs in.
    fn bucket(&mut self, t: &Template, at: &Node) -> NodeIndex {
        let loc = self.loc(at);
        let name = super::short_name(&t.text);
        if t.is_static() && !name.is_empty() {
            let key = NodeKey::global(NodeKind::EventSource, name);
            self.graph.ensure(key, loc)
        } else {
            self.graph.unresolved(self.from, &t.source, loc)
        }
    }

    /// A resource named by the path up to the segment after `key` (`.../queues/q/tasks` is
    /// queue `q`).
    fn named_after(&mut self, kind: NodeKind, t: &Template, key: &str, at: &Node) -> NodeIndex {
        let loc = self.loc(at);
        let parts: Vec<&str> = t.text.split('/').collect();
        let target = parts
            .iter()
            .position(|part| *part == key)
            .filter(|&i| parts.get(i + 1).is_some_and(|name| !name.is_empty()))
            .and_then(|i| Target::parse_template(kind, &parts[..i + 2].join("/")));
        match target {
            Some(target) => self.graph.resolve(self.from, &target, loc),
            None => self.graph.unresolved(self.from, &t.source, loc),
        }
    }
}

fn retry_attempts(retry: &Retry) -> Attempts {
    match retry {
        Retry::Policy(p) if p.value.trim().starts_with("http.default_retry") => {
            Attempts::Finite(DEFAULT_POLICY_ATTEMPTS)
        }
        Retry::Custom(policy) => Attempts::Finite(
            policy
                .max_retries
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0)
                .saturating_add(1),
        ),
        Retry::Policy(_) => Attempts::Finite(1),
    }
}
