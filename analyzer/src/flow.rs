//! Control flow of Workflows subworkflows, with the exact semantics of ../shared/docs/formats.md §1.4–1.7:
//! fall-through, `switch` fall-through when no condition matches, `next: end/break/continue`,
//! `return`, `raise`, try/retry/except, `for`, `parallel`, nested blocks and subworkflow calls.
//!
//! One petgraph `DiGraph` per subworkflow. Nodes are the named steps, plus an unnamed node for
//! each inline body (a switch condition's or a `try`'s), the join of each parallel step and the
//! end of each of its branches, and ENTRY, EXIT and RAISE. Reachability is plain graph
//! reachability except at a join, which waits for every branch. `tests/differential.rs` checks
//! it against an independent executor on thousands of generated workflows.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};
use petgraph::Direction;

use crate::expr::{called_functions, expression};
use crate::model::*;
use crate::source::Loc;
use crate::tree::{Node, Value};

/// A node of a subworkflow's control-flow graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowNode {
    Entry,
    /// Normal end: `return`, `next: end`, or falling off the end of the subworkflow.
    Exit,
    /// An error that leaves the subworkflow.
    Raise,
    /// The named step with this index in [`SubworkflowFlow::steps`].
    Step(usize),
    /// An inline body (switch condition, `try` body) of the step with this index.
    Inline(usize),
    /// Where a branch of the parallel step with this index ends, and where all its branches
    /// meet: the join is reached only once every branch has ended.
    Join(usize),
}

/// What kind of block a step sits in; decides which jumps may leave or enter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Root,
    Steps,
    Switch,
    For,
    Parallel,
    Try,
    Except,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub id: usize,
    pub kind: BlockKind,
}

/// A named step with where it sits.
#[derive(Debug)]
pub struct FlowStep<'a> {
    pub step: &'a Step,
    /// The step whose block holds this one.
    pub parent: Option<usize>,
    /// Enclosing blocks, outermost first.
    pub scope: Vec<Block>,
    pub reachable: bool,
}

/// A problem with a `next`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JumpIssue {
    /// `next` names no step of the subworkflow.
    Undefined {
        from: usize,
        target: String,
        loc: Loc,
    },
    /// `break` or `continue` outside a `for` loop.
    OutsideLoop {
        from: usize,
        target: String,
        loc: Loc,
    },
    /// A jump into a block that does not enclose the jumping step.
    IntoBlock { from: usize, to: usize, loc: Loc },
    /// A jump out of a `for` or `parallel` body to a step outside it.
    OutOfLoop {
        from: usize,
        to: usize,
        kind: BlockKind,
        loc: Loc,
    },
}

/// How a subworkflow is referred to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// `call: name`.
    Step,
    /// `${name(...)}` in an expression.
    Expression,
    /// `retry: {predicate: ${name}}`.
    RetryPredicate,
    /// `retry: ${http.default_retry}`.
    RetryPolicy,
}

/// A call of a function or subworkflow by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSite {
    pub callee: String,
    pub kind: CallKind,
    pub loc: Loc,
    /// The step that makes the call.
    pub step: usize,
}

impl CallSite {
    /// The call as written, for messages: `` `call: name` ``, `` `name(...)` ``, ...
    pub fn describe(&self) -> String {
        match self.kind {
            CallKind::Step => format!("`call: {}`", self.callee),
            CallKind::Expression => format!("`{}(...)`", self.callee),
            CallKind::RetryPredicate => format!("retry predicate `{}`", self.callee),
            CallKind::RetryPolicy => format!("retry policy `{}`", self.callee),
        }
    }
}

#[derive(Debug)]
pub struct SubworkflowFlow<'a> {
    pub subworkflow: &'a Subworkflow,
    pub steps: Vec<FlowStep<'a>>,
    pub graph: DiGraph<FlowNode, ()>,
    pub entry: NodeIndex,
    pub exit: NodeIndex,
    pub raise: NodeIndex,
    pub jump_issues: Vec<JumpIssue>,
    pub calls: Vec<CallSite>,
    /// Some path from the entry ends normally (`return`, `next: end`, or the last step).
    pub returns: bool,
}

impl<'a> SubworkflowFlow<'a> {
    /// Builds the control flow of every subworkflow of `workflow`, in its order. A `call` of a
    /// subworkflow that can never return does not continue after the call; which ones those
    /// are is found by rebuilding until nothing changes (each round only adds to the set, so
    /// at most one round per subworkflow). Cost: O(subworkflows × (steps + jumps)) at worst.
    pub fn build_all(workflow: &'a Workflow) -> Vec<SubworkflowFlow<'a>> {
        let mut never_returns = HashSet::new();
        loop {
            let flows: Vec<SubworkflowFlow<'a>> = workflow
                .subworkflows
                .iter()
                .map(|s| SubworkflowFlow::build_with(s, &never_returns))
                .collect();
            let mut changed = false;
            for flow in &flows {
                if !flow.returns {
                    changed |= never_returns.insert(flow.subworkflow.name.clone());
                }
            }
            if !changed {
                return flows;
            }
        }
    }

    /// Builds the control-flow graph of one subworkflow on its own, assuming that every call
    /// returns. Cost: O(steps + jumps).
    pub fn build(subworkflow: &'a Subworkflow) -> SubworkflowFlow<'a> {
        SubworkflowFlow::build_with(subworkflow, &HashSet::new())
    }

    /// Builds the control-flow graph; a `call` of a subworkflow in `never_returns` ends in an
    /// error. Cost: O(steps + jumps).
    fn build_with(
        subworkflow: &'a Subworkflow,
        never_returns: &HashSet<String>,
    ) -> SubworkflowFlow<'a> {
        let mut graph = DiGraph::new();
        let entry = graph.add_node(FlowNode::Entry);
        let exit = graph.add_node(FlowNode::Exit);
        let raise = graph.add_node(FlowNode::Raise);
        let mut builder = Builder {
            graph,
            steps: Vec::new(),
            nodes: Vec::new(),
            by_name: HashMap::new(),
            index: HashMap::new(),
            exit,
            issues: Vec::new(),
            calls: Vec::new(),
            next_block: 1,
            joins: HashMap::new(),
            never_returns,
        };
        let root = vec![Block {
            id: 0,
            kind: BlockKind::Root,
        }];
        builder.number(&subworkflow.steps, None, &root);
        let ctx = Ctx {
            handler: raise,
            loop_: None,
            scope: root,
        };
        let first = builder.block(&subworkflow.steps, exit, &ctx);
        builder.graph.add_edge(entry, first, ());
        let joins = builder.joins;
        let mut flow = SubworkflowFlow {
            subworkflow,
            steps: builder.steps,
            graph: builder.graph,
            entry,
            exit,
            raise,
            jump_issues: builder.issues,
            calls: builder.calls,
            returns: false,
        };
        // Plain reachability, except that a parallel step's join waits for all its branches
        // (../shared/docs/formats.md §1.4: the step completes when all branches finish).
        let mut reached = vec![false; flow.graph.node_count()];
        let mut stack = vec![entry];
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut reached[n.index()], true) {
                continue;
            }
            if let FlowNode::Step(i) = flow.graph[n] {
                flow.steps[i].reachable = true;
            }
            for m in flow.graph.neighbors(n) {
                let waiting = joins
                    .get(&m)
                    .is_some_and(|ends| ends.iter().any(|e| !reached[e.index()]));
                if !waiting {
                    stack.push(m);
                }
            }
        }
        flow.returns = reached[exit.index()];
        flow
    }

    /// Steps that can run but can never finish: they sit on a cycle from which neither a
    /// normal end nor a raised error is reachable. Returns the groups, one per cycle.
    pub fn stuck_cycles(&self) -> Vec<Vec<usize>> {
        let mut can_leave = vec![false; self.graph.node_count()];
        for start in [self.exit, self.raise] {
            let reversed = Reversed(&self.graph);
            let mut dfs = Dfs::new(reversed, start);
            while let Some(n) = dfs.next(reversed) {
                can_leave[n.index()] = true;
            }
        }
        let mut groups = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let cyclic = scc.len() > 1
                || scc.iter().any(|&n| {
                    self.graph
                        .neighbors_directed(n, Direction::Outgoing)
                        .any(|m| m == n)
                });
            if !cyclic || scc.iter().any(|n| can_leave[n.index()]) {
                continue;
            }
            let mut steps: Vec<usize> = scc
                .iter()
                .filter_map(|&n| match self.graph[n] {
                    FlowNode::Step(i) if self.steps[i].reachable => Some(i),
                    _ => None,
                })
                .collect();
            if !steps.is_empty() {
                steps.sort_unstable();
                groups.push(steps);
            }
        }
        groups.sort();
        groups
    }
}

#[derive(Clone)]
struct Ctx {
    /// Where a `raise` goes: the enclosing `except`, or out of the subworkflow.
    handler: NodeIndex,
    /// `(continue, break)` targets of the innermost loop.
    loop_: Option<(NodeIndex, NodeIndex)>,
    scope: Vec<Block>,
}

struct Builder<'a, 'n> {
    graph: DiGraph<FlowNode, ()>,
    steps: Vec<FlowStep<'a>>,
    /// Node of each step, by step index.
    nodes: Vec<NodeIndex>,
    /// First step with each name (duplicates are a separate finding).
    by_name: HashMap<&'a str, usize>,
    /// Index of each step, by address: the model has no ids of its own.
    index: HashMap<*const Step, usize>,
    exit: NodeIndex,
    issues: Vec<JumpIssue>,
    calls: Vec<CallSite>,
    next_block: usize,
    /// The join node of each parallel step with branches, and the end node of each branch.
    joins: HashMap<NodeIndex, Vec<NodeIndex>>,
    /// Subworkflows known never to return normally.
    never_returns: &'n HashSet<String>,
}

impl<'a> Builder<'a, '_> {
    /// First pass: gives every step an index and a node, in source order, so that forward
    /// jumps resolve. The second pass (`block`) visits steps in exactly the same order.
    fn number(&mut self, steps: &'a [Step], parent: Option<usize>, scope: &[Block]) {
        for step in steps {
            let index = self.steps.len();
            self.steps.push(FlowStep {
                step,
                parent,
                scope: scope.to_vec(),
                reachable: false,
            });
            self.nodes.push(self.graph.add_node(FlowNode::Step(index)));
            self.by_name.entry(&step.name).or_insert(index);
            self.index.insert(step as *const Step, index);
            self.number_body(&step.body, index, scope);
        }
    }

    fn number_body(&mut self, body: &'a StepBody, index: usize, scope: &[Block]) {
        let nested = |this: &mut Self, steps: &'a [Step], kind: BlockKind| {
            let mut inner = scope.to_vec();
            inner.push(Block {
                id: this.next_block,
                kind,
            });
            this.next_block += 1;
            this.number(steps, Some(index), &inner);
        };
        match &body.kind {
            StepKind::Steps(steps) => nested(self, steps, BlockKind::Steps),
            StepKind::Switch(conditions) => {
                for c in conditions {
                    match &c.body.kind {
                        StepKind::Steps(steps) => nested(self, steps, BlockKind::Switch),
                        _ => self.number_body(&c.body, index, scope),
                    }
                }
            }
            StepKind::For(f) => nested(self, &f.steps, BlockKind::For),
            StepKind::Parallel(p) => match &p.work {
                // Each branch is a block of its own: no jump may enter one from another.
                ParallelWork::Branches(branches) => {
                    for branch in branches {
                        nested(self, std::slice::from_ref(branch), BlockKind::Parallel);
                    }
                }
                ParallelWork::For(f) => nested(self, &f.steps, BlockKind::Parallel),
            },
            StepKind::Try(t) => {
                match &t.body.kind {
                    StepKind::Steps(steps) => nested(self, steps, BlockKind::Try),
                    _ => self.number_body(&t.body, index, scope),
                }
                if let Some(e) = &t.except {
                    nested(self, &e.steps, BlockKind::Except);
                }
            }
            StepKind::Jump
            | StepKind::Assign(_)
            | StepKind::Call(_)
            | StepKind::Raise(_)
            | StepKind::Return(_) => {}
        }
    }

    /// Wires a block whose end continues at `cont`; returns where the block starts.
    fn block(&mut self, steps: &'a [Step], cont: NodeIndex, ctx: &Ctx) -> NodeIndex {
        let Some(first) = steps.first() else {
            return cont;
        };
        for (offset, step) in steps.iter().enumerate() {
            let index = self.index_of(step);
            let fallthrough = steps
                .get(offset + 1)
                .map_or(cont, |next| self.nodes[self.index_of(next)]);
            self.body(self.nodes[index], index, &step.body, fallthrough, ctx);
        }
        self.nodes[self.index_of(first)]
    }

    fn index_of(&self, step: &Step) -> usize {
        self.index.get(&(step as *const Step)).copied().unwrap_or(0)
    }

    fn body(
        &mut self,
        node: NodeIndex,
        index: usize,
        body: &'a StepBody,
        fallthrough: NodeIndex,
        ctx: &Ctx,
    ) {
        let succ = match &body.next {
            Some(next) => self.jump(index, next, ctx).unwrap_or(self.exit),
            None => fallthrough,
        };
        self.scan_calls(index, body);
        match &body.kind {
            // A subworkflow that never returns can only fail: the error leaves the call.
            StepKind::Call(call) if self.never_returns.contains(&call.function.value) => {
                self.graph.add_edge(node, ctx.handler, ());
            }
            StepKind::Jump | StepKind::Assign(_) | StepKind::Call(_) => {
                self.graph.add_edge(node, succ, ());
            }
            StepKind::Return(_) => {
                self.graph.add_edge(node, self.exit, ());
            }
            StepKind::Raise(_) => {
                self.graph.add_edge(node, ctx.handler, ());
            }
            StepKind::Steps(steps) => {
                let inner = self.inner_ctx(steps, ctx, ctx.loop_);
                let start = self.block(steps, succ, &inner);
                self.graph.add_edge(node, start, ());
            }
            StepKind::Switch(conditions) => {
                // The first true condition wins (../shared/docs/formats.md §1.4): a literal `false` and any
                // condition after a literal `true` never run, and when none matches control
                // falls through. Dead conditions are still wired, so that their jumps and
                // calls are checked like those of any dead step.
                let mut exhaustive = false;
                for c in conditions {
                    let literal = c.literal();
                    let inline = self.graph.add_node(FlowNode::Inline(index));
                    if !exhaustive && literal != Some(false) {
                        self.graph.add_edge(node, inline, ());
                    }
                    self.body(inline, index, &c.body, succ, ctx);
                    exhaustive |= literal == Some(true);
                }
                if !exhaustive {
                    self.graph.add_edge(node, succ, ());
                }
            }
            // Each iteration of a parallel `for` has the control flow of a `for` body.
            StepKind::For(f)
            | StepKind::Parallel(Parallel {
                work: ParallelWork::For(f),
                ..
            }) => {
                let inner = self.inner_ctx(&f.steps, ctx, Some((node, succ)));
                let start = self.block(&f.steps, node, &inner);
                self.graph.add_edge(node, start, ());
                self.graph.add_edge(node, succ, ());
            }
            StepKind::Parallel(Parallel {
                work: ParallelWork::Branches(branches),
                ..
            }) => {
                // No `break`/`continue` crosses into a branch.
                let inner = self.inner_ctx(branches, ctx, None);
                let join = self.graph.add_node(FlowNode::Join(index));
                self.graph.add_edge(join, succ, ());
                let mut ends = Vec::new();
                for branch in branches {
                    let b = self.index_of(branch);
                    let end = self.graph.add_node(FlowNode::Join(index));
                    self.graph.add_edge(end, join, ());
                    ends.push(end);
                    self.graph.add_edge(node, self.nodes[b], ());
                    self.body(self.nodes[b], b, &branch.body, end, &inner);
                }
                if branches.is_empty() {
                    self.graph.add_edge(node, succ, ());
                }
                self.joins.insert(join, ends);
            }
            StepKind::Try(t) => {
                let except_start = t.except.as_ref().map(|e| {
                    let inner = self.inner_ctx(&e.steps, ctx, ctx.loop_);
                    self.block(&e.steps, succ, &inner)
                });
                let mut protected = ctx.clone();
                if let Some(start) = except_start {
                    protected.handler = start;
                    // Any step of a try body may fail, so the except block is reachable
                    // whenever the try step is.
                    self.graph.add_edge(node, start, ());
                }
                match &t.body.kind {
                    StepKind::Steps(steps) => {
                        let inner = self.inner_ctx(steps, &protected, protected.loop_);
                        let start = self.block(steps, succ, &inner);
                        self.graph.add_edge(node, start, ());
                    }
                    _ => {
                        let inline = self.graph.add_node(FlowNode::Inline(index));
                        self.graph.add_edge(node, inline, ());
                        self.body(inline, index, &t.body, succ, &protected);
                    }
                }
                let named = match &t.retry {
                    Some(Retry::Custom(RetryPolicy {
                        predicate: Some(p), ..
                    })) => Some((p, CallKind::RetryPredicate)),
                    // A policy is a library name (`http.default_retry`); a plain name is a
                    // variable holding a policy map.
                    Some(Retry::Policy(p)) if p.value.contains('.') => {
                        Some((p, CallKind::RetryPolicy))
                    }
                    _ => None,
                };
                if let Some((p, kind)) = named {
                    self.calls.push(CallSite {
                        callee: p.value.trim().to_string(),
                        kind,
                        loc: p.loc,
                        step: index,
                    });
                }
            }
        }
    }

    /// The context inside a nested block: the block's scope (read from its first step, which
    /// `number` filled in) and the loop targets for `break`/`continue`.
    fn inner_ctx(&self, steps: &[Step], ctx: &Ctx, loop_: Option<(NodeIndex, NodeIndex)>) -> Ctx {
        let scope = steps
            .first()
            .map(|s| self.steps[self.index_of(s)].scope.clone())
            .unwrap_or_else(|| ctx.scope.clone());
        Ctx {
            handler: ctx.handler,
            loop_,
            scope,
        }
    }

    fn jump(&mut self, from: usize, next: &At<String>, ctx: &Ctx) -> Option<NodeIndex> {
        let outside_loop = |this: &mut Self| {
            this.issues.push(JumpIssue::OutsideLoop {
                from,
                target: next.value.clone(),
                loc: next.loc,
            });
            None
        };
        match next.value.as_str() {
            "end" => Some(self.exit),
            "break" => ctx.loop_.map(|(_, brk)| brk).or_else(|| outside_loop(self)),
            "continue" => ctx
                .loop_
                .map(|(cont, _)| cont)
                .or_else(|| outside_loop(self)),
            name => {
                let Some(&to) = self.by_name.get(name) else {
                    self.issues.push(JumpIssue::Undefined {
                        from,
                        target: name.to_string(),
                        loc: next.loc,
                    });
                    return None;
                };
                let target_scope = &self.steps[to].scope;
                let from_scope = &self.steps[from].scope;
                let enclosing = target_scope.len() <= from_scope.len()
                    && target_scope
                        .iter()
                        .zip(from_scope)
                        .all(|(a, b)| a.id == b.id);
                if !enclosing {
                    self.issues.push(JumpIssue::IntoBlock {
                        from,
                        to,
                        loc: next.loc,
                    });
                } else if let Some(left) = from_scope[target_scope.len()..]
                    .iter()
                    .find(|b| matches!(b.kind, BlockKind::For | BlockKind::Parallel))
                {
                    self.issues.push(JumpIssue::OutOfLoop {
                        from,
                        to,
                        kind: left.kind,
                        loc: next.loc,
                    });
                }
                Some(self.nodes[to])
            }
        }
    }

    /// Records calls made by a step body: `call: name`, and function calls in its expressions.
    fn scan_calls(&mut self, step: usize, body: &'a StepBody) {
        let mut values: Vec<&Node> = Vec::new();
        match &body.kind {
            StepKind::Call(call) => {
                self.calls.push(CallSite {
                    callee: call.function.value.clone(),
                    kind: CallKind::Step,
                    loc: call.function.loc,
                    step,
                });
                values.extend(&call.args);
            }
            StepKind::Assign(assignments) => values.extend(assignments.iter().map(|a| &a.value)),
            StepKind::Return(v) | StepKind::Raise(v) => values.push(v),
            StepKind::Switch(conditions) => values.extend(conditions.iter().map(|c| &c.condition)),
            StepKind::For(f)
            | StepKind::Parallel(Parallel {
                work: ParallelWork::For(f),
                ..
            }) => match &f.source {
                ForSource::In(v) | ForSource::Range(v) => values.push(v),
            },
            StepKind::Parallel(_) | StepKind::Try(_) | StepKind::Steps(_) | StepKind::Jump => {}
        }
        let file = self.steps[step].step.loc.file;
        for value in values {
            value.walk(|n| {
                if let Value::Scalar(s) = &n.value {
                    if let Some(e) = expression(&s.text) {
                        for callee in called_functions(e) {
                            self.calls.push(CallSite {
                                callee: callee.to_string(),
                                kind: CallKind::Expression,
                                loc: Loc::new(file, n.pos),
                                step,
                            });
                        }
                    }
                }
            });
        }
    }
}
