//! Inline suppressions: `# baton: ignore[rule-a, rule-b]` on the line a finding points at, or
//! alone on the line above it, silences those rules there.

use crate::source::{FileId, LineIndex, SourceFile};

const MARKER: &str = "# baton: ignore[";

/// The suppression comments of a set of files, looked up in constant time per finding (a
/// file's lines are indexed once, and only if it has a marker at all).
pub struct Suppressions<'a> {
    files: &'a [SourceFile],
    /// Per file: `None` until needed, then the file's line index if it has any marker.
    indexes: Vec<Option<Option<LineIndex>>>,
}

impl<'a> Suppressions<'a> {
    pub fn new(files: &'a [SourceFile]) -> Suppressions<'a> {
        Suppressions {
            files,
            indexes: vec![None; files.len()],
        }
    }

    /// True when a comment at (or just above) `line` of `file` suppresses `rule`.
    pub fn is_suppressed(&mut self, file: FileId, line: u32, rule: &str) -> bool {
        let i = file.0 as usize;
        let (Some(source), Some(slot)) = (self.files.get(i), self.indexes.get_mut(i)) else {
            return false;
        };
        let text = source.text.as_str();
        let index = slot.get_or_insert_with(|| text.contains(MARKER).then(|| LineIndex::new(text)));
        match index {
            Some(index) => is_suppressed(|n| index.line(text, n), line, rule),
            None => false,
        }
    }
}

/// True when a comment at (or just above) `line` suppresses `rule`; `line_text` gives a
/// 1-based line's text.
fn is_suppressed<'t>(line_text: impl Fn(u32) -> Option<&'t str>, line: u32, rule: &str) -> bool {
    let names = |l: &str| -> bool {
        let Some((_, rest)) = l.split_once(MARKER) else {
            return false;
        };
        let Some((list, _)) = rest.split_once(']') else {
            return false;
        };
        list.split(',').any(|name| name.trim() == rule)
    };
    if line_text(line).is_some_and(names) {
        return true;
    }
    line > 1
        && line_text(line - 1)
            .is_some_and(|above| above.trim_start().starts_with('#') && names(above))
}

#[cfg(test)]
mod tests {
    use crate::source::line_text;

    fn is_suppressed(text: &str, line: u32, rule: &str) -> bool {
        super::is_suppressed(|n| line_text(text, n), line, rule)
    }

    #[test]
    fn same_line_or_comment_line_above() {
        let text = "a:  # baton: ignore[x, y]\n# baton: ignore[z]\nb: 1\nc: 2 # baton: ignore[w\n";
        assert!(is_suppressed(text, 1, "x"));
        assert!(is_suppressed(text, 1, "y"));
        assert!(!is_suppressed(text, 1, "z"));
        assert!(is_suppressed(text, 3, "z"));
        assert!(!is_suppressed(text, 4, "w"), "unclosed list");
        assert!(
            !is_suppressed(text, 2, "x"),
            "only comment lines above count"
        );
    }
}
