//! Baton's web app (placeholder shell; the real UI comes with the web-app issue).
//! It opens on the built-in image-pipeline example and shows what the analyzer loads from it.
use baton_analyzer::{load, SourceFile, Workspace};
use leptos::prelude::*;

macro_rules! example {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../public/examples/image-pipeline/", $name)),
        )
    };
}

/// The built-in example, embedded so the app works from any static host without fetching.
/// Keep in sync with `public/examples/image-pipeline/` (the same files are served for download).
const EXAMPLE: &[(&str, &str)] = &[
    example!("cloud-run-services.yaml"),
    example!("cloud-tasks-queue.yaml"),
    example!("delete-cleanup.workflows.json"),
    example!("eventarc-triggers.yaml"),
    example!("image-pipeline.workflows.yaml"),
    example!("pubsub.yaml"),
    example!("scheduler-job.yaml"),
];

#[component]
pub fn App() -> impl IntoView {
    let files: Vec<SourceFile> = EXAMPLE
        .iter()
        .map(|(name, text)| SourceFile::new(format!("image-pipeline/{name}"), *text))
        .collect();
    let workspace = load(&files);
    view! {
        <header>
            <h1>"Baton"</h1>
            <p class="tagline">"Static analysis of event-driven Google Cloud architectures"</p>
        </header>
        <main>
            {file_list(&files)}
            {resource_table(&workspace, &files)}
            {findings(&workspace, &files)}
        </main>
    }
}

fn file_list(files: &[SourceFile]) -> impl IntoView {
    view! {
        <section>
            <h2>"Files " <small>"(built-in example: image-pipeline)"</small></h2>
            <ul data-testid="files">
                {files.iter().map(|f| view! { <li><code>{f.path.clone()}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}

fn resource_table(workspace: &Workspace, files: &[SourceFile]) -> impl IntoView {
    let rows = workspace
        .resources
        .iter()
        .map(|r| {
            let kind = r.kind.label();
            view! {
                <tr data-resource-kind=kind data-name=r.name.clone()>
                    <td>{kind}</td>
                    <td><code>{r.name.clone()}</code></td>
                    <td><code>{place(files, r.loc)}</code></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>"Resources " <small>{format!("({})", workspace.resources.len())}</small></h2>
            <table data-testid="resources">
                <thead><tr><th>"Kind"</th><th>"Name"</th><th>"Defined at"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

fn findings(workspace: &Workspace, files: &[SourceFile]) -> impl IntoView {
    let items = workspace
        .diagnostics
        .iter()
        .map(|d| {
            let severity = d.severity.as_str();
            view! {
                <li class=severity data-rule=d.rule>
                    <strong>{severity}</strong>" "<code>{d.rule}</code>" "{d.message.clone()}
                    " "<small><code>{place(files, d.loc)}</code></small>
                </li>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>"Loader findings " <small>{format!("({})", workspace.diagnostics.len())}</small></h2>
            {if workspace.diagnostics.is_empty() {
                view! { <p data-testid="findings">"No findings."</p> }.into_any()
            } else {
                view! { <ul data-testid="findings">{items}</ul> }.into_any()
            }}
        </section>
    }
}

/// `file:line` for a location, as in the CLI's output.
fn place(files: &[SourceFile], loc: baton_analyzer::Loc) -> String {
    let file = files
        .get(loc.file.0 as usize)
        .map_or("?", |f| f.path.as_str());
    format!("{file}:{}", loc.line)
}
