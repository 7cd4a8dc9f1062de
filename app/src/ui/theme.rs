//! Dark mode follows the system until the user picks one with the toggle (remembered).

use wasm_bindgen::JsCast;

use crate::persist;
use leptos::prelude::*;

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn apply(theme: &str) {
    if let Some(root) = root() {
        let _ = root.set_attribute("data-theme", theme);
    }
}

/// Applies the remembered theme, or the system's, and follows the system's changes until the
/// user picks one.
pub fn init() {
    match persist::theme() {
        Some(theme) => apply(&theme),
        None => apply(if system_dark() { "dark" } else { "light" }),
    }
    let query = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    if let Some(query) = query {
        let follow = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            |event: web_sys::MediaQueryListEvent| {
                if persist::theme().is_none() {
                    apply(if event.matches() { "dark" } else { "light" });
                }
            },
        );
        let _ = query.add_event_listener_with_callback("change", follow.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        follow.forget();
    }
}

pub fn is_dark() -> bool {
    match root().and_then(|r| r.get_attribute("data-theme")) {
        Some(theme) => theme == "dark",
        None => system_dark(),
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(is_dark());
    let toggle = move |_| {
        let next = if dark.get_untracked() {
            "light"
        } else {
            "dark"
        };
        if let Some(root) = root() {
            let _ = root.set_attribute("data-theme", next);
        }
        persist::save_theme(next);
        dark.set(next == "dark");
    };
    view! {
        <button type="button" class="icon" data-testid="theme-toggle" on:click=toggle
            aria-pressed=move || dark.get().to_string()
            title=move || if dark.get() { "Switch to light mode" } else { "Switch to dark mode" }>
            {move || if dark.get() { "☀ Light" } else { "☾ Dark" }}
        </button>
    }
}
