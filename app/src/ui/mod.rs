//! Components: each panel in its own file, reading and writing the app's `State` from context.

pub mod details;
pub mod drop;
pub mod files;
pub mod findings;
pub mod graph;
pub mod notice;
pub mod theme;
pub mod toolbar;
pub mod virtual_list;

use leptos::prelude::*;

use crate::state::State;

pub fn state() -> State {
    expect_context::<State>()
}

/// `file:line` of a location.
pub fn file_line(files: &[baton_analyzer::SourceFile], loc: baton_analyzer::Loc) -> String {
    let file = files
        .get(loc.file.0 as usize)
        .map_or("?", |f| f.path.as_str());
    format!("{file}:{}", loc.line)
}
