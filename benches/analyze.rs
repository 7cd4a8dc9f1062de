//! The whole pipeline on a generated organisation: 1,000 workflows × 50 steps and 2,000 other
//! resources (about 6 MB). Targets: load + analyze < 1.5 s native release, peak memory < 1 GB.
//! Run with `cargo bench --bench analyze`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod generated_org;

use std::time::Instant;

use baton_analyzer::{analyze, RuleId, SourceFile};

fn main() {
    let files: Vec<SourceFile> = generated_org::generate(1000, 50, 2000)
        .into_iter()
        .map(|(path, text)| SourceFile::new(path, text))
        .collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut times = Vec::new();
    let mut summary = String::new();
    for _ in 0..5 {
        let start = Instant::now();
        let report = analyze(&files);
        times.push(start.elapsed().as_secs_f64());
        let loader_findings = report
            .findings
            .iter()
            .filter(|d| {
                matches!(
                    d.rule,
                    RuleId::ParseError | RuleId::InvalidDefinition | RuleId::UnrecognizedDocument
                )
            })
            .count();
        assert_eq!(loader_findings, 0, "generated input must load cleanly");
        summary = format!(
            "{} resources, {} nodes, {} edges, {} findings",
            report.workspace.resources.len(),
            report.graph.graph.node_count(),
            report.graph.graph.edge_count(),
            report.findings.len()
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "analyze: {} files, {:.2} MB ({summary}): median {:.0} ms, best {:.0} ms (target < 1500 ms); peak memory {} (target < 1 GB)",
        files.len(),
        bytes as f64 / 1e6,
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
        peak_memory().map_or("unknown".into(), |kb| format!("{:.0} MB", kb as f64 / 1024.0)),
    );
}

/// Peak resident set size in KiB (Linux: `VmHWM` in /proc/self/status).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
