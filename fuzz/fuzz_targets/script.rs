//! The command loader: a script, README, Makefile, Cloud Build or Actions file with a workflow
//! source and a sourced env file, through `analyze`, with every finding's location checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = baton_fuzz::script(data);
    let report = baton_analyzer::analyze(&files);
    baton_fuzz::check_findings(&files, &report.findings);
    for resource in &report.workspace.resources {
        baton_fuzz::check_loc(&files, resource.loc, &format!("resource {}", resource.name));
    }
});
