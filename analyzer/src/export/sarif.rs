//! `--format sarif`: the report as SARIF 2.1.0 (OASIS), for code-scanning services and
//! editors. One run; the driver lists every rule of the catalog, each result points at its rule
//! by name (`ruleId`) and by position in that list (`ruleIndex`). `tests/sarif.rs` validates
//! the output against the official schema.

use std::collections::HashMap;

use crate::rules::{Rule, RuleId};
use crate::source::LineIndex;
use crate::{Loc, Report, Severity, SourceFile};
use serde_json::{json, Map, Value};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The name of our entry in `partialFingerprints`; bump the version if the recipe changes.
const FINGERPRINT_KEY: &str = "baton/v1";

pub fn sarif(sources: &[SourceFile], report: &Report) -> String {
    let uris: Vec<String> = sources.iter().map(|s| uri(&s.path)).collect();
    let location = |loc: Loc| {
        let file = loc.file.0 as usize;
        let mut artifact = Map::new();
        if let Some(uri) = uris.get(file) {
            artifact.insert("uri".into(), json!(uri));
            artifact.insert("index".into(), json!(file));
        }
        let mut physical = Map::new();
        physical.insert("artifactLocation".into(), Value::Object(artifact));
        // SARIF lines and columns start at 1; a finding about a whole file has no region.
        if loc.line >= 1 {
            let mut region = json!({"startLine": loc.line});
            if loc.column >= 1 {
                region["startColumn"] = json!(loc.column);
            }
            physical.insert("region".into(), region);
        }
        Value::Object(physical)
    };
    let mut seen_fingerprints: HashMap<u64, usize> = HashMap::new();
    let line_indexes: Vec<LineIndex> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.rule.name(),
                "ruleIndex": d.rule.index(),
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": location(d.loc)}],
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        json!({
                            "id": id,
                            "physicalLocation": location(related.loc),
                            "message": {"text": related.message},
                        })
                    })
                    .collect();
            }
            // Stable across edits that only move the finding: the rule, the file, the subject
            // and the trimmed text of the line, plus a counter for identical keys.
            let line = sources
                .get(d.loc.file.0 as usize)
                .zip(line_indexes.get(d.loc.file.0 as usize))
                .and_then(|(s, index)| index.line(&s.text, d.loc.line))
                .unwrap_or("")
                .trim();
            let uri = uris.get(d.loc.file.0 as usize).map_or("", String::as_str);
            let subject = super::subject_name(report, d.subject);
            let hash = fnv1a(&[d.rule.name(), uri, subject.as_deref().unwrap_or(""), line]);
            let occurrence = seen_fingerprints.entry(hash).or_insert(0);
            *occurrence += 1;
            result["partialFingerprints"] =
                json!({FINGERPRINT_KEY: format!("{hash:016x}:{occurrence}")});
            if let Some(subject) = subject {
                result["properties"] = json!({"subject": subject});
            }
            result
        })
        .collect();
    let mut driver = json!({
        "name": "baton",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": RuleId::ALL.iter().map(|r| rule_descriptor(r.meta())).collect::<Vec<_>>(),
    });
    // Cargo sets these to "" when Cargo.toml has no such field.
    let homepage = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty());
    if let Some(homepage) = homepage {
        driver["informationUri"] = json!(homepage);
    }
    let artifacts: Vec<Value> = uris
        .iter()
        .map(|uri| json!({"location": {"uri": uri}}))
        .collect();
    let value = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            // `Loc` columns count characters.
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn rule_descriptor(rule: &Rule) -> Value {
    json!({
        "id": rule.name,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": section(rule.docs, "What it finds").unwrap_or(rule.summary)},
        "help": {"text": rule.docs, "markdown": rule.docs},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"code": rule.code},
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `unreachable-step` → `UnreachableStep`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The text under the Markdown heading `## {heading}`, up to the next heading.
fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(&format!("## {heading}\n"))? + heading.len() + 4;
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// A URI reference for a path as the user gave it: relative paths stay relative (with forward
/// slashes on Windows), absolute ones become `file://` URIs; everything but unreserved
/// characters and separators is percent-encoded.
fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let mut out = String::with_capacity(path.len());
    let rest = if path.starts_with('/') {
        out.push_str("file://");
        path.as_str()
    } else if cfg!(windows) && path.as_bytes().get(1) == Some(&b':') {
        // `C:/dir/file.yaml`: the drive letter's colon stays as it is.
        out.push_str("file:///");
        out.push_str(&path[..2]);
        &path[2..]
    } else {
        path.as_str()
    };
    for byte in rest.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// 64-bit FNV-1a over the parts, each followed by a NUL: stable across Rust releases, unlike
/// `std`'s hasher.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references_with_percent_encoding() {
        assert_eq!(uri("dir/a b.yaml"), "dir/a%20b.yaml");
        assert_eq!(uri("./x:y#1.yaml"), "./x%3Ay%231.yaml");
        assert_eq!(uri("dír.yaml"), "d%C3%ADr.yaml");
        if cfg!(unix) {
            assert_eq!(uri("/tmp/w f.yaml"), "file:///tmp/w%20f.yaml");
        }
    }

    #[test]
    fn rule_names_and_sections() {
        assert_eq!(pascal_case("unreachable-step"), "UnreachableStep");
        assert_eq!(
            section("## What it finds\nA thing.\n\n## Why\nx", "What it finds"),
            Some("A thing.")
        );
        assert_eq!(section("no headings", "What it finds"), None);
    }
}
