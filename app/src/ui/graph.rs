//! The graph: the scene's SVG in a pannable, zoomable viewport, with search, focus mode, fit
//! and a legend. Clicks are delegated: a node is found by its `data-node-id`, a token looked up
//! in the scene that drew it.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use baton_analyzer::graph::NodeKind;

use super::state;
use crate::key::SceneKey;
use crate::scene::Grouping;
use crate::state::{Selection, State};
use crate::svg;

/// Pan and zoom: screen = translate + scale × drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
struct View {
    x: f64,
    y: f64,
    k: f64,
}

const PAD: f64 = 24.0;
/// Small enough to fit 10,000 nodes in view.
const MIN_ZOOM: f64 = 0.002;
/// Below this zoom, texts would be unreadable: they are not drawn (level of detail), which
/// also makes panning a big drawing cheap.
const FAR: f64 = 0.4;

#[component]
pub fn GraphView() -> impl IntoView {
    let state = state();
    let viewport = NodeRef::<Div>::new();
    let view = RwSignal::new(View {
        x: 0.0,
        y: 0.0,
        k: 1.0,
    });
    let markup = Memo::new(move |_| svg::render(&state.scene.get(), &state.marks.get()));
    let size = move || {
        viewport
            .get_untracked()
            .map(|el| (f64::from(el.client_width()), f64::from(el.client_height())))
            .unwrap_or((800.0, 600.0))
    };
    // Shows the box `(x0, y0)..(x1, y1)` of the drawing in the middle, at most at 125 %.
    let show = move |x0: f64, y0: f64, x1: f64, y1: f64| {
        let (w, h) = size();
        let (bw, bh) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let k = ((w - 40.0) / bw).min((h - 40.0) / bh).clamp(MIN_ZOOM, 1.25);
        view.set(View {
            x: w / 2.0 - k * (x0 + x1) / 2.0,
            y: h / 2.0 - k * (y0 + y1) / 2.0,
            k,
        });
    };
    let fit = move || {
        let scene = state.scene.get_untracked();
        show(0.0, 0.0, scene.width + 2.0 * PAD, scene.height + 2.0 * PAD);
    };
    // A new drawing is fitted; a selection is centred.
    // (unless the change is to show a selection, which is centred instead)
    Effect::new(move |_| {
        state.scene.track();
        if state.centre_on.get_untracked().is_none() {
            request_animation_frame(fit);
        }
    });
    Effect::new(move |_| {
        let Some(keys) = state.centre_on.get() else {
            return;
        };
        let scene = state.scene.get_untracked();
        let nodes: Vec<_> = keys.iter().filter_map(|key| scene.node(key)).collect();
        if nodes.is_empty() {
            return;
        }
        let x0 = nodes
            .iter()
            .map(|n| n.centre.x - n.width / 2.0)
            .fold(f64::MAX, f64::min)
            + PAD;
        let y0 = nodes
            .iter()
            .map(|n| n.centre.y - n.height / 2.0)
            .fold(f64::MAX, f64::min)
            + PAD;
        let x1 = nodes
            .iter()
            .map(|n| n.centre.x + n.width / 2.0)
            .fold(f64::MIN, f64::max)
            + PAD;
        let y1 = nodes
            .iter()
            .map(|n| n.centre.y + n.height / 2.0)
            .fold(f64::MIN, f64::max)
            + PAD;
        let margin = 120.0;
        request_animation_frame(move || {
            show(x0 - margin, y0 - margin, x1 + margin, y1 + margin);
            state.centre_on.set(None);
        });
    });

    let zoom_by = move |factor: f64, cx: f64, cy: f64| {
        view.update(|v| {
            let k = (v.k * factor).clamp(MIN_ZOOM, 4.0);
            v.x = cx - (cx - v.x) * k / v.k;
            v.y = cy - (cy - v.y) * k / v.k;
            v.k = k;
        });
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
        zoom_by(factor, f64::from(ev.offset_x()), f64::from(ev.offset_y()));
    };
    let click = move |target: Option<web_sys::EventTarget>| match node_at(state, target) {
        Some(key) => state.selection.set(Selection::Node(key)),
        None => state.selection.set(Selection::None),
    };
    // Dragging pans; a press and release without moving is a click.
    let drag = RwSignal::new(None::<(f64, f64, f64, f64, bool)>);
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let v = view.get_untracked();
        drag.set(Some((
            f64::from(ev.client_x()),
            f64::from(ev.client_y()),
            v.x,
            v.y,
            false,
        )));
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some((sx, sy, vx, vy, moved)) = drag.get_untracked() else {
            return;
        };
        let (dx, dy) = (f64::from(ev.client_x()) - sx, f64::from(ev.client_y()) - sy);
        if moved || dx.abs() + dy.abs() > 4.0 {
            drag.set(Some((sx, sy, vx, vy, true)));
            view.update(|v| {
                v.x = vx + dx;
                v.y = vy + dy;
            });
        }
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let Some((.., moved)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        if !moved {
            click(ev.target());
        }
    };
    let on_dblclick = move |ev: leptos::ev::MouseEvent| match node_at(state, ev.target()) {
        Some(SceneKey::Node(workflow)) if workflow.kind == NodeKind::Workflow => {
            state.toggle_expanded(&workflow);
        }
        Some(SceneKey::Folder(path)) => state.toggle_folder(&path),
        _ => {}
    };
    let transform = move || {
        let v = view.get();
        format!("translate({:.1}px, {:.1}px) scale({:.4})", v.x, v.y, v.k)
    };
    let centre = move || {
        let (w, h) = size();
        (w / 2.0, h / 2.0)
    };
    view! {
        <section class="canvas" aria-label="Architecture graph">
            <div class="canvas-bar">
                <Search/>
                <Focus/>
                <Grouped/>
                <span class="spacer"></span>
                <button type="button" class="icon" title="Zoom in" aria-label="Zoom in"
                    on:click=move |_| { let (x, y) = centre(); zoom_by(1.25, x, y) }>"+"</button>
                <button type="button" class="icon" title="Zoom out" aria-label="Zoom out"
                    on:click=move |_| { let (x, y) = centre(); zoom_by(0.8, x, y) }>"−"</button>
                <button type="button" data-testid="fit" on:click=move |_| fit()>"Fit"</button>
            </div>
            <div class="viewport" node_ref=viewport data-testid="viewport"
                on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up
                on:pointerleave=move |_| drag.set(None) on:dblclick=on_dblclick>
                <div class="stage" class:far=move || view.with(|v| v.k < FAR) style:transform=transform
                    inner_html=move || markup.get()></div>
                <Show when=move || state.files.with(Vec::is_empty)>
                    <div class="empty-graph">"Nothing loaded yet: drop files or folders here, or pick an example."</div>
                </Show>
            </div>
            <span class="stats" data-testid="stats">{move || {
                let scene = state.scene.get();
                let folders = scene.nodes.iter().any(|n| matches!(n.key, SceneKey::Folder(_)));
                let overview = if folders {
                    let total = state.analyzed.with(|a| a.report.graph.graph.node_count());
                    format!(" · overview of {total} nodes")
                } else {
                    String::new()
                };
                format!("{} nodes · {} edges{overview} · laid out in {:.1} ms", scene.nodes.len(), scene.edges.len(), scene.build_ms)
            }}</span>
            <Legend/>
        </section>
    }
}

/// The drawn node an event happened in: the token of the nearest `data-node-id` around the
/// target, looked up in the scene on screen.
fn node_at(state: State, target: Option<web_sys::EventTarget>) -> Option<SceneKey> {
    let token = target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-node-id]")
        .ok()??
        .get_attribute("data-node-id")?;
    let scene = state.scene.get_untracked();
    Some(scene.by_token(&token)?.key.clone())
}

#[component]
fn Search() -> impl IntoView {
    let state = state();
    // Enter selects the first match and centres it.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Enter" {
            return;
        }
        // A match that is drawn comes first; one inside a closed folder opens it.
        let (marks, scene) = (state.marks.get_untracked(), state.scene.get_untracked());
        let matches = marks.matches.unwrap_or_default();
        let first = (matches.iter())
            .find(|k| scene.node(k).is_some())
            .or_else(|| matches.iter().next());
        if let Some(key) = first {
            state.select_node(key.clone());
        }
    };
    view! {
        <input type="search" class="search" data-testid="search" placeholder="Search nodes"
            aria-label="Search nodes by name"
            prop:value=move || state.search.get()
            on:input=move |ev| state.search.set(event_target_value(&ev)) on:keydown=on_key/>
    }
}

/// Focus mode: only the nodes within N hops of the selected node.
#[component]
fn Focus() -> impl IntoView {
    let state = state();
    let hops = RwSignal::new(1usize);
    let focused = move || state.view.with(|v| v.focus.clone());
    let selected_node = move || match state.selection.get() {
        Selection::Node(SceneKey::Node(key)) => Some(key),
        _ => None,
    };
    let toggle = move |_| {
        if focused().is_some() {
            state.view.update(|v| v.focus = None);
        } else if let Some(id) = selected_node() {
            state
                .view
                .update(|v| v.focus = Some((id, hops.get_untracked())));
        }
    };
    let set_hops = move |ev: leptos::ev::Event| {
        let n = event_target_value(&ev).parse().unwrap_or(1);
        hops.set(n);
        state.view.update(|v| {
            if let Some((_, h)) = &mut v.focus {
                *h = n;
            }
        });
    };
    view! {
        <div class="focus" role="group" aria-label="Focus mode">
            <button type="button" data-testid="focus"
                disabled=move || focused().is_none() && selected_node().is_none()
                aria-pressed=move || focused().is_some().to_string()
                title="Show only the nodes near the selected one"
                on:click=toggle>
                {move || if focused().is_some() { "Show all" } else { "Focus" }}
            </button>
            <label>
                <span class="sr-only">"Hops"</span>
                <select on:change=set_hops prop:value=move || hops.get().to_string()>
                    <option value="1">"1 hop"</option>
                    <option value="2">"2 hops"</option>
                    <option value="3">"3 hops"</option>
                </select>
            </label>
        </div>
    }
}

/// The folder overview: folders closed into boxes (the first view of a big workspace), or
/// every node drawn.
#[component]
fn Grouped() -> impl IntoView {
    let state = state();
    let grouped = move || {
        let scene = state.scene.get();
        let folders_drawn = (scene.nodes.iter()).any(|n| matches!(n.key, SceneKey::Folder(_)));
        folders_drawn || state.view.with(|v| v.grouping == Grouping::Folders)
    };
    let opened = move || state.view.with(|v| !v.opened.is_empty());
    let toggle = move |_| {
        let grouping = if grouped() {
            Grouping::Flat
        } else {
            Grouping::Folders
        };
        state.view.update(|v| {
            v.grouping = grouping;
            v.opened.clear();
        });
    };
    view! {
        <div class="grouping" role="group" aria-label="Folders">
            <button type="button" data-testid="group" aria-pressed=move || grouped().to_string()
                title="Draw each folder as one box (double-click a box to open it)"
                on:click=toggle>"Folders"</button>
            <Show when=opened>
                <button type="button" data-testid="fold-all" title="Close every opened folder"
                    on:click=move |_| state.view.update(|v| v.opened.clear())>"Close all"</button>
            </Show>
        </div>
    }
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <details class="legend" data-testid="legend">
            <summary>"Legend"</summary>
            <svg class="baton-graph" width="250" height=svg::legend_height().to_string() aria-hidden="true" inner_html=svg::legend()>
            </svg>
            <p class="hint">"Outlined red: single point of failure. Faded steps: unreachable. Drag to pan, wheel to zoom."</p>
        </details>
    }
}
