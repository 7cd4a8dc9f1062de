//! Human output: findings grouped by file with the source line and a caret, then a summary.

use std::io::{self, Write};

use baton_analyzer::source::LineIndex;
use baton_analyzer::{Report, Severity, SourceFile};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CodespanSeverity};
use codespan_reporting::files::{Error as FilesError, SimpleFiles};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};
use codespan_reporting::term::{self, Config};

/// Prints every finding, then the summary. A reader that went away ends the output quietly.
pub fn human(sources: &[SourceFile], report: &Report) -> io::Result<()> {
    crate::quiet_on_broken_pipe(write_human(sources, report))
}

fn write_human(sources: &[SourceFile], report: &Report) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    for source in sources {
        files.add(source.path.as_str(), source.text.as_str());
    }
    let choice = if std::env::var_os("NO_COLOR").is_some()
        || !std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    };
    let mut out = BufferedStandardStream::stdout(choice);
    let config = Config::default();
    // One line index per file, so that many findings in a big file stay linear.
    let indexes: Vec<LineIndex> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
    let offset = |file: usize, line: u32, column: u32| {
        let text = &sources[file].text;
        let start = indexes[file].start(line).unwrap_or(text.len());
        let line_text = indexes[file].line(text, line).unwrap_or("");
        (
            start
                + line_text
                    .char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(line_text.len(), |(i, _)| i),
            line_text.len(),
        )
    };
    for finding in &report.findings {
        let file = finding.loc.file.0 as usize;
        let text = &sources[file].text;
        let (at, line_len) = offset(file, finding.loc.line, finding.loc.column);
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        // A source excerpt of a huge line (minified JSON) would print the whole line.
        if line_len <= MAX_EXCERPT_LINE {
            labels.push(Label::primary(file, at..at + token_len(text, at)));
        } else {
            notes.push(format!(
                "at {}:{}:{} (line too long to show)",
                sources[file].path, finding.loc.line, finding.loc.column
            ));
        }
        for related in &finding.related {
            let rel_file = related.loc.file.0 as usize;
            let (rel_at, rel_len) = offset(rel_file, related.loc.line, related.loc.column);
            if rel_len > MAX_EXCERPT_LINE {
                continue;
            }
            labels.push(
                Label::secondary(
                    rel_file,
                    rel_at..rel_at + token_len(&sources[rel_file].text, rel_at),
                )
                .with_message(&related.message),
            );
        }
        let severity = match finding.severity {
            Severity::Error => CodespanSeverity::Error,
            Severity::Warning => CodespanSeverity::Warning,
            Severity::Info => CodespanSeverity::Note,
        };
        let diagnostic = Diagnostic::new(severity)
            .with_code(finding.rule.name())
            .with_message(&finding.message)
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(&mut out, &config, &files, &diagnostic).map_err(|error| {
            match error {
                FilesError::Io(error) => error,
                other => io::Error::other(other.to_string()),
            }
        })?;
    }
    let count = |s: Severity| report.findings.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "{}, {}, {} in {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info"),
        plural(sources.len(), "file")
    )?;
    out.flush()
}

/// Longest line shown in a source excerpt, in bytes.
const MAX_EXCERPT_LINE: usize = 1000;

/// Length of what starts at `text[at..]`: a quoted string, a plain value after `key:` (to the
/// end of the line or a comment), or else a word; at least one character, within the line.
fn token_len(text: &str, at: usize) -> usize {
    let Some(rest) = text.get(at..) else {
        return 0;
    };
    let line = rest.split('\n').next().unwrap_or("");
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        if let Some(close) = line[1..].find(quote) {
            return close + 2;
        }
    }
    let before = text.get(..at).unwrap_or("");
    let before = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let plain_value =
        before.trim_end().ends_with(':') && !line.starts_with(|c: char| "[{|>&*!".contains(c));
    if plain_value {
        let value = line.split(" #").next().unwrap_or(line).trim_end();
        if !value.is_empty() {
            return value.len();
        }
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '}' || c == ']')
        .unwrap_or(rest.len());
    if end == 0 {
        rest.chars()
            .next()
            .map_or(0, |c| if c == '\n' { 0 } else { c.len_utf8() })
    } else {
        end
    }
}
