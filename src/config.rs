//! `baton.toml`: per-rule settings and thresholds.
//!
//! ```toml
//! [rules]
//! unused-subworkflow = "off"       # or "error", "warning", "info"
//!
//! [thresholds]
//! sync-chain = 3                   # hops
//! retry-amplification = 50         # attempts along one path
//! high-coupling = 8                # Ca + Ce
//! orchestrated-components = 3      # what one workflow orchestrates alone
//!
//! [limits]
//! max-file-size = "20MB"           # or a number of bytes; larger files get a parse-error
//! ```

use anyhow::{format_err, Context, Result};
use baton_analyzer::limits::parse_size;
use baton_analyzer::{Config, RuleId, Severity};

/// Reads `path`; a missing default file is no error, a missing named one is.
pub fn load(path: Option<&str>) -> Result<Config> {
    let (path, required) = match path {
        Some(p) => (p, true),
        None => ("baton.toml", false),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::default())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read `{path}`")),
    };
    parse(&text).with_context(|| format!("invalid `{path}`"))
}

fn parse(text: &str) -> Result<Config> {
    let table: toml::Table = text.parse()?;
    let mut config = Config::default();
    for (key, value) in &table {
        match key.as_str() {
            "rules" => {}
            "thresholds" => {
                thresholds(value, &mut config)?;
                continue;
            }
            "limits" => {
                limits(value, &mut config)?;
                continue;
            }
            _ => {
                return Err(format_err!(
                    "unknown section `{key}` (expected `rules`, `thresholds` or `limits`)"
                ))
            }
        }
        let rules = value
            .as_table()
            .ok_or_else(|| format_err!("`rules` should be a table"))?;
        for (name, setting) in rules {
            let Some(rule) = RuleId::parse(name) else {
                return Err(format_err!("unknown rule `{name}` (see `baton rules`)"));
            };
            let severity = match setting.as_str() {
                Some("off") => None,
                Some("error") => Some(Severity::Error),
                Some("warning") => Some(Severity::Warning),
                Some("info") => Some(Severity::Info),
                _ => {
                    return Err(format_err!(
                        "rule `{name}`: expected \"off\", \"error\", \"warning\" or \"info\""
                    ))
                }
            };
            config.rules.insert(rule, severity);
        }
    }
    Ok(config)
}

fn thresholds(value: &toml::Value, config: &mut Config) -> Result<()> {
    let table = value
        .as_table()
        .ok_or_else(|| format_err!("`thresholds` should be a table"))?;
    for (name, value) in table {
        let n = value
            .as_integer()
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| format_err!("threshold `{name}`: expected a whole number >= 0"))?;
        let t = &mut config.thresholds;
        match name.as_str() {
            "sync-chain" => t.sync_chain = usize::try_from(n)?,
            "retry-amplification" => t.retry_amplification = n,
            "high-coupling" => t.high_coupling = usize::try_from(n)?,
            "orchestrated-components" => t.orchestrated_components = usize::try_from(n)?,
            _ => {
                return Err(format_err!(
                    "unknown threshold `{name}` (expected sync-chain, retry-amplification, high-coupling or orchestrated-components)"
                ))
            }
        }
    }
    Ok(())
}

fn limits(value: &toml::Value, config: &mut Config) -> Result<()> {
    let table = value
        .as_table()
        .ok_or_else(|| format_err!("`limits` should be a table"))?;
    for (name, value) in table {
        match name.as_str() {
            "max-file-size" => {
                let bytes = match value {
                    toml::Value::Integer(n) => usize::try_from(*n).ok(),
                    toml::Value::String(s) => parse_size(s),
                    _ => None,
                };
                config.limits.max_file_size = bytes.ok_or_else(|| {
                    format_err!(
                        "limit `max-file-size`: expected a size such as \"20MB\" or a number of bytes"
                    )
                })?;
            }
            _ => {
                return Err(format_err!(
                    "unknown limit `{name}` (expected max-file-size)"
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_file_size() -> Result<()> {
        let config = parse("[limits]\nmax-file-size = \"1MB\"\n")?;
        assert_eq!(config.limits.max_file_size, 1024 * 1024);
        let config = parse("[limits]\nmax-file-size = 5000\n")?;
        assert_eq!(config.limits.max_file_size, 5000);
        assert!(parse("[limits]\nmax-file-size = \"big\"\n").is_err());
        assert!(parse("[limits]\nmax-file-size = -1\n").is_err());
        assert!(parse("[limits]\nmax-depth = 3\n").is_err());
        Ok(())
    }

    #[test]
    fn thresholds() -> Result<()> {
        let config = parse("[thresholds]\norchestrated-components = 5\nsync-chain = 2\n")?;
        assert_eq!(config.thresholds.orchestrated_components, 5);
        assert_eq!(config.thresholds.sync_chain, 2);
        assert!(parse("[thresholds]\norchestrated = 5\n").is_err());
        Ok(())
    }
}
