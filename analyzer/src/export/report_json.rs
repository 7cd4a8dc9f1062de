//! `--format json`: the stable machine-readable report (`version` 1).

use crate::{Report, Severity, SourceFile};
use serde_json::{json, Value};

pub fn report_json(sources: &[SourceFile], report: &Report) -> String {
    let path = |loc: crate::Loc| {
        sources
            .get(loc.file.0 as usize)
            .map_or("", |s| s.path.as_str())
    };
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule.name(),
                "code": d.rule.code(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "subject": super::subject_name(report, d.subject),
                "about": super::subject_json(report, d.subject),
                "file": path(d.loc),
                "line": d.loc.line,
                "column": d.loc.column,
                "related": d.related.iter().map(|r| json!({"message": r.message, "file": path(r.loc), "line": r.loc.line, "column": r.loc.column})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let metrics = crate::metrics::metrics(&report.graph);
    let system = &metrics.system;
    let mut nodes: Vec<&crate::metrics::NodeMetrics> = metrics.nodes.iter().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let nodes: Vec<Value> = nodes
        .into_iter()
        .map(|m| {
            let node = report.graph.node(m.node);
            json!({
                "id": m.id,
                "kind": node.kind.as_str(),
                "name": node.name,
                "project": node.project,
                "location": node.location,
                "ca": m.ca,
                "ce": m.ce,
                "instability": m.instability,
                "sync_in": m.sync_in,
                "sync_out": m.sync_out,
                "async_in": m.async_in,
                "async_out": m.async_out,
            })
        })
        .collect();
    let count = |s: Severity| report.findings.iter().filter(|d| d.severity == s).count();
    let value = json!({
        "version": 1,
        "findings": findings,
        "metrics": {
            "resources": report.workspace.resources.len(),
            "system": {
                "sync_edges": system.sync_edges,
                "async_edges": system.async_edges,
                "sync_share": system.sync_share,
                "longest_sync_chain": {"hops": system.longest_sync_chain_hops(), "nodes": system.longest_sync_chain},
                "cycles": system.cycles,
                "sync_cycles": system.sync_cycles,
            },
            "nodes": nodes,
        },
        "summary": {"errors": count(Severity::Error), "warnings": count(Severity::Warning), "infos": count(Severity::Info), "files": sources.len()},
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
