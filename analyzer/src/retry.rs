//! Which workflow `http.*` calls run under a retry policy (../shared/docs/formats.md §1.4).
//!
//! A `try` with a `retry` re-runs its whole body, so a call is retried when it sits anywhere in
//! the body of such a `try` (nested steps, switch branches, loops and parallel branches
//! included), but not in its `except` steps. A call in a subworkflow is also retried when every
//! call of that subworkflow is: the error propagates to the caller's `try`, which re-runs the
//! call. Connector calls (`googleapis.*`) retry by themselves and are never listed here.

use crate::analysis::WorkflowFlow;
use crate::diagnostic::StepRef;
use crate::flow::{CallKind, SubworkflowFlow};
use crate::model::{Call, Retry, Step, StepBody, StepKind};

/// The Workflows standard-library HTTP functions.
pub const HTTP_FUNCTIONS: [&str; 6] = [
    "http.get",
    "http.post",
    "http.put",
    "http.patch",
    "http.delete",
    "http.request",
];

/// An `http.*` call written as a `call:` step (or the inline body of a `try` or switch condition).
#[derive(Clone, Copy, Debug)]
pub struct HttpCall<'a> {
    /// The named step that makes the call.
    pub step: &'a Step,
    /// The same step, as a subject.
    pub at: StepRef,
    pub call: &'a Call,
    /// Whether a retry policy covers the call.
    pub retried: bool,
}

/// Whether `function` is one of [`HTTP_FUNCTIONS`].
pub fn is_http(function: &str) -> bool {
    HTTP_FUNCTIONS.contains(&function)
}

/// Whether a `retry` actually retries: any policy expression, or a custom policy unless it sets
/// `max_retries` to 0 (or less).
pub fn retries(retry: Option<&Retry>) -> bool {
    match retry {
        None => false,
        Some(Retry::Policy(_)) => true,
        Some(Retry::Custom(policy)) => policy.max_retries.is_none_or(|n| n > 0),
    }
}

/// Every `http.*` call step in the subworkflows that can run (reachable from `main`, or every
/// uncalled subworkflow of a file without `main`), skipping unreachable steps; in source order
/// per subworkflow.
pub fn http_calls<'a>(wf: &WorkflowFlow<'a>) -> Vec<HttpCall<'a>> {
    let n = wf.subworkflows.len();
    let index_of = |name: &str| {
        wf.subworkflows
            .iter()
            .position(|f| f.subworkflow.name == name)
    };
    // For each subworkflow, its callers: (calling subworkflow, whether that call is retried).
    let mut callers: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    // Every reference, retry predicates included, for reachability.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (caller, flow) in wf.subworkflows.iter().enumerate() {
        for site in &flow.calls {
            let Some(callee) = index_of(&site.callee) else {
                continue;
            };
            edges[caller].push(callee);
            if site.kind != CallKind::RetryPredicate {
                callers[callee].push((caller, site_retried(flow, site.step)));
            }
        }
    }
    // Least fixpoint: covered when called at least once and every call is covered.
    let mut covered = vec![false; n];
    loop {
        let mut changed = false;
        for s in 0..n {
            if !covered[s]
                && !callers[s].is_empty()
                && callers[s].iter().all(|&(c, r)| r || covered[c])
            {
                covered[s] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut reachable = vec![false; n];
    let mut todo: Vec<usize> = match index_of("main") {
        Some(main) => vec![main],
        None => (0..n).filter(|&s| callers[s].is_empty()).collect(),
    };
    while let Some(s) = todo.pop() {
        if !std::mem::replace(&mut reachable[s], true) {
            todo.extend(edges[s].iter().copied());
        }
    }
    let mut out = Vec::new();
    for (s, flow) in wf.subworkflows.iter().enumerate() {
        if !reachable[s] {
            continue;
        }
        for (i, flow_step) in flow.steps.iter().enumerate() {
            if !flow_step.reachable {
                continue;
            }
            let mut calls = Vec::new();
            inline_calls(
                &flow_step.step.body,
                covered[s] || under_retry(flow, i),
                &mut calls,
            );
            out.extend(
                calls
                    .into_iter()
                    .filter(|(call, _)| is_http(&call.function.value))
                    .map(|(call, retried)| HttpCall {
                        step: flow_step.step,
                        at: wf.step_ref(s, i),
                        call,
                        retried,
                    }),
            );
        }
    }
    out
}

/// Whether step `i` sits in the body (not the `except`) of a `try` with a retry, at any depth
/// of its own subworkflow.
fn under_retry(flow: &SubworkflowFlow<'_>, i: usize) -> bool {
    let mut child = i;
    while let Some(child_step) = flow.steps.get(child) {
        let Some(parent) = child_step.parent else {
            return false;
        };
        let Some(parent_step) = flow.steps.get(parent) else {
            return false;
        };
        if let StepKind::Try(t) = &parent_step.step.body.kind {
            let in_except = t
                .except
                .as_ref()
                .is_some_and(|e| e.steps.iter().any(|s| std::ptr::eq(s, child_step.step)));
            if !in_except && retries(t.retry.as_ref()) {
                return true;
            }
        }
        child = parent;
    }
    false
}

/// Whether a call made by step `i` itself (not by a nested named step) is retried: the step is
/// under a retry, or it is a retried `try` whose inline body makes the call.
fn site_retried(flow: &SubworkflowFlow<'_>, i: usize) -> bool {
    let own_try = flow.steps.get(i).is_some_and(
        |s| matches!(&s.step.body.kind, StepKind::Try(t) if retries(t.retry.as_ref())),
    );
    own_try || under_retry(flow, i)
}

/// The calls a step body makes itself, without a nested named step: `call:`, a `try`'s inline
/// body, a switch condition's inline body. Every named step is visited on its own by
/// [`crate::model::visit_steps`], so this plus that walk sees every `call:` once.
pub fn body_calls(body: &StepBody) -> Vec<&Call> {
    let mut calls = Vec::new();
    inline_calls(body, false, &mut calls);
    calls.into_iter().map(|(call, _)| call).collect()
}

/// [`body_calls`], each with whether a retry covers it (`retried` for the body itself).
fn inline_calls<'a>(body: &'a StepBody, retried: bool, out: &mut Vec<(&'a Call, bool)>) {
    match &body.kind {
        StepKind::Call(call) => out.push((call, retried)),
        StepKind::Try(t) => inline_calls(&t.body, retried || retries(t.retry.as_ref()), out),
        StepKind::Switch(conditions) => {
            for c in conditions {
                inline_calls(&c.body, retried, out);
            }
        }
        StepKind::Jump
        | StepKind::Assign(_)
        | StepKind::For(_)
        | StepKind::Parallel(_)
        | StepKind::Raise(_)
        | StepKind::Return(_)
        | StepKind::Steps(_) => {}
    }
}
