//! Terraform's JSON syntax (`.tf.json`, `.tfvars.json`): translated into the native syntax
//! it means, so that one parser and one evaluator serve both, with a map from the translated
//! text back to the JSON's lines and columns.
//!
//! The JSON syntax has no schema of its own: whether `"push_config": {...}` is a nested block
//! or an object-valued argument depends on the provider's schema. Objects are blocks, except
//! the map-typed arguments of the resources Baton reads (`labels`, `user_env_vars`, ...) and
//! every argument of `locals`, `module` and `output`. Strings are templates (`"${var.x}"` is
//! the expression `var.x`), except a variable's `default` and tfvars values, which are literal.

use crate::source::Pos;
use crate::tree::{Limits, Node, Value};

/// Arguments of the modelled resources whose value is a map, not a nested block.
const MAP_ARGUMENTS: [&str; 9] = [
    "labels",
    "annotations",
    "user_env_vars",
    "environment_variables",
    "build_environment_variables",
    "attributes",
    "headers",
    "tags",
    "resource_labels",
];

/// Arguments of every resource that are not blocks even when given an object or a list.
const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "depends_on", "provider"];

/// Native syntax for a JSON file, and where each piece of it came from.
pub(crate) struct Translation {
    pub text: String,
    /// (offset in `text`, position in the JSON), in increasing offset order.
    marks: Vec<(usize, Pos)>,
}

impl Translation {
    /// The JSON position an offset in the translated text comes from: the start of the JSON
    /// value it is part of, moved along the line by the distance into it.
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let i = self.marks.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).and_then(|i| self.marks.get(i)) {
            Some(&(at, pos)) => {
                let ahead = u32::try_from(offset - at).unwrap_or(u32::MAX);
                Pos::new(pos.line, pos.column.saturating_add(ahead))
            }
            None => Pos::new(1, 1),
        }
    }
}

/// What a JSON file holds: a module's configuration, or values for a root's variables.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Config,
    Values,
}

/// Translates `text`; a JSON syntax error, or a file that is no object, is `Err` with the
/// position and message.
pub(crate) fn translate(
    text: &str,
    kind: Kind,
    limits: Limits,
) -> Result<Translation, (Pos, String)> {
    let (docs, errors) = crate::tree::parse(text, limits);
    if let Some(error) = errors.into_iter().next() {
        return Err((error.pos, format!("JSON syntax error: {}", error.message)));
    }
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Translation {
            text: String::new(),
            marks: Vec::new(),
        });
    };
    let Some(entries) = doc.as_map() else {
        return Err((
            doc.pos,
            "a Terraform JSON file is one JSON object".to_string(),
        ));
    };
    let mut out = Writer {
        text: String::new(),
        marks: Vec::new(),
    };
    match kind {
        Kind::Config => {
            for (key, value) in entries {
                out.top_level(key, value);
            }
        }
        Kind::Values => {
            for (key, value) in entries {
                out.attribute(key, value, Mode::Literal);
            }
        }
    }
    Ok(Translation {
        text: out.text,
        marks: out.marks,
    })
}

/// How a JSON string is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A string template: `${...}` and `%{...}` are live.
    Template,
    /// A literal value: `${` is text.
    Literal,
}

/// Which arguments of a body are blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// A resource's or data source's: objects are blocks, but for map-typed arguments.
    Resource,
    /// `locals`, `module`, `output`: every key is an argument.
    Arguments,
    /// `variable`: `default` is literal, `validation` a block, the rest arguments.
    Variable,
}

struct Writer {
    text: String,
    marks: Vec<(usize, Pos)>,
}

impl Writer {
    fn mark(&mut self, node: &Node) {
        self.marks.push((self.text.len(), node.pos));
    }

    fn top_level(&mut self, key: &Node, value: &Node) {
        let Some(block_type) = key.as_str() else {
            return;
        };
        match block_type {
            "resource" | "data" => {
                for (ty, names) in value.as_map().unwrap_or_default() {
                    for (name, body) in names.as_map().unwrap_or_default() {
                        self.blocks(
                            name,
                            &[block_type, str_of(ty), str_of(name)],
                            body,
                            Body::Resource,
                        );
                    }
                }
            }
            "module" | "output" | "provider" => {
                for (name, body) in value.as_map().unwrap_or_default() {
                    self.blocks(name, &[block_type, str_of(name)], body, Body::Arguments);
                }
            }
            "variable" => {
                for (name, body) in value.as_map().unwrap_or_default() {
                    self.blocks(name, &["variable", str_of(name)], body, Body::Variable);
                }
            }
            "locals" => self.blocks(key, &["locals"], value, Body::Arguments),
            // `terraform`, `moved`, `import`, `check` and comments name nothing Baton reads.
            _ => {}
        }
    }

    /// One block per object of `body` (an object, or a list of them), headed by `header`:
    /// the block type, then its labels.
    fn blocks(&mut self, at: &Node, header: &[&str], body: &Node, kind: Body) {
        let bodies: Vec<&Node> = match &body.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![body],
        };
        for body in bodies {
            let Some(entries) = body.as_map() else {
                continue;
            };
            if !header.iter().skip(1).all(|label| is_label(label)) || !is_identifier(header[0]) {
                continue;
            }
            self.mark(at);
            self.text.push_str(header[0]);
            for label in &header[1..] {
                self.text.push_str(" \"");
                self.text.push_str(label);
                self.text.push('"');
            }
            self.text.push_str(" {\n");
            self.body(entries, kind);
            self.text.push_str("}\n");
        }
    }

    fn body(&mut self, entries: &[(Node, Node)], kind: Body) {
        for (key, value) in entries {
            let Some(name) = key.as_str() else {
                continue;
            };
            let is_object = |v: &Node| v.as_map().is_some();
            let holds_objects = match &value.value {
                Value::Map(_) => true,
                Value::Seq(items) => !items.is_empty() && items.iter().all(is_object),
                Value::Scalar(_) => false,
            };
            match (kind, name) {
                (_, "//") => {}
                (Body::Variable, "default") => self.attribute(key, value, Mode::Literal),
                (Body::Variable, "validation") => self.blocks(key, &[name], value, Body::Arguments),
                (Body::Variable | Body::Arguments, _) => self.attribute(key, value, Mode::Template),
                (Body::Resource, "dynamic") => {
                    for (label, dynamic) in value.as_map().unwrap_or_default() {
                        self.dynamic(label, dynamic);
                    }
                }
                (Body::Resource, "lifecycle" | "connection" | "provisioner") => {}
                (Body::Resource, _)
                    if holds_objects
                        && !MAP_ARGUMENTS.contains(&name)
                        && !META_ARGUMENTS.contains(&name) =>
                {
                    self.blocks(key, &[name], value, Body::Resource);
                }
                (Body::Resource, _) => self.attribute(key, value, Mode::Template),
            }
        }
    }

    /// `"dynamic": {"label": {"for_each": ..., "iterator": ..., "content": {...}}}`.
    fn dynamic(&mut self, label: &Node, body: &Node) {
        let (Some(name), Some(entries)) = (label.as_str(), body.as_map()) else {
            return;
        };
        if !is_label(name) {
            return;
        }
        self.mark(label);
        self.text.push_str(&format!("dynamic \"{name}\" {{\n"));
        for (key, value) in entries {
            match key.as_str() {
                Some("content") => self.blocks(key, &["content"], value, Body::Resource),
                Some("for_each" | "labels") => self.attribute(key, value, Mode::Template),
                // The iterator's name is a bare identifier, not a string.
                Some("iterator") => {
                    if let Some(iterator) = value.as_str().filter(|i| is_identifier(i)) {
                        self.mark(value);
                        self.text.push_str(&format!("iterator = {iterator}\n"));
                    }
                }
                _ => {}
            }
        }
        self.text.push_str("}\n");
    }

    fn attribute(&mut self, key: &Node, value: &Node, mode: Mode) {
        let Some(name) = key.as_str().filter(|k| is_identifier(k)) else {
            return;
        };
        self.mark(key);
        self.text.push_str(name);
        self.text.push_str(" = ");
        self.expression(value, mode);
        self.text.push('\n');
    }

    fn expression(&mut self, node: &Node, mode: Mode) {
        self.mark(node);
        match &node.value {
            Value::Scalar(s) if s.plain && matches!(s.text.as_str(), "true" | "false" | "null") => {
                self.text.push_str(&s.text);
            }
            Value::Scalar(s) if s.plain && node.as_f64().is_some() => self.text.push_str(&s.text),
            Value::Scalar(s) => self.string(&s.text, mode),
            Value::Seq(items) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.expression(item, mode);
                }
                self.text.push(']');
            }
            Value::Map(entries) => {
                self.text.push_str("{\n");
                for (key, value) in entries {
                    let Some(name) = key.as_str() else {
                        continue;
                    };
                    self.mark(key);
                    self.string(name, Mode::Literal);
                    self.text.push_str(" = ");
                    self.expression(value, mode);
                    self.text.push('\n');
                }
                self.mark(node);
                self.text.push('}');
            }
        }
    }

    /// A quoted string of the native syntax that means the JSON string `text`.
    fn string(&mut self, text: &str, mode: Mode) {
        self.text.push('"');
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                '$' | '%' if mode == Mode::Literal && chars.peek() == Some(&'{') => {
                    self.text.push(c);
                    self.text.push(c);
                }
                c if c.is_control() => self.text.push_str(&format!("\\u{:04x}", c as u32)),
                c => self.text.push(c),
            }
        }
        self.text.push('"');
    }
}

fn str_of(node: &Node) -> &str {
    node.as_str().unwrap_or("")
}

/// A block label is a quoted string: anything printable without quotes or backslashes.
fn is_label(label: &str) -> bool {
    !label.is_empty() && !label.contains(['"', '\\', '\n', '\r', '$', '%'])
}

/// HCL identifiers: a letter or `_`, then letters, digits, `_` and `-`.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(text: &str, kind: Kind) -> String {
        match translate(text, kind, Limits::default()) {
            Ok(t) => t.text,
            Err((pos, message)) => format!("error at {pos:?}: {message}"),
        }
    }

    #[test]
    fn resources_become_blocks_with_map_arguments_kept() {
        let text = r#"{
  "resource": {
    "google_pubsub_subscription": {
      "sub": {
        "topic": "${google_pubsub_topic.t.id}",
        "labels": {"team": "web"},
        "push_config": {"push_endpoint": "https://x.a.run.app", "oidc_token": [{"service_account_email": "a@b"}]},
        "count": 2
      }
    }
  }
}"#;
        assert_eq!(
            native(text, Kind::Config),
            "resource \"google_pubsub_subscription\" \"sub\" {\n\
             topic = \"${google_pubsub_topic.t.id}\"\n\
             labels = {\n\"team\" = \"web\"\n}\n\
             push_config {\npush_endpoint = \"https://x.a.run.app\"\n\
             oidc_token {\nservice_account_email = \"a@b\"\n}\n}\n\
             count = 2\n}\n"
        );
    }

    #[test]
    fn variables_defaults_and_tfvars_are_literal() {
        let text = r#"{"variable": {"v": {"default": "${not} \"quoted\"", "type": "string"}}}"#;
        assert_eq!(
            native(text, Kind::Config),
            "variable \"v\" {\ndefault = \"$${not} \\\"quoted\\\"\"\ntype = \"string\"\n}\n"
        );
        assert_eq!(
            native(r#"{"region": "eu", "n": 3}"#, Kind::Values),
            "region = \"eu\"\nn = 3\n"
        );
    }

    #[test]
    fn locals_modules_and_dynamic_blocks() {
        let text = r#"{
  "locals": {"names": ["a", "b"], "m": {"k": "v"}},
  "module": {"m": {"source": "./m", "cfg": {"a": 1}}},
  "resource": {"t": {"r": {"dynamic": {"d": {"for_each": "${local.names}", "iterator": "it", "content": {"x": "${it.value}"}}}}}}
}"#;
        assert_eq!(
            native(text, Kind::Config),
            "locals {\nnames = [\"a\", \"b\"]\nm = {\n\"k\" = \"v\"\n}\n}\n\
             module \"m\" {\nsource = \"./m\"\ncfg = {\n\"a\" = 1\n}\n}\n\
             resource \"t\" \"r\" {\ndynamic \"d\" {\nfor_each = \"${local.names}\"\n\
             iterator = it\ncontent {\nx = \"${it.value}\"\n}\n}\n}\n"
        );
    }

    #[test]
    fn positions_map_back_to_the_json() {
        let text = "{\n  \"resource\": {\"t\": {\"r\": {\n    \"name\": \"abc\"\n  }}}\n}\n";
        let t = translate(text, Kind::Config, Limits::default())
            .ok()
            .unwrap_or_else(|| panic!("translates"));
        let at = t.text.find("\"abc\"").unwrap_or(0);
        assert_eq!(t.pos(at), Pos::new(3, 13));
        assert_eq!(t.pos(at + 1), Pos::new(3, 14));
        // The block starts at its name.
        assert_eq!(t.pos(0), Pos::new(2, 22));
    }

    #[test]
    fn bad_json_is_a_located_error() {
        let error = native("{\n  \"a\": [1,\n", Kind::Config);
        assert!(error.starts_with("error at Pos { line: 3,"), "{error}");
        assert!(native("[1, 2]", Kind::Config).contains("one JSON object"));
    }
}
