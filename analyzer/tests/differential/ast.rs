//! The generator's own workflow AST, the proptest strategy that builds random ones, and the
//! YAML text they are written as (so the analyzer's loader is exercised too).
//!
//! Generation has two phases. The strategy draws a tree whose jumps are still raw numbers
//! (`RawJump`); `resolve` then names every step (unique per subworkflow) and turns each raw
//! jump into a target. Most jumps are picked among the targets that ../shared/docs/formats.md §1.5 allows from
//! that place; about one in 25 is picked among every name (plus an undefined one and the
//! reserved words), so that invalid jumps are generated too.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// A whole generated workflow: `main` and an optional `helper` that `main` may call.
#[derive(Clone, Debug)]
pub struct Workflow<J> {
    pub main: Vec<Step<J>>,
    pub helper: Option<Vec<Step<J>>>,
    /// Written as a bare step list (only without `helper`).
    pub bare: bool,
}

#[derive(Clone, Debug)]
pub struct Step<J> {
    pub name: String,
    pub kind: Kind<J>,
    pub next: Option<J>,
}

#[derive(Clone, Debug)]
pub enum Kind<J> {
    Assign,
    /// `call: sys.log`.
    Log,
    /// `call: helper`.
    CallHelper,
    Return,
    Raise,
    Switch(Vec<Cond<J>>),
    Steps(Vec<Step<J>>),
    Try {
        body: TryBody<J>,
        /// 0: none, 1: `${http.default_retry}`, 2: a custom policy map.
        retry: u8,
        except: Option<Vec<Step<J>>>,
    },
    For {
        range: bool,
        body: Vec<Step<J>>,
    },
    /// Each branch is a named step of kind `Steps`.
    Parallel(Vec<Step<J>>),
}

#[derive(Clone, Debug)]
pub struct Cond<J> {
    /// `Some(b)`: the literal `b`; `None`: an expression whose value is unknown.
    pub literal: Option<bool>,
    pub action: Action<J>,
}

#[derive(Clone, Debug)]
pub enum Action<J> {
    Next(J),
    Steps(Vec<Step<J>>),
    Return,
    Raise,
    /// An inline `assign`, with an optional `next`.
    Assign(Option<J>),
}

#[derive(Clone, Debug)]
pub enum TryBody<J> {
    Steps(Vec<Step<J>>),
    /// An inline `call: sys.log` body.
    Log,
}

/// A jump before it is resolved.
#[derive(Clone, Copy, Debug)]
pub struct RawJump {
    pick: u16,
    valid: bool,
}

/// A resolved `next`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    End,
    Break,
    Continue,
    /// A step name; may name no step (an invalid jump).
    Step(String),
}

impl Target {
    pub fn text(&self) -> &str {
        match self {
            Target::End => "end",
            Target::Break => "break",
            Target::Continue => "continue",
            Target::Step(name) => name,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Strategy

fn raw_jump() -> impl Strategy<Value = RawJump> {
    (any::<u16>(), prop::bool::weighted(0.96)).prop_map(|(pick, valid)| RawJump { pick, valid })
}

fn leaf() -> impl Strategy<Value = Step<RawJump>> {
    let kind = prop_oneof![
        3 => Just(Kind::Assign),
        3 => Just(Kind::Log),
        1 => Just(Kind::CallHelper),
        1 => Just(Kind::Return),
        1 => Just(Kind::Raise),
    ];
    (kind, option::weighted(0.25, raw_jump())).prop_map(|(kind, next)| Step {
        name: String::new(),
        kind,
        next,
    })
}

fn step() -> impl Strategy<Value = Step<RawJump>> {
    leaf().prop_recursive(4, 48, 4, |inner| {
        let block = vec(inner, 1..4);
        let literal = prop_oneof![
            8 => Just(None),
            1 => Just(Some(true)),
            1 => Just(Some(false)),
        ];
        let action = prop_oneof![
            3 => raw_jump().prop_map(Action::Next),
            3 => block.clone().prop_map(Action::Steps),
            1 => Just(Action::Return),
            1 => Just(Action::Raise),
            2 => option::of(raw_jump()).prop_map(Action::Assign),
        ];
        let cond = (literal, action).prop_map(|(literal, action)| Cond { literal, action });
        let try_body = prop_oneof![
            4 => block.clone().prop_map(TryBody::Steps),
            1 => Just(TryBody::Log),
        ];
        let branch = block.clone().prop_map(|steps| Step {
            name: String::new(),
            kind: Kind::Steps(steps),
            next: None,
        });
        let kind = prop_oneof![
            3 => vec(cond, 1..4).prop_map(Kind::Switch),
            1 => block.clone().prop_map(Kind::Steps),
            2 => (try_body, 0u8..3, option::weighted(0.8, block.clone()))
                .prop_map(|(body, retry, except)| Kind::Try { body, retry, except }),
            2 => (any::<bool>(), block).prop_map(|(range, body)| Kind::For { range, body }),
            1 => vec(branch, 1..4).prop_map(Kind::Parallel),
        ];
        (kind, option::weighted(0.25, raw_jump())).prop_map(|(kind, next)| Step {
            name: String::new(),
            kind,
            next,
        })
    })
}

/// Random workflows, with every step named and every jump resolved.
pub fn workflow() -> impl Strategy<Value = Workflow<Target>> {
    (
        vec(step(), 1..6),
        option::weighted(0.4, vec(step(), 1..5)),
        any::<bool>(),
    )
        .prop_map(|(main, helper, bare)| {
            resolve(Workflow {
                bare: bare && helper.is_none(),
                main,
                helper,
            })
        })
}

// ---------------------------------------------------------------------------------------
// Naming and jump resolution

fn resolve(mut wf: Workflow<RawJump>) -> Workflow<Target> {
    let has_helper = wf.helper.is_some();
    let main = resolve_sub(&mut wf.main, has_helper);
    let helper = wf.helper.as_mut().map(|h| resolve_sub(h, false));
    Workflow {
        main,
        helper,
        bare: wf.bare,
    }
}

fn resolve_sub(steps: &mut [Step<RawJump>], may_call: bool) -> Vec<Step<Target>> {
    let mut counter = 0;
    name_steps(steps, &mut counter);
    let mut all = Vec::new();
    collect_names(steps, &mut all);
    let mut r = Resolver {
        all,
        scopes: Vec::new(),
        may_call,
    };
    r.block(steps, None)
}

fn name_steps(steps: &mut [Step<RawJump>], counter: &mut usize) {
    for step in steps {
        *counter += 1;
        step.name = format!("s{counter}");
        match &mut step.kind {
            Kind::Switch(conds) => {
                for c in conds {
                    if let Action::Steps(b) = &mut c.action {
                        name_steps(b, counter);
                    }
                }
            }
            Kind::Steps(b) | Kind::For { body: b, .. } => name_steps(b, counter),
            Kind::Parallel(branches) => {
                for branch in branches {
                    *counter += 1;
                    branch.name = format!("b{counter}");
                    if let Kind::Steps(b) = &mut branch.kind {
                        name_steps(b, counter);
                    }
                }
            }
            Kind::Try { body, except, .. } => {
                if let TryBody::Steps(b) = body {
                    name_steps(b, counter);
                }
                if let Some(e) = except {
                    name_steps(e, counter);
                }
            }
            Kind::Assign | Kind::Log | Kind::CallHelper | Kind::Return | Kind::Raise => {}
        }
    }
}

pub fn collect_names<J>(steps: &[Step<J>], out: &mut Vec<String>) {
    for step in steps {
        out.push(step.name.clone());
        for block in child_blocks(&step.kind) {
            collect_names(block, out);
        }
    }
}

/// Every step list directly inside a step body.
pub fn child_blocks<J>(kind: &Kind<J>) -> Vec<&[Step<J>]> {
    let mut out: Vec<&[Step<J>]> = Vec::new();
    match kind {
        Kind::Switch(conds) => {
            for c in conds {
                if let Action::Steps(b) = &c.action {
                    out.push(b);
                }
            }
        }
        Kind::Steps(b) | Kind::For { body: b, .. } | Kind::Parallel(b) => out.push(b),
        Kind::Try { body, except, .. } => {
            if let TryBody::Steps(b) = body {
                out.push(b);
            }
            if let Some(e) = except {
                out.push(e);
            }
        }
        Kind::Assign | Kind::Log | Kind::CallHelper | Kind::Return | Kind::Raise => {}
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Boundary {
    For,
    Branch,
}

struct Resolver {
    all: Vec<String>,
    /// Enclosing blocks, outermost first: their step names and whether a loop body or a
    /// parallel branch starts there.
    scopes: Vec<(Vec<String>, Option<Boundary>)>,
    may_call: bool,
}

impl Resolver {
    fn block(
        &mut self,
        steps: &mut [Step<RawJump>],
        boundary: Option<Boundary>,
    ) -> Vec<Step<Target>> {
        let names = steps.iter().map(|s| s.name.clone()).collect();
        self.scopes.push((names, boundary));
        let out = steps.iter_mut().map(|s| self.step(s)).collect();
        self.scopes.pop();
        out
    }

    fn in_branch(&self) -> bool {
        self.scopes
            .iter()
            .any(|(_, b)| *b == Some(Boundary::Branch))
    }

    fn jump(&self, raw: RawJump) -> Target {
        let mut valid = Vec::new();
        for (names, boundary) in self.scopes.iter().rev() {
            valid.extend(names.iter().map(|n| Target::Step(n.clone())));
            if boundary.is_some() {
                break;
            }
        }
        if !self.in_branch() {
            valid.push(Target::End);
        }
        let innermost = self.scopes.iter().rev().find_map(|(_, b)| *b);
        if innermost == Some(Boundary::For) {
            valid.push(Target::Break);
            valid.push(Target::Continue);
        }
        if !raw.valid {
            valid = self.all.iter().map(|n| Target::Step(n.clone())).collect();
            valid.extend([
                Target::Step("nowhere".into()),
                Target::Break,
                Target::Continue,
            ]);
        }
        valid[usize::from(raw.pick) % valid.len()].clone()
    }

    fn step(&mut self, step: &mut Step<RawJump>) -> Step<Target> {
        let next = step.next.map(|j| self.jump(j));
        let kind = match &mut step.kind {
            Kind::Assign => Kind::Assign,
            Kind::Log => Kind::Log,
            Kind::CallHelper if self.may_call => Kind::CallHelper,
            Kind::CallHelper => Kind::Log,
            // `return` and `next: end` are not generated inside parallel branches.
            Kind::Return if self.in_branch() => Kind::Log,
            Kind::Return => Kind::Return,
            Kind::Raise => Kind::Raise,
            Kind::Switch(conds) => Kind::Switch(
                conds
                    .iter_mut()
                    .map(|c| Cond {
                        literal: c.literal,
                        action: match &mut c.action {
                            Action::Next(j) => Action::Next(self.jump(*j)),
                            Action::Steps(b) => Action::Steps(self.block(b, None)),
                            Action::Return if self.in_branch() => Action::Assign(None),
                            Action::Return => Action::Return,
                            Action::Raise => Action::Raise,
                            Action::Assign(j) => Action::Assign(j.map(|j| self.jump(j))),
                        },
                    })
                    .collect(),
            ),
            Kind::Steps(b) => Kind::Steps(self.block(b, None)),
            Kind::Try {
                body,
                retry,
                except,
            } => Kind::Try {
                body: match body {
                    TryBody::Steps(b) => TryBody::Steps(self.block(b, None)),
                    TryBody::Log => TryBody::Log,
                },
                retry: *retry,
                except: except.as_mut().map(|e| self.block(e, None)),
            },
            Kind::For { range, body } => Kind::For {
                range: *range,
                body: self.block(body, Some(Boundary::For)),
            },
            Kind::Parallel(branches) => Kind::Parallel(
                branches
                    .iter_mut()
                    .map(|b| {
                        // Each branch is a scope of its own holding just the branch step.
                        self.scopes
                            .push((vec![b.name.clone()], Some(Boundary::Branch)));
                        let steps = match &mut b.kind {
                            Kind::Steps(steps) => self.block(steps, None),
                            _ => Vec::new(),
                        };
                        self.scopes.pop();
                        Step {
                            name: b.name.clone(),
                            kind: Kind::Steps(steps),
                            next: None,
                        }
                    })
                    .collect(),
            ),
        };
        Step {
            name: step.name.clone(),
            kind,
            next,
        }
    }
}

// ---------------------------------------------------------------------------------------
// YAML

pub fn yaml(wf: &Workflow<Target>) -> String {
    let mut out = String::new();
    if wf.bare {
        steps_yaml(&mut out, &wf.main, 0);
        return out;
    }
    out.push_str("main:\n  steps:\n");
    steps_yaml(&mut out, &wf.main, 4);
    if let Some(helper) = &wf.helper {
        out.push_str("helper:\n  steps:\n");
        steps_yaml(&mut out, helper, 4);
    }
    out
}

fn line(out: &mut String, indent: usize, text: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(text);
    out.push('\n');
}

fn steps_yaml(out: &mut String, steps: &[Step<Target>], indent: usize) {
    for step in steps {
        line(out, indent, &format!("- {}:", step.name));
        body_yaml(out, &step.kind, indent + 4);
        if let Some(next) = &step.next {
            line(out, indent + 4, &format!("next: {}", next.text()));
        }
    }
}

fn body_yaml(out: &mut String, kind: &Kind<Target>, i: usize) {
    match kind {
        Kind::Assign => {
            line(out, i, "assign:");
            line(out, i + 2, "- x: 1");
        }
        Kind::Log => {
            line(out, i, "call: sys.log");
            line(out, i, "args:");
            line(out, i + 2, "text: hello");
        }
        Kind::CallHelper => line(out, i, "call: helper"),
        Kind::Return => line(out, i, "return: ${x}"),
        Kind::Raise => line(out, i, "raise: boom"),
        Kind::Switch(conds) => {
            line(out, i, "switch:");
            for c in conds {
                let condition = match c.literal {
                    Some(b) => b.to_string(),
                    None => "${x > 1}".to_string(),
                };
                line(out, i + 2, &format!("- condition: {condition}"));
                match &c.action {
                    Action::Next(t) => line(out, i + 4, &format!("next: {}", t.text())),
                    Action::Steps(b) => {
                        line(out, i + 4, "steps:");
                        steps_yaml(out, b, i + 6);
                    }
                    Action::Return => line(out, i + 4, "return: 0"),
                    Action::Raise => line(out, i + 4, "raise: failed"),
                    Action::Assign(next) => {
                        line(out, i + 4, "assign:");
                        line(out, i + 6, "- x: 2");
                        if let Some(t) = next {
                            line(out, i + 4, &format!("next: {}", t.text()));
                        }
                    }
                }
            }
        }
        Kind::Steps(b) => {
            line(out, i, "steps:");
            steps_yaml(out, b, i + 2);
        }
        Kind::Try {
            body,
            retry,
            except,
        } => {
            line(out, i, "try:");
            match body {
                TryBody::Steps(b) => {
                    line(out, i + 2, "steps:");
                    steps_yaml(out, b, i + 4);
                }
                TryBody::Log => {
                    line(out, i + 2, "call: sys.log");
                    line(out, i + 2, "args:");
                    line(out, i + 4, "text: attempt");
                }
            }
            match retry {
                1 => line(out, i, "retry: ${http.default_retry}"),
                2 => {
                    line(out, i, "retry:");
                    line(out, i + 2, "predicate: ${http.default_retry_predicate}");
                    line(out, i + 2, "max_retries: 2");
                    line(out, i + 2, "backoff:");
                    line(out, i + 4, "initial_delay: 1");
                    line(out, i + 4, "max_delay: 10");
                    line(out, i + 4, "multiplier: 2");
                }
                _ => {}
            }
            if let Some(e) = except {
                line(out, i, "except:");
                line(out, i + 2, "as: e");
                line(out, i + 2, "steps:");
                steps_yaml(out, e, i + 4);
            }
        }
        Kind::For { range, body } => {
            line(out, i, "for:");
            line(out, i + 2, "value: v");
            if *range {
                line(out, i + 2, "range: [1, 3]");
            } else {
                line(out, i + 2, "in: ${items}");
            }
            line(out, i + 2, "steps:");
            steps_yaml(out, body, i + 4);
        }
        Kind::Parallel(branches) => {
            line(out, i, "parallel:");
            line(out, i + 2, "branches:");
            steps_yaml(out, branches, i + 4);
        }
    }
}
