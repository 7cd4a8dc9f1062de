//! The loaded files: what each holds, its loading errors with their lines, a remove button;
//! a paste box; and clearing the workspace.

use baton_analyzer::model::{Resource, ResourceKind};
use baton_analyzer::{RuleId, Severity, SourceFile};
use leptos::prelude::*;

use super::state;
use super::virtual_list::VirtualList;
use crate::persist;

/// Findings that mean a file (or part of it) could not be read.
fn is_load_error(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::ParseError | RuleId::InvalidDefinition | RuleId::UnrecognizedDocument
    )
}

/// What each of `file_count` files holds, in one pass over the resources: the kinds of
/// resources defined in it, counted (`120 pub/sub topics, 240 pub/sub subscriptions`), and
/// the workflows whose source it is (a file Terraform reads with `file()` or
/// `templatefile()`).
pub fn summaries(resources: &[Resource], file_count: usize) -> Vec<String> {
    let mut kinds: Vec<Vec<(&'static str, usize)>> = vec![Vec::new(); file_count];
    let mut sources: Vec<Vec<&str>> = vec![Vec::new(); file_count];
    for resource in resources {
        if let Some(counts) = kinds.get_mut(resource.loc.file.0 as usize) {
            let label = resource.kind.label();
            match counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
    }
    for resource in resources {
        if let ResourceKind::Workflow(w) = &resource.kind {
            if w.file != resource.loc.file {
                if let Some(names) = sources.get_mut(w.file.0 as usize) {
                    names.push(&resource.name);
                }
            }
        }
    }
    kinds
        .into_iter()
        .zip(sources)
        .map(|(counts, names)| {
            let mut parts: Vec<String> = counts
                .into_iter()
                .map(|(label, n)| match n {
                    1 => label.to_string(),
                    n => format!("{n} {label}s"),
                })
                .collect();
            match names.as_slice() {
                [] => {}
                [one] => parts.push(format!("source of workflow {one}")),
                many => parts.push(format!("source of {} workflows", many.len())),
            }
            if parts.is_empty() {
                "nothing Baton reads".to_string()
            } else {
                parts.join(", ")
            }
        })
        .collect()
}

/// A file's row: its path, what it holds and its load errors.
#[derive(Clone, Debug, PartialEq)]
struct FileRow {
    path: String,
    summary: String,
    errors: Vec<(u32, Severity, String)>,
}

/// Load errors listed under a file; the rest are counted.
const ERRORS_SHOWN: usize = 3;
const ROW_HEIGHT: f64 = 50.0;
const ERROR_HEIGHT: f64 = 18.0;

impl FileRow {
    fn height(&self) -> f64 {
        let lines =
            self.errors.len().min(ERRORS_SHOWN) + usize::from(self.errors.len() > ERRORS_SHOWN);
        ROW_HEIGHT + ERROR_HEIGHT * lines as f64
    }
}

#[component]
pub fn FilesPanel() -> impl IntoView {
    let state = state();
    let rows = Memo::new(move |_| {
        let analyzed = state.analyzed.get();
        let summaries = summaries(&analyzed.report.workspace.resources, analyzed.files.len());
        let mut errors_of: Vec<Vec<(u32, Severity, String)>> =
            vec![Vec::new(); analyzed.files.len()];
        for d in analyzed
            .report
            .findings
            .iter()
            .filter(|d| is_load_error(d.rule))
        {
            if let Some(errors) = errors_of.get_mut(d.loc.file.0 as usize) {
                errors.push((d.loc.line, d.severity, d.message.clone()));
            }
        }
        (analyzed.files.iter())
            .zip(summaries.into_iter().zip(errors_of))
            .map(|(file, (summary, errors))| FileRow {
                path: file.path.clone(),
                summary,
                errors,
            })
            .collect::<Vec<_>>()
    });
    let heights =
        Signal::derive(move || rows.with(|rows| rows.iter().map(FileRow::height).collect()));
    let row = move |i: usize| {
        let Some(FileRow {
            path,
            summary,
            errors,
        }) = rows.with_untracked(|rows| rows.get(i).cloned())
        else {
            return ().into_any();
        };
        let remove_path = path.clone();
        let more = errors.len().saturating_sub(ERRORS_SHOWN);
        view! {
            <div class="file" data-path=path.clone()>
                <div class="file-head">
                    <code class="path" title=path.clone()>{path.clone()}</code>
                    <button type="button" class="icon remove" title="Remove this file"
                        aria-label=format!("Remove {path}")
                        on:click=move |_| state.remove(&remove_path)>"×"</button>
                </div>
                <div class="file-kinds" title=summary.clone()>{summary.clone()}</div>
                <ul class="file-errors">
                    {errors.into_iter().take(ERRORS_SHOWN).map(|(line, severity, message)| view! {
                        <li class=format!("file-error {}", severity.as_str()) data-line=line title=message.clone()>
                            {format!("line {line}: {message}")}
                        </li>
                    }).collect_view()}
                    {(more > 0).then(|| view! { <li class="file-error more">{format!("and {more} more in the findings")}</li> })}
                </ul>
            </div>
        }
        .into_any()
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
            <VirtualList heights=heights row=row class="file-list" testid="files"/>
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

#[cfg(test)]
mod tests {
    use super::summaries;
    use baton_analyzer::{load, Limits, SourceFile};

    #[test]
    fn rows_count_kinds_once_each() {
        let topics: String = (0..120)
            .map(|i| format!("---\nname: projects/p/topics/t{i}\n"))
            .collect();
        let files = [
            SourceFile::new(
                "topics.yaml",
                topics + "---\nname: projects/p/subscriptions/s\ntopic: projects/p/topics/t0\n",
            ),
            SourceFile::new("notes.yaml", "just: text\n"),
        ];
        let workspace = load(&files, &Limits::default());
        assert_eq!(
            summaries(&workspace.resources, files.len()),
            [
                "120 pub/sub topics, pub/sub subscription",
                "nothing Baton reads"
            ]
        );
    }
}
