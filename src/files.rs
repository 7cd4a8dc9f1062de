//! Reads the files and folders named on the command line.

use std::path::Path;

use anyhow::{format_err, Context, Result};
use baton_analyzer::SourceFile;

/// Folders never walked: version control and dependencies.
const SKIPPED: [&str; 2] = [".git", "node_modules"];

/// Every file named, and every file Baton reads under every folder named
/// ([`baton_analyzer::reads`]), in a stable order.
pub fn collect(paths: &[String]) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{path}`"))?;
        if meta.is_dir() {
            walk(Path::new(path), &mut files)?;
        } else {
            files.push(read(Path::new(path))?);
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<SourceFile>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list `{}`", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !SKIPPED.contains(&entry.file_name().to_string_lossy().as_ref()) {
                walk(&path, out)?;
            }
        } else if kind.is_file()
            && baton_analyzer::reads(&path.to_string_lossy(), &first_line(&path))
        {
            out.push(read(&path)?);
        }
    }
    Ok(())
}

/// The first line of a file without an extension (a shebang says it is a script).
fn first_line(path: &Path) -> String {
    use std::io::Read;
    if path.extension().is_some() {
        return String::new();
    }
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

fn read(path: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let name = path
        .to_str()
        .ok_or_else(|| format_err!("path `{}` is not UTF-8", path.display()))?;
    // Invalid UTF-8 is the user's input, not an I/O failure: the analyzer reports where it
    // starts (and a binary file as such), and the other files are still checked.
    Ok(SourceFile::from_bytes(name, bytes))
}
