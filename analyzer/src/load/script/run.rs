//! Runs a script the way a reader follows it, without running anything: variables are set
//! and expanded, loops over literal lists repeat their body, `source`d files of the input set
//! their variables, `gcloud config set` sets defaults, and a `$(gcloud ... describe ...)`
//! becomes the value it would print where that value names a resource (a service's URL). What
//! only the cloud or the caller knows stays visible as `{$NAME}` or `{$(...)}`, the mark the
//! rest of Baton reads as "not known statically". The result is every `gcloud` and `gsutil`
//! command line, with each word's file offset.

use std::collections::HashMap;

use super::chunk::Chunk;
use super::shell::{self, Item, Part, Word};

/// A command line after expansion.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Invocation {
    pub words: Vec<Arg>,
    /// The `gcloud config` values when it runs (a later `config set` does not change it).
    pub config: HashMap<String, String>,
}

/// One word of a command line and the file offset of the word it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Arg {
    pub text: String,
    pub at: usize,
}

/// Most loop iterations and `source` depth per file: scripts are read, not run.
const MAX_ITERATIONS: usize = 1_000;
const MAX_SOURCE_DEPTH: usize = 4;

/// What the runner needs from the rest of the input: the text of a file a script sources.
pub(crate) trait Sources {
    /// The text of the file at `path` (relative to the script's folder), if it was loaded.
    fn source(&self, from_folder: &str, path: &str) -> Option<String>;
}

/// The state of one file's reading.
pub(crate) struct Runner<'s> {
    pub env: HashMap<String, String>,
    /// `gcloud config set` values (`project`, `run/region`, ...).
    pub config: HashMap<String, String>,
    sources: &'s dyn Sources,
    folder: String,
    iterations: usize,
    depth: usize,
    /// Collect command lines (off while reading a sourced file for its variables).
    collect: bool,
    pub out: Vec<Invocation>,
}

impl<'s> Runner<'s> {
    pub(crate) fn new(sources: &'s dyn Sources, folder: &str) -> Runner<'s> {
        Runner {
            env: HashMap::new(),
            config: HashMap::new(),
            sources,
            folder: folder.to_string(),
            iterations: 0,
            depth: 0,
            collect: true,
            out: Vec::new(),
        }
    }

    /// Reads one chunk: its preset variables, then its commands.
    pub(crate) fn chunk(&mut self, chunk: &Chunk) {
        for (name, value) in &chunk.env {
            self.env.insert(name.clone(), value.clone());
        }
        let items = shell::parse(&chunk.text);
        self.items(&items, &|at| chunk.file_offset(at));
    }

    fn items(&mut self, items: &[Item], offset: &dyn Fn(usize) -> usize) {
        for item in items {
            match item {
                Item::Command(command) => self.command(command, offset),
                Item::For { var, words, body } => {
                    let values: Vec<String> = words.iter().flat_map(|w| self.fields(w)).collect();
                    let values = if values.is_empty() || values.iter().any(|v| v.contains('*')) {
                        vec![format!("{{${var}}}")]
                    } else {
                        values
                    };
                    for value in values {
                        if self.iterations >= MAX_ITERATIONS {
                            return;
                        }
                        self.iterations += 1;
                        self.env.insert(var.clone(), value);
                        self.items(body, offset);
                    }
                }
            }
        }
    }

    fn command(&mut self, command: &shell::Command, offset: &dyn Fn(usize) -> usize) {
        let mut args: Vec<Arg> = Vec::new();
        for word in &command.words {
            for text in self.fields(word) {
                args.push(Arg {
                    text,
                    at: offset(word.at),
                });
            }
        }
        // `X=1 cmd` sets X for cmd only; a bare `X=1` for the rest of the script.
        let values: Vec<(String, String)> = command
            .assignments
            .iter()
            .map(|(name, value)| (name.clone(), self.expand(value)))
            .collect();
        if args.is_empty() {
            self.env.extend(values);
            return;
        }
        // Wrappers that run the rest of the line.
        let mut start = 0;
        while let Some(first) = args.get(start).map(|a| a.text.as_str()) {
            match first {
                "sudo" | "time" | "exec" | "command" | "nohup" => start += 1,
                "env" => {
                    start += 1;
                    while args
                        .get(start)
                        .is_some_and(|a| a.text.contains('=') && !a.text.starts_with('-'))
                    {
                        start += 1;
                    }
                }
                _ => break,
            }
        }
        let args = args.split_off(start.min(args.len()));
        let Some(first) = args.first().map(|a| a.text.clone()) else {
            return;
        };
        match first.as_str() {
            "export" | "local" | "declare" | "readonly" | "typeset" => {
                for word in command.words.iter().skip(start + 1) {
                    if let Some((name, value)) = shell::as_assignment(word) {
                        let value = self.expand(&value);
                        self.env.insert(name, value);
                    }
                }
            }
            "unset" => {
                for arg in &args[1..] {
                    self.env.remove(&arg.text);
                }
            }
            "source" | "." => {
                if let Some(path) = args.get(1) {
                    self.source(&path.text.clone());
                }
            }
            "eval" => {
                let line: Vec<&str> = args[1..].iter().map(|a| a.text.as_str()).collect();
                let at = args.get(1).map_or(0, |a| a.at);
                self.nested_line(&line.join(" "), at);
            }
            "gcloud" | "gsutil" => {
                if args.get(1).map(|a| a.text.as_str()) == Some("config") {
                    self.config_set(&args);
                }
                if self.collect {
                    self.out.push(Invocation {
                        words: args,
                        config: self.config.clone(),
                    });
                }
            }
            _ => {
                // A helper that takes a whole command line as one argument.
                for arg in &args[1..] {
                    if arg.text.starts_with("gcloud ") || arg.text.starts_with("gsutil ") {
                        self.nested_line(&arg.text.clone(), arg.at);
                    }
                }
            }
        }
    }

    /// A command line given as text (to `eval`, or to a helper function): read as a script
    /// whose words all point at `at`.
    fn nested_line(&mut self, line: &str, at: usize) {
        if self.depth >= MAX_SOURCE_DEPTH {
            return;
        }
        self.depth += 1;
        let items = shell::parse(line);
        self.items(&items, &|_| at);
        self.depth -= 1;
    }

    /// `source FILE`: its variables (its commands are the file's own).
    fn source(&mut self, path: &str) {
        if self.depth >= MAX_SOURCE_DEPTH || path.contains('{') {
            return;
        }
        let Some(text) = self.sources.source(&self.folder, path) else {
            return;
        };
        self.depth += 1;
        let collect = std::mem::replace(&mut self.collect, false);
        let items = shell::parse(&text);
        self.items(&items, &|_| 0);
        self.collect = collect;
        self.depth -= 1;
    }

    /// `gcloud config set KEY VALUE`.
    fn config_set(&mut self, args: &[Arg]) {
        let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
        if let ["gcloud", "config", "set", key, value, ..] = words.as_slice() {
            let key = key.strip_prefix("core/").unwrap_or(key);
            self.config.insert(key.to_string(), value.to_string());
        }
    }

    /// A word's value as one string (no field splitting: assignments, `[[ ]]`).
    pub(crate) fn expand(&mut self, word: &Word) -> String {
        let mut out = String::new();
        for part in &word.parts {
            out.push_str(&self.part(part));
        }
        out
    }

    /// A word's fields: unquoted expansions are split at blanks, as the shell does, and a
    /// word that is only empty unquoted expansions is no word at all.
    fn fields(&mut self, word: &Word) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut vanishes = true;
        for part in &word.parts {
            let value = self.part(part);
            let splits = matches!(part, Part::Var { quoted: false, .. } | Part::Subst { .. });
            vanishes &= splits && value.is_empty();
            let pieces = blank_separated(&value);
            let mut pieces = pieces.into_iter();
            match pieces.next() {
                Some(first) if splits => {
                    if let Some(last) = fields.last_mut() {
                        last.push_str(first);
                    }
                    fields.extend(pieces.map(str::to_string));
                }
                _ => {
                    if let Some(last) = fields.last_mut() {
                        last.push_str(&value);
                    }
                }
            }
        }
        if vanishes {
            return Vec::new();
        }
        fields
    }

    fn part(&mut self, part: &Part) -> String {
        match part {
            Part::Text { text, .. } => text.clone(),
            Part::Var { name, op, .. } => self.variable(name, op.as_ref()),
            Part::Subst { items, text } => self.substitution(items, text),
            Part::Opaque(text) => format!("{{{text}}}"),
        }
    }

    fn variable(&mut self, name: &str, op: Option<&(String, Word)>) -> String {
        let value = self.env.get(name).cloned();
        let Some((op, word)) = op else {
            return value.unwrap_or_else(|| format!("{{${name}}}"));
        };
        let set = value.is_some();
        let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        let present = if op.starts_with(':') { non_empty } else { set };
        match op.trim_start_matches(':') {
            "-" if present => value.unwrap_or_default(),
            "-" => self.expand(word),
            "=" if present => value.unwrap_or_default(),
            "=" => {
                let v = self.expand(word);
                self.env.insert(name.to_string(), v.clone());
                v
            }
            "+" if present => self.expand(word),
            "+" => String::new(),
            _ => value.unwrap_or_else(|| format!("{{${name}}}")),
        }
    }

    /// `$(...)`: what a describe command prints where it names a resource, else unknown.
    fn substitution(&mut self, items: &[Item], text: &str) -> String {
        let unknown = || {
            let short: String = text.chars().take(60).collect();
            format!("{{$({short})}}")
        };
        let [Item::Command(command)] = items else {
            return unknown();
        };
        let words: Vec<String> = command.words.iter().map(|w| self.expand(w)).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["echo", rest @ ..] => rest.join(" "),
            ["gcloud", ..] => describe(&words, &self.config).unwrap_or_else(unknown),
            _ => unknown(),
        }
    }
}

/// `value` split at blanks, except inside a `{...}` mark of an unknown value (whose text is
/// the expression, and stays one piece).
fn blank_separated(value: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    for (i, c) in value.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => {
                if let Some(s) = start.take() {
                    pieces.push(&value[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        pieces.push(&value[s..]);
    }
    pieces
}

/// The value a `gcloud ... describe|get-value` prints, where it names a resource.
fn describe(words: &[&str], config: &HashMap<String, String>) -> Option<String> {
    let flag = |name: &str| flag_value(words, name);
    let format = flag("format").unwrap_or_default();
    let field = format
        .trim_matches(['"', '\''])
        .strip_prefix("value(")
        .and_then(|f| f.strip_suffix(')'))
        .unwrap_or("");
    let configured = |key: &str, fallback: &str| {
        config
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("{{{fallback}}}"))
    };
    let positional = words
        .iter()
        .skip(1)
        .filter(|w| !w.starts_with('-'))
        .copied()
        .collect::<Vec<&str>>();
    let words = positional.as_slice();
    match words {
        ["config", "get-value" | "get", key, ..] => {
            let key = key.strip_prefix("core/").unwrap_or(key);
            Some(configured(key, key))
        }
        ["run", "services", "describe", name, ..]
            if matches!(
                field,
                "status.url" | "status.address.url" | "uri" | "urls[0]"
            ) =>
        {
            let region = flag("region").unwrap_or_else(|| configured("run/region", "region"));
            Some(format!(
                "https://{name}-{{project-number}}.{region}.run.app"
            ))
        }
        ["functions", "describe", name, ..] => {
            let region = flag("region").unwrap_or_else(|| configured("functions/region", "region"));
            match field {
                "httpsTrigger.url" => {
                    let project =
                        flag("project").unwrap_or_else(|| configured("project", "project"));
                    Some(format!(
                        "https://{region}-{project}.cloudfunctions.net/{name}"
                    ))
                }
                "serviceConfig.uri" | "url" => Some(format!(
                    "https://{name}-{{project-number}}.{region}.run.app"
                )),
                _ => None,
            }
        }
        ["pubsub", "topics", "describe", name, ..] if field == "name" => {
            let project = flag("project").unwrap_or_else(|| configured("project", "project"));
            Some(format!("projects/{project}/topics/{name}"))
        }
        ["workflows", "describe", name, ..] if field == "name" => {
            let project = flag("project").unwrap_or_else(|| configured("project", "project"));
            let location =
                flag("location").unwrap_or_else(|| configured("workflows/location", "location"));
            Some(format!(
                "projects/{project}/locations/{location}/workflows/{name}"
            ))
        }
        _ => None,
    }
}

/// `--name=value` or `--name value`.
pub(crate) fn flag_value(words: &[&str], name: &str) -> Option<String> {
    let long = format!("--{name}");
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if let Some(value) = word.strip_prefix(&long) {
            if let Some(value) = value.strip_prefix('=') {
                return Some(value.to_string());
            }
            if value.is_empty() {
                return iter.next().map(|v| v.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoSources;
    impl Sources for NoSources {
        fn source(&self, _: &str, path: &str) -> Option<String> {
            (path == "env.sh" || path == "./env.sh")
                .then(|| "export REGION=europe-west1\ngcloud pubsub topics create ignored\n".into())
        }
    }

    fn lines(script: &str) -> Vec<String> {
        let mut runner = Runner::new(&NoSources, "");
        runner.chunk(&Chunk::whole(script));
        runner
            .out
            .iter()
            .map(|i| {
                i.words
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn variables_defaults_and_exports() {
        assert_eq!(
            lines("PROJECT=acme\nexport REGION=${REGION:-us-central1}\ngcloud pubsub topics create t --project $PROJECT --region=$REGION $UNSET\n"),
            ["gcloud pubsub topics create t --project acme --region=us-central1 {$UNSET}"]
        );
    }

    #[test]
    fn describe_substitutions_name_resources() {
        assert_eq!(
            lines("gcloud config set run/region europe-west1\nURL=$(gcloud run services describe api --format='value(status.url)')\ngcloud scheduler jobs create http j --uri=\"$URL/run\"\nP=$(gcloud config get-value project)\necho\ngcloud pubsub topics create t --project=$P\n"),
            [
                "gcloud config set run/region europe-west1",
                "gcloud scheduler jobs create http j --uri=https://api-{project-number}.europe-west1.run.app/run",
                "gcloud pubsub topics create t --project={project}",
            ]
        );
    }

    #[test]
    fn loops_sources_eval_and_helpers() {
        assert_eq!(
            lines(". ./env.sh\nfor t in a b; do gcloud pubsub topics create $t-$REGION; done\neval \"gcloud pubsub topics create e\"\nrun_it \"gcloud run deploy s\"\n"),
            [
                "gcloud pubsub topics create a-europe-west1",
                "gcloud pubsub topics create b-europe-west1",
                "gcloud pubsub topics create e",
                "gcloud run deploy s",
            ]
        );
    }

    #[test]
    fn unknown_values_are_not_split() {
        assert_eq!(
            lines(
                "K=`date +\"%H %M\"`\nS=sub-$K\ngcloud pubsub subscriptions create $S --topic t\n"
            ),
            ["gcloud pubsub subscriptions create sub-{$(date +\"%H %M\")} --topic t"]
        );
    }

    #[test]
    fn unquoted_variables_split_into_words() {
        assert_eq!(
            lines("FLAGS=\"--region us --quiet\"\ngcloud run deploy s $FLAGS \"$FLAGS\"\n"),
            ["gcloud run deploy s --region us --quiet --region us --quiet"]
        );
    }
}
