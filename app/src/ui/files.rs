//! The loaded files: what each holds, its loading errors with their lines, a remove button;
//! a paste box; and clearing the workspace.

use baton_analyzer::model::{Resource, ResourceKind};
use baton_analyzer::{RuleId, Severity, SourceFile};
use leptos::prelude::*;

use super::state;
use crate::persist;

/// Findings that mean a file (or part of it) could not be read.
fn is_load_error(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::ParseError | RuleId::InvalidDefinition | RuleId::UnrecognizedDocument
    )
}

/// What file `i` holds: the kinds of resources defined in it, and the workflows whose source
/// it is (a file Terraform reads with `file()` or `templatefile()`).
fn summary(resources: &[Resource], i: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    for resource in resources {
        let part = match &resource.kind {
            _ if resource.loc.file.0 as usize == i => resource.kind.label().to_string(),
            ResourceKind::Workflow(w) if w.file.0 as usize == i => {
                format!("source of workflow {}", resource.name)
            }
            _ => continue,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        "nothing Baton reads".to_string()
    } else {
        parts.join(", ")
    }
}

#[component]
pub fn FilesPanel() -> impl IntoView {
    let state = state();
    let rows = move || {
        let analyzed = state.analyzed.get();
        analyzed
            .files
            .iter()
            .enumerate()
            .map(|(i, file)| {
                let summary = summary(&analyzed.report.workspace.resources, i);
                let errors: Vec<(u32, Severity, String)> = analyzed
                    .report
                    .findings
                    .iter()
                    .filter(|d| d.loc.file.0 as usize == i && is_load_error(d.rule))
                    .map(|d| (d.loc.line, d.severity, d.message.clone()))
                    .collect();
                let path = file.path.clone();
                let remove_path = path.clone();
                view! {
                    <li class="file" data-path=path.clone()>
                        <div class="file-head">
                            <code class="path" title=path.clone()>{path.clone()}</code>
                            <button type="button" class="icon remove" title="Remove this file"
                                aria-label=format!("Remove {path}")
                                on:click=move |_| state.remove(&remove_path)>"×"</button>
                        </div>
                        <div class="file-kinds">{summary}</div>
                        <ul class="file-errors">
                            {errors.into_iter().map(|(line, severity, message)| view! {
                                <li class=format!("file-error {}", severity.as_str()) data-line=line>
                                    {format!("line {line}: {message}")}
                                </li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || state.files.with(Vec::len);
    view! {
        <section class="panel files" aria-labelledby="files-title">
            <div class="panel-head">
                <h2 id="files-title">"Files " <span class="count" data-testid="file-count">{count}</span></h2>
                <button type="button" class="link" data-testid="clear-workspace"
                    on:click=move |_| { state.replace(Vec::new(), None); persist::clear(); }>
                    "Clear workspace"
                </button>
            </div>
            <Show when=move || count() == 0>
                <p class="empty">"Drop YAML or JSON definitions (or whole folders) anywhere, open them above, or paste one below."</p>
            </Show>
            <ul class="file-list" data-testid="files">{rows}</ul>
            <PasteBox/>
        </section>
    }
}

#[component]
fn PasteBox() -> impl IntoView {
    let state = state();
    let text = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        let taken = state.files.with_untracked(|f| f.len());
        let mut path = name.get_untracked().trim().to_string();
        if path.is_empty() {
            path = format!("pasted-{}.yaml", taken + 1);
        }
        state.add(vec![SourceFile::new(path, body)]);
        text.set(String::new());
        name.set(String::new());
    };
    view! {
        <details class="paste">
            <summary>"Paste a definition"</summary>
            <form on:submit=add>
                <label>"Name"
                    <input type="text" data-testid="paste-name" placeholder="pasted.yaml"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>"YAML or JSON"
                    <textarea data-testid="paste-text" rows="8" spellcheck="false"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" data-testid="paste-add">"Add"</button>
            </form>
        </details>
    }
}
