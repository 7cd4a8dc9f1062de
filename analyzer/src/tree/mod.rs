//! A small located data tree built from libyaml's events.
//!
//! YAML and JSON both parse into [`Node`]s that remember their line and column, which
//! `serde`-based YAML crates cannot do. Scalars keep their source text: the loaders decide
//! what a scalar means (YAML 1.2 core schema), so `on:` and `yes` stay strings and a step
//! named `1` keeps its name. Building is iterative and bounded (depth, alias expansion),
//! so hostile input gives an error instead of a stack overflow or a memory blow-up.

mod libyaml;

use std::collections::HashMap;

use libyaml::{Event, Mark, Style};

use crate::source::{LineIndex, Pos};

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// Quoted or block scalars are always strings; only plain scalars are typed.
    pub plain: bool,
    /// A `|` block scalar: its lines map 1:1 onto source lines, which lets embedded
    /// definitions (`sourceContents: |`) keep exact positions.
    pub literal_block: bool,
}

/// The bounds on parsing (`max_depth`, `max_alias_nodes`) are part of the analyzer's limits.
pub use crate::limits::Limits;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses every document of a YAML (or JSON) stream. Documents before a syntax error are
/// kept; parsing stops at the first error, whose position is reported.
pub fn parse(text: &str, limits: Limits) -> (Vec<Node>, Vec<SyntaxError>) {
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        anchor_lines: HashMap::new(),
        alias_nodes: 0,
        docs: Vec::new(),
        errors: Vec::new(),
    };
    let lines = LineMap::new(text);
    for event in libyaml::Parser::new(text) {
        match event {
            Ok((event, mark)) => {
                if let Err(error) = builder.event(event, lines.pos(mark)) {
                    builder.errors.push(error);
                    break;
                }
            }
            Err(error) => {
                let pos = match error.mark {
                    Some(mark) => lines.pos(mark),
                    // libyaml counts the offset in the text after a byte-order mark.
                    None => {
                        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                        let pos = LineIndex::new(text).pos(text, error.offset + bom);
                        match (bom, pos.line) {
                            (3, 1) => Pos::new(1, pos.column.saturating_sub(1)),
                            _ => pos,
                        }
                    }
                };
                builder.errors.push(SyntaxError {
                    pos,
                    message: error.message,
                });
                break;
            }
        }
    }
    (builder.docs, builder.errors)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// libyaml's positions turned into the lines every other part of Baton counts (the CLI, the
/// app, SARIF snippets, suppression comments): those end at `\n` only, while libyaml follows
/// YAML 1.1 and also ends a line at a lone `\r`, NEL, LS and PS. For each of libyaml's lines:
/// its line and the column its first character is at.
struct LineMap(Vec<(u32, u32)>);

impl LineMap {
    fn new(text: &str) -> LineMap {
        let mut starts = vec![(1, 0)];
        let (mut line, mut column) = (1u32, 0u32);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    line = line.saturating_add(1);
                    column = 0;
                    starts.push((line, 0));
                }
                // In `\r\n` the `\n` ends the line.
                '\r' if chars.peek() != Some(&'\n') => {
                    column = column.saturating_add(1);
                    starts.push((line, column));
                }
                '\u{85}' | '\u{2028}' | '\u{2029}' => {
                    column = column.saturating_add(1);
                    starts.push((line, column));
                }
                // libyaml skips a byte-order mark and does not count it.
                '\u{feff}' if line == 1 && column == 0 => {}
                _ => column = column.saturating_add(1),
            }
        }
        LineMap(starts)
    }

    /// The position of libyaml's 0-based line and column.
    fn pos(&self, mark: Mark) -> Pos {
        let column = to_u32(mark.column.saturating_add(1));
        match self.0.get(mark.line) {
            Some(&(line, offset)) => Pos::new(line, offset.saturating_add(column)),
            // Past the last line: as far past the last line here.
            None => {
                let (last, _) = self.0.last().copied().unwrap_or((1, 0));
                let past = to_u32(mark.line.saturating_add(1).saturating_sub(self.0.len()));
                Pos::new(last.saturating_add(past), column)
            }
        }
    }
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: Option<String>,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: Option<String>,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Scalar keys and their lines, once the map is big enough for a linear search to
        /// matter (keeps duplicate detection linear for maps with many keys).
        index: Option<HashMap<String, u32>>,
    },
}

/// Maps with fewer entries are searched linearly for duplicate keys.
const INDEX_FROM: usize = 16;

struct Builder {
    limits: Limits,
    stack: Vec<Frame>,
    /// Each anchored node with its node count and its height (nesting levels of lists and maps).
    anchors: HashMap<String, (Node, NodeSize)>,
    /// The line of each anchor of the document so far (complete or not).
    anchor_lines: HashMap<String, u32>,
    alias_nodes: usize,
    docs: Vec<Node>,
    errors: Vec<SyntaxError>,
}

impl Builder {
    fn event(&mut self, event: Event, pos: Pos) -> Result<(), SyntaxError> {
        if let Event::Scalar {
            anchor: Some(name), ..
        }
        | Event::SequenceStart { anchor: Some(name) }
        | Event::MappingStart { anchor: Some(name) } = &event
        {
            // libyaml (like PyYAML) rejects an anchor defined twice in one document, though
            // YAML 1.2 allows it.
            if let Some(first) = self.anchor_lines.insert(name.clone(), pos.line) {
                return Err(SyntaxError {
                    pos,
                    message: format!("anchor `&{name}` is defined twice (first at line {first})"),
                });
            }
        }
        match event {
            Event::Scalar {
                text,
                style,
                anchor,
            } => {
                let scalar = Scalar {
                    text,
                    plain: style == Style::Plain,
                    literal_block: style == Style::Literal,
                };
                self.finish(
                    Node {
                        pos,
                        value: Value::Scalar(scalar),
                    },
                    anchor,
                )
            }
            Event::SequenceStart { anchor } => self.open(
                Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                },
                pos,
            ),
            Event::MappingStart { anchor } => self.open(
                Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    index: None,
                },
                pos,
            ),
            Event::End => match self.stack.pop() {
                Some(Frame::Seq { pos, anchor, items }) => self.finish(
                    Node {
                        pos,
                        value: Value::Seq(items),
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    pos,
                    anchor,
                    entries,
                    ..
                }) => self.finish(
                    Node {
                        pos,
                        value: Value::Map(entries),
                    },
                    anchor,
                ),
                None => Ok(()),
            },
            Event::Alias(name) => {
                let Some((node, size)) = self.anchors.get(&name) else {
                    return Err(SyntaxError {
                        pos,
                        message: format!("alias `*{name}` refers to no anchor before it"),
                    });
                };
                self.alias_nodes += size.count;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(SyntaxError {
                        pos,
                        message: format!(
                            "alias expansion exceeds {} nodes, Baton's limit (a \"billion laughs\" document?)",
                            self.limits.max_alias_nodes
                        ),
                    });
                }
                // An alias copies its anchor's nesting too: deep structure aliased inside deep
                // structure would otherwise pass the depth limit (found by fuzzing).
                if self.stack.len() + size.height > self.limits.max_depth {
                    return Err(SyntaxError {
                        pos,
                        message: format!("nesting deeper than {} levels", self.limits.max_depth),
                    });
                }
                let node = node.clone();
                self.finish(node, None)
            }
            Event::DocumentStart => {
                self.anchors.clear();
                self.anchor_lines.clear();
                Ok(())
            }
            Event::Other => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), SyntaxError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(SyntaxError {
                pos,
                message: format!(
                    "lists and maps nested deeper than {} levels, Baton's limit",
                    self.limits.max_depth
                ),
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Attaches a completed node to its parent, or ends the document.
    fn finish(&mut self, node: Node, anchor: Option<String>) -> Result<(), SyntaxError> {
        if let Some(anchor) = anchor {
            // Anchors copy their node; nested anchors would copy it again at every level, so
            // the copies count against the same budget as alias expansion.
            let size = node_size(&node);
            self.alias_nodes += size.count;
            if self.alias_nodes > self.limits.max_alias_nodes {
                return Err(SyntaxError {
                    pos: node.pos,
                    message: format!(
                        "anchors and aliases copy more than {} nodes, Baton's limit",
                        self.limits.max_alias_nodes
                    ),
                });
            }
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                index,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let first_line = match (index.as_mut(), k.scalar()) {
                        (Some(index), Some(scalar)) => match index.get(&scalar.text) {
                            Some(&line) => Some(line),
                            None => {
                                index.insert(scalar.text.clone(), k.pos.line);
                                None
                            }
                        },
                        (Some(_), None) => None,
                        (None, _) => entries
                            .iter()
                            .find(|(existing, _)| same_key(existing, &k))
                            .map(|(first, _)| first.pos.line),
                    };
                    if let Some(first_line) = first_line {
                        return Err(SyntaxError {
                            pos: k.pos,
                            message: format!(
                                "duplicate key `{}` (first defined at line {first_line})",
                                k.display(),
                            ),
                        });
                    }
                    entries.push((k, node));
                    if index.is_none() && entries.len() >= INDEX_FROM {
                        *index = Some(
                            entries
                                .iter()
                                .filter_map(|(k, _)| Some((k.scalar()?.text.clone(), k.pos.line)))
                                .collect(),
                        );
                    }
                }
            },
        }
        Ok(())
    }
}

fn same_key(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x.text == y.text,
        _ => false,
    }
}

#[derive(Clone, Copy)]
struct NodeSize {
    count: usize,
    /// 0 for a scalar, 1 for a list or map of scalars, and so on.
    height: usize,
}

fn node_size(node: &Node) -> NodeSize {
    let mut size = NodeSize {
        count: 0,
        height: 0,
    };
    let mut todo = vec![(node, 0)];
    while let Some((n, containers_above)) = todo.pop() {
        size.count += 1;
        match &n.value {
            Value::Scalar(_) => size.height = size.height.max(containers_above),
            Value::Seq(items) => {
                size.height = size.height.max(containers_above + 1);
                todo.extend(items.iter().map(|i| (i, containers_above + 1)));
            }
            Value::Map(entries) => {
                size.height = size.height.max(containers_above + 1);
                todo.extend(
                    entries
                        .iter()
                        .flat_map(|(k, v)| [k, v])
                        .map(|n| (n, containers_above + 1)),
                );
            }
        }
    }
    size
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a non-null scalar (numbers and booleans included, as written).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if !s.is_null() => Some(&s.text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar(s) if s.plain => match s.text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// An integer written as a plain scalar (or, leniently, a quoted one: gcloud quotes int64s).
    pub fn as_i64(&self) -> Option<i64> {
        let s = self.scalar()?;
        let text = s.text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let value = if let Some(hex) = digits.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()?
        } else if let Some(oct) = digits.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()?
        } else {
            digits.parse::<i64>().ok()?
        };
        Some(if negative { -value } else { value })
    }

    pub fn as_f64(&self) -> Option<f64> {
        let s = self.scalar()?;
        self.as_i64()
            .map(|i| i as f64)
            .or_else(|| s.text.trim().parse::<f64>().ok())
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.is_null())
    }

    /// Looks up `key` in a map node; `None` for other nodes.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// Looks up `key` and returns the key node too (for its position).
    pub fn get_entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.scalar().is_some_and(|s| s.text == key))
            .map(|(k, v)| (k, v))
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// What the node is, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
            Value::Scalar(s) if s.is_null() => "null",
            Value::Scalar(_) if self.as_bool().is_some() => "a boolean",
            Value::Scalar(s) if s.plain && self.as_f64().is_some() => "a number",
            Value::Scalar(_) => "a string",
        }
    }

    /// Short text for messages: the scalar, or `[...]`/`{...}`.
    pub fn display(&self) -> String {
        match &self.value {
            Value::Scalar(s) => truncate(&s.text, 80),
            Value::Seq(_) => "[...]".into(),
            Value::Map(_) => "{...}".into(),
        }
    }

    /// Visits every node, parents before children.
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Node)) {
        let mut todo = vec![self];
        while let Some(n) = todo.pop() {
            f(n);
            match &n.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => todo.extend(items.iter().rev()),
                Value::Map(entries) => todo.extend(entries.iter().rev().flat_map(|(k, v)| [v, k])),
            }
        }
    }

    /// Moves every position, e.g. from an embedded definition into its host file.
    pub fn remap(&mut self, f: &impl Fn(Pos) -> Pos) {
        let mut todo = vec![self];
        while let Some(n) = todo.pop() {
            n.pos = f(n.pos);
            match &mut n.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => todo.extend(items.iter_mut()),
                Value::Map(entries) => todo.extend(entries.iter_mut().flat_map(|(k, v)| [k, v])),
            }
        }
    }
}

/// Where the lines of a `|` block scalar are in `text`, the file `node` was parsed from: the
/// file line of the block's first line (the one after the `|`) and the block's indentation.
/// A block maps line for line onto the file, so a position in its text is one in the file;
/// `None` when it does not (another style, or a line break that ends YAML's lines but not the
/// file's: a lone `\r`, NEL, LS or PS).
pub fn literal_block_origin(text: &str, node: &Node) -> Option<(u32, u32)> {
    let Value::Scalar(s) = &node.value else {
        return None;
    };
    if !s.literal_block {
        return None;
    }
    let first_line = node.pos.line.saturating_add(1);
    let file_lines: Vec<&str> = text
        .split('\n')
        .skip(first_line as usize - 1)
        .take(s.text.split('\n').count())
        .collect();
    let yaml_only_break = |l: &&str| {
        l.trim_end_matches('\r').contains('\r') || l.contains(['\u{85}', '\u{2028}', '\u{2029}'])
    };
    if file_lines.iter().any(yaml_only_break) {
        return None;
    }
    // The indentation is the file line's minus the text line's, on the first line with
    // content (an indentation indicator, `|2`, may leave spaces in the text).
    let leading = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let indent = s
        .text
        .split('\n')
        .zip(&file_lines)
        .find(|(l, _)| !l.trim_start_matches(' ').is_empty())
        .map_or(0, |(l, file_line)| {
            leading(file_line).saturating_sub(leading(l))
        });
    Some((first_line, to_u32(indent)))
}

impl Scalar {
    pub fn is_null(&self) -> bool {
        self.plain && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (mut docs, errors) = parse(text, Limits::default());
        assert_eq!(errors, vec![]);
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn positions_are_one_based() {
        let doc = one("a:\n  b: [1, x]\n");
        let (key, value) = doc.get_entry("a").unwrap();
        assert_eq!(key.pos, Pos::new(1, 1));
        let b = value.get("b").unwrap();
        assert_eq!(b.pos, Pos::new(2, 6));
        assert_eq!(b.as_seq().unwrap()[1].pos, Pos::new(2, 10));
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let doc = one("on: yes\nx: true\n");
        assert_eq!(doc.get("on").unwrap().as_bool(), None);
        assert_eq!(doc.get("on").unwrap().as_str(), Some("yes"));
        assert_eq!(doc.get("x").unwrap().as_bool(), Some(true));
    }

    #[test]
    fn quoted_scalars_are_not_typed() {
        let doc = one("a: 'true'\nb: \"12\"\nc: 12\n");
        assert_eq!(doc.get("a").unwrap().as_bool(), None);
        assert_eq!(doc.get("b").unwrap().kind_name(), "a string");
        assert_eq!(doc.get("c").unwrap().kind_name(), "a number");
    }

    #[test]
    fn multi_document_stream() {
        let (docs, errors) = parse("a: 1\n---\nb: 2\n---\n- c\n", Limits::default());
        assert!(errors.is_empty());
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1].get("b").unwrap().pos.line, 3);
    }

    #[test]
    fn documents_before_an_error_are_kept() {
        let (docs, errors) = parse("a: 1\n---\nb: [\n", Limits::default());
        assert_eq!(docs.len(), 1);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let (_, errors) = parse("a: 1\nb: 2\na: 3\n", Limits::default());
        assert_eq!(errors[0].pos, Pos::new(3, 1));
        assert!(
            errors[0].message.contains("duplicate key `a`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let (_, errors) = parse(&text, Limits::default());
        assert!(
            errors[0].message.contains("alias expansion"),
            "{:?}",
            errors
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "- ".repeat(5000) + "x\n";
        let (_, errors) = parse(&text, Limits::default());
        assert!(!errors.is_empty());
        let text = "[".repeat(100_000);
        let (_, errors) = parse(&text, Limits::default());
        assert!(!errors.is_empty());
    }

    #[test]
    fn json_with_tabs() {
        let doc = one("{\n\t\"a\": [1,\n\t\t2]\n}");
        assert_eq!(doc.get("a").unwrap().as_seq().unwrap()[1].as_i64(), Some(2));
    }
}
