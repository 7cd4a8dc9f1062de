//! Baton's web app: a thin Leptos shell over `baton-analyzer`. Files are read in the browser
//! and never leave it; the analysis, layout and SVG are the same Rust code as the CLI's.
//!
//! Pure logic (`key`, `place`, `scene`, `svg`, `persist`'s format) has native tests; components
//! live in `ui/`, browser plumbing in `io.rs`.

pub mod crash;
// The drawing is the analyzer's, so that the CLI writes the same SVG.
pub use baton_analyzer::view::{folders, key, place, scene, svg};
pub mod examples;
pub mod io;
pub mod persist;
pub mod state;
mod ui;

use leptos::prelude::*;

use crate::examples::{example, EXAMPLES};
use crate::state::State;

/// The example named in the URL (`#example=NAME`).
fn example_in_hash() -> Option<&'static examples::Example> {
    let hash = web_sys::window()?.location().hash().ok()?;
    example(hash.strip_prefix("#example=")?)
}

#[component]
pub fn App() -> impl IntoView {
    // Open the example in the URL, else the last workspace, else (first visit) example 1.
    let (files, from) = match (example_in_hash(), persist::load()) {
        (Some(e), _) => (e.sources(), Some(e.name)),
        (None, Some(files)) => (files, None),
        (None, None) => (EXAMPLES[0].sources(), Some(EXAMPLES[0].name)),
    };
    let state = State::new(files, from);
    provide_context(state);
    ui::theme::init();

    // Once the files differ from the example, the URL must not name it any more: a reload
    // would open the example instead of the user's work.
    Effect::new(move |_| {
        if state.example.get().is_none() && example_in_hash().is_some() {
            if let Some(window) = web_sys::window() {
                let url = window.location().pathname().unwrap_or_default()
                    + &window.location().search().unwrap_or_default();
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&url),
                    );
                }
            }
        }
    });
    // Keep the workspace across reloads; a refusal keeps it in memory and says so.
    Effect::new(move |_| {
        let files = state.files.get();
        crash::remember(persist::encode(&files));
        if let Err(message) = persist::save(&files) {
            state.notice.set(Some(message));
        }
    });
    // Test hook for the crash page (tests/browser.rs): `#debug-panic` panics once mounted.
    if web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .as_deref()
        == Some("#debug-panic")
    {
        request_animation_frame(|| panic!("debug panic requested by #debug-panic"));
    }
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(e) = example_in_hash() {
            if state.example.get_untracked() != Some(e.name) {
                state.replace(e.sources(), Some(e.name));
            }
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            state.selection.set(state::Selection::None);
        }
    });

    view! {
        <ui::toolbar::Toolbar/>
        <ui::notice::Notice/>
        <main class="layout">
            <aside class="side left" aria-label="Files and findings">
                <ui::files::FilesPanel/>
                <ui::findings::FindingsPanel/>
            </aside>
            <ui::graph::GraphView/>
            <ui::details::Details/>
        </main>
        <ui::drop::DropOverlay/>
    }
}
