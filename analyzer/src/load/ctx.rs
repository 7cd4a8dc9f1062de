//! Typed, located field access that turns wrong types into findings instead of failures.

use crate::diagnostic::{Diagnostic, Subject};
use crate::limits::Limits;
use crate::model::{At, ResourceId};
use crate::rules::RuleId;
use crate::source::{FileId, Loc};
use crate::tree::Node;

/// The state of loading one file: where positions point and the findings so far.
pub struct Ctx<'t> {
    pub file: FileId,
    /// The whole file, for positions inside embedded definitions.
    pub text: &'t str,
    pub limits: Limits,
    /// Steps read so far in the workflow being loaded (bounded by `limits.max_steps`).
    pub(crate) steps: usize,
    /// The first step past `limits.max_steps`, if the workflow being loaded has one.
    pub(crate) steps_over_limit: Option<Loc>,
    diagnostics: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    pub fn new(file: FileId, text: &'t str) -> Ctx<'t> {
        Ctx {
            file,
            text,
            limits: Limits::default(),
            steps: 0,
            steps_over_limit: None,
            diagnostics: Vec::new(),
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    pub fn loc(&self, node: &Node) -> Loc {
        Loc::new(self.file, node.pos)
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// How many findings there are so far; see [`Ctx::about_resource`].
    pub(crate) fn mark(&self) -> usize {
        self.diagnostics.len()
    }

    /// Findings reported since `mark` while loading one resource are about it (`resource` is
    /// its index among this file's resources).
    /// Whether every finding since `mark` says a document was skipped.
    pub(crate) fn only_skipped_since(&self, mark: usize) -> bool {
        self.diagnostics[mark.min(self.diagnostics.len())..]
            .iter()
            .all(|d| d.rule == RuleId::UnrecognizedDocument)
    }

    /// Drops the findings since `mark`.
    pub(crate) fn forget_since(&mut self, mark: usize) {
        self.diagnostics.truncate(mark);
    }

    pub(crate) fn about_resource(&mut self, mark: usize, resource: usize) {
        for d in self.diagnostics.iter_mut().skip(mark) {
            if d.subject == Subject::Position && d.rule == RuleId::InvalidDefinition {
                d.subject = Subject::Resource(ResourceId::new(resource));
            }
        }
    }

    /// Reports an input the service would reject (wrong type, unknown key, missing field).
    pub fn invalid(&mut self, node: &Node, message: impl Into<String>) {
        let loc = self.loc(node);
        self.report(Diagnostic::new(RuleId::InvalidDefinition, loc, message));
    }

    fn wrong_type(&mut self, key: &str, node: &Node, expected: &str) {
        self.invalid(
            node,
            format!("`{key}` should be {expected}, found {}", node.kind_name()),
        );
    }

    /// A scalar field as text; numbers are accepted as written (gcloud quotes some, not others).
    pub fn string(&mut self, map: &Node, key: &str) -> Option<String> {
        self.string_at(map, key).map(|s| s.value)
    }

    pub fn string_at(&mut self, map: &Node, key: &str) -> Option<At<String>> {
        let node = map.get(key)?;
        match node.as_str() {
            Some(s) => Some(At {
                value: s.to_string(),
                loc: self.loc(node),
            }),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    pub fn int(&mut self, map: &Node, key: &str) -> Option<i64> {
        self.int_at(map, key).map(|i| i.value)
    }

    pub fn int_at(&mut self, map: &Node, key: &str) -> Option<At<i64>> {
        let node = map.get(key)?;
        match node.as_i64() {
            Some(i) => Some(At {
                value: i,
                loc: self.loc(node),
            }),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "an integer");
                None
            }
        }
    }

    pub fn number(&mut self, map: &Node, key: &str) -> Option<f64> {
        let node = map.get(key)?;
        match node.as_f64() {
            Some(f) => Some(f),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "a number");
                None
            }
        }
    }

    pub fn bool(&mut self, map: &Node, key: &str) -> Option<bool> {
        let node = map.get(key)?;
        match node.as_bool() {
            Some(b) => Some(b),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "true or false");
                None
            }
        }
    }

    /// A nested map; `None` (after a finding) when it is something else.
    pub fn map<'n>(&mut self, map: &'n Node, key: &str) -> Option<&'n Node> {
        let node = map.get(key)?;
        match node.as_map() {
            Some(_) => Some(node),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "a map");
                None
            }
        }
    }

    pub fn seq<'n>(&mut self, map: &'n Node, key: &str) -> Option<&'n [Node]> {
        let node = map.get(key)?;
        match node.as_seq() {
            Some(items) => Some(items),
            None if node.is_null() => None,
            None => {
                self.wrong_type(key, node, "a list");
                None
            }
        }
    }

    /// A map of string values (labels, env vars, headers).
    pub fn string_map(&mut self, map: &Node, key: &str) -> Vec<(String, String)> {
        let Some(node) = self.map(map, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in node.as_map().unwrap_or_default() {
            match (k.as_str(), v.as_str()) {
                (Some(k), Some(v)) => out.push((k.to_string(), v.to_string())),
                (Some(_), None) if v.is_null() => {}
                (Some(name), None) => self.invalid(
                    v,
                    format!("`{key}.{name}` should be a string, found {}", v.kind_name()),
                ),
                (None, _) => self.invalid(k, format!("a key of `{key}` should be a string")),
            }
        }
        out
    }
}

/// Parses a duration as REST (`"600s"`, `"3.5s"`) or App Engine (`1d`, `2h`) writes it, in seconds.
pub fn duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    Some(number * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_seconds("600s"), Some(600.0));
        assert_eq!(duration_seconds("3.5s"), Some(3.5));
        assert_eq!(duration_seconds("1d"), Some(86400.0));
        assert_eq!(duration_seconds("soon"), None);
    }
}
