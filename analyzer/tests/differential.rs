//! Differential test of control flow: random workflows are written as YAML, loaded by the
//! analyzer and checked against an independent executor (`differential/exec.rs`) that explores
//! every path. For each subworkflow, the steps the executor can run must be exactly the steps
//! the analyzer marks reachable, and both must find the same bad jumps (../shared/docs/formats.md §1.5).
//! Reachability is compared only when no jump is bad: the two do not have to agree on what an
//! invalid jump would do, since Workflows rejects such definitions.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "differential/ast.rs"]
mod ast;
#[path = "differential/exec.rs"]
mod exec;

use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use ast::{Target, Workflow};
use baton_analyzer::flow::{JumpIssue, SubworkflowFlow};
use baton_analyzer::model::ResourceKind;
use baton_analyzer::SourceFile;
use exec::{Issue, Outcome, Program};

const CASES: u32 = 4000;
const SEED: u64 = 0x0ba7_0ba7;

/// Subworkflows whose reachability was compared, and those skipped for a bad jump.
static COMPARED: AtomicUsize = AtomicUsize::new(0);
static SKIPPED: AtomicUsize = AtomicUsize::new(0);

/// `BATON_DIFFERENTIAL_SEED` and `BATON_DIFFERENTIAL_CASES` explore beyond the fixed run.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn analyzer_reachability_matches_an_independent_executor() {
    let mut runner = TestRunner::new(Config {
        cases: u32::try_from(setting("BATON_DIFFERENTIAL_CASES", CASES.into())).unwrap_or(CASES),
        rng_seed: RngSeed::Fixed(setting("BATON_DIFFERENTIAL_SEED", SEED)),
        failure_persistence: None,
        max_shrink_iters: 20_000,
        ..Config::default()
    });
    let result = runner.run(&ast::workflow(), |wf| check(&wf));
    match result {
        Ok(()) => eprintln!(
            "{} subworkflows compared, {} skipped for an invalid jump",
            COMPARED.load(Ordering::Relaxed),
            SKIPPED.load(Ordering::Relaxed)
        ),
        Err(TestError::Fail(reason, wf)) => panic!(
            "the analyzer and the executor disagree: {reason}\nminimal workflow:\n{}",
            ast::yaml(&wf)
        ),
        Err(TestError::Abort(reason)) => panic!("aborted: {reason}"),
    }
}

fn check(wf: &Workflow<Target>) -> Result<(), TestCaseError> {
    let yaml = ast::yaml(wf);
    let workspace = baton_analyzer::load(
        &[SourceFile::new("generated.workflows.yaml", &*yaml)],
        &baton_analyzer::Limits::default(),
    );
    if !workspace.diagnostics.is_empty() {
        let messages: Vec<String> = workspace
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.loc.line, d.message))
            .collect();
        return Err(TestCaseError::fail(format!(
            "the loader rejected a generated workflow: {}",
            messages.join("; ")
        )));
    }
    let loaded = match workspace.resources.as_slice() {
        [resource] => match &resource.kind {
            ResourceKind::Workflow(w) => w,
            _ => return Err(TestCaseError::fail("not loaded as a workflow")),
        },
        _ => return Err(TestCaseError::fail("expected exactly one resource")),
    };
    let flows = SubworkflowFlow::build_all(loaded);
    let flow = |name: &str| {
        flows
            .iter()
            .find(|f| f.subworkflow.name == name)
            .ok_or_else(|| TestCaseError::fail(format!("subworkflow `{name}` not loaded")))
    };

    // `helper` first: whether it can return decides what a call of it does in `main`. When
    // its jumps are invalid, that is unknown and `main`'s reachability is not compared.
    let mut helper = Some(Outcome::default());
    if let Some(steps) = &wf.helper {
        helper = compare("helper", &Program::new(steps), flow("helper")?, Some(false))?;
    }
    let helper_returns = helper.map(|outcome| outcome.normal);
    compare(
        "main",
        &Program::new(&wf.main),
        flow("main")?,
        helper_returns,
    )?;
    Ok(())
}

/// Compares one subworkflow; returns the executor's outcome when its jumps were valid and its
/// reachability was compared (`helper_returns` known).
fn compare(
    name: &str,
    program: &Program<'_>,
    flow: &SubworkflowFlow<'_>,
    helper_returns: Option<bool>,
) -> Result<Option<Outcome>, TestCaseError> {
    let expected_issues = program.issues();
    let actual_issues = analyzer_issues(flow);
    if expected_issues != actual_issues {
        return Err(TestCaseError::fail(format!(
            "`{name}`: bad jumps differ\n  executor: {expected_issues:?}\n  analyzer: {actual_issues:?}"
        )));
    }
    let Some(helper_returns) = helper_returns.filter(|_| expected_issues.is_empty()) else {
        SKIPPED.fetch_add(1, Ordering::Relaxed);
        return Ok(None);
    };
    COMPARED.fetch_add(1, Ordering::Relaxed);
    let mut executed = HashSet::new();
    let outcome = program.run(helper_returns, &mut executed);
    let reachable: HashSet<String> = flow
        .steps
        .iter()
        .filter(|s| s.reachable)
        .map(|s| s.step.name.clone())
        .collect();
    if executed != reachable {
        let mut only_executor: Vec<&String> = executed.difference(&reachable).collect();
        let mut only_analyzer: Vec<&String> = reachable.difference(&executed).collect();
        only_executor.sort();
        only_analyzer.sort();
        return Err(TestCaseError::fail(format!(
            "`{name}`: reachable steps differ\n  run by the executor only: {only_executor:?}\n  \
             reachable for the analyzer only: {only_analyzer:?}"
        )));
    }
    if outcome.normal != flow.returns {
        return Err(TestCaseError::fail(format!(
            "`{name}`: can it return? executor: {}, analyzer: {}",
            outcome.normal, flow.returns
        )));
    }
    Ok(Some(outcome))
}

fn analyzer_issues(flow: &SubworkflowFlow<'_>) -> BTreeSet<(String, Issue, String)> {
    let name = |i: usize| flow.steps[i].step.name.clone();
    flow.jump_issues
        .iter()
        .map(|issue| match issue {
            JumpIssue::Undefined { from, target, .. } => {
                (name(*from), Issue::Undefined, target.clone())
            }
            JumpIssue::OutsideLoop { from, target, .. } => {
                (name(*from), Issue::OutsideLoop, target.clone())
            }
            JumpIssue::IntoBlock { from, to, .. } => (name(*from), Issue::IntoBlock, name(*to)),
            JumpIssue::OutOfLoop { from, to, .. } => (name(*from), Issue::OutOfLoop, name(*to)),
        })
        .collect()
}
