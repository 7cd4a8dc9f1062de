//! Details of the selection: a node (kind, source excerpt, metrics, its findings) or a finding
//! (message, rule docs summary, related places).

use baton_analyzer::source::line_text;
use baton_analyzer::{Loc, SourceFile};
use leptos::prelude::*;

use std::collections::BTreeSet;

use super::{file_line, state};
use crate::folders::summary;
use crate::key::{self, SceneKey};
use crate::scene::SceneKind;
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
            Selection::Node(SceneKey::Folder(path)) => folder_details(&a, &path).into_any(),
            Selection::Node(key) => node_details(&a, &key).into_any(),
            Selection::Finding(i) => finding_details(&a, i).into_any(),
        }
    };
    view! {
        <aside class="side right details" aria-label="Details" data-testid="details" aria-live="polite">
            {body}
        </aside>
    }
}

/// What the details panel says about a drawn node.
struct About {
    name: String,
    kind: &'static str,
    loc: Loc,
    defined: bool,
    /// Its index in the interaction graph (steps have none).
    node: Option<petgraph::graph::NodeIndex>,
    /// Its Terraform address and root, when Terraform defines it.
    terraform: Option<baton_analyzer::model::TerraformOrigin>,
}

fn about(a: &Analyzed, key: &SceneKey) -> Option<About> {
    match key {
        SceneKey::Node(node_key) => {
            let n = a.report.graph.find_key(node_key)?;
            let node = a.report.graph.node(n);
            Some(About {
                name: node.name.clone(),
                kind: node.kind.as_str(),
                loc: node.loc,
                defined: node.resource.is_some(),
                node: Some(n),
                terraform: node.terraform.clone(),
            })
        }
        SceneKey::Step(step_key) => {
            let (_, step) = key::step(&a.report, step_key)?;
            Some(About {
                name: step.name.clone(),
                kind: "step",
                loc: step.loc,
                defined: true,
                node: None,
                terraform: None,
            })
        }
        SceneKey::Folder(_) => None,
    }
}

/// A closed folder of the overview: what it holds and its findings.
fn folder_details(a: &Analyzed, path: &str) -> AnyView {
    let state = state();
    let key = SceneKey::Folder(path.to_string());
    let scene = state.scene.get_untracked();
    let Some(SceneKind::Folder { members, kinds, .. }) = scene.node(&key).map(|n| &n.kind) else {
        return view! { <p class="hint">"This folder is open or gone."</p> }.into_any();
    };
    let members: BTreeSet<&SceneKey> = members.iter().collect();
    let findings: Vec<usize> = (a.places.iter().enumerate())
        .filter(|(_, p)| p.nodes.iter().any(|k| members.contains(k)))
        .map(|(i, _)| i)
        .collect();
    let shown = findings.len().min(FOLDER_FINDINGS);
    let list = findings[..shown]
        .iter()
        .filter_map(|&i| Some((i, a.report.findings.get(i)?)))
        .map(|(i, d)| finding_button(i, d))
        .collect_view();
    let more = (findings.len() > shown)
        .then(|| view! { <p class="hint">{format!("and {} more: open the folder to see them on the graph", findings.len() - shown)}</p> });
    let open = path.to_string();
    view! {
        <h2 class="details-title" title=path.to_string()>{crate::scene::cut(path, 120)}</h2>
        <p class="kind"><span class="tag">"folder"</span>" "{format!("{} nodes: {}", members.len(), summary(kinds))}</p>
        <button type="button" data-testid="open-folder" on:click=move |_| state.toggle_folder(&open)>"Open folder"</button>
        <h3>{format!("Findings ({})", findings.len())}</h3>
        <ul class="node-findings">{list}</ul>
        {more}
    }
    .into_any()
}

/// A folder's details list this many of its findings.
const FOLDER_FINDINGS: usize = 50;

fn finding_button(i: usize, d: &baton_analyzer::Diagnostic) -> impl IntoView {
    let state = state();
    view! {
        <li>
            <button type="button" class="finding" data-rule=d.rule.name() data-severity=d.severity.as_str()
                on:click=move |_| state.select_finding(i)>
                <span class=format!("sev {}", d.severity.as_str())>{d.severity.as_str()}</span>
                " " <code>{d.rule.name()}</code> " " {d.message.clone()}
            </button>
        </li>
    }
}

fn node_details(a: &Analyzed, key: &SceneKey) -> AnyView {
    let state = state();
    let Some(about) = about(a, key) else {
        return view! { <p class="hint">"This node is gone."</p> }.into_any();
    };
    let metrics = a.metrics.nodes.iter().find(|m| Some(m.node) == about.node);
    let metrics = metrics.map(|m| {
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
        .findings_on(key)
        .into_iter()
        .filter_map(|i| Some((i, a.report.findings.get(i)?)))
        .map(|(i, d)| finding_button(i, d))
        .collect_view();
    // The innermost opened folder the node is in, to close again.
    let folder = a
        .folders_around(key)
        .into_iter()
        .rev()
        .find(|path| state.view.with_untracked(|v| v.opened.contains(path)));
    let close = folder.map(|path| {
        let title = format!("Draw {path} as one box again");
        view! {
            <button type="button" data-testid="close-folder" title=title
                on:click=move |_| {
                    state.view.update(|v| { v.opened.remove(&path); });
                    state.selection.set(Selection::Node(SceneKey::Folder(path.clone())));
                }>"Close its folder"</button>
        }
    });
    let workflow = match key {
        SceneKey::Node(node_key) if key.is_workflow() => Some(node_key.clone()),
        _ => None,
    };
    let expand = workflow.map(|workflow| {
        let shown = workflow.clone();
        let expanded = move || state.view.with(|v| v.expanded.contains(&shown));
        view! {
            <button type="button" data-testid="expand" on:click=move |_| state.toggle_expanded(&workflow)>
                {move || if expanded() { "Collapse steps" } else { "Show steps" }}
            </button>
        }
    });
    let name = about.name;
    view! {
        <h2 class="details-title" title=name.clone()>{crate::scene::cut(&name, 120)}</h2>
        <p class="kind">
            <span class="tag">{about.kind}</span>
            {(!about.defined).then(|| view! { <span class="tag muted">"referenced, not defined in the loaded files"</span> })}
        </p>
        {about.terraform.map(|t| view! {
            <p class="terraform" data-testid="terraform">
                <code title="Terraform address">{t.address}</code>
                " in root " <code title="the root module's folder">{t.root}</code>
            </p>
        })}
        {expand}
        {close}
        {source(&a.files, about.loc)}
        {metrics}
        <h3>"Findings"</h3>
        <ul class="node-findings">{findings}</ul>
    }
    .into_any()
}

fn finding_details(a: &Analyzed, i: usize) -> impl IntoView {
    let Some(d) = a.report.findings.get(i) else {
        return view! { <p class="hint">"This finding is gone."</p> }.into_any();
    };
    let rule = d.rule.meta();
    let summary = format!("{} ({}): {}", rule.name, rule.code, rule.summary);
    let fix = section(rule.docs, "## How to fix").map(str::to_string);
    let related = d
        .related
        .iter()
        .map(|r| view! { <li><code>{file_line(&a.files, r.loc)}</code>" "{r.message.clone()}</li> })
        .collect_view();
    view! {
        <h2 class="details-title">
            <span class=format!("sev {}", d.severity.as_str())>{d.severity.as_str()}</span>" "<code>{rule.name}</code>
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
            <figcaption><code>{file_line(files, loc)}</code></figcaption>
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
