//! The shell that deploy scripts, Makefile recipes and README code blocks are written in, read
//! as exactly as matters for finding commands and their arguments: quotes, escapes, `\` line
//! continuations, expansions (`$X`, `${X:-default}`, `$(...)`, backquotes), assignments,
//! `for` loops, heredocs, comments and the operators that separate commands. Control flow
//! (`if`, `while`, functions) is read as a reader reads it: every branch, in order. Each word
//! keeps the offset it starts at.

/// What a script is: commands and loops, in order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Item {
    Command(Command),
    /// `for NAME in WORDS; do ...; done`.
    For {
        var: String,
        words: Vec<Word>,
        body: Vec<Item>,
    },
}

/// A simple command: its leading assignments and its words.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Command {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    /// Offset of its first token.
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Word {
    pub parts: Vec<Part>,
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    /// Text as written, quotes removed; `quoted` text is never split into words.
    Text { text: String, quoted: bool },
    /// `$NAME` or `${NAME...}`, with the operator (`:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`)
    /// and its word.
    Var {
        name: String,
        op: Option<(String, Word)>,
        quoted: bool,
    },
    /// `$(...)` or backquotes: its commands and its text.
    Subst { items: Vec<Item>, text: String },
    /// An expansion Baton does not evaluate (`$((...))`, `${#X}`, `${X/a/b}`), as written.
    Opaque(String),
}

/// Deepest nesting of substitutions and groups: recursion is bounded for the browser's stack.
const MAX_DEPTH: usize = 32;

/// Parses a whole script. Never fails: what cannot be read is skipped.
pub(crate) fn parse(text: &str) -> Vec<Item> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        heredocs: Vec::new(),
    };
    p.list(&[])
}

struct Parser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
    depth: usize,
    /// Heredoc delimiters (and whether tabs are stripped) whose bodies start at the next line.
    heredocs: Vec<(String, bool)>,
}

/// Reserved words that only shape control flow, read through.
const THROUGH: [&str; 12] = [
    "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "!", "{", "}",
];

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    /// Commands until one of `ends` (`)` for a subshell or substitution) or the end.
    fn list(&mut self, ends: &[u8]) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            self.blank();
            let Some(c) = self.peek() else { break };
            if ends.contains(&c) {
                break;
            }
            match c {
                b'\n' => {
                    self.i += 1;
                    self.skip_heredocs();
                }
                b';' | b'&' | b'|' => self.i += 1,
                b'#' => self.comment(),
                b'(' => {
                    self.i += 1;
                    if self.peek() == Some(b'(') {
                        // `(( arithmetic ))`.
                        self.skip_balanced(b'(', b')');
                        continue;
                    }
                    items.extend(self.nested(b')'));
                }
                b')' => self.i += 1,
                _ => {
                    if let Some(item) = self.command(ends) {
                        items.push(item);
                    }
                }
            }
        }
        items
    }

    fn nested(&mut self, end: u8) -> Vec<Item> {
        if self.depth >= MAX_DEPTH {
            self.skip_balanced(b'(', b')');
            return Vec::new();
        }
        self.depth += 1;
        let items = self.list(&[end]);
        self.depth -= 1;
        if self.peek() == Some(end) {
            self.i += 1;
        }
        items
    }

    /// One simple command, or a `for` loop; `None` for what only shapes control flow.
    fn command(&mut self, ends: &[u8]) -> Option<Item> {
        let mut command = Command {
            at: self.i,
            ..Command::default()
        };
        loop {
            self.blank();
            let Some(c) = self.peek() else { break };
            if matches!(c, b'\n' | b';' | b'&' | b'|' | b')') || ends.contains(&c) {
                break;
            }
            // A `#` that starts a word starts a comment.
            if c == b'#' {
                self.comment();
                break;
            }
            if c == b'(' {
                // `name() { ...; }`: the name is no command; the body is read as commands.
                if command.words.len() == 1 && self.peek_at(1) == Some(b')') {
                    self.i += 2;
                    command.words.clear();
                    return None;
                }
                break;
            }
            if matches!(c, b'<' | b'>') || (c.is_ascii_digit() && self.redirection_ahead()) {
                self.redirection();
                continue;
            }
            let Some(word) = self.word() else { break };
            if command.words.is_empty() {
                if let Some((name, value)) = self.assignment(&word) {
                    command.assignments.push((name, value));
                    continue;
                }
                if let Some(keyword) = literal(&word) {
                    if keyword == "for" {
                        return self.for_loop();
                    }
                    if keyword == "case" {
                        self.skip_case();
                        return None;
                    }
                    if keyword == "function" {
                        // `function name { ... }`: skip the name.
                        self.blank();
                        let _ = self.word();
                        return None;
                    }
                    if THROUGH.contains(&keyword.as_str()) {
                        command.at = self.i;
                        continue;
                    }
                }
            }
            command.words.push(word);
        }
        if command.words.is_empty() && command.assignments.is_empty() {
            return None;
        }
        Some(Item::Command(command))
    }

    /// `NAME=value` at the start of a command (`X=(a b)` arrays are skipped, unread).
    fn assignment(&mut self, word: &Word) -> Option<(String, Word)> {
        let (name, value) = as_assignment(word)?;
        if value.parts.is_empty() && self.peek() == Some(b'(') {
            self.skip_balanced(b'(', b')');
        }
        Some((name, value))
    }

    /// After `for`: `NAME in WORDS; do BODY done`, or `((...))`.
    fn for_loop(&mut self) -> Option<Item> {
        self.blank();
        if self.peek() == Some(b'(') {
            self.skip_balanced(b'(', b')');
            return None;
        }
        let var = self.word().and_then(|w| literal(&w))?;
        let mut words = Vec::new();
        self.blank();
        let mut in_list = false;
        loop {
            self.blank();
            match self.peek() {
                None => return None,
                Some(b'\n' | b';') => {
                    self.i += 1;
                    if in_list || self.next_is_do() {
                        break;
                    }
                }
                Some(b'#') => self.comment(),
                _ => {
                    let word = self.word()?;
                    match literal(&word).as_deref() {
                        Some("in") if !in_list => in_list = true,
                        Some("do") => {
                            self.i = word.at;
                            break;
                        }
                        _ => words.push(word),
                    }
                }
            }
        }
        // The body runs until the matching `done`.
        let body = self.until_done();
        Some(Item::For { var, words, body })
    }

    fn next_is_do(&self) -> bool {
        let rest = &self.text[self.i.min(self.text.len())..];
        rest.trim_start().starts_with("do")
    }

    /// Items up to the `done` that closes the current loop (nested loops close their own).
    fn until_done(&mut self) -> Vec<Item> {
        if self.depth >= MAX_DEPTH {
            return Vec::new();
        }
        self.depth += 1;
        let mut items = Vec::new();
        let mut opened = 0usize;
        loop {
            self.blank();
            let Some(c) = self.peek() else { break };
            match c {
                b'\n' => {
                    self.i += 1;
                    self.skip_heredocs();
                    continue;
                }
                b';' | b'&' | b'|' | b')' => {
                    self.i += 1;
                    continue;
                }
                b'#' => {
                    self.comment();
                    continue;
                }
                b'(' => {
                    self.i += 1;
                    items.extend(self.nested(b')'));
                    continue;
                }
                _ => {}
            }
            let start = self.i;
            match self.word().and_then(|w| literal(&w)).as_deref() {
                Some("done") if opened == 0 => break,
                Some("done") => opened -= 1,
                Some("do") => {}
                Some("while" | "until") => opened += 1,
                _ => {
                    self.i = start;
                    match self.command(&[]) {
                        Some(Item::For { var, words, body }) => {
                            items.push(Item::For { var, words, body })
                        }
                        Some(item) => items.push(item),
                        None => {}
                    }
                }
            }
            if self.i == start {
                self.i += 1;
            }
        }
        self.depth -= 1;
        items
    }

    /// `case ... esac` is skipped whole: its patterns are not commands.
    fn skip_case(&mut self) {
        while self.peek().is_some() {
            let start = self.i;
            match self.word() {
                Some(w) if literal(&w).as_deref() == Some("esac") => return,
                Some(_) => {}
                None => self.i += 1,
            }
            if self.i == start {
                self.i += 1;
            }
        }
    }

    fn redirection_ahead(&self) -> bool {
        let mut k = 0;
        while self.peek_at(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        matches!(self.peek_at(k), Some(b'<' | b'>'))
    }

    /// `>file`, `2>&1`, `<<EOF` (whose body is skipped after the line), `<<<word`.
    fn redirection(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let heredoc =
            self.text[self.i..].starts_with("<<") && !self.text[self.i..].starts_with("<<<");
        let strip = self.text[self.i..].starts_with("<<-");
        while matches!(self.peek(), Some(b'<' | b'>' | b'&' | b'-' | b'|')) {
            self.i += 1;
        }
        self.blank();
        if self.peek().is_some_and(|c| c.is_ascii_digit()) && !heredoc {
            self.i += 1;
            return;
        }
        if let Some(target) = self.word() {
            if heredoc {
                let delimiter: String = target
                    .parts
                    .iter()
                    .map(|p| match p {
                        Part::Text { text, .. } => text.clone(),
                        Part::Var { name, .. } => format!("${name}"),
                        Part::Subst { text, .. } | Part::Opaque(text) => text.clone(),
                    })
                    .collect();
                self.heredocs.push((delimiter, strip));
            }
        }
    }

    /// After a newline: the bodies of the heredocs opened on the line before.
    fn skip_heredocs(&mut self) {
        for (delimiter, strip) in std::mem::take(&mut self.heredocs) {
            while self.i < self.s.len() {
                let end = self.text[self.i..]
                    .find('\n')
                    .map_or(self.s.len(), |n| self.i + n);
                let line = &self.text[self.i..end];
                let line = if strip {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                self.i = (end + 1).min(self.s.len());
                if line.trim_end_matches('\r') == delimiter {
                    break;
                }
            }
        }
    }

    fn comment(&mut self) {
        while self.peek().is_some_and(|c| c != b'\n') {
            self.i += 1;
        }
    }

    /// Spaces, tabs and `\` line continuations.
    fn blank(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'\\') if self.peek_at(1) == Some(b'\n') => self.i += 2,
                Some(b'\\') if self.peek_at(1) == Some(b'\r') && self.peek_at(2) == Some(b'\n') => {
                    self.i += 3
                }
                _ => return,
            }
        }
    }

    fn skip_balanced(&mut self, open: u8, close: u8) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'\'' | b'"' => {
                    let _ = self.quoted_text(c);
                    continue;
                }
                b'\\' => self.i += 1,
                _ if c == open => depth += 1,
                _ if c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// A word: up to a blank or an operator, with quotes and expansions.
    fn word(&mut self) -> Option<Word> {
        let at = self.i;
        let mut parts: Vec<Part> = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    break
                }
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.i += 2,
                    Some(_) => {
                        self.i += 1;
                        self.push_char(&mut text);
                    }
                    None => self.i += 1,
                },
                b'\'' => {
                    flush(&mut parts, &mut text, false);
                    let quoted = self.quoted_text(b'\'');
                    parts.push(Part::Text {
                        text: quoted,
                        quoted: true,
                    });
                }
                b'"' => {
                    flush(&mut parts, &mut text, false);
                    self.double_quoted(&mut parts);
                }
                b'$' if self.peek_at(1) == Some(b'\'') => {
                    flush(&mut parts, &mut text, false);
                    self.i += 1;
                    let quoted = self.quoted_text(b'\'');
                    parts.push(Part::Text {
                        text: ansi_c(&quoted),
                        quoted: true,
                    });
                }
                b'$' | b'`' => match self.expansion(false) {
                    Some(part) => {
                        flush(&mut parts, &mut text, false);
                        parts.push(part);
                    }
                    None => {
                        self.i += 1;
                        text.push('$');
                    }
                },
                _ => self.push_char(&mut text),
            }
        }
        flush(&mut parts, &mut text, false);
        (self.i > at).then_some(Word { parts, at })
    }

    /// The next UTF-8 character, taken as text.
    fn push_char(&mut self, text: &mut String) {
        let rest = &self.text[self.i..];
        if let Some(ch) = rest.chars().next() {
            text.push(ch);
            self.i += ch.len_utf8();
        } else {
            self.i += 1;
        }
    }

    /// `'...'` (or the body of `$'...'`): the text up to the closing quote.
    fn quoted_text(&mut self, quote: u8) -> String {
        self.i += 1;
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == quote {
                let text = self.text[start..self.i].to_string();
                self.i += 1;
                return text;
            }
            if quote == b'"' && c == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        self.text[start..].to_string()
    }

    fn double_quoted(&mut self, parts: &mut Vec<Part>) {
        self.i += 1;
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.i += 2,
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        self.i += 1;
                        self.push_char(&mut text);
                    }
                    _ => self.push_char(&mut text),
                },
                b'$' | b'`' => match self.expansion(true) {
                    Some(part) => {
                        flush(parts, &mut text, true);
                        parts.push(part);
                    }
                    None => {
                        self.i += 1;
                        text.push('$');
                    }
                },
                _ => self.push_char(&mut text),
            }
        }
        // `""` is an empty word, not none.
        if text.is_empty() && parts.is_empty() {
            parts.push(Part::Text {
                text: String::new(),
                quoted: true,
            });
        }
        flush(parts, &mut text, true);
    }

    /// At `$` or a backquote: the expansion, or `None` for a lone `$`.
    fn expansion(&mut self, quoted: bool) -> Option<Part> {
        let start = self.i;
        if self.peek() == Some(b'`') {
            self.i += 1;
            let body_start = self.i;
            while let Some(c) = self.peek() {
                if c == b'\\' {
                    self.i += 1;
                } else if c == b'`' {
                    break;
                }
                self.i += 1;
            }
            let body = &self.text[body_start..self.i.min(self.text.len())];
            self.i = (self.i + 1).min(self.s.len());
            return Some(self.substitution(body, body_start));
        }
        match self.peek_at(1)? {
            b'(' if self.peek_at(2) == Some(b'(') => {
                self.i += 1;
                self.skip_balanced(b'(', b')');
                Some(Part::Opaque(self.text[start..self.i].to_string()))
            }
            b'(' => {
                self.i += 2;
                let body_start = self.i;
                self.i -= 1;
                self.skip_balanced(b'(', b')');
                // Up to the closing `)`, or to the end of an unterminated substitution.
                let closed = self.i > body_start && self.s.get(self.i - 1) == Some(&b')');
                let end = if closed {
                    self.i - 1
                } else {
                    self.i.min(self.s.len())
                };
                let body = self.text.get(body_start..end).unwrap_or("");
                Some(self.substitution(body, body_start))
            }
            b'{' => {
                self.i += 2;
                let inner_start = self.i;
                let mut depth = 1usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        b'\\' => self.i += 1,
                        _ => {}
                    }
                    self.i += 1;
                }
                let inner = &self.text[inner_start..self.i.min(self.text.len())];
                self.i = (self.i + 1).min(self.s.len());
                Some(self.braced(inner, inner_start, &self.text[start..self.i], quoted))
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                self.i += 1;
                let name_start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c == b'_' || c.is_ascii_alphanumeric())
                {
                    self.i += 1;
                }
                Some(Part::Var {
                    name: self.text[name_start..self.i].to_string(),
                    op: None,
                    quoted,
                })
            }
            c if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                self.i += 2;
                Some(Part::Var {
                    name: (c as char).to_string(),
                    op: None,
                    quoted,
                })
            }
            _ => None,
        }
    }

    /// `$(...)` or backquotes: the body is parsed in place, so that offsets stay the file's.
    fn substitution(&mut self, body: &str, at: usize) -> Part {
        let items = if self.depth >= MAX_DEPTH {
            Vec::new()
        } else {
            let end = at + body.len();
            let mut inner = Parser {
                s: &self.s[..end],
                text: &self.text[..end],
                i: at,
                depth: self.depth + 1,
                heredocs: Vec::new(),
            };
            inner.list(&[])
        };
        Part::Subst {
            items,
            text: body.trim().to_string(),
        }
    }

    /// `${...}`: a name with an optional operator and word.
    fn braced(&self, inner: &str, at: usize, raw: &str, quoted: bool) -> Part {
        let name_len = inner
            .bytes()
            .take_while(|c| *c == b'_' || c.is_ascii_alphanumeric())
            .count();
        let (name, rest) = inner.split_at(name_len);
        if name.is_empty() {
            return Part::Opaque(raw.to_string());
        }
        if rest.is_empty() {
            return Part::Var {
                name: name.to_string(),
                op: None,
                quoted,
            };
        }
        let op_len = match rest.as_bytes() {
            [b':', b'-' | b'=' | b'+' | b'?', ..] => 2,
            [b'-' | b'=' | b'+' | b'?', ..] => 1,
            _ => return Part::Opaque(raw.to_string()),
        };
        let (op, word) = rest.split_at(op_len);
        let word_at = at + name_len + op_len;
        let mut p = Parser {
            s: &self.s[..word_at + word.len()],
            text: &self.text[..word_at + word.len()],
            i: word_at,
            depth: self.depth + 1,
            heredocs: Vec::new(),
        };
        // The word of an operator may hold blanks (`${X:-a b}`): read it as one word.
        let mut parts = Vec::new();
        while p.i < word_at + word.len() {
            match p.word() {
                Some(w) => parts.extend(w.parts),
                None => {
                    let start = p.i;
                    p.blank();
                    if p.i > start {
                        parts.push(Part::Text {
                            text: p.text[start..p.i].to_string(),
                            quoted: true,
                        });
                    } else {
                        p.i += 1;
                    }
                }
            }
        }
        Part::Var {
            name: name.to_string(),
            op: Some((op.to_string(), Word { parts, at: word_at })),
            quoted,
        }
    }
}

fn flush(parts: &mut Vec<Part>, text: &mut String, quoted: bool) {
    if !text.is_empty() {
        parts.push(Part::Text {
            text: std::mem::take(text),
            quoted,
        });
    }
}

/// `NAME=value` (or `NAME+=value`) split into the name and the value's word.
pub(crate) fn as_assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Text {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return None;
    };
    let (name, rest) = text.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(word.parts.len());
    if !rest.is_empty() {
        parts.push(Part::Text {
            text: rest.to_string(),
            quoted: false,
        });
    }
    parts.extend(word.parts[1..].iter().cloned());
    Some((
        name.to_string(),
        Word {
            parts,
            at: word.at + text.len() - rest.len(),
        },
    ))
}

/// The word's text when it is plain text only.
pub(crate) fn literal(word: &Word) -> Option<String> {
    let mut out = String::new();
    for part in &word.parts {
        match part {
            Part::Text { text, .. } => out.push_str(text),
            _ => return None,
        }
    }
    Some(out)
}

pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The escapes of `$'...'`.
fn ansi_c(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each command as its words, with `$X` for variables and `$(...)` for substitutions.
    fn commands(text: &str) -> Vec<String> {
        fn word(w: &Word) -> String {
            w.parts
                .iter()
                .map(|p| match p {
                    Part::Text { text, .. } => text.clone(),
                    Part::Var { name, op: None, .. } => format!("${name}"),
                    Part::Var {
                        name,
                        op: Some((op, w)),
                        ..
                    } => format!("${{{name}{op}{}}}", word(w)),
                    Part::Subst { text, .. } => format!("$({text})"),
                    Part::Opaque(text) => text.clone(),
                })
                .collect()
        }
        fn walk(items: &[Item], out: &mut Vec<String>) {
            for item in items {
                match item {
                    Item::Command(c) => {
                        let mut all: Vec<String> = c
                            .assignments
                            .iter()
                            .map(|(n, v)| format!("{n}={}", word(v)))
                            .collect();
                        all.extend(c.words.iter().map(word));
                        out.push(all.join(" "));
                    }
                    Item::For { var, words, body } => {
                        let list: Vec<String> = words.iter().map(word).collect();
                        out.push(format!("for {var} in {}", list.join(" ")));
                        walk(body, out);
                        out.push("done".into());
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&parse(text), &mut out);
        out
    }

    #[test]
    fn words_quotes_escapes_and_continuations() {
        assert_eq!(
            commands(
                "gcloud pubsub topics create \"my topic\" 'a b' c\\ d \\\n  --labels=x=1 # comment\n"
            ),
            ["gcloud pubsub topics create my topic a b c d --labels=x=1"]
        );
        assert_eq!(
            commands("a; b && c || d | e &\n(f)"),
            ["a", "b", "c", "d", "e", "f"]
        );
    }

    #[test]
    fn assignments_expansions_and_substitutions() {
        assert_eq!(
            commands(
                "export REGION=us-central1\nURL=$(gcloud run services describe s --format='value(status.url)')\necho ${REGION:-eu} \"$URL/x\" `date` $((1+2))"
            ),
            [
                "export REGION=us-central1",
                "URL=$(gcloud run services describe s --format='value(status.url)')",
                "echo ${REGION:-eu} $URL/x $(date) $((1+2))",
            ]
        );
        assert_eq!(commands("A=1 B=\"two\" cmd"), ["A=1 B=two cmd"]);
    }

    #[test]
    fn loops_functions_conditionals_and_heredocs() {
        let script = r#"
deploy() {
  gcloud run deploy "$1"
}
if [ -z "$X" ]; then
  X=1
fi
for t in a b; do
  gcloud pubsub topics create $t
done
cat <<EOF > f.yaml
gcloud not a command
EOF
case $1 in
  a) gcloud skipped ;;
esac
gcloud after
"#;
        assert_eq!(
            commands(script),
            [
                "gcloud run deploy $1",
                "[ -z $X ]",
                "X=1",
                "for t in a b",
                "gcloud pubsub topics create $t",
                "done",
                "cat",
                "gcloud after",
            ]
        );
    }

    #[test]
    fn offsets_are_the_words_starts() {
        let text = "A=1\n  gcloud topics create t";
        let items = parse(text);
        let Item::Command(c) = &items[1] else {
            panic!("not a command")
        };
        assert_eq!(c.words[0].at, 6);
        assert_eq!(&text[c.words[3].at..], "t");
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "$(".repeat(10_000);
        let _ = parse(&deep);
        let unterminated = "echo \"abc ${X:-";
        let _ = parse(unterminated);
        let _ = parse("for");
        let _ = parse("for x in");
        let _ = parse("$'\\");
        // Found by the fuzzer: an unterminated `$(` before a multi-byte character.
        let _ = parse("URL=$(gcloud run --x=$REGI\u{b3}\u{b3}");
        let _ = parse("echo $(\u{e9}");
    }
}
