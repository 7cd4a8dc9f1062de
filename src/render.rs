//! Human output: findings grouped by file with the source line and a caret, then a summary.

use anyhow::Result;
use baton_analyzer::{Report, Severity, SourceFile};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CodespanSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

pub fn human(sources: &[SourceFile], report: &Report) -> Result<()> {
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
    let mut out = StandardStream::stdout(choice);
    let config = Config::default();
    for finding in &report.findings {
        let file = finding.loc.file.0 as usize;
        let text = &sources[file].text;
        let at = offset(text, finding.loc.line, finding.loc.column);
        let mut labels = vec![Label::primary(file, at..at + token_len(&text[at..]))];
        for related in &finding.related {
            let rel_file = related.loc.file.0 as usize;
            let rel_at = offset(
                &sources[rel_file].text,
                related.loc.line,
                related.loc.column,
            );
            labels.push(
                Label::secondary(
                    rel_file,
                    rel_at..rel_at + token_len(&sources[rel_file].text[rel_at..]),
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
            .with_code(finding.rule)
            .with_message(&finding.message)
            .with_labels(labels);
        term::emit_to_write_style(&mut out, &config, &files, &diagnostic)?;
    }
    let count = |s: Severity| report.findings.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    println!(
        "{}, {}, {} in {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info"),
        plural(sources.len(), "file")
    );
    Ok(())
}

/// Byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(line_text.len(), |(i, _)| i)
}

/// Length of the quoted string or the word at the start of `text` (at least one character,
/// within the line).
fn token_len(text: &str) -> usize {
    let line = text.split('\n').next().unwrap_or("");
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        if let Some(close) = line[1..].find(quote) {
            return close + 2;
        }
    }
    let end = text
        .find(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '}' || c == ']')
        .unwrap_or(text.len());
    if end == 0 {
        text.chars()
            .next()
            .map_or(0, |c| if c == '\n' { 0 } else { c.len_utf8() })
    } else {
        end
    }
}
