//! Development aid: `cargo run -p baton-analyzer --example dump -- FILE...` prints what loads.
fn main() {
    let files: Vec<_> = std::env::args()
        .skip(1)
        .filter_map(|p| {
            Some(baton_analyzer::SourceFile::new(
                p.clone(),
                std::fs::read_to_string(&p).ok()?,
            ))
        })
        .collect();
    let report = baton_analyzer::analyze(&files);
    let ws = &report.workspace;
    for r in &ws.resources {
        let extra = match &r.kind {
            baton_analyzer::ResourceKind::Workflow(w) => format!(
                "{} subworkflows, {} steps",
                w.subworkflows.len(),
                w.step_count()
            ),
            _ => String::new(),
        };
        println!(
            "{}:{} {} {} {}",
            files[r.loc.file.0 as usize].path,
            r.loc.line,
            r.kind.label(),
            r.name,
            extra
        );
    }
    for d in &report.findings {
        println!(
            "{}:{}:{} {} {} {}",
            files[d.loc.file.0 as usize].path,
            d.loc.line,
            d.loc.column,
            d.severity.as_str(),
            d.rule,
            d.message
        );
    }
}
