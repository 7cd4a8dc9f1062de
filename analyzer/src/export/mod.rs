//! Text formats of the graph, shared by the CLI (`baton graph`) and the app (copy Mermaid).

mod dot;
mod graph_json;
mod mermaid;

pub use dot::dot;
pub use graph_json::graph_json;
pub use mermaid::mermaid;

use crate::source::{Loc, SourceFile};

/// The path of the file `loc` points into.
pub fn path(files: &[SourceFile], loc: Loc) -> &str {
    files
        .get(loc.file.0 as usize)
        .map_or("", |f| f.path.as_str())
}
