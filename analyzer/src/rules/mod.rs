//! The rule catalog. One rule per file; each has a stable name (users and tools depend on it),
//! a stable code, a default severity and docs with fixed headings.

mod call_without_retry;
mod dependency_cycle;
mod dst_sensitive_schedule;
mod duplicate_step;
mod event_loop;
mod hardcoded_endpoint;
mod high_coupling;
mod infinite_loop;
mod invalid_cron;
mod invalid_definition;
mod invalid_time_zone;
mod misplaced_jump;
mod missing_dead_letter;
mod parse_error;
mod retry_amplification;
mod single_point_of_failure;
mod sync_chain;
mod topic_without_subscribers;
mod unauthenticated_target;
mod unbounded_retries;
mod undefined_step;
mod undefined_subworkflow;
mod unknown_target;
mod unreachable_step;
mod unrecognized_document;
mod untriggered_workflow;
mod unused_queue;
mod unused_subworkflow;
mod workflow_limit;
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
    workflow_limit::RULE,
    unreachable_step::RULE,
    undefined_step::RULE,
    misplaced_jump::RULE,
    duplicate_step::RULE,
    undefined_subworkflow::RULE,
    unused_subworkflow::RULE,
    infinite_loop::RULE,
    unknown_target::RULE,
    topic_without_subscribers::RULE,
    unused_queue::RULE,
    untriggered_workflow::RULE,
    event_loop::RULE,
    single_point_of_failure::RULE,
    invalid_cron::RULE,
    invalid_time_zone::RULE,
    dst_sensitive_schedule::RULE,
    call_without_retry::RULE,
    unbounded_retries::RULE,
    missing_dead_letter::RULE,
    retry_amplification::RULE,
    workflow_trigger_no_retry::RULE,
    unauthenticated_target::RULE,
    sync_chain::RULE,
    dependency_cycle::RULE,
    high_coupling::RULE,
    hardcoded_endpoint::RULE,
];

impl Rule {
    /// A finding of this rule about a graph node, at its definition (or first reference).
    pub fn on_node(&self, node: &crate::graph::Node, message: String) -> Diagnostic {
        Diagnostic::new(self.name, self.severity, node.loc, message).with_subject(&node.name)
    }
}

pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// Runs every analysis rule (loader rules report while loading).
pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    workflow_limit::check(analysis, out);
    unreachable_step::check(analysis, out);
    undefined_step::check(analysis, out);
    misplaced_jump::check(analysis, out);
    duplicate_step::check(analysis, out);
    undefined_subworkflow::check(analysis, out);
    unused_subworkflow::check(analysis, out);
    infinite_loop::check(analysis, out);
    unknown_target::check(analysis, out);
    topic_without_subscribers::check(analysis, out);
    unused_queue::check(analysis, out);
    untriggered_workflow::check(analysis, out);
    event_loop::check(analysis, out);
    single_point_of_failure::check(analysis, out);
    retry_amplification::check(analysis, out);
    invalid_cron::check(analysis, out);
    invalid_time_zone::check(analysis, out);
    dst_sensitive_schedule::check(analysis, out);
    call_without_retry::check(analysis, out);
    unbounded_retries::check(analysis, out);
    missing_dead_letter::check(analysis, out);
    workflow_trigger_no_retry::check(analysis, out);
    unauthenticated_target::check(analysis, out);
    sync_chain::check(analysis, out);
    dependency_cycle::check(analysis, out);
    high_coupling::check(analysis, out);
    hardcoded_endpoint::check(analysis, out);
}
