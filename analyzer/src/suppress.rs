//! Inline suppressions: `# baton: ignore[rule-a, ORC001]` on the line a finding points at, or
//! alone on the line above it, silences those rules (by name or code) there. Each entry
//! remembers whether it silenced anything, so that entries naming no rule or silencing nothing
//! become `unused-suppression` findings, as ruff's RUF100 does for `noqa`.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::rules::RuleId;
use crate::source::{FileId, Loc, SourceFile};

const MARKER: &str = "# baton: ignore[";

/// The suppression comments of a set of files. Only files that contain the marker are read
/// line by line; each finding is then looked up in constant time.
pub struct Suppressions {
    markers: Vec<Marker>,
    /// `(file, line)` → index in `markers`.
    by_line: HashMap<(FileId, u32), usize>,
}

struct Marker {
    /// Nothing but the comment on its line: it then also covers the line below.
    alone: bool,
    entries: Vec<Entry>,
}

struct Entry {
    text: String,
    rule: Option<RuleId>,
    loc: Loc,
    used: bool,
}

impl Suppressions {
    pub fn new(files: &[SourceFile]) -> Suppressions {
        let mut suppressions = Suppressions {
            markers: Vec::new(),
            by_line: HashMap::new(),
        };
        for (i, source) in files.iter().enumerate() {
            if !source.text.contains(MARKER) {
                continue;
            }
            let file = FileId(u32::try_from(i).unwrap_or(u32::MAX));
            for (n, line) in source.text.split('\n').enumerate() {
                let line_number = u32::try_from(n + 1).unwrap_or(u32::MAX);
                if let Some(marker) = parse(line, file, line_number) {
                    suppressions
                        .by_line
                        .insert((file, line_number), suppressions.markers.len());
                    suppressions.markers.push(marker);
                }
            }
        }
        suppressions
    }

    /// True when a comment on the finding's line, or alone on the line above, names its rule;
    /// the entries that do are marked as used.
    pub fn silences(&mut self, finding: &Diagnostic) -> bool {
        let (file, line) = (finding.loc.file, finding.loc.line);
        let mut silenced = self.silence(file, line, finding.rule, false);
        if line > 1 {
            silenced |= self.silence(file, line - 1, finding.rule, true);
        }
        silenced
    }

    fn silence(&mut self, file: FileId, line: u32, rule: RuleId, above: bool) -> bool {
        let Some(&i) = self.by_line.get(&(file, line)) else {
            return false;
        };
        let marker = &mut self.markers[i];
        if above && !marker.alone {
            return false;
        }
        let mut silenced = false;
        for entry in marker.entries.iter_mut().filter(|e| e.rule == Some(rule)) {
            entry.used = true;
            silenced = true;
        }
        silenced
    }

    /// `unused-suppression` findings: entries that name no rule, and entries of enabled rules
    /// that silenced nothing. An entry naming `unused-suppression` on the same comment silences
    /// them (and is then used itself).
    pub fn unused(&mut self, enabled: impl Fn(RuleId) -> bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for marker in &mut self.markers {
            let silencer = marker
                .entries
                .iter()
                .position(|e| e.rule == Some(RuleId::UnusedSuppression));
            let mut silenced_any = false;
            for entry in &marker.entries {
                let message = match entry.rule {
                    _ if entry.used => continue,
                    Some(RuleId::UnusedSuppression) => continue,
                    Some(rule) if !enabled(rule) => continue,
                    Some(rule) => format!(
                        "`ignore[{}]` silences nothing: no `{}` finding on this line{}",
                        entry.text,
                        rule.name(),
                        if marker.alone { " or the next" } else { "" }
                    ),
                    None => match closest_rule(&entry.text) {
                        Some(rule) => format!(
                            "`ignore[{}]` names no rule: did you mean `{}`?",
                            entry.text,
                            rule.name()
                        ),
                        None => format!(
                            "`ignore[{}]` names no rule (see `baton rules` for names and codes)",
                            entry.text
                        ),
                    },
                };
                if silencer.is_some() {
                    silenced_any = true;
                    continue;
                }
                out.push(Diagnostic::new(
                    RuleId::UnusedSuppression,
                    entry.loc,
                    message,
                ));
            }
            if let Some(i) = silencer {
                let entry = &mut marker.entries[i];
                entry.used |= silenced_any;
                if !entry.used {
                    out.push(Diagnostic::new(
                        RuleId::UnusedSuppression,
                        entry.loc,
                        "`ignore[unused-suppression]` silences nothing: every other entry of this comment is used",
                    ));
                }
            }
        }
        out
    }
}

/// The rule whose name is at most two edits from `text`.
fn closest_rule(text: &str) -> Option<RuleId> {
    RuleId::ALL
        .iter()
        .map(|&rule| (strsim::levenshtein(text, rule.name()), rule))
        .filter(|&(distance, _)| distance <= 2)
        .min()
        .map(|(_, rule)| rule)
}

/// The marker on one line, if it has one with a closing `]`.
fn parse(line: &str, file: FileId, line_number: u32) -> Option<Marker> {
    let start = line.find(MARKER)?;
    let list_start = start + MARKER.len();
    let list_len = line[list_start..].find(']')?;
    let list = &line[list_start..list_start + list_len];
    let mut entries = Vec::new();
    let mut offset = list_start;
    for part in list.split(',') {
        let text = part.trim();
        if !text.is_empty() {
            let at = offset + (part.len() - part.trim_start().len());
            let column = line[..at].chars().count() + 1;
            entries.push(Entry {
                text: crate::tree::truncate(text, 60),
                rule: RuleId::parse(text),
                loc: Loc {
                    file,
                    line: line_number,
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                },
                used: false,
            });
        }
        offset += part.len() + 1;
    }
    Some(Marker {
        alone: line[..start].trim().is_empty(),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: RuleId, line: u32) -> Diagnostic {
        Diagnostic::new(rule, Loc::new(FileId(0), crate::Pos::new(line, 1)), "x")
    }

    #[test]
    fn same_line_or_comment_line_above_by_name_or_code() {
        let text = "a:  # baton: ignore[unreachable-step, ORC002]\n# baton: ignore[duplicate-step]\nb: 1\nc: 2 # baton: ignore[infinite-loop\nd: 3 # baton: ignore[x]\ne: 4\n";
        let mut s = Suppressions::new(&[SourceFile::new("f.yaml", text)]);
        assert!(s.silences(&finding(RuleId::UnreachableStep, 1)));
        assert!(s.silences(&finding(RuleId::UndefinedStep, 1)));
        assert!(!s.silences(&finding(RuleId::DuplicateStep, 1)));
        assert!(s.silences(&finding(RuleId::DuplicateStep, 3)));
        assert!(
            !s.silences(&finding(RuleId::InfiniteLoop, 4)),
            "unclosed list"
        );
        assert!(
            !s.silences(&finding(RuleId::UndefinedStep, 2)),
            "only comment lines above count"
        );
        assert!(
            !s.silences(&finding(RuleId::UnreachableStep, 6)),
            "a marker after code covers its own line only"
        );
        let unused = s.unused(|_| true);
        let lines: Vec<(u32, u32)> = unused.iter().map(|d| (d.loc.line, d.loc.column)).collect();
        assert_eq!(lines, [(5, 22)], "{unused:?}");
        assert!(unused[0].message.contains("names no rule"));
    }

    #[test]
    fn unused_entries_of_rules_switched_off_are_not_reported() {
        let text = "a: 1 # baton: ignore[unreachable-step]\n";
        let mut s = Suppressions::new(&[SourceFile::new("f.yaml", text)]);
        assert_eq!(s.unused(|r| r != RuleId::UnreachableStep).len(), 0);
        let mut s = Suppressions::new(&[SourceFile::new("f.yaml", text)]);
        let unused = s.unused(|_| true);
        assert_eq!(unused.len(), 1);
        assert_eq!(
            unused[0].message,
            "`ignore[unreachable-step]` silences nothing: no `unreachable-step` finding on this line"
        );
    }

    #[test]
    fn an_unused_suppression_entry_silences_the_others_of_its_comment() {
        let text = "a: 1 # baton: ignore[unreachable-step, unused-suppression]\nb: 2 # baton: ignore[unused-suppression]\n";
        let mut s = Suppressions::new(&[SourceFile::new("f.yaml", text)]);
        let unused = s.unused(|_| true);
        let lines: Vec<u32> = unused.iter().map(|d| d.loc.line).collect();
        assert_eq!(lines, [2], "{unused:?}");
    }
}
