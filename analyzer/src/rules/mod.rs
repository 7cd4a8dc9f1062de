//! The rule catalog. One rule per file; each has a stable name (users and tools depend on it),
//! a stable code, a default severity and docs with fixed headings.

mod dependency_cycle;
mod duplicate_step;
mod hardcoded_endpoint;
mod high_coupling;
mod infinite_loop;
mod invalid_definition;
mod misplaced_jump;
mod parse_error;
mod sync_chain;
mod undefined_step;
mod undefined_subworkflow;
mod unreachable_step;
mod unrecognized_document;
mod unused_subworkflow;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

/// Metadata of one rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable kebab-case name; never renamed.
    pub name: &'static str,
    /// Stable code; never reused.
    pub code: &'static str,
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Markdown with the headings `## What it finds`, `## Why it matters`, `## Example`,
    /// `## How to fix`.
    pub docs: &'static str,
}

/// Every rule, in catalog order.
pub const RULES: &[Rule] = &[
    parse_error::RULE,
    unrecognized_document::RULE,
    invalid_definition::RULE,
    unreachable_step::RULE,
    undefined_step::RULE,
    misplaced_jump::RULE,
    duplicate_step::RULE,
    undefined_subworkflow::RULE,
    unused_subworkflow::RULE,
    infinite_loop::RULE,
    sync_chain::RULE,
    dependency_cycle::RULE,
    high_coupling::RULE,
    hardcoded_endpoint::RULE,
];

pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// Runs every analysis rule (loader rules report while loading).
pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    unreachable_step::check(analysis, out);
    undefined_step::check(analysis, out);
    misplaced_jump::check(analysis, out);
    duplicate_step::check(analysis, out);
    undefined_subworkflow::check(analysis, out);
    unused_subworkflow::check(analysis, out);
    infinite_loop::check(analysis, out);
    sync_chain::check(analysis, out);
    dependency_cycle::check(analysis, out);
    high_coupling::check(analysis, out);
    hardcoded_endpoint::check(analysis, out);
}
