//! Text formats of reports and of the graph, shared by the CLI and the app (downloads).

mod dot;
mod graph_json;
mod mermaid;
mod report_json;
mod sarif;
mod subject;

pub use dot::dot;
pub use graph_json::graph_json;
pub use mermaid::mermaid;
pub use report_json::report_json;
pub use sarif::sarif;
pub use subject::{subject_json, subject_name};

use crate::source::{Loc, SourceFile};

/// The path of the file `loc` points into.
pub fn path(files: &[SourceFile], loc: Loc) -> &str {
    files
        .get(loc.file.0 as usize)
        .map_or("", |f| f.path.as_str())
}
