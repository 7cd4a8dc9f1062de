//! Findings grouped by severity and rule, with counts and filters. Arrow keys move between
//! findings; Enter opens one on the graph.

use std::collections::BTreeMap;

use baton_analyzer::Severity;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state;
use crate::state::Selection;

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let state = state();
    let shown = RwSignal::new([true, true, true]);
    let filter = RwSignal::new(String::new());
    let counts = move || {
        let a = state.analyzed.get();
        SEVERITIES.map(|s| a.report.findings.iter().filter(|d| d.severity == s).count())
    };
    let groups = move || {
        let a = state.analyzed.get();
        let needle = filter.get().to_lowercase();
        let shown = shown.get();
        // severity (errors first) → rule → finding indices
        let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, &'static str), Vec<usize>> =
            BTreeMap::new();
        let subject = |i: usize| a.subjects.get(i).cloned().flatten();
        for (i, d) in a.report.findings.iter().enumerate() {
            let visible = shown[SEVERITIES
                .iter()
                .position(|s| *s == d.severity)
                .unwrap_or(0)];
            let matches = needle.is_empty()
                || d.rule.name().contains(&needle)
                || d.rule.code().to_lowercase().contains(&needle)
                || d.message.to_lowercase().contains(&needle)
                || subject(i).is_some_and(|s| s.to_lowercase().contains(&needle));
            if visible && matches {
                groups
                    .entry((std::cmp::Reverse(d.severity), d.rule.name()))
                    .or_default()
                    .push(i);
            }
        }
        groups
            .into_iter()
            .map(|((severity, rule), items)| {
                let severity = severity.0;
                let count = items.len();
                let items = items
                    .into_iter()
                    .map(|i| {
                        let d = &a.report.findings[i];
                        let at = super::file_line(&a.files, d.loc);
                        let subject = subject(i).unwrap_or_default();
                        view! {
                            <li>
                                <button type="button" class="finding" data-rule=d.rule.name()
                                    data-severity=severity.as_str() data-index=i
                                    class:selected=move || state.selection.get() == Selection::Finding(i)
                                    on:click=move |_| state.select_finding(i)>
                                    <span class="subject">{subject}</span>
                                    <span class="message">{d.message.clone()}</span>
                                    <span class="where">{at}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <li class=format!("rule-group {}", severity.as_str())>
                        <details open=true>
                            <summary>
                                <span class=format!("sev {}", severity.as_str())>{severity.as_str()}</span>
                                <code>{rule}</code>
                                <span class="count">{count}</span>
                            </summary>
                            <ul>{items}</ul>
                        </details>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel findings" aria-labelledby="findings-title">
            <div class="panel-head">
                <h2 id="findings-title">"Findings"</h2>
            </div>
            <div class="filters" role="group" aria-label="Show severities">
                {SEVERITIES.iter().enumerate().map(|(k, s)| view! {
                    <label class=format!("chip {}", s.as_str())>
                        <input type="checkbox" data-testid=format!("show-{}", s.as_str())
                            prop:checked=move || shown.get()[k]
                            on:change=move |ev| shown.update(|v| v[k] = event_target_checked(&ev))/>
                        {format!("{}s ", s.as_str())}
                        <span class="count" data-testid=format!("count-{}", s.as_str())>{move || counts()[k]}</span>
                    </label>
                }).collect_view()}
            </div>
            <input type="search" class="filter" placeholder="Filter findings" aria-label="Filter findings"
                prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
            <ul class="finding-groups" data-testid="findings" on:keydown=move_focus>{groups}</ul>
        </section>
    }
}

/// Up and down arrows move the focus between finding buttons.
fn move_focus(ev: leptos::ev::KeyboardEvent) {
    let step: i32 = match ev.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    ev.prevent_default();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(all) = document.query_selector_all("button.finding") else {
        return;
    };
    let active = document.active_element();
    let current = (0..all.length()).find(|&i| {
        all.item(i)
            .zip(active.as_ref())
            .is_some_and(|(a, b)| a.is_same_node(Some(b)))
    });
    let next = match current {
        Some(i) => (i as i32 + step).clamp(0, all.length() as i32 - 1) as u32,
        None => 0,
    };
    if let Some(el) = all
        .item(next)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
