//! The one way findings are reported. A rule reports through a [`Checker`], which knows which
//! rule is speaking; [`run`] calls only the rules that are switched on, then applies to every
//! finding (the loaders' too) the configured severity and the `# baton: ignore[...]`
//! suppressions, and reports the suppressions that silenced nothing.

use petgraph::graph::NodeIndex;

use super::RuleId;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Subject};
use crate::source::{Loc, SourceFile};
use crate::suppress::Suppressions;

/// What a rule's `check` gets: the analysis to look at, and a way to report.
pub struct Checker<'a> {
    pub analysis: &'a Analysis<'a>,
    rule: RuleId,
    findings: &'a mut Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// Reports a finding of the running rule, with its default severity.
    pub fn report(
        &mut self,
        loc: Loc,
        subject: Subject,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.findings
            .push(Diagnostic::new(self.rule, loc, message).with_subject(subject));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Reports a finding about a graph node, at its definition (or first reference).
    pub fn on_node(&mut self, node: NodeIndex, message: impl Into<String>) -> &mut Diagnostic {
        let loc = self.analysis.graph.node(node).loc;
        self.report(loc, Subject::Node(node), message)
    }
}

/// Runs every rule that is switched on over `analysis`, adds their findings to the loaders'
/// and applies the configuration and the suppressions of `files`. Sorted by position.
pub(crate) fn run(
    analysis: &Analysis<'_>,
    files: &[SourceFile],
    mut findings: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let config = analysis.config;
    let loaded = findings.len();
    for &rule in RuleId::ALL {
        let Some(check) = rule.meta().check else {
            continue;
        };
        if config.is_enabled(rule) {
            check(&mut Checker {
                analysis,
                rule,
                findings: &mut findings,
            });
        }
    }
    // A resource known only by its name (an asset search result) has settings nobody has
    // read: findings about it would be guesses.
    let checked = findings.split_off(loaded);
    findings.extend(
        checked
            .into_iter()
            .filter(|d| !about_unread_settings(analysis, d)),
    );
    findings.retain(|d| config.is_enabled(d.rule));
    let mut suppressions = Suppressions::new(files);
    findings.retain(|d| !suppressions.silences(d));
    if config.is_enabled(RuleId::UnusedSuppression) {
        findings.extend(suppressions.unused(|rule| config.is_enabled(rule)));
    }
    for d in &mut findings {
        if let Some(severity) = config.severity(d.rule) {
            d.severity = severity;
        }
    }
    findings.sort_by(|a, b| (a.loc, a.rule, &a.message).cmp(&(b.loc, b.rule, &b.message)));
    findings
}

/// Whether `d` is about a resource whose settings the input does not give.
fn about_unread_settings(analysis: &Analysis<'_>, d: &Diagnostic) -> bool {
    let resource = match d.subject {
        crate::diagnostic::Subject::Resource(id) => Some(id),
        crate::diagnostic::Subject::Node(n) => analysis.graph.node(n).resource,
        _ => None,
    };
    resource
        .and_then(|id| analysis.workspace.resource(id))
        .is_some_and(|r| !r.settings_known)
}
