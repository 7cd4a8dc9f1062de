//! Where commands are written: the shell text of a script, of a Makefile's recipes, of a
//! Markdown file's code blocks, of Cloud Build steps and of GitHub Actions `run:` blocks, cut
//! out as [`Chunk`]s that remember where each piece of their text is in the file.

use crate::source::{LineIndex, Pos};
use crate::tree::{self, Limits, Node, Value};

/// What kind of file holds commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Shell,
    Makefile,
    Markdown,
    CloudBuild,
    Actions,
}

/// The kind of `path`, from its name, or for a file without an extension its shebang; YAML
/// files only when their content is a Cloud Build config or a GitHub Actions workflow.
pub(crate) fn source(path: &str, text: &str) -> Option<Source> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || lower == ".env"
        || lower.ends_with(".env")
    {
        return Some(Source::Shell);
    }
    if lower == "makefile" || lower == "gnumakefile" || lower.ends_with(".mk") {
        return Some(Source::Makefile);
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Some(Source::Markdown);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return yaml_source(path, text);
    }
    if !name.contains('.') && is_shell_shebang(text) {
        return Some(Source::Shell);
    }
    None
}

pub(crate) fn is_shell_shebang(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.starts_with("#!")
        && ["/sh", "/bash", "/zsh", "env sh", "env bash", "env zsh"]
            .iter()
            .any(|shell| first.contains(shell))
}

/// Cloud Build: a top-level `steps` list whose items name a builder image. GitHub Actions: a
/// file under `.github/workflows/`, or a top-level `jobs` map whose jobs have `steps`.
fn yaml_source(path: &str, text: &str) -> Option<Source> {
    // Both have a top-level key a workflow definition never has: check the text before
    // parsing it (every workflow YAML has `steps:`, indented).
    let top_level = |key: &str| text.starts_with(key) || text.contains(&format!("\n{key}"));
    if !(top_level("steps:") || top_level("jobs:")) {
        return None;
    }
    let (docs, _) = tree::parse(text, Limits::default());
    let doc = docs.first()?;
    let builder_steps = doc
        .get("steps")
        .and_then(Node::as_seq)
        .is_some_and(|steps| {
            !steps.is_empty()
                && steps
                    .iter()
                    .all(|s| s.get("name").and_then(Node::as_str).is_some())
                && doc.get("main").is_none()
        });
    if builder_steps {
        return Some(Source::CloudBuild);
    }
    let jobs = doc.get("jobs").and_then(Node::as_map);
    let actions = path.replace('\\', "/").contains(".github/workflows/")
        || jobs.is_some_and(|jobs| {
            !jobs.is_empty() && jobs.iter().all(|(_, job)| job.get("steps").is_some())
        });
    (jobs.is_some() && actions).then_some(Source::Actions)
}

/// Shell text and, for each piece of it, the file offset it comes from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chunk {
    pub text: String,
    /// (offset in `text`, offset in the file), increasing.
    marks: Vec<(usize, usize)>,
    /// Variables the place sets before the text runs (Cloud Build substitutions and `env`,
    /// Actions `env`, Makefile variables).
    pub env: Vec<(String, String)>,
}

impl Chunk {
    /// The whole file.
    pub(crate) fn whole(text: &str) -> Chunk {
        Chunk {
            text: text.to_string(),
            marks: vec![(0, 0)],
            env: Vec::new(),
        }
    }

    /// Appends `text`, which starts at `file_offset` in the file.
    fn push(&mut self, file_offset: usize, text: &str) {
        self.marks.push((self.text.len(), file_offset));
        self.text.push_str(text);
    }

    /// The file offset of an offset in the chunk: its piece's start plus the distance into it.
    pub(crate) fn file_offset(&self, offset: usize) -> usize {
        let i = self.marks.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).and_then(|i| self.marks.get(i)) {
            Some(&(at, file)) => file + (offset - at),
            None => 0,
        }
    }
}

/// The chunks of a file of kind `source`.
pub(crate) fn chunks(source: Source, text: &str, limits: Limits) -> Vec<Chunk> {
    match source {
        Source::Shell => vec![Chunk::whole(text)],
        Source::Makefile => makefile(text),
        Source::Markdown => markdown(text),
        Source::CloudBuild => cloud_build(text, limits),
        Source::Actions => actions(text, limits),
    }
}

/// Line starts of `text`, with each line's text (without its `\n`).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, line.trim_end_matches('\n'))
    })
}

// ---------------------------------------------------------------------------------------
// Markdown

/// An open code fence: its character and length, indentation, and what the block is.
struct Fence {
    ch: char,
    len: usize,
    indent: usize,
    /// `None` for a block in another language, which is skipped.
    console: Option<bool>,
}

/// Fenced code blocks in `bash`, `sh`, `shell`, `zsh`, `console`, `shell-session`, or none.
/// In a console block, and in any block whose lines start with a `$ ` prompt, only the
/// prompted lines (and their continuations) are commands: the rest is output.
fn markdown(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut fence: Option<Fence> = None;
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (start, line) in lines(text) {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let run = |ch: char| trimmed.chars().take_while(|c| *c == ch).count();
        match &fence {
            None => {
                let Some(ch) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
                    continue;
                };
                let len = run(ch);
                if len < 3 {
                    continue;
                }
                let info = trimmed[len..].trim().to_ascii_lowercase();
                let lang = info.split([' ', '{', ',']).next().unwrap_or("");
                let console = match lang {
                    "" | "bash" | "sh" | "shell" | "zsh" => Some(false),
                    "console" | "shell-session" | "shellsession" => Some(true),
                    _ => None,
                };
                fence = Some(Fence {
                    ch,
                    len,
                    indent,
                    console,
                });
                block.clear();
            }
            Some(f) => {
                let closing = run(f.ch);
                if closing >= f.len && trimmed[closing..].trim().is_empty() {
                    if let Some(console) = f.console {
                        out.push(code_block(&block, f.indent, console));
                    }
                    fence = None;
                } else {
                    block.push((start, line));
                }
            }
        }
    }
    out
}

fn code_block(lines: &[(usize, &str)], indent: usize, console: bool) -> Chunk {
    let console = console || lines.iter().any(|(_, l)| l.trim_start().starts_with("$ "));
    let mut chunk = Chunk::default();
    let mut continued = false;
    for &(start, line) in lines {
        // The fence's indentation (a block in a list item) is not part of the code.
        let strip = line
            .char_indices()
            .take(indent)
            .take_while(|(_, c)| *c == ' ')
            .count();
        let mut code = &line[strip..];
        let mut at = start + strip;
        if console {
            let trimmed = code.trim_start();
            if let Some(command) = trimmed.strip_prefix("$ ") {
                at += code.len() - command.len();
                code = command;
            } else if !continued {
                continue;
            } else if let Some(rest) = trimmed.strip_prefix('>') {
                // A continuation's `> ` prompt.
                at += code.len() - rest.len();
                code = rest;
            }
            continued = code.trim_end().ends_with('\\');
        }
        chunk.push(at, code);
        chunk.text.push('\n');
    }
    chunk
}

// ---------------------------------------------------------------------------------------
// Makefiles

/// Variable definitions (`X = v`, `X := v`, `X ?= v`, `export X = v`) become assignments and
/// recipe lines (tab-indented) commands, with `$(X)` read as `${X}` and `$$` as `$`.
fn makefile(text: &str) -> Vec<Chunk> {
    let mut chunk = Chunk::default();
    let mut continued = false;
    for (start, line) in lines(text) {
        if let Some(recipe) = line.strip_prefix('\t') {
            // `@`, `-` and `+` prefix a recipe's command, not its continuation lines.
            let prefix = match continued {
                true => 0,
                false => recipe.len() - recipe.trim_start_matches(['@', '-', '+']).len(),
            };
            continued = recipe.trim_end().ends_with('\\');
            make_line(&mut chunk, start + 1 + prefix, &recipe[prefix..]);
            chunk.text.push('\n');
            continue;
        }
        continued = false;
        let definition = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = ["?=", ":=", "::=", "="]
            .iter()
            .find_map(|op| definition.split_once(op))
        else {
            continue;
        };
        let name = name.trim().trim_end_matches([':', '?', '+']);
        if !super::shell::is_name(name) || line.starts_with(' ') {
            continue;
        }
        let value = value.trim();
        // `value` is a slice of `line`: its offset is the distance between their starts.
        let value_at = start + (value.as_ptr() as usize - line.as_ptr() as usize);
        chunk.push(start, &format!("{name}=\""));
        make_line(&mut chunk, value_at, &value.replace('"', "\\\""));
        chunk.text.push_str("\"\n");
    }
    vec![chunk]
}

/// A line of make syntax as shell text.
fn make_line(chunk: &mut Chunk, at: usize, line: &str) {
    let mut rest = line;
    let mut offset = at;
    while let Some(i) = rest.find('$') {
        chunk.push(offset, &rest[..i]);
        let after = &rest[i + 1..];
        let (replacement, used) = if after.starts_with('$') {
            ("$".to_string(), 1)
        } else if let Some(inner) = after
            .strip_prefix('(')
            .and_then(|a| a.find(')').map(|end| &a[..end]))
        {
            match inner.strip_prefix("shell ") {
                Some(command) => (format!("$({command})"), inner.len() + 2),
                None => (format!("${{{inner}}}"), inner.len() + 2),
            }
        } else {
            ("$".to_string(), 0)
        };
        chunk.push(offset + i, &replacement);
        rest = &after[used..];
        offset += i + 1 + used;
    }
    chunk.push(offset, rest);
}

// ---------------------------------------------------------------------------------------
// Cloud Build and GitHub Actions

/// Where a scalar's text is in the file: line for line for a `|` block, else its start.
fn scalar(chunk: &mut Chunk, text: &str, index: &LineIndex, node: &Node) {
    let Value::Scalar(s) = &node.value else {
        return;
    };
    if let Some((first_line, indent)) = tree::literal_block_origin(text, node) {
        for (k, (_, line)) in lines(&s.text).enumerate() {
            let line_no = first_line.saturating_add(u32::try_from(k).unwrap_or(u32::MAX));
            let at = index.offset(text, Pos::new(line_no, 1)) + indent as usize;
            chunk.push(at.min(text.len()), line);
            chunk.text.push('\n');
        }
    } else {
        chunk.push(index.offset(text, node.pos), &s.text);
        chunk.text.push('\n');
    }
}

/// Steps run by the gcloud builder (its default entrypoint, or `entrypoint: gcloud`) are one
/// command of their `args`; `bash -c` / `sh -c` steps and `script` are shell text.
/// `substitutions` and each step's `env` set variables.
fn cloud_build(text: &str, limits: Limits) -> Vec<Chunk> {
    let (docs, _) = tree::parse(text, limits);
    let Some(doc) = docs.first() else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let mut env: Vec<(String, String)> = doc
        .get("substitutions")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect();
    let mut out = Vec::new();
    for step in doc.get("steps").and_then(Node::as_seq).unwrap_or_default() {
        let mut chunk = Chunk::default();
        let step_env: Vec<(String, String)> = step
            .get("env")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let (k, v) = e.as_str()?.split_once('=')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect();
        let image = step.get("name").and_then(Node::as_str).unwrap_or("");
        let entrypoint = step.get("entrypoint").and_then(Node::as_str);
        let args = step.get("args").and_then(Node::as_seq).unwrap_or_default();
        let gcloud_image = image.contains("cloud-builders/gcloud") || image.contains("cloud-sdk");
        match entrypoint {
            Some("gcloud") | None if gcloud_image && !args.is_empty() => {
                chunk.push(index.offset(text, step.pos), "gcloud");
                for arg in args {
                    let Some(value) = arg.as_str() else { continue };
                    chunk.text.push(' ');
                    chunk.push(index.offset(text, arg.pos), &double_quote(value));
                }
                chunk.text.push('\n');
            }
            Some("bash" | "sh" | "/bin/bash" | "/bin/sh") => {
                // `args: ['-c', 'script']` or `['-eEuo', 'pipefail', '-c', 'script']`.
                if let Some(script) = args.iter().skip_while(|a| a.as_str() != Some("-c")).nth(1) {
                    scalar(&mut chunk, text, &index, script);
                }
            }
            _ => {}
        }
        if let Some(script) = step.get("script") {
            scalar(&mut chunk, text, &index, script);
        }
        if chunk.text.is_empty() {
            continue;
        }
        chunk.env = env.iter().cloned().chain(step_env).collect();
        out.push(chunk);
    }
    // `$PROJECT_ID` and the like are Cloud Build's: unknown here.
    env.clear();
    out
}

/// An argument as one shell word, its `$` substitutions kept live.
fn double_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Every step's `run:`, with the workflow's, job's and step's `env`; `${{ env.X }}` reads as
/// `${X}`, any other `${{ ... }}` as an unknown value.
fn actions(text: &str, limits: Limits) -> Vec<Chunk> {
    let (docs, _) = tree::parse(text, limits);
    let Some(doc) = docs.first() else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let env_of = |node: &Node| -> Vec<(String, String)> {
        node.get("env")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), actions_value(v.as_str()?))))
            .collect()
    };
    let top = env_of(doc);
    let mut out = Vec::new();
    for (_, job) in doc.get("jobs").and_then(Node::as_map).unwrap_or_default() {
        let job_env = env_of(job);
        for step in job.get("steps").and_then(Node::as_seq).unwrap_or_default() {
            let Some(run) = step.get("run") else { continue };
            let mut raw = Chunk::default();
            scalar(&mut raw, text, &index, run);
            let mut chunk = expressions(&raw);
            chunk.env = top
                .iter()
                .chain(&job_env)
                .cloned()
                .chain(env_of(step))
                .collect();
            out.push(chunk);
        }
    }
    out
}

/// An `env` value: `${{ ... }}` is unknown unless it names another env variable.
fn actions_value(value: &str) -> String {
    let mut chunk = Chunk::whole(value);
    chunk = expressions(&chunk);
    chunk.text
}

/// `${{ env.X }}` → `${X}`; other `${{ ... }}` → `{...}`, Baton's mark for an unknown value.
fn expressions(raw: &Chunk) -> Chunk {
    let mut out = Chunk {
        env: raw.env.clone(),
        ..Chunk::default()
    };
    let text = &raw.text;
    let mut i = 0;
    while let Some(found) = text[i..].find("${{") {
        let start = i + found;
        out.push(raw.file_offset(i), &text[i..start]);
        let Some(len) = text[start..].find("}}") else {
            break;
        };
        let expr = text[start + 3..start + len].trim();
        let replacement = match expr.strip_prefix("env.") {
            Some(name) if super::shell::is_name(name) => format!("${{{name}}}"),
            _ => format!("{{{expr}}}"),
        };
        out.push(raw.file_offset(start), &replacement);
        i = start + len + 2;
    }
    out.push(
        raw.file_offset(i.min(text.len())),
        &text[i.min(text.len())..],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: Source, text: &str) -> Vec<String> {
        chunks(source, text, Limits::default())
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn markdown_shell_and_console_blocks() {
        let md = "# Deploy\n\n```bash\nexport A=1\ngcloud x\n```\n\n```python\ngcloud no\n```\n\n  ```console\n  $ gcloud y \\\n  >   --z\n  Created.\n  ```\n\n```\n$ gcloud w\noutput\n```\n";
        assert_eq!(
            texts(Source::Markdown, md),
            [
                "export A=1\ngcloud x\n",
                "gcloud y \\\n   --z\n",
                "gcloud w\n"
            ]
        );
        let chunk = &chunks(Source::Markdown, md, Limits::default())[1];
        assert_eq!(&md[chunk.file_offset(0)..][..8], "gcloud y");
    }

    #[test]
    fn makefile_variables_and_recipes() {
        let make = "REGION ?= us-central1\nAPP := \"my-app\"\n\ndeploy:\n\t@gcloud run deploy $(APP) --region=$(REGION) --set-env-vars=X=$$HOME\n";
        assert_eq!(
            texts(Source::Makefile, make),
            ["REGION=\"us-central1\"\nAPP=\"\\\"my-app\\\"\"\ngcloud run deploy ${APP} --region=${REGION} --set-env-vars=X=$HOME\n"]
        );
        let chunk = &chunks(Source::Makefile, make, Limits::default())[0];
        let at = chunk.text.find("gcloud").unwrap_or(0);
        assert_eq!(&make[chunk.file_offset(at)..][..6], "gcloud");
        let at = chunk.text.find("--region").unwrap_or(0);
        assert_eq!(&make[chunk.file_offset(at)..][..8], "--region");
    }

    #[test]
    fn cloud_build_steps() {
        let yaml = "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: ['workflows', 'deploy', 'w', '--source=w.yaml', '--location=${_REGION}']\n- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n  entrypoint: bash\n  args:\n  - -c\n  - |\n    gcloud pubsub topics create t\n    echo done\n- name: node\n  args: ['test']\nsubstitutions:\n  _REGION: europe-west1\n";
        assert_eq!(source("cloudbuild.yaml", yaml), Some(Source::CloudBuild));
        let all = chunks(Source::CloudBuild, yaml, Limits::default());
        assert_eq!(
            all.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            [
                "gcloud \"workflows\" \"deploy\" \"w\" \"--source=w.yaml\" \"--location=${_REGION}\"\n",
                "gcloud pubsub topics create t\necho done\n",
            ]
        );
        assert_eq!(
            all[0].env,
            [("_REGION".to_string(), "europe-west1".to_string())]
        );
        let at = all[1].text.find("echo").unwrap_or(0);
        assert_eq!(&yaml[all[1].file_offset(at)..][..4], "echo");
    }

    #[test]
    fn actions_run_blocks_and_env() {
        let yaml = "on: push\nenv:\n  REGION: us-east1\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n    - uses: actions/checkout@v4\n    - run: |\n        gcloud run deploy api --region ${{ env.REGION }} --image ${{ secrets.IMAGE }}\n";
        assert_eq!(
            source(".github/workflows/deploy.yml", yaml),
            Some(Source::Actions)
        );
        let all = chunks(Source::Actions, yaml, Limits::default());
        assert_eq!(
            all[0].text,
            "gcloud run deploy api --region ${REGION} --image {secrets.IMAGE}\n"
        );
        assert_eq!(all[0].env, [("REGION".to_string(), "us-east1".to_string())]);
        let at = all[0].text.find("--image").unwrap_or(0);
        assert_eq!(&yaml[all[0].file_offset(at)..][..7], "--image");
    }

    #[test]
    fn kinds_by_name_and_shebang() {
        assert_eq!(source("deploy.sh", ""), Some(Source::Shell));
        assert_eq!(
            source("bin/setup", "#!/usr/bin/env bash\n"),
            Some(Source::Shell)
        );
        assert_eq!(source("bin/setup", "#!/usr/bin/env python\n"), None);
        assert_eq!(source("Makefile", ""), Some(Source::Makefile));
        assert_eq!(source("README.md", ""), Some(Source::Markdown));
        assert_eq!(source("workflow.yaml", "main:\n  steps: []\n"), None);
    }
}
