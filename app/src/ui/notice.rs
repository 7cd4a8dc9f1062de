use leptos::prelude::*;

/// A dismissable message: storage full, a file that could not be read, ...
#[component]
pub fn Notice() -> impl IntoView {
    let state = super::state();
    view! {
        <Show when=move || state.notice.get().is_some()>
            <div class="notice" role="status" data-testid="notice">
                <span>{move || state.notice.get().unwrap_or_default()}</span>
                <button type="button" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"×"</button>
            </div>
        </Show>
    }
}
