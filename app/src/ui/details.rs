//! Details of the selection: a node (kind, source excerpt, metrics, its findings) or a finding
//! (message, rule docs summary, related places).

use baton_analyzer::rules::rule;
use baton_analyzer::source::line_text;
use baton_analyzer::{Loc, SourceFile};
use leptos::prelude::*;

use super::{place, state};
use crate::state::{Analyzed, Selection};

#[component]
pub fn Details() -> impl IntoView {
    let state = state();
    let body = move || {
        let a = state.analyzed.get();
        match state.selection.get() {
            Selection::None => view! {
                <p class="hint">"Click a node or a finding to see its details. Double-click a workflow to see its steps."</p>
            }
            .into_any(),
            Selection::Node(id) => node_details(&a, &id).into_any(),
            Selection::Finding(i) => finding_details(&a, i).into_any(),
        }
    };
    view! {
        <aside class="side right details" aria-label="Details" data-testid="details" aria-live="polite">
            {body}
        </aside>
    }
}

fn node_details(a: &Analyzed, id: &str) -> impl IntoView {
    let state = state();
    let graph = &a.report.graph;
    let (name, kind, loc, defined) = match graph.find(id) {
        Some(n) => {
            let node = graph.node(n);
            (
                node.name.clone(),
                node.kind.as_str().to_string(),
                Some(node.loc),
                node.resource.is_some(),
            )
        }
        None => {
            // A step of an expanded workflow: `step:WORKFLOW/SUB/STEP`.
            let name = id.rsplit('/').next().unwrap_or(id).to_string();
            (name, "step".to_string(), None, true)
        }
    };
    let metrics = a.metrics.nodes.iter().find(|m| m.id == id).map(|m| {
        let instability = m.instability.map_or("–".to_string(), |v| format!("{v:.2}"));
        view! {
            <table class="metrics" data-testid="metrics">
                <tr><th title="afferent coupling: nodes that depend on it">"Ca"</th><td>{m.ca}</td>
                    <th title="efferent coupling: nodes it depends on">"Ce"</th><td>{m.ce}</td></tr>
                <tr><th>"Instability"</th><td colspan="3">{instability}</td></tr>
                <tr><th>"Sync in / out"</th><td colspan="3">{format!("{} / {}", m.sync_in, m.sync_out)}</td></tr>
                <tr><th>"Async in / out"</th><td colspan="3">{format!("{} / {}", m.async_in, m.async_out)}</td></tr>
            </table>
        }
    });
    let findings = a
        .findings_on(id)
        .into_iter()
        .map(|i| {
            let d = &a.report.findings[i];
            view! {
                <li>
                    <button type="button" class="finding" data-rule=d.rule data-severity=d.severity.as_str()
                        on:click=move |_| state.select_finding(i)>
                        <span class=format!("sev {}", d.severity.as_str())>{d.severity.as_str()}</span>
                        " " <code>{d.rule}</code> " " {d.message.clone()}
                    </button>
                </li>
            }
        })
        .collect_view();
    let workflow = id.starts_with("workflow:");
    let (toggle_id, shown_id) = (id.to_string(), id.to_string());
    let expanded = move || state.view.with(|v| v.expanded.contains(&shown_id));
    view! {
        <h2 class="details-title" title=name.clone()>{crate::scene::cut(&name, 120)}</h2>
        <p class="kind">
            <span class="tag">{kind}</span>
            {(!defined).then(|| view! { <span class="tag muted">"referenced, not defined in the loaded files"</span> })}
        </p>
        {workflow.then(|| view! {
            <button type="button" data-testid="expand" on:click=move |_| state.toggle_expanded(&toggle_id)>
                {move || if expanded() { "Collapse steps" } else { "Show steps" }}
            </button>
        })}
        {loc.map(|loc| source(&a.files, loc))}
        {metrics}
        <h3>"Findings"</h3>
        <ul class="node-findings">{findings}</ul>
    }
}

fn finding_details(a: &Analyzed, i: usize) -> impl IntoView {
    let Some(d) = a.report.findings.get(i) else {
        return view! { <p class="hint">"This finding is gone."</p> }.into_any();
    };
    let summary = rule(d.rule).map(|r| format!("{} ({}): {}", r.name, r.code, r.summary));
    let fix = rule(d.rule)
        .and_then(|r| section(r.docs, "## How to fix"))
        .map(str::to_string);
    let related = d
        .related
        .iter()
        .map(|r| view! { <li><code>{place(&a.files, r.loc)}</code>" "{r.message.clone()}</li> })
        .collect_view();
    view! {
        <h2 class="details-title">
            <span class=format!("sev {}", d.severity.as_str())>{d.severity.as_str()}</span>" "<code>{d.rule}</code>
        </h2>
        <p class="message" data-testid="finding-message">{d.message.clone()}</p>
        {source(&a.files, d.loc)}
        <ul class="related">{related}</ul>
        <p class="rule-summary">{summary}</p>
        {fix.map(|fix| view! { <h3>"How to fix"</h3><p class="fix">{fix}</p> })}
    }
    .into_any()
}

/// The lines around `loc`, its line highlighted.
fn source(files: &[SourceFile], loc: Loc) -> impl IntoView {
    let text = files
        .get(loc.file.0 as usize)
        .map(|f| f.text.as_str())
        .unwrap_or("");
    let first = loc.line.saturating_sub(3).max(1);
    let lines = (first..=loc.line + 3)
        .filter_map(|n| line_text(text, n).map(|l| (n, crate::scene::label_line(l))))
        .map(|(n, l)| {
            view! {
                <div class="line" class:current=n == loc.line>
                    <span class="ln">{n}</span><span class="code">{l}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="source" data-testid="source">
            <figcaption><code>{place(files, loc)}</code></figcaption>
            <pre>{lines}</pre>
        </figure>
    }
}

/// The text of a docs section up to the next heading.
fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(heading)? + heading.len();
    let rest = &docs[start..];
    Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
}
