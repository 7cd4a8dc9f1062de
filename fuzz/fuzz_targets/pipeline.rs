//! The whole pipeline: 1 to 3 files (NUL-separated in the input) through `analyze`, the
//! interaction layout (fixed node sizes) and every export.
#![no_main]

use baton_analyzer::export::{dot, graph_json, mermaid, report_json, sarif};
use baton_analyzer::layout::{interaction_layout, Direction, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = baton_fuzz::files(data);
    let report = baton_analyzer::analyze(&files);
    baton_fuzz::check_findings(&files, &report.findings);

    let direction = if data.len() % 2 == 0 {
        Direction::TopDown
    } else {
        Direction::LeftRight
    };
    let layout = interaction_layout(
        &report.graph,
        |n| (40.0 + (n.index() % 5) as f64 * 30.0, 24.0),
        &Options::with_direction(direction),
    );
    assert_eq!(layout.nodes.len(), report.graph.graph.node_count());
    assert_eq!(layout.edges.len(), report.graph.graph.edge_count());
    baton_fuzz::check_layout(&layout);

    for json in [report_json(&files, &report), sarif(&files, &report)] {
        assert!(
            serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "invalid JSON: {json}"
        );
    }
    let _ = graph_json(&report.graph, &files).to_string();
    let _ = dot(&report.graph);
    let _ = mermaid(&report.graph);
});
