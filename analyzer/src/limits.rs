//! Safety limits: every bound Baton puts on its input, in one place (`docs/robustness.md`
//! lists them with the finding each one gives). They keep loading linear in the input size
//! and memory bounded whatever the input; an input over a limit gives a located
//! `parse-error`, and the other files (and, where possible, the rest of the file) still load.

/// Bounds on what Baton reads. `Config::limits` sets them for `analyze_with`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes; a larger file is not parsed (`[limits] max-file-size`).
    pub max_file_size: usize,
    /// Deepest nesting of lists and maps in one document.
    pub max_depth: usize,
    /// Nodes that alias expansion (and anchors) may copy, over a whole file.
    pub max_alias_nodes: usize,
    /// Most steps in one workflow, at every depth, in all its subworkflows; a workflow with
    /// more is not analyzed (the Workflows service's own 128 KB source limit allows a few
    /// thousand).
    pub max_steps: usize,
}

/// 20 MB.
pub const DEFAULT_MAX_FILE_SIZE: usize = 20 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_depth: 200,
            max_alias_nodes: 100_000,
            max_steps: 100_000,
        }
    }
}

/// A size for messages: `512 bytes`, `128 KB`, `50.5 MB` (1 KB = 1024 bytes).
pub fn format_size(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    let (unit, name) = match bytes {
        b if b >= MB => (MB, "MB"),
        b if b >= KB => (KB, "KB"),
        _ => return format!("{bytes} bytes"),
    };
    if bytes % unit == 0 {
        format!("{} {name}", bytes / unit)
    } else {
        // Rounded down to a tenth, so a size just over a limit never prints as the limit.
        let tenths = bytes * 10 / unit;
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

/// Parses a size as `baton.toml` and the app take it: `"20MB"`, `"512 KB"`, `"1.5MB"`,
/// `"300B"` or a plain number of bytes (`"20000000"`). Units are binary (1 KB = 1024 bytes).
pub fn parse_size(text: &str) -> Option<usize> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "K" | "KB" | "KIB" => 1024.0,
        "M" | "MB" | "MIB" => 1024.0 * 1024.0,
        "G" | "GB" | "GIB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let number: f64 = number.parse().ok()?;
    let bytes = (number * factor).round();
    if !bytes.is_finite() || bytes < 0.0 || bytes > usize::MAX as f64 {
        return None;
    }
    Some(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20MB"), Some(20 * 1024 * 1024));
        assert_eq!(parse_size("512 kb"), Some(512 * 1024));
        assert_eq!(parse_size("1.5M"), Some(1024 * 1024 * 3 / 2));
        assert_eq!(parse_size("300"), Some(300));
        assert_eq!(parse_size("300B"), Some(300));
        assert_eq!(parse_size("twenty"), None);
        assert_eq!(parse_size("20 parsecs"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(format_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(format_size(50 * 1024 * 1024 + 1), "50.0 MB");
        assert_eq!(format_size(131_073), "128.0 KB");
        assert_eq!(format_size(12), "12 bytes");
    }
}
