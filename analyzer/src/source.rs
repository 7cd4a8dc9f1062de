//! Source files and positions: every model item points back to a file, line and column.

/// Index of a file in the slice given to [`crate::load`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// One input file, as text. The analyzer never reads the file system: callers do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it; used in findings and, as a last resort, to name a workflow.
    pub path: String,
    pub text: String,
    /// Where the bytes given to [`SourceFile::from_bytes`] first stopped being UTF-8 (`text`
    /// then holds U+FFFD there); the analyzer reports it as a `parse-error`.
    pub invalid_utf8: Option<Pos>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            invalid_utf8: None,
        }
    }

    /// A file as read from disk. Invalid UTF-8 is not an error here: the bytes are decoded
    /// lossily (U+FFFD) and the position of the first invalid byte is kept for the finding.
    /// Valid UTF-8 is not copied.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> SourceFile {
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::new(path, text),
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
                // Columns count characters; a BOM is not one (the loaders strip it).
                let head = &before[line_start..];
                let column = head
                    .strip_prefix('\u{feff}')
                    .unwrap_or(head)
                    .chars()
                    .count()
                    + 1;
                let pos = Pos::new(
                    u32::try_from(line).unwrap_or(u32::MAX),
                    u32::try_from(column).unwrap_or(u32::MAX),
                );
                SourceFile {
                    path: path.into(),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    invalid_utf8: Some(pos),
                }
            }
        }
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

/// A position in a particular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
}

impl Loc {
    pub fn new(file: FileId, pos: Pos) -> Loc {
        Loc {
            file,
            line: pos.line,
            column: pos.column,
        }
    }

    pub fn pos(self) -> Pos {
        Pos::new(self.line, self.column)
    }
}

/// Where each line of a text starts, for looking up many lines of one file in linear time.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Byte offset where 1-based line `line` starts.
    pub fn start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.starts.get(index).copied()
    }

    /// The position of byte `offset` of `text` (the text the index was built from); an offset
    /// inside a character counts as that character.
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let index = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(index).copied().unwrap_or(0).min(offset);
        let head = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        Pos::new(
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(head + 1).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of `pos` in `text`, clamped to its line.
    pub fn offset(&self, text: &str, pos: Pos) -> usize {
        let Some(start) = self.start(pos.line) else {
            return text.len();
        };
        let line = self.line(text, pos.line).unwrap_or("");
        let column = usize::try_from(pos.column.saturating_sub(1)).unwrap_or(usize::MAX);
        start
            + line
                .char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
    }

    /// The text of 1-based line `line` of `text` (the text the index was built from),
    /// without its line ending.
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(text.len(), |next| next - 1);
        let l = text.get(start..end)?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Returns the text of 1-based line `line` without its line ending, if it exists.
/// Linear in the text: use a [`LineIndex`] to look up many lines.
pub fn line_text(text: &str, line: u32) -> Option<&str> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    text.split('\n')
        .nth(index)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_position() {
        let file = SourceFile::from_bytes("a.yaml", b"a: 1\nb: \xc3\xa9\xff x\n".to_vec());
        assert_eq!(file.invalid_utf8, Some(Pos::new(2, 5)));
        assert_eq!(file.text, "a: 1\nb: \u{e9}\u{fffd} x\n");
        let file = SourceFile::from_bytes("a.yaml", b"\xef\xbb\xbfa\x80".to_vec());
        assert_eq!(file.invalid_utf8, Some(Pos::new(1, 2)));
        assert_eq!(
            SourceFile::from_bytes("a", b"ok".to_vec()).invalid_utf8,
            None
        );
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "ab\nc\u{e9}d\n\nx";
        let index = LineIndex::new(text);
        let cases = [
            (0, (1, 1)),
            (2, (1, 3)),
            (3, (2, 1)),
            (4, (2, 2)),
            (6, (2, 3)),
            (9, (4, 1)),
        ];
        for (offset, (line, column)) in cases {
            let pos = Pos::new(line, column);
            assert_eq!(index.pos(text, offset), pos, "offset {offset}");
            assert_eq!(index.offset(text, pos), offset, "{pos:?}");
        }
        assert_eq!(index.pos(text, 5), Pos::new(2, 3), "inside a character");
    }

    #[test]
    fn line_index_agrees_with_line_text() {
        let text = "a\r\nbb\n\nccc";
        let index = LineIndex::new(text);
        for line in 0..6 {
            assert_eq!(index.line(text, line), line_text(text, line), "line {line}");
        }
    }
}
