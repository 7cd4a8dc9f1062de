//! The rule catalog. One rule per file; each has a stable name (users and tools depend on it),
//! a stable code, a default severity, docs with fixed headings and, unless the loaders report
//! it, a `check` that reports through a [`Checker`].
//!
//! **Adding a rule:** write `rules/<name>.rs` with its `RULE`, add its fixtures in
//! `analyzer/tests/fixtures/rules/<name>/`, and add one line to [`catalog!`] below. Everything
//! else (the list, lookup by name or code, the SARIF driver, `baton rules`, the app) derives
//! from that line.

mod checker;
mod entries;

pub(crate) use checker::run;
pub use checker::Checker;

use crate::diagnostic::Severity;

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
    /// Looks at the analysis and reports; `None` for the rules the loaders report while they
    /// read the files, and for those the checker reports itself (suppressions).
    pub(crate) check: Option<fn(&mut Checker<'_>)>,
}

/// Declares every rule once, as `Variant: module`, in catalog order.
macro_rules! catalog {
    ($($id:ident: $module:ident,)*) => {
        $(mod $module;)*

        /// A rule, as a value: what findings, configuration and suppressions refer to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($id,)*
        }

        impl RuleId {
            /// Every rule, in catalog order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$id,)*];

            /// The rule's name, code, default severity, docs and check.
            pub fn meta(self) -> &'static Rule {
                match self {
                    $(RuleId::$id => &$module::RULE,)*
                }
            }
        }
    };
}

catalog! {
    ParseError: parse_error,
    UnrecognizedDocument: unrecognized_document,
    InvalidDefinition: invalid_definition,
    WorkflowLimit: workflow_limit,
    AmbiguousReference: ambiguous_reference,
    UnusedSuppression: unused_suppression,
    ModuleNotFollowed: module_not_followed,
    DuplicateResource: duplicate_resource,
    InvokerPublic: invoker_public,
    ConflictingDefinition: conflicting_definition,
    UnreachableStep: unreachable_step,
    UndefinedStep: undefined_step,
    MisplacedJump: misplaced_jump,
    DuplicateStep: duplicate_step,
    UndefinedSubworkflow: undefined_subworkflow,
    UnknownFunction: unknown_function,
    BlockingCallInExpression: blocking_call_in_expression,
    UnusedSubworkflow: unused_subworkflow,
    InfiniteLoop: infinite_loop,
    UnknownTarget: unknown_target,
    TopicWithoutSubscribers: topic_without_subscribers,
    UnusedQueue: unused_queue,
    UntriggeredWorkflow: untriggered_workflow,
    EventLoop: event_loop,
    SinglePointOfFailure: single_point_of_failure,
    CentralOrchestrator: central_orchestrator,
    InvalidCron: invalid_cron,
    InvalidTimeZone: invalid_time_zone,
    DstSensitiveSchedule: dst_sensitive_schedule,
    CallWithoutRetry: call_without_retry,
    UnboundedRetries: unbounded_retries,
    MissingDeadLetter: missing_dead_letter,
    RetryAmplification: retry_amplification,
    WorkflowTriggerNoRetry: workflow_trigger_no_retry,
    UnauthenticatedTarget: unauthenticated_target,
    SyncChain: sync_chain,
    DependencyCycle: dependency_cycle,
    HighCoupling: high_coupling,
    HardcodedEndpoint: hardcoded_endpoint,
}

impl RuleId {
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    pub fn code(self) -> &'static str {
        self.meta().code
    }

    /// The rule named `name_or_code` (`unreachable-step` or `ORC001`; codes in any case).
    pub fn parse(name_or_code: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| {
            let meta = r.meta();
            meta.name == name_or_code || meta.code.eq_ignore_ascii_case(name_or_code)
        })
    }

    /// Position in [`RuleId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_are_unique_and_parse_back() {
        for (i, &rule) in RuleId::ALL.iter().enumerate() {
            assert_eq!(rule.index(), i);
            assert_eq!(RuleId::parse(rule.name()), Some(rule));
            assert_eq!(RuleId::parse(rule.code()), Some(rule));
            assert_eq!(RuleId::parse(&rule.code().to_lowercase()), Some(rule));
        }
        assert_eq!(RuleId::parse("no-such-rule"), None);
    }
}
