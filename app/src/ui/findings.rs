//! Findings grouped by severity and rule, with counts and filters, in a virtual list (only the
//! rows in view are in the DOM). Arrow keys move between findings; Enter opens one on the
//! graph.

use std::collections::{BTreeMap, BTreeSet};

use baton_analyzer::Severity;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state;
use super::virtual_list::VirtualList;
use crate::state::Selection;

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// One row of the list: a rule's heading, or a finding under it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Row {
    Rule {
        severity: Severity,
        rule: &'static str,
        count: usize,
        open: bool,
    },
    Finding(usize),
}

const RULE_HEIGHT: f64 = 30.0;
const FINDING_HEIGHT: f64 = 66.0;

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let state = state();
    let shown = RwSignal::new([true, true, true]);
    let filter = RwSignal::new(String::new());
    // Rules whose findings are folded away, by severity and name.
    let folded = RwSignal::new(BTreeSet::<(Severity, &'static str)>::new());
    let counts = move || {
        let a = state.analyzed.get();
        SEVERITIES.map(|s| a.report.findings.iter().filter(|d| d.severity == s).count())
    };
    let rows = Memo::new(move |_| {
        let a = state.analyzed.get();
        let needle = filter.get().to_lowercase();
        let shown = shown.get();
        let folded = folded.get();
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
        let mut rows = Vec::new();
        for ((severity, rule), items) in groups {
            let open = !folded.contains(&(severity.0, rule));
            rows.push(Row::Rule {
                severity: severity.0,
                rule,
                count: items.len(),
                open,
            });
            if open {
                rows.extend(items.into_iter().map(Row::Finding));
            }
        }
        rows
    });
    let heights = Signal::derive(move || {
        rows.with(|rows| {
            rows.iter()
                .map(|row| match row {
                    Row::Rule { .. } => RULE_HEIGHT,
                    Row::Finding(_) => FINDING_HEIGHT,
                })
                .collect()
        })
    });
    let row = move |i: usize| {
        match rows.with_untracked(|rows| rows.get(i).copied()) {
        Some(Row::Rule {
            severity,
            rule,
            count,
            open,
        }) => view! {
            <button type="button" class=format!("rule-group {}", severity.as_str())
                aria-expanded=open.to_string() data-rule-group=rule
                on:click=move |_| folded.update(|f| if !f.remove(&(severity, rule)) { f.insert((severity, rule)); })>
                <span class="fold">{if open { "▾" } else { "▸" }}</span>
                <span class=format!("sev {}", severity.as_str())>{severity.as_str()}</span>
                <code>{rule}</code>
                <span class="count">{count}</span>
            </button>
        }
        .into_any(),
        Some(Row::Finding(i)) => {
            let a = state.analyzed.get_untracked();
            let Some(d) = a.report.findings.get(i) else {
                return ().into_any();
            };
            let at = super::file_line(&a.files, d.loc);
            let subject = a.subjects.get(i).cloned().flatten().unwrap_or_default();
            let (message, title) = (d.message.clone(), d.message.clone());
            view! {
                <button type="button" class="finding" data-rule=d.rule.name()
                    data-severity=d.severity.as_str() data-index=i title=title
                    class:selected=move || state.selection.get() == Selection::Finding(i)
                    on:click=move |_| state.select_finding(i)>
                    <span class="subject">{subject}</span>
                    <span class="message">{message}</span>
                    <span class="where">{at}</span>
                </button>
            }
            .into_any()
        }
        None => ().into_any(),
    }
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
            <div class="finding-list" on:keydown=move_focus>
                <VirtualList heights=heights row=row class="finding-groups" testid="findings"/>
            </div>
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
