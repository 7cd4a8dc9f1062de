//! Reads the files and folders named on the command line.

use std::path::Path;

use anyhow::{format_err, Context, Result};
use baton_analyzer::SourceFile;

/// YAML and JSON definitions; Terraform configuration, variable values and templates.
const EXTENSIONS: [&str; 7] = ["yaml", "yml", "json", "tf", "tfvars", "tftpl", "tpl"];

/// Every file named, and every YAML/JSON file under every folder named, in a stable order.
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
            walk(&path, out)?;
        } else if kind.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(read(&path)?);
        }
    }
    Ok(())
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
