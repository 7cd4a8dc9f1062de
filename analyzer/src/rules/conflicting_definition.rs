use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "conflicting-definition",
    code: "CMD001",
    severity: Severity::Warning,
    summary: "a resource created twice by gcloud commands with different settings",
    docs: r#"## What it finds
Two `gcloud ... create` commands in the input, in one script or in a script and a README of
the same folder (or one above it), that create the same resource (same kind, name, project
and location) with different flags: a queue created with `--max-attempts=5` in `deploy.sh`
and with `--max-attempts=10` in the README. The same command repeated (an alternative shown
twice, a re-run), `update` commands and `deploy` commands (which create or update) are not
conflicts, nor are sibling samples that each create the resource.

## Why it matters
Whichever command runs first wins: the second `create` fails with "already exists", and the
resource keeps settings that the other place documents wrongly. Readers of the README and of
the script believe different things about the same queue.

## Example
```bash
gcloud tasks queues create thumbnails --location=europe-west1 --max-attempts=5
# ... later, or in another script:
gcloud tasks queues create thumbnails --location=europe-west1 --max-attempts=10
```

## How to fix
Create the resource in one place; where another place must change it, use `update` with the
flags that change, so that the difference is deliberate.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let workspace = &analysis.workspace;
    let graph = &analysis.graph;
    let settings = |id| {
        workspace
            .created
            .iter()
            .find(|(created, _)| *created == id)
            .map(|(_, settings)| settings)
    };
    for n in graph.nodes() {
        let node = graph.node(n);
        let created: Vec<_> = node
            .definitions
            .iter()
            .filter_map(|&id| Some((id, workspace.resource(id)?, settings(id)?)))
            .collect();
        let Some(&(_, first, first_settings)) = created.first() else {
            continue;
        };
        let folder = |r: &crate::model::Resource| workspace.folder(r.loc.file);
        for &(id, resource, settings) in &created[1..] {
            // Two samples side by side that create the same (global) bucket are alternatives,
            // not one repository creating it twice.
            let (a, b) = (folder(first), folder(resource));
            if !(a.starts_with(b) || b.starts_with(a)) {
                continue;
            }
            let differences = differences(first_settings, settings);
            if differences.is_empty() {
                continue;
            }
            let message = format!(
                "{} `{}` is created again with other settings ({}); the first `create` wins and the second fails",
                resource.kind.label(),
                node.name,
                differences.join(", ")
            );
            cx.report(resource.loc, Subject::Resource(id), message)
                .related_to(first.loc, Subject::Node(n), "first created here");
        }
    }
}

/// `--flag` a here vs b there, for each flag the two definitions set differently.
fn differences(first: &[(String, String)], second: &[(String, String)]) -> Vec<String> {
    let values = |settings: &[(String, String)], flag: &str| {
        let values: Vec<&str> = settings
            .iter()
            .filter(|(f, _)| f == flag)
            .map(|(_, v)| v.as_str())
            .collect();
        match values.as_slice() {
            [] => "unset".to_string(),
            [""] => "set".to_string(),
            values => format!("`{}`", values.join(" ")),
        }
    };
    let mut flags: Vec<&str> = first
        .iter()
        .chain(second)
        .map(|(f, _)| f.as_str())
        .collect();
    flags.sort_unstable();
    flags.dedup();
    flags
        .into_iter()
        .filter_map(|flag| {
            let (a, b) = (values(second, flag), values(first, flag));
            (a != b).then(|| format!("`--{flag}` {a} here, {b} before"))
        })
        .collect()
}
