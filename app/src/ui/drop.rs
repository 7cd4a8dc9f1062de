//! Drag and drop of files and folders anywhere on the page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::toolbar::load;
use crate::io;

#[component]
pub fn DropOverlay() -> impl IntoView {
    let state = super::state();
    let over = RwSignal::new(false);
    let _ = window_event_listener(leptos::ev::dragover, move |ev| {
        ev.prevent_default();
        over.set(true);
    });
    let _ = window_event_listener(leptos::ev::dragleave, move |ev| {
        // Leaving the window, not just one element.
        if ev.related_target().is_none() {
            over.set(false);
        }
    });
    let _ = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        over.set(false);
        if let Some(data) = ev.data_transfer() {
            spawn_local(async move {
                let (files, errors) = io::read_drop(&data).await;
                load(state, files, errors);
            });
        }
    });
    view! {
        <Show when=move || over.get()>
            <div class="drop-overlay" aria-hidden="true">"Drop files or folders to analyze them (nothing leaves your browser)"</div>
        </Show>
    }
}
