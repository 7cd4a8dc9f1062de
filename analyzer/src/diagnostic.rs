//! Findings: plain data, rendered by the CLI and the app, never by the analyzer.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::model::ResourceId;
use crate::rules::RuleId;
use crate::source::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a finding is about, exactly: the app places it on the graph from this alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Subject {
    /// Only the finding's position: a syntax error, a document Baton does not read.
    #[default]
    Position,
    /// A loaded resource, whatever became of it in the graph.
    Resource(ResourceId),
    /// A node of the interaction graph ([`crate::Report::graph`]), defined or only referenced.
    Node(NodeIndex),
    /// An interaction: an edge of the interaction graph.
    Edge(EdgeIndex),
    /// A subworkflow of a loaded workflow.
    Subworkflow(SubworkflowRef),
    /// A step of a subworkflow of a loaded workflow.
    Step(StepRef),
}

/// A subworkflow: its index in [`crate::model::Workflow::subworkflows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubworkflowRef {
    pub workflow: ResourceId,
    pub subworkflow: u32,
}

/// A step: its index among the subworkflow's steps in source order at every depth (the order of
/// [`crate::model::visit_steps`] and of [`crate::flow::SubworkflowFlow::steps`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepRef {
    pub workflow: ResourceId,
    pub subworkflow: u32,
    pub step: u32,
}

impl StepRef {
    pub fn new(workflow: ResourceId, subworkflow: usize, step: usize) -> StepRef {
        StepRef {
            workflow,
            subworkflow: u32::try_from(subworkflow).unwrap_or(u32::MAX),
            step: u32::try_from(step).unwrap_or(u32::MAX),
        }
    }

    pub fn subworkflow(self) -> SubworkflowRef {
        SubworkflowRef {
            workflow: self.workflow,
            subworkflow: self.subworkflow,
        }
    }
}

/// A secondary location that helps to explain a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub loc: Loc,
    pub message: String,
    /// What is there (an edge of a cycle, a candidate of an ambiguous name), when it is
    /// something on the graph.
    pub subject: Subject,
}

/// One finding about the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    /// Lowercase, no trailing period, meaningful without the source excerpt.
    pub message: String,
    pub loc: Loc,
    pub subject: Subject,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A finding of `rule` with its default severity, about the position `loc`.
    pub fn new(rule: RuleId, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.meta().severity,
            message: message.into(),
            loc,
            subject: Subject::Position,
            related: Vec::new(),
        }
    }

    pub fn with_subject(mut self, subject: Subject) -> Diagnostic {
        self.subject = subject;
        self
    }

    /// Adds a related location that is only a position.
    pub fn related(&mut self, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.related_to(loc, Subject::Position, message)
    }

    /// Adds a related location and what is there.
    pub fn related_to(
        &mut self,
        loc: Loc,
        subject: Subject,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.related.push(Related {
            loc,
            message: message.into(),
            subject,
        });
        self
    }

    /// Overrides the rule's default severity for this finding (a configured severity still
    /// wins).
    pub fn severity(&mut self, severity: Severity) -> &mut Diagnostic {
        self.severity = severity;
        self
    }
}
