//! Terraform values as far as they can be known without a cloud. A value Terraform would only
//! know after `apply` (a variable nobody set, a computed attribute) is `Unknown`, carrying the
//! expression text so that what it feeds stays visible; inside a string it reads `{expr}`, the
//! placeholder the rest of Baton treats as "not known statically".

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::source::FileId;

/// A resource instance the evaluator knows (an index into its instance list).
pub(crate) type InstanceId = usize;
/// A module instance (an index into the evaluator's module instance list).
pub(crate) type ModuleInstanceId = usize;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(Rc<str>),
    /// A string whose bytes all know where they were written: a file read with `file()`, a
    /// rendered `templatefile()`, a heredoc. Workflow definitions keep their positions this way.
    Text(Rc<Source>),
    List(Rc<Vec<Value>>),
    /// Maps and objects alike.
    Map(Rc<BTreeMap<String, Value>>),
    /// Not known before `apply`: the expression as written.
    Unknown(Rc<str>),
    /// A resource or data source instance: its attributes are read on demand.
    Resource(InstanceId),
    /// A module instance: its outputs are read on demand.
    Module(ModuleInstanceId),
}

impl Value {
    pub(crate) fn str(text: impl Into<Rc<str>>) -> Value {
        Value::Str(text.into())
    }

    pub(crate) fn unknown(text: &str) -> Value {
        Value::Unknown(crate::tree::truncate(text.trim(), 80).into())
    }

    pub(crate) fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    pub(crate) fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(entries))
    }

    pub(crate) fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown(_))
    }

    /// The string a value gives in a template: numbers and booleans as Terraform prints them,
    /// unknown parts as `{expr}`. `None` for collections and null.
    pub(crate) fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Text(t) => Some(t.text.clone()),
            Value::Number(n) => Some(number_text(*n)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Unknown(e) => Some(format!("{{{e}}}")),
            Value::Null
            | Value::List(_)
            | Value::Map(_)
            | Value::Resource(_)
            | Value::Module(_) => None,
        }
    }

    /// A plain string value, known through and through (no `{...}` part).
    pub(crate) fn as_known_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) if !s.contains('{') => Some(s),
            Value::Text(t) => Some(&t.text),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if &**s == "true" => Some(true),
            Value::Str(s) if &**s == "false" => Some(false),
            _ => None,
        }
    }

    pub(crate) fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The elements of a list, tuple or set.
    pub(crate) fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }
}

/// A number as Terraform prints it: integers without a fraction.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A string built from pieces of one file: literal runs map byte for byte, substituted values
/// map to where they were substituted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Source {
    pub file: FileId,
    pub text: String,
    /// Sorted by `at`; the first starts at 0.
    pub pieces: Vec<Piece>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Piece {
    /// Where the piece starts in `Source::text`.
    pub at: usize,
    /// Where it starts in the file.
    pub from: usize,
    /// Byte for byte (literal text), or every byte at `from` (a substitution).
    pub linear: bool,
}

impl Source {
    /// The whole of a file, as `file()` reads it.
    pub(crate) fn file(file: FileId, text: &str) -> Source {
        Source {
            file,
            text: text.to_string(),
            pieces: vec![Piece {
                at: 0,
                from: 0,
                linear: true,
            }],
        }
    }

    /// The byte of the file that byte `at` of the text came from.
    pub(crate) fn origin(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.at <= at);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(p) if p.linear => p.from + (at - p.at),
            Some(p) => p.from,
            None => 0,
        }
    }
}

/// Builds a [`Source`] piece by piece.
#[derive(Debug)]
pub(crate) struct SourceBuilder {
    source: Source,
}

impl SourceBuilder {
    pub(crate) fn new(file: FileId) -> SourceBuilder {
        SourceBuilder {
            source: Source {
                file,
                text: String::new(),
                pieces: Vec::new(),
            },
        }
    }

    /// Text written as is at byte `from` of the file.
    pub(crate) fn literal(&mut self, text: &str, from: usize) {
        self.piece(text, from, true);
    }

    /// A value substituted at byte `from` of the file.
    pub(crate) fn substituted(&mut self, text: &str, from: usize) {
        self.piece(text, from, false);
    }

    fn piece(&mut self, text: &str, from: usize, linear: bool) {
        if text.is_empty() {
            return;
        }
        self.source.pieces.push(Piece {
            at: self.source.text.len(),
            from,
            linear,
        });
        self.source.text.push_str(text);
    }

    pub(crate) fn finish(self) -> Source {
        self.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_follow_literal_runs_and_pin_substitutions() {
        let mut b = SourceBuilder::new(FileId(0));
        b.literal("url: ", 10);
        b.substituted("https://x", 15);
        b.literal("/run", 30);
        let s = b.finish();
        assert_eq!(s.text, "url: https://x/run");
        assert_eq!(s.origin(0), 10);
        assert_eq!(s.origin(4), 14);
        assert_eq!(s.origin(5), 15);
        assert_eq!(s.origin(12), 15);
        assert_eq!(s.origin(15), 31);
    }

    #[test]
    fn texts() {
        assert_eq!(Value::Number(3.0).as_text().as_deref(), Some("3"));
        assert_eq!(Value::Number(0.5).as_text().as_deref(), Some("0.5"));
        assert_eq!(
            Value::unknown("var.x").as_text().as_deref(),
            Some("{var.x}")
        );
        assert_eq!(Value::str("a{b}").as_known_str(), None);
    }
}
