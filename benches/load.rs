//! Load throughput on a generated ~5 MB set of workflows (target: at least 8 MB/s native
//! release). Run with `cargo bench --bench load`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod generated_org;

use std::time::Instant;

use baton_analyzer::{load, SourceFile};

fn main() {
    let files: Vec<SourceFile> = generated_org::generate(1000, 50, 0)
        .into_iter()
        .map(|(path, text)| SourceFile::new(path, text))
        .collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut best = f64::MAX;
    let mut steps = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let ws = load(&files, &baton_analyzer::Limits::default());
        best = best.min(start.elapsed().as_secs_f64());
        assert!(
            ws.diagnostics.is_empty(),
            "generated input must load cleanly: {:?}",
            ws.diagnostics.first()
        );
        steps = ws
            .resources
            .iter()
            .map(|r| match &r.kind {
                baton_analyzer::ResourceKind::Workflow(w) => w.step_count(),
                _ => 0,
            })
            .sum();
    }
    let mb = bytes as f64 / 1e6;
    println!("load: {} files, {mb:.2} MB, {steps} steps: best of 5 {:.0} ms = {:.1} MB/s (target >= 8 MB/s)", files.len(), best * 1e3, mb / best);
}
