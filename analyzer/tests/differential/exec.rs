//! An executor of generated workflows written from the semantics of ../shared/docs/formats.md §1.4–1.5, not
//! from the analyzer's `flow.rs`. It explores every path: a condition that is not a literal may
//! be true or false, every step may raise (calls, expressions, `raise`), a `for` body runs 0, 1
//! or 2 times, every parallel branch runs and the parallel step completes normally only when
//! every branch can, and `call: helper` returns only if `helper` can return. A visited set of
//! (position, loop counters) states makes it terminate. It also judges each jump by the scope
//! rules of §1.5, independently of the analyzer.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::ast::{child_blocks, Action, Kind, Step, Target, TryBody};

type Id = usize;
type BlockId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    Root,
    /// A nested `steps:` step.
    Group(Id),
    /// The `steps` of a switch condition.
    Cond(Id),
    ForBody(Id),
    /// The scope of one parallel branch: holds just the branch step.
    BranchScope(Id),
    /// The steps of a branch step.
    BranchBody(Id),
    TryBody(Id),
    Except(Id),
}

struct Block {
    owner: Owner,
    steps: Vec<Id>,
}

/// One subworkflow, flattened: every step has an id and knows its block.
pub struct Program<'a> {
    steps: Vec<&'a Step<Target>>,
    block_of: Vec<BlockId>,
    position: Vec<usize>,
    blocks: Vec<Block>,
    /// Blocks directly inside each step, in `child_blocks` order.
    children: Vec<Vec<BlockId>>,
    by_name: HashMap<&'a str, Id>,
}

/// How a jump breaks the rules of ../shared/docs/formats.md §1.5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Issue {
    Undefined,
    OutsideLoop,
    IntoBlock,
    OutOfLoop,
}

/// Which ways a subworkflow (or a parallel branch) can end.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome {
    pub normal: bool,
    pub raise: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Pos {
    Exec(Id),
    /// The step completed normally.
    Finish(Id),
    /// Control fell off the end of the block.
    EndOf(BlockId),
}

/// Iteration counts of the enclosing `for` loops.
type Counters = Vec<(Id, u8)>;

enum Event {
    At(Pos, Counters),
    Normal,
    Raise,
}

const MAX_ITERATIONS: u8 = 2;

impl<'a> Program<'a> {
    pub fn new(steps: &'a [Step<Target>]) -> Program<'a> {
        let mut p = Program {
            steps: Vec::new(),
            block_of: Vec::new(),
            position: Vec::new(),
            blocks: Vec::new(),
            children: Vec::new(),
            by_name: HashMap::new(),
        };
        p.add_block(steps, Owner::Root);
        p
    }

    fn add_block(&mut self, steps: &'a [Step<Target>], owner: Owner) -> BlockId {
        let block = self.blocks.len();
        self.blocks.push(Block {
            owner,
            steps: Vec::new(),
        });
        for (position, step) in steps.iter().enumerate() {
            let id = self.add_step(step, block, position);
            self.blocks[block].steps.push(id);
        }
        block
    }

    fn add_step(&mut self, step: &'a Step<Target>, block: BlockId, position: usize) -> Id {
        let id = self.steps.len();
        self.steps.push(step);
        self.block_of.push(block);
        self.position.push(position);
        self.children.push(Vec::new());
        self.by_name.insert(&step.name, id);
        let mut children = Vec::new();
        match &step.kind {
            Kind::Parallel(branches) => {
                for branch in branches {
                    let scope = self.blocks.len();
                    self.blocks.push(Block {
                        owner: Owner::BranchScope(id),
                        steps: Vec::new(),
                    });
                    let b = self.add_step(branch, scope, 0);
                    self.blocks[scope].steps.push(b);
                    children.push(scope);
                }
            }
            kind => {
                let mut conds = 0;
                for child in child_blocks(kind) {
                    let owner = match kind {
                        Kind::Steps(_) if matches!(self.owner_of(block), Owner::BranchScope(_)) => {
                            Owner::BranchBody(id)
                        }
                        Kind::Steps(_) => Owner::Group(id),
                        Kind::Switch(_) => Owner::Cond(id),
                        Kind::For { .. } => Owner::ForBody(id),
                        Kind::Try { body, .. } => {
                            let in_body = matches!(body, TryBody::Steps(_)) && conds == 0;
                            conds += 1;
                            if in_body {
                                Owner::TryBody(id)
                            } else {
                                Owner::Except(id)
                            }
                        }
                        _ => Owner::Group(id),
                    };
                    children.push(self.add_block(child, owner));
                }
            }
        }
        self.children[id] = children;
        id
    }

    fn owner_of(&self, block: BlockId) -> Owner {
        self.blocks[block].owner
    }

    /// The step that holds a block, if any.
    fn holder(&self, block: BlockId) -> Option<Id> {
        match self.owner_of(block) {
            Owner::Root => None,
            Owner::Group(s)
            | Owner::Cond(s)
            | Owner::ForBody(s)
            | Owner::BranchScope(s)
            | Owner::BranchBody(s)
            | Owner::TryBody(s)
            | Owner::Except(s) => Some(s),
        }
    }

    fn parent(&self, block: BlockId) -> Option<BlockId> {
        self.holder(block).map(|s| self.block_of[s])
    }

    fn first(&self, block: BlockId) -> Pos {
        match self.blocks[block].steps.first() {
            Some(&s) => Pos::Exec(s),
            None => Pos::EndOf(block),
        }
    }

    fn name(&self, id: Id) -> &str {
        &self.steps[id].name
    }

    // -----------------------------------------------------------------------------------
    // Jump scope (../shared/docs/formats.md §1.5)

    /// Every `next` of the subworkflow with what is wrong with it: `(from step, issue, target)`.
    pub fn issues(&self) -> BTreeSet<(String, Issue, String)> {
        let mut out = BTreeSet::new();
        for id in 0..self.steps.len() {
            let step = self.steps[id];
            let mut targets: Vec<&Target> = step.next.iter().collect();
            if let Kind::Switch(conds) = &step.kind {
                for c in conds {
                    match &c.action {
                        Action::Next(t) | Action::Assign(Some(t)) => targets.push(t),
                        _ => {}
                    }
                }
            }
            for t in targets {
                if let Some(issue) = self.judge(id, t) {
                    out.insert((step.name.clone(), issue, t.text().to_string()));
                }
            }
        }
        out
    }

    fn judge(&self, from: Id, target: &Target) -> Option<Issue> {
        match target {
            Target::End => None,
            Target::Break | Target::Continue => match self.innermost_for(self.block_of[from]) {
                Some(_) => None,
                None => Some(Issue::OutsideLoop),
            },
            Target::Step(name) => {
                let Some(&to) = self.by_name.get(name.as_str()) else {
                    return Some(Issue::Undefined);
                };
                let mut crossed = false;
                let mut block = Some(self.block_of[from]);
                while let Some(b) = block {
                    if self.blocks[b].steps.contains(&to) {
                        return crossed.then_some(Issue::OutOfLoop);
                    }
                    if matches!(self.owner_of(b), Owner::ForBody(_) | Owner::BranchScope(_)) {
                        crossed = true;
                    }
                    block = self.parent(b);
                }
                Some(Issue::IntoBlock)
            }
        }
    }

    /// The innermost `for` whose body encloses `block`, not looking past a parallel branch.
    fn innermost_for(&self, block: BlockId) -> Option<Id> {
        let mut block = Some(block);
        while let Some(b) = block {
            match self.owner_of(b) {
                Owner::ForBody(f) => return Some(f),
                Owner::BranchScope(_) | Owner::Root => return None,
                _ => block = self.parent(b),
            }
        }
        None
    }

    // -----------------------------------------------------------------------------------
    // Exploration

    /// Explores every path of the subworkflow; `helper_returns` tells whether `call: helper`
    /// can complete normally. Adds every executed step to `executed`.
    pub fn run(&self, helper_returns: bool, executed: &mut HashSet<String>) -> Outcome {
        let start = self.first(0);
        let mut ids = HashSet::new();
        let out = self.explore(start, helper_returns, &mut ids);
        executed.extend(ids.into_iter().map(|id| self.name(id).to_string()));
        out
    }

    fn explore(&self, start: Pos, helper_returns: bool, executed: &mut HashSet<Id>) -> Outcome {
        let mut out = Outcome::default();
        let mut seen: HashSet<(Pos, Counters)> = HashSet::new();
        let mut work = vec![(start, Counters::new())];
        while let Some(state) = work.pop() {
            if !seen.insert(state.clone()) {
                continue;
            }
            let (pos, counters) = state;
            let events = match pos {
                Pos::Exec(s) => {
                    executed.insert(s);
                    self.exec(s, &counters, helper_returns, executed)
                }
                Pos::Finish(s) => self.finish(s, &counters),
                Pos::EndOf(b) => self.end_of(b, &counters),
            };
            for event in events {
                match event {
                    Event::At(pos, counters) => work.push((pos, counters)),
                    Event::Normal => out.normal = true,
                    Event::Raise => out.raise = true,
                }
            }
        }
        out
    }

    /// An event at `pos`, keeping only the counters of the loops that enclose it.
    fn at(&self, pos: Pos, counters: &Counters) -> Event {
        let block = match pos {
            Pos::Exec(s) | Pos::Finish(s) => self.block_of[s],
            Pos::EndOf(b) => b,
        };
        let mut enclosing = Vec::new();
        let mut b = Some(block);
        while let Some(blk) = b {
            if let Owner::ForBody(f) = self.owner_of(blk) {
                enclosing.push(f);
            }
            b = self.parent(blk);
        }
        let kept = counters
            .iter()
            .filter(|(f, _)| enclosing.contains(f))
            .copied()
            .collect();
        Event::At(pos, kept)
    }

    fn count(counters: &Counters, f: Id) -> u8 {
        counters
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| *n)
    }

    /// Starts iteration `n` of loop `f`.
    fn iteration(&self, f: Id, n: u8, counters: &Counters) -> Event {
        let mut c: Counters = counters.iter().filter(|(g, _)| *g != f).copied().collect();
        c.push((f, n));
        self.at(self.first(self.children[f][0]), &c)
    }

    /// After an iteration of `f`: the loop may end, or run again while under the bound.
    fn next_iteration(&self, f: Id, counters: &Counters, out: &mut Vec<Event>) {
        out.push(self.at(Pos::Finish(f), counters));
        let n = Self::count(counters, f);
        if n < MAX_ITERATIONS {
            out.push(self.iteration(f, n + 1, counters));
        }
    }

    fn exec(
        &self,
        s: Id,
        counters: &Counters,
        helper_returns: bool,
        executed: &mut HashSet<Id>,
    ) -> Vec<Event> {
        // Any step may fail: a call, an expression, a `raise`.
        let mut out = self.raise_from(self.block_of[s], counters);
        match &self.steps[s].kind {
            Kind::Assign | Kind::Log => out.push(self.at(Pos::Finish(s), counters)),
            Kind::CallHelper => {
                if helper_returns {
                    out.push(self.at(Pos::Finish(s), counters));
                }
            }
            Kind::Return => out.push(Event::Normal),
            Kind::Raise => {}
            Kind::Steps(_) => out.push(self.at(self.first(self.children[s][0]), counters)),
            Kind::Switch(conds) => {
                let mut blocks = self.children[s].iter();
                let mut exhaustive = false;
                for c in conds {
                    // A condition's block exists even when a literal `false` skips it.
                    let block = match &c.action {
                        Action::Steps(_) => blocks.next().copied(),
                        _ => None,
                    };
                    if c.literal == Some(false) {
                        continue;
                    }
                    match &c.action {
                        Action::Next(t) => self.jump(s, t, counters, &mut out),
                        Action::Steps(_) => {
                            if let Some(b) = block {
                                out.push(self.at(self.first(b), counters));
                            }
                        }
                        Action::Return => out.push(Event::Normal),
                        Action::Raise => {}
                        Action::Assign(Some(t)) => self.jump(s, t, counters, &mut out),
                        Action::Assign(None) => out.push(self.at(Pos::Finish(s), counters)),
                    }
                    // The first true condition wins: later ones are never evaluated.
                    if c.literal == Some(true) {
                        exhaustive = true;
                        break;
                    }
                }
                if !exhaustive {
                    out.push(self.at(Pos::Finish(s), counters));
                }
            }
            Kind::Try { body, .. } => match body {
                TryBody::Steps(_) => out.push(self.at(self.first(self.children[s][0]), counters)),
                TryBody::Log => {
                    out.extend(self.caught_by(s, counters));
                    out.push(self.at(Pos::Finish(s), counters));
                }
            },
            Kind::For { .. } => {
                out.push(self.at(Pos::Finish(s), counters));
                out.push(self.iteration(s, 1, counters));
            }
            Kind::Parallel(_) => {
                // Every branch starts, even when an earlier one can never complete.
                let completes: Vec<bool> = self.children[s]
                    .iter()
                    .map(|&scope| {
                        let branch = self.blocks[scope].steps[0];
                        self.explore(Pos::Exec(branch), helper_returns, executed)
                            .normal
                    })
                    .collect();
                if completes.iter().all(|&c| c) {
                    out.push(self.at(Pos::Finish(s), counters));
                }
            }
        }
        out
    }

    /// Where an error raised by a step of `block` goes.
    fn raise_from(&self, block: BlockId, counters: &Counters) -> Vec<Event> {
        match self.owner_of(block) {
            Owner::Root | Owner::BranchScope(_) => vec![Event::Raise],
            Owner::TryBody(t) => {
                let mut out = Vec::new();
                if matches!(&self.steps[t].kind, Kind::Try { retry, .. } if *retry > 0) {
                    // The whole try body runs again.
                    out.push(self.at(self.first(block), counters));
                }
                out.extend(self.caught_by(t, counters));
                out
            }
            Owner::Group(s)
            | Owner::Cond(s)
            | Owner::ForBody(s)
            | Owner::BranchBody(s)
            | Owner::Except(s) => self.raise_from(self.block_of[s], counters),
        }
    }

    /// An error in the body of try step `t`: its `except`, else it propagates.
    fn caught_by(&self, t: Id, counters: &Counters) -> Vec<Event> {
        let except = self.children[t]
            .iter()
            .copied()
            .find(|&b| self.owner_of(b) == Owner::Except(t));
        match except {
            Some(e) => vec![self.at(self.first(e), counters)],
            None => self.raise_from(self.block_of[t], counters),
        }
    }

    fn jump(&self, from: Id, target: &Target, counters: &Counters, out: &mut Vec<Event>) {
        match target {
            Target::End => out.push(Event::Normal),
            Target::Break => {
                if let Some(f) = self.innermost_for(self.block_of[from]) {
                    out.push(self.at(Pos::Finish(f), counters));
                }
            }
            Target::Continue => {
                if let Some(f) = self.innermost_for(self.block_of[from]) {
                    self.next_iteration(f, counters, out);
                }
            }
            Target::Step(name) => {
                if let Some(&to) = self.by_name.get(name.as_str()) {
                    out.push(self.at(Pos::Exec(to), counters));
                }
            }
        }
    }

    fn finish(&self, s: Id, counters: &Counters) -> Vec<Event> {
        let mut out = Vec::new();
        if let Some(next) = &self.steps[s].next {
            self.jump(s, next, counters, &mut out);
            return out;
        }
        let block = self.block_of[s];
        if let Owner::BranchScope(_) = self.owner_of(block) {
            // The branch is done: the parallel step joins it.
            out.push(Event::Normal);
            return out;
        }
        match self.blocks[block].steps.get(self.position[s] + 1) {
            Some(&next) => out.push(self.at(Pos::Exec(next), counters)),
            None => out.push(self.at(Pos::EndOf(block), counters)),
        }
        out
    }

    fn end_of(&self, block: BlockId, counters: &Counters) -> Vec<Event> {
        let mut out = Vec::new();
        match self.owner_of(block) {
            Owner::Root | Owner::BranchScope(_) => out.push(Event::Normal),
            Owner::Group(s)
            | Owner::Cond(s)
            | Owner::BranchBody(s)
            | Owner::TryBody(s)
            | Owner::Except(s) => out.push(self.at(Pos::Finish(s), counters)),
            Owner::ForBody(f) => self.next_iteration(f, counters, &mut out),
        }
        out
    }
}
