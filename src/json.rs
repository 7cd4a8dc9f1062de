//! `--format json`: the stable machine-readable report (`version` 1).

use baton_analyzer::{Report, Severity, SourceFile};
use serde_json::{json, Value};

pub fn report(sources: &[SourceFile], report: &Report) -> String {
    let path = |loc: baton_analyzer::Loc| {
        sources
            .get(loc.file.0 as usize)
            .map_or("", |s| s.path.as_str())
    };
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|d| {
            let rule = baton_analyzer::rules::rule(d.rule);
            json!({
                "rule": d.rule,
                "code": rule.map_or("", |r| r.code),
                "severity": d.severity.as_str(),
                "message": d.message,
                "subject": d.subject,
                "file": path(d.loc),
                "line": d.loc.line,
                "column": d.loc.column,
                "related": d.related.iter().map(|r| json!({"message": r.message, "file": path(r.loc), "line": r.loc.line, "column": r.loc.column})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let count = |s: Severity| report.findings.iter().filter(|d| d.severity == s).count();
    let value = json!({
        "version": 1,
        "findings": findings,
        "metrics": {"resources": report.workspace.resources.len()},
        "summary": {"errors": count(Severity::Error), "warnings": count(Severity::Warning), "infos": count(Severity::Info), "files": sources.len()},
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
