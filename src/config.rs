//! `baton.toml`: per-rule settings.
//!
//! ```toml
//! [rules]
//! unused-subworkflow = "off"       # or "error", "warning", "info"
//! ```

use anyhow::{format_err, Context, Result};
use baton_analyzer::rules::rule;
use baton_analyzer::{Config, Severity};

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
        if key != "rules" {
            return Err(format_err!("unknown section `{key}` (expected `rules`)"));
        }
        let rules = value
            .as_table()
            .ok_or_else(|| format_err!("`rules` should be a table"))?;
        for (name, setting) in rules {
            if rule(name).is_none() {
                return Err(format_err!("unknown rule `{name}` (see `baton rules`)"));
            }
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
            config.rule_severity.push((name.clone(), severity));
        }
    }
    Ok(config)
}
