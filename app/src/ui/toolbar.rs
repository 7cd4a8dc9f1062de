//! The header: examples, loading, layout direction, overlays, exports, theme.

use baton_analyzer::export;
use baton_analyzer::layout::Direction;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::state;
use crate::examples::EXAMPLES;
use crate::io;
use crate::scene::{build, ViewOptions};
use crate::svg;

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = state();
    let on_example = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(e) = crate::examples::example(&name) {
            state.replace(e.sources(), Some(e.name));
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&format!("example={}", e.name));
            }
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        spawn_local(async move {
            let (files, errors) = io::read_list(&list).await;
            input.set_value("");
            load(state, files, errors);
        });
    };
    let direction = move || state.view.with(|v| v.direction);
    // `webkitdirectory` (pick a folder) has no typed attribute in Leptos: set it on the element.
    let folder = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    view! {
        <header class="toolbar">
            <h1 class="brand">"Baton"</h1>
            <label class="field">
                <span class="sr-only">"Example"</span>
                <select data-testid="examples" on:change=on_example
                    prop:value=move || state.example.get().unwrap_or("")>
                    <option value="" disabled=true>"Your files"</option>
                    {EXAMPLES.iter().map(|e| view! {
                        <option value=e.name title=e.summary>{format!("Example: {}", e.title)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="button" title="Open definitions: YAML, JSON, Terraform, deploy scripts, READMEs">
                "Open files…"
                <input type="file" multiple=true class="sr-only" data-testid="file-input"
                    accept=".yaml,.yml,.json,.ndjson,.jsonl,.tf,.tfvars,.tftpl,.tpl,.sh,.bash,.env,.md,.mk,application/json,text/yaml" on:change=pick/>
            </label>
            <label class="button" title="Open a folder: every definition, Terraform file, script, Makefile and README in it">
                "Open folder…"
                <input type="file" multiple=true class="sr-only" data-testid="folder-input"
                    node_ref=folder on:change=pick/>
            </label>
            <span class="spacer"></span>
            <div class="segmented" role="group" aria-label="Layout direction">
                <button type="button" data-testid="direction-td"
                    aria-pressed=move || (direction() == Direction::TopDown).to_string()
                    on:click=move |_| state.set_direction(Direction::TopDown)>"↓ Top-down"</button>
                <button type="button" data-testid="direction-lr"
                    aria-pressed=move || (direction() == Direction::LeftRight).to_string()
                    on:click=move |_| state.set_direction(Direction::LeftRight)>"→ Left-right"</button>
            </div>
            <label class="check" title="Colour nodes by coupling (Ca + Ce)">
                <input type="checkbox" data-testid="heat" prop:checked=move || state.heat.get()
                    on:change=move |ev| state.heat.set(event_target_checked(&ev))/>
                "Coupling heat"
            </label>
            <Exports/>
            <super::theme::ThemeToggle/>
        </header>
    }
}

/// Adds files to the workspace, reporting the ones that could not be read. Takes `state`
/// rather than reading the context: it runs after an `await`, outside any reactive owner.
pub fn load(
    state: crate::state::State,
    files: Vec<baton_analyzer::SourceFile>,
    errors: Vec<String>,
) {
    if !errors.is_empty() {
        state.notice.set(Some(errors.join("; ")));
    }
    if !files.is_empty() {
        state.add(files);
    }
}

#[component]
fn Exports() -> impl IntoView {
    let state = state();
    // The whole graph as drawn (expanded workflows included), never just the visible area.
    let whole = move || {
        let analyzed = state.analyzed.get_untracked();
        let options = ViewOptions {
            focus: None,
            ..state.view.get_untracked()
        };
        let scene = build(&analyzed.report, &options);
        let marks = state.marks.get_untracked();
        (
            svg::standalone(&scene, &marks),
            scene.width + 48.0,
            scene.height + 48.0,
        )
    };
    let fail = move |what: &str| state.notice.set(Some(format!("{what} failed")));
    // The menu closes once an item is chosen.
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let svg_file = move |_| {
        close();
        if io::download("baton-graph.svg", "image/svg+xml", &whole().0).is_err() {
            fail("SVG export");
        }
    };
    let png_file = move |_| {
        close();
        let (svg, w, h) = whole();
        spawn_local(async move {
            if io::download_png("baton-graph.png", &svg, w, h)
                .await
                .is_err()
            {
                fail("PNG export");
            }
        });
    };
    let json_file = move |_| {
        close();
        let a = state.analyzed.get_untracked();
        if io::download(
            "baton-report.json",
            "application/json",
            &export::report_json(&a.files, &a.report),
        )
        .is_err()
        {
            fail("JSON download");
        }
    };
    let sarif_file = move |_| {
        close();
        let a = state.analyzed.get_untracked();
        if io::download(
            "baton.sarif",
            "application/sarif+json",
            &export::sarif(&a.files, &a.report),
        )
        .is_err()
        {
            fail("SARIF download");
        }
    };
    let mermaid = move |_| {
        close();
        let text = export::mermaid(&state.analyzed.get_untracked().report.graph);
        spawn_local(async move {
            match io::copy(&text).await {
                Ok(()) => state
                    .notice
                    .set(Some("Mermaid copied to the clipboard".into())),
                Err(_) => fail("Copying Mermaid"),
            }
        });
    };
    view! {
        <details class="menu" data-testid="export-menu" node_ref=menu>
            <summary class="button">"Export"</summary>
            <div class="menu-items">
                <button type="button" data-testid="export-svg" on:click=svg_file>"Graph as SVG"</button>
                <button type="button" data-testid="export-png" on:click=png_file>"Graph as PNG"</button>
                <button type="button" data-testid="export-json" on:click=json_file>"Report as JSON"</button>
                <button type="button" data-testid="export-sarif" on:click=sarif_file>"Report as SARIF"</button>
                <button type="button" data-testid="copy-mermaid" on:click=mermaid>"Copy Mermaid"</button>
            </div>
        </details>
    }
}
