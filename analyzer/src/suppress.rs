//! Inline suppressions: `# baton: ignore[rule-a, rule-b]` on the line a finding points at, or
//! alone on the line above it, silences those rules there.

use crate::source::line_text;

/// True when a comment at (or just above) `line` suppresses `rule`.
pub fn is_suppressed(text: &str, line: u32, rule: &str) -> bool {
    let names = |l: &str| -> bool {
        let Some((_, rest)) = l.split_once("# baton: ignore[") else {
            return false;
        };
        let Some((list, _)) = rest.split_once(']') else {
            return false;
        };
        list.split(',').any(|name| name.trim() == rule)
    };
    if line_text(text, line).is_some_and(names) {
        return true;
    }
    line > 1
        && line_text(text, line - 1)
            .is_some_and(|above| above.trim_start().starts_with('#') && names(above))
}

#[cfg(test)]
mod tests {
    use super::*;

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
