//! The rule catalog. One rule per file; each has a stable name (users and tools depend on it),
//! a stable code, a default severity and docs with fixed headings.

mod call_without_retry;
mod dst_sensitive_schedule;
mod duplicate_step;
mod infinite_loop;
mod invalid_cron;
mod invalid_definition;
mod invalid_time_zone;
mod misplaced_jump;
mod missing_dead_letter;
mod parse_error;
mod unauthenticated_target;
mod unbounded_retries;
mod undefined_step;
mod undefined_subworkflow;
mod unreachable_step;
mod unrecognized_document;
mod unused_subworkflow;
mod workflow_trigger_no_retry;

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
    invalid_cron::RULE,
    invalid_time_zone::RULE,
    dst_sensitive_schedule::RULE,
    call_without_retry::RULE,
    unbounded_retries::RULE,
    missing_dead_letter::RULE,
    workflow_trigger_no_retry::RULE,
    unauthenticated_target::RULE,
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
    invalid_cron::check(analysis, out);
    invalid_time_zone::check(analysis, out);
    dst_sensitive_schedule::check(analysis, out);
    call_without_retry::check(analysis, out);
    unbounded_retries::check(analysis, out);
    missing_dead_letter::check(analysis, out);
    workflow_trigger_no_retry::check(analysis, out);
    unauthenticated_target::check(analysis, out);
}
