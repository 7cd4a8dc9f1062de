//! The first view of a big workspace, natively: generated organisations of about 2,000 and
//! 10,000 nodes analysed, their folder overview built and laid out (what the page draws
//! first), one folder opened, and the flat drawing of every node for comparison. The browser's
//! figures for the same estates are in `cargo bench --bench browser`. Run with
//! `cargo bench --bench overview`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod generated_org;

use std::collections::BTreeSet;
use std::time::Instant;

use baton_analyzer::view::key::SceneKey;
use baton_analyzer::view::scene::{build, Grouping, ViewOptions};
use baton_analyzer::{analyze, SourceFile};

fn main() {
    for (workflows, others) in [(200, 1500), (1000, 8000)] {
        let files: Vec<SourceFile> = generated_org::generate(workflows, 14, others)
            .into_iter()
            .map(|(path, text)| SourceFile::new(path, text))
            .collect();
        let (report, analysed) = timed(|| analyze(&files));
        let nodes = report.graph.graph.node_count();
        let (overview, grouped) = timed(|| build(&report, &ViewOptions::default()));
        let folder = overview.nodes.iter().find_map(|n| match &n.key {
            SceneKey::Folder(path) => Some(path.clone()),
            _ => None,
        });
        let opened = ViewOptions {
            opened: folder.into_iter().collect::<BTreeSet<_>>(),
            ..ViewOptions::default()
        };
        let (one_open, open_ms) = timed(|| build(&report, &opened));
        let flat = ViewOptions {
            grouping: Grouping::Flat,
            ..ViewOptions::default()
        };
        let (all, flat_ms) = timed(|| build(&report, &flat));
        println!(
            "{nodes} nodes, {} edges ({} files): analysed in {analysed:.0} ms; overview of {} boxes and nodes in {grouped:.1} ms; one folder opened ({} drawn) in {open_ms:.1} ms; flat ({} drawn) in {flat_ms:.0} ms",
            report.graph.graph.edge_count(),
            files.len(),
            overview.nodes.len(),
            one_open.nodes.len(),
            all.nodes.len(),
        );
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64() * 1e3)
}
